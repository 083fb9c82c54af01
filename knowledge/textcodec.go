package knowledge

// The entries' text is kept encoded, word by word: at a hundred thousand
// entries it is most of what the index holds, and a general compressor
// does poorly on entries of a few kilobytes each (zstd at its fastest
// level gains a quarter on the generated corpus, see
// docs/performance.md), while the words are already found and counted
// for the index.
//
// A text is a run of words (as tokenize finds them, exactly as written)
// and the gaps between them. The words and the short gaps go to tables
// shared by the whole index; an entry is then:
//
//	text = gap (uvarint(word<<1 | spaceFollows) [gap unless spaceFollows])*
//	gap  = uvarint(0) for "", uvarint(n<<2 | 1) for table gap n,
//	       uvarint(len<<2 | 2) followed by len literal bytes
//
// Most words are followed by one space, so a word costs one varint: one
// byte for the 64 commonest words, two up to 8,192, three beyond.
// Decoding gives back the text byte for byte.

import (
	"encoding/binary"
	"strings"
)

// maxTableGap is the longest gap kept in the gap table; longer ones (the
// See also sentence, a skipped paragraph) are written out.
const maxTableGap = 8

// textTables holds the words and gaps of one encoder: a build worker's
// while it analyses its entries, then the index's.
type textTables struct {
	wordIDs map[string]uint32
	words   []string
	gapIDs  map[string]uint32
	gaps    []string
}

func newTextTables() *textTables {
	return &textTables{wordIDs: make(map[string]uint32, 1<<14), gapIDs: make(map[string]uint32, 64)}
}

func (tt *textTables) word(w string) uint32 {
	if id, ok := tt.wordIDs[w]; ok {
		return id
	}
	id := uint32(len(tt.words))
	w = strings.Clone(w) // not a window on an entry's text, which would stay in memory
	tt.wordIDs[w] = id
	tt.words = append(tt.words, w)
	return id
}

func (tt *textTables) appendGap(dst []byte, gap string) []byte {
	if gap == "" {
		return append(dst, 0)
	}
	if len(gap) <= maxTableGap {
		id, ok := tt.gapIDs[gap]
		if !ok {
			id = uint32(len(tt.gaps))
			gap = strings.Clone(gap)
			tt.gapIDs[gap] = id
			tt.gaps = append(tt.gaps, gap)
		}
		return binary.AppendUvarint(dst, uint64(id)<<2|1)
	}
	dst = binary.AppendUvarint(dst, uint64(len(gap))<<2|2)
	return append(dst, gap...)
}

// noCheckpoint marks a sentence decoded from its entry's start.
const noCheckpoint = ^uint32(0)

// maxBack is the farthest a checkpoint may stand before its sentence.
const maxBack = 255

// encode appends the encoding of text to dst, given its words' byte spans
// and their ids in the table, in order. For each sentence (spans, in order)
// it sets a checkpoint, the offset in the encoding (from the start of dst's
// new part) of the last word that starts at or before the sentence, and
// back, how far before the sentence that word starts; decoding from there
// gives the sentence without decoding its whole entry. A sentence with no
// such word close enough gets noCheckpoint.
func (tt *textTables) encode(dst []byte, text string, words []span, ids []uint32, sents []span, checkpoints []uint32, back []uint8) []byte {
	base := len(dst)
	// Word i is the checkpoint of the sentences that start before word i+1.
	si := 0
	mark := func(i, off int) {
		for ; si < len(sents) && (i+1 == len(words) || sents[si].start < words[i+1].start); si++ {
			if d := sents[si].start - words[i].start; d <= maxBack {
				checkpoints[si], back[si] = uint32(off-base), uint8(d)
			} else {
				checkpoints[si], back[si] = noCheckpoint, 0
			}
		}
	}
	if len(words) == 0 {
		for i := range sents {
			checkpoints[i], back[i] = noCheckpoint, 0
		}
		return tt.appendGap(dst, text)
	}
	dst = tt.appendGap(dst, text[:words[0].start])
	for i := range sents { // sentences before the first word
		if sents[i].start >= words[0].start {
			break
		}
		checkpoints[i], back[i] = noCheckpoint, 0
		si = i + 1
	}
	for i, w := range words {
		mark(i, len(dst))
		id := uint64(ids[i])
		next := len(text)
		if i+1 < len(words) {
			next = words[i+1].start
		}
		gap := text[w.end:next]
		if gap == " " {
			dst = binary.AppendUvarint(dst, id<<1|1)
		} else {
			dst = binary.AppendUvarint(dst, id<<1)
			dst = tt.appendGap(dst, gap)
		}
	}
	return dst
}

// decode appends the text an encoding stands for to dst.
func (tt *textTables) decode(dst, enc []byte) []byte {
	dst, p := tt.decodeGap(dst, enc, 0)
	return tt.decodeUntil(dst, enc, p, -1)
}

// decodeUntil decodes words (each with the gap after it) from enc[p:],
// appending them to dst, until dst holds need bytes (need < 0: to the end).
func (tt *textTables) decodeUntil(dst, enc []byte, p, need int) []byte {
	for p < len(enc) && (need < 0 || len(dst) < need) {
		var v uint64
		v, p = uvarint(enc, p)
		dst = append(dst, tt.words[v>>1]...)
		if v&1 == 1 {
			dst = append(dst, ' ')
			continue
		}
		dst, p = tt.decodeGap(dst, enc, p)
	}
	return dst
}

func (tt *textTables) decodeGap(dst, enc []byte, p int) ([]byte, int) {
	var v uint64
	v, p = uvarint(enc, p)
	switch v & 3 {
	case 1:
		return append(dst, tt.gaps[v>>2]...), p
	case 2:
		n := int(v >> 2)
		return append(dst, enc[p:p+n]...), p + n
	}
	return dst, p
}

// recode rewrites an encoding made with a worker's tables into one with
// the index's, given the worker's word and gap ids in the index's tables.
// Checkpoints (offsets of words in enc, ascending, or noCheckpoint) are
// rewritten in place to the same words' offsets in the new encoding.
func recode(dst, enc []byte, wordMap, gapMap []uint32, checkpoints []uint32) []byte {
	base := len(dst)
	p := 0
	gap := func() {
		var v uint64
		v, p = uvarint(enc, p)
		switch v & 3 {
		case 1:
			dst = binary.AppendUvarint(dst, uint64(gapMap[v>>2])<<2|1)
		case 2:
			n := int(v >> 2)
			dst = binary.AppendUvarint(dst, v)
			dst = append(dst, enc[p:p+n]...)
			p += n
		default:
			dst = append(dst, 0)
		}
	}
	gap()
	ci := 0
	for p < len(enc) {
		for ; ci < len(checkpoints) && (checkpoints[ci] == noCheckpoint || int(checkpoints[ci]) <= p); ci++ {
			if checkpoints[ci] == uint32(p) {
				checkpoints[ci] = uint32(len(dst) - base)
			}
		}
		var v uint64
		v, p = uvarint(enc, p)
		dst = binary.AppendUvarint(dst, uint64(wordMap[v>>1])<<1|v&1)
		if v&1 == 0 {
			gap()
		}
	}
	return dst
}

// textOf returns the text of entry e, decoded.
func (ix *Index) textOf(e uint32) string {
	buf := make([]byte, 0, ix.textLen[e])
	return string(ix.texts.decode(buf, ix.text[ix.textOff[e]:ix.textOff[e+1]]))
}

// sentenceText returns the text of sentence s, decoding only the words
// from its checkpoint on.
func (ix *Index) sentenceText(s uint32) string {
	st := ix.sents[s]
	enc := ix.text[ix.textOff[st.entry]:ix.textOff[st.entry+1]]
	cp := ix.sentEnc[s]
	if cp == noCheckpoint {
		buf := make([]byte, 0, st.end)
		buf, p := ix.texts.decodeGap(buf, enc, 0)
		buf = ix.texts.decodeUntil(buf, enc, p, int(st.end))
		return string(buf[st.start:st.end])
	}
	from := int(st.start) - int(st.back)
	n := int(st.end) - from
	buf := ix.texts.decodeUntil(make([]byte, 0, n+32), enc, int(cp), n)
	return string(buf[st.back:n])
}
