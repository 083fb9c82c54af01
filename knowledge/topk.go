package knowledge

// topK keeps the k best of the items offered to it, the worst of them at
// the root. It sifts exactly as container/heap does, without its interface
// calls, which showed in the profiles of Ask and LookupTitle.
type topK[T any] struct {
	items []T
	k     int
	worse func(a, b T) bool // a ranks below b
}

func newTopK[T any](k int, worse func(a, b T) bool) *topK[T] {
	return &topK[T]{items: make([]T, 0, k), k: k, worse: worse}
}

// offer keeps x if it is among the k best so far; replace says whether x
// beats the current worst once the heap is full.
func (h *topK[T]) offer(x T, replace func(x, worst T) bool) {
	if len(h.items) < h.k {
		h.items = append(h.items, x)
		h.up(len(h.items) - 1)
		return
	}
	if h.k > 0 && replace(x, h.items[0]) {
		h.items[0] = x
		h.down(0)
	}
}

func (h *topK[T]) up(j int) {
	for {
		i := (j - 1) / 2 // parent
		if i == j || !h.worse(h.items[j], h.items[i]) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		j = i
	}
}

func (h *topK[T]) down(i int) {
	n := len(h.items)
	for {
		j1 := 2*i + 1
		if j1 >= n || j1 < 0 {
			break
		}
		j := j1
		if j2 := j1 + 1; j2 < n && h.worse(h.items[j2], h.items[j1]) {
			j = j2
		}
		if !h.worse(h.items[j], h.items[i]) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		i = j
	}
}
