package knowledge

// Postings are kept compressed, one byte stream per term (see the layout
// at the top of index.go):
//
//	stream   = entryRun*
//	entryRun = uvarint(entry - previous entry) sentence+
//	sentence = uvarint(delta<<3 | tf<<1 | more)
//
// delta is the sentence's position in the entry minus the previous one's
// (the first counts from the entry's first sentence), tf the term's
// frequency in the sentence (1 to 3; 3 stands for 3 or more), and more is
// 1 when another sentence of the same entry follows. One entry holding a
// term in one sentence costs two or three bytes instead of the twelve of
// fixed-width postings.

import (
	"encoding/binary"
	"math/bits"
)

const tfMax = 3

// uvarint decodes a varint at b[p:] and returns it with the position after it.
// The one-byte case is inlined where postings are read; longer ones go to
// uvarintLong.
func uvarint(b []byte, p int) (uint64, int) {
	if c := b[p]; c < 0x80 {
		return uint64(c), p + 1
	}
	return uvarintLong(b, p)
}

func uvarintLong(b []byte, p int) (uint64, int) {
	v, n := binary.Uvarint(b[p:])
	if n <= 0 {
		panic("knowledge: corrupt posting stream") // written by this package only
	}
	return v, p + n
}

// uvarintLen is the length of x's uvarint encoding.
func uvarintLen(x uint64) uint64 { return uint64(bits.Len64(x|1)+6) / 7 }

// postingWriter builds the streams of one set of terms while the entries
// go by in order.
type postingWriter struct {
	streams   [][]byte
	prevEntry []uint32
	inEntry   []uint32 // entry+1 whose run is open for the term
	prevLocal []uint32
	pending   []uint32 // the open run's last sentence: delta<<3 | tf<<1, not yet written
	open      []uint32 // terms with a run open in the current entry
}

func newPostingWriter(nterms int) *postingWriter {
	return &postingWriter{streams: make([][]byte, nterms), prevEntry: make([]uint32, nterms),
		inEntry: make([]uint32, nterms), prevLocal: make([]uint32, nterms), pending: make([]uint32, nterms)}
}

// add records that sentence local (its position in entry e) holds term t
// tf times. Sentences of an entry come in order.
func (w *postingWriter) add(t, e, local, tf uint32) {
	if w.inEntry[t] != e+1 {
		w.inEntry[t] = e + 1
		w.streams[t] = binary.AppendUvarint(w.streams[t], uint64(e-w.prevEntry[t]))
		w.prevEntry[t] = e
		w.prevLocal[t] = 0
		w.open = append(w.open, t)
	} else {
		w.streams[t] = binary.AppendUvarint(w.streams[t], uint64(w.pending[t]|1))
	}
	w.pending[t] = (local-w.prevLocal[t])<<3 | min(tf, tfMax)<<1
	w.prevLocal[t] = local
}

// endEntry closes the runs of the entry just added.
func (w *postingWriter) endEntry() {
	for _, t := range w.open {
		w.streams[t] = binary.AppendUvarint(w.streams[t], uint64(w.pending[t]))
	}
	w.open = w.open[:0]
}

// stream returns the postings of term t.
func (ix *Index) stream(t uint32) []byte { return ix.post[ix.postOff[t]:ix.postOff[t+1]] }

// forEachEntry calls fn for each entry holding term t, in order, with the
// term's frequency there and the offset of the entry's sentence records
// in the term's stream.
func (ix *Index) forEachEntry(t uint32, fn func(e, tf uint32, off int)) {
	b := ix.stream(t)
	var e uint32
	for p := 0; p < len(b); {
		var d uint64
		if c := b[p]; c < 0x80 { // uvarint, its common case inlined by hand
			d, p = uint64(c), p+1
		} else {
			d, p = uvarintLong(b, p)
		}
		e += uint32(d)
		off := p
		var tf uint32
		for {
			var r uint64
			if c := b[p]; c < 0x80 { // uvarint, its common case inlined by hand
				r, p = uint64(c), p+1
			} else {
				r, p = uvarintLong(b, p)
			}
			tf += uint32(r>>1) & tfMax
			if r&1 == 0 {
				break
			}
		}
		fn(e, tf, off)
	}
}

// forEachSentence calls fn for each sentence of entry e holding term t,
// from the sentence records at off in the term's stream.
func (ix *Index) forEachSentence(t, e uint32, off int, fn func(s, tf uint32)) {
	b := ix.stream(t)
	s := ix.entrySents[e]
	for p := off; ; {
		var r uint64
		if c := b[p]; c < 0x80 { // uvarint, its common case inlined by hand
			r, p = uint64(c), p+1
		} else {
			r, p = uvarintLong(b, p)
		}
		s += uint32(r >> 3)
		fn(s, uint32(r>>1)&tfMax)
		if r&1 == 0 {
			return
		}
	}
}
