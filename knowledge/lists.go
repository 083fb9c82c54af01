package knowledge

// lists holds many short lists in one array, list i being
// items[off[i]:off[i+1]]. A hundred thousand entries' small slices would
// otherwise be as many allocations, scattered over memory that the
// garbage left by loading keeps from going back to the operating system.
type lists[T any] struct {
	items []T
	off   []uint32
}

func newLists[T any](n int) lists[T] {
	return lists[T]{off: append(make([]uint32, 0, n+1), 0)}
}

// add appends the next list.
func (l *lists[T]) add(list ...T) {
	l.items = append(l.items, list...)
	l.off = append(l.off, uint32(len(l.items)))
}

// at returns list i; appending to it cannot overwrite list i+1.
func (l *lists[T]) at(i uint32) []T {
	lo, hi := l.off[i], l.off[i+1]
	return l.items[lo:hi:hi]
}

// len is the number of lists.
func (l *lists[T]) len() int { return len(l.off) - 1 }

// clip drops the spare capacity appending left.
func (l *lists[T]) clip() {
	l.items = append([]T(nil), l.items...)
}

// invert builds, for n targets, the list of the sources naming each one,
// in source order; each calls yield with the targets source src names.
func invert(n, sources int, each func(src uint32, yield func(target uint32))) lists[uint32] {
	l := lists[uint32]{off: make([]uint32, n+1)}
	for s := range sources {
		each(uint32(s), func(t uint32) { l.off[t+1]++ })
	}
	for t := 1; t <= n; t++ {
		l.off[t] += l.off[t-1]
	}
	l.items = make([]uint32, l.off[n])
	fill := append([]uint32(nil), l.off[:n]...)
	for s := range sources {
		each(uint32(s), func(t uint32) {
			l.items[fill[t]] = uint32(s)
			fill[t]++
		})
	}
	return l
}
