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

// encode appends the encoding of text to dst; words are the byte spans of
// its words, in order.
func (tt *textTables) encode(dst []byte, text string, words []span) []byte {
	if len(words) == 0 {
		return tt.appendGap(dst, text)
	}
	dst = tt.appendGap(dst, text[:words[0].start])
	for i, w := range words {
		id := uint64(tt.word(text[w.start:w.end]))
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
	p := 0
	dst, p = tt.decodeGap(dst, enc, p)
	for p < len(enc) {
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
func recode(dst, enc []byte, wordMap, gapMap []uint32) []byte {
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
	for p < len(enc) {
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
