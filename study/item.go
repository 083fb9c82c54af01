package study

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/footnote-bot/footnote/knowledge"
)

// Ref names a blank: the entry, the sentence's position among the entry's
// quotable sentences (knowledge.Index.Sentences), and the blank's position
// among the parts of that sentence worth blanking.
type Ref struct {
	Entry    string
	Sentence int
	Blank    int
}

// Item is one question: a sentence with its blank, and four options.
type Item struct {
	Ref Ref
	// Seed chose the distractors and their order; with Ref it makes the
	// item again (Make).
	Seed string
	// Check tells the sentence and answer apart from an edited entry's.
	Check string
	Kind  Kind
	// The entry the sentence quotes.
	EntryID, EntryTitle, Citation, URL string
	// Sentence is the whole sentence, verbatim; Answer its blanked part,
	// and Before and After what surrounds it.
	Sentence, Answer, Before, After string
	// ShowTitle is false when the entry's title would give the answer away.
	ShowTitle bool
	// Options are the four choices in the order shown; Options[Right] is
	// Answer.
	Options []string
	Right   int
}

// Errors of item making.
var (
	// ErrNoItem: the corpus (or the entry) has no sentence to make an
	// item of, or not the distractors one needs.
	ErrNoItem = errors.New("no quiz item can be made of this")
	// ErrChanged: the entry, sentence or blank named no longer exists as
	// it was (the corpus changed since the item was posted).
	ErrChanged = errors.New("the entry changed since this item was made")
)

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func shortHash(n int, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return strings.ToLower(keyEncoding.EncodeToString(h.Sum(nil)))[:n]
}

// CheckOf is the check of a sentence and the answer blanked in it.
func CheckOf(sentence, answer string) string { return shortHash(4, sentence, answer) }

// OptionKey is what a button carries to say which option it is: a hash
// of the item's seed and the option, so the ids of the buttons tell
// nothing of which is right.
func OptionKey(seed, option string) string { return shortHash(4, seed, option) }

// IsRight reports whether the option whose key is key is the answer.
func (it Item) IsRight(key string) bool { return key == OptionKey(it.Seed, it.Answer) }

// Option returns the option whose key is key.
func (it Item) Option(key string) (string, bool) {
	for _, o := range it.Options {
		if OptionKey(it.Seed, o) == key {
			return o, true
		}
	}
	return "", false
}

// rngFor is the random source of an item: the same seed and ref give the
// same draws.
func rngFor(parts ...string) *rand.Rand {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(h[:8]), binary.LittleEndian.Uint64(h[8:16])))
}

// blankable is a span that can be an item, and its sentence.
type blankable struct {
	sentence  int
	blank     int
	text      string
	sp        span
	showTitle bool
}

// spanCache keeps the spans of the entries read lately: a round, a
// review and the distractors of neighbouring items read the same entries
// again. It holds spanCacheSize entries at most and starts afresh when
// full; an index's entries never change, so nothing is ever stale.
var spanCache = struct {
	sync.Mutex
	m map[spanKey]spanValue
}{m: map[spanKey]spanValue{}}

const spanCacheSize = 4096

type spanKey struct {
	ix *knowledge.Index
	id string
}

type spanValue struct {
	sents []string
	spans [][]span
}

// entrySpans lists the spans of every quotable sentence of e (at most
// maxSentencesPer sentences). The result is shared: do not modify it.
func entrySpans(ix *knowledge.Index, e *knowledge.Entry) ([]string, [][]span) {
	k := spanKey{ix, e.ID}
	spanCache.Lock()
	v, ok := spanCache.m[k]
	spanCache.Unlock()
	if ok {
		return v.sents, v.spans
	}
	sents, all := readSpans(ix, e)
	spanCache.Lock()
	if len(spanCache.m) >= spanCacheSize {
		spanCache.m = map[spanKey]spanValue{}
	}
	spanCache.m[k] = spanValue{sents, all}
	spanCache.Unlock()
	return sents, all
}

func readSpans(ix *knowledge.Index, e *knowledge.Entry) ([]string, [][]span) {
	sents := ix.Sentences(e.ID)
	if len(sents) > maxSentencesPer {
		sents = sents[:maxSentencesPer]
	}
	terms := entryTerms(e)
	all := make([][]span, len(sents))
	for k, s := range sents {
		all[k] = spans(s, terms, k == 0)
	}
	return sents, withSurnames(all)
}

// withSurnames settles the names of one word with what the entry says
// elsewhere: the last word of a person's name ("Stalin" after "Joseph
// Stalin") is a surname; another one-word name that is not a place is
// dropped (a person, a ship, a horse? it cannot be told).
func withSurnames(all [][]span) [][]span {
	surnames := map[string]bool{}
	for _, ss := range all {
		for _, sp := range ss {
			if sp.value.kind == Name && sp.value.shape == "person" {
				f := strings.Fields(sp.text)
				surnames[f[len(f)-1]] = true
			}
		}
	}
	for k, ss := range all {
		kept := ss[:0:0]
		for _, sp := range ss {
			if sp.value.kind == Name && sp.value.shape == "single" {
				if !surnames[sp.text] {
					continue
				}
				sp.value.shape = "surname"
			}
			kept = append(kept, sp)
		}
		all[k] = kept
	}
	return all
}

// usable reports whether sp of sentence s can be asked: the sentence is
// of a readable length, the answer fits a button, and nothing else in the
// sentence gives it away. showTitle says whether the entry's title may be
// shown with it.
func usable(s string, sp span, others []span, title string) (ok, showTitle bool) {
	if len(s) < minSentence || len(s) > maxSentence || len([]rune(sp.text)) > maxOptionLen {
		return false, false
	}
	rest := s[:sp.start] + " … " + s[sp.end:]
	restTerms := knowledge.Terms(rest)
	if len(restTerms) < minContextTerms {
		return false, false
	}
	inRest := setOf(restTerms...)
	answerTerms := knowledge.Terms(sp.text)
	for _, t := range answerTerms {
		if inRest[t] && (len(t) >= 3 || allDigitBytes(t)) {
			return false, false
		}
	}
	// The same figure or date elsewhere in the sentence, however written.
	for _, o := range others {
		if o.start != sp.start && o.value.key == sp.value.key {
			return false, false
		}
	}
	showTitle = sp.value.kind != Term
	if showTitle {
		inTitle := setOf(knowledge.Terms(title)...)
		for _, t := range answerTerms {
			if inTitle[t] {
				showTitle = false
			}
		}
	}
	return true, showTitle
}

// blankables lists the usable blanks of e, of the kinds asked (none:
// any).
func blankables(ix *knowledge.Index, e *knowledge.Entry, kinds []Kind) []blankable {
	sents, all := entrySpans(ix, e)
	var out []blankable
	for k, s := range sents {
		for b, sp := range all[k] {
			if len(kinds) > 0 && !slices.Contains(kinds, sp.value.kind) {
				continue
			}
			if ok, show := usable(s, sp, all[k], e.Title); ok {
				out = append(out, blankable{sentence: k, blank: b, text: s, sp: sp, showTitle: show})
			}
		}
	}
	return out
}

// Make makes the item ref names with seed again: the same sentence, blank,
// options and order as when it was first made from the same index. It
// fails with ErrChanged when the entry, its sentence or the blank are no
// longer there, and ErrNoItem when the blank cannot be asked.
func Make(ix *knowledge.Index, ref Ref, seed string) (Item, error) {
	it, err := Resolve(ix, ref, seed)
	if err != nil {
		return Item{}, err
	}
	e, _ := ix.Entry(ref.Entry)
	_, all := entrySpans(ix, e)
	sp := all[ref.Sentence][ref.Blank]
	rng := rngFor(seed, ref.Entry, fmt.Sprint(ref.Sentence), fmt.Sprint(ref.Blank))
	distractors := distractorsFor(ix, e, ref.Sentence, it.Sentence, sp, all[ref.Sentence], rng)
	if len(distractors) < 3 {
		return Item{}, ErrNoItem
	}
	opts := append([]string{sp.text}, distractors[:3]...)
	rng.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	it.Options = opts
	it.Right = slices.Index(opts, sp.text)
	// Keys must tell the four options apart; a collision (one in a
	// million) would make two options right.
	keys := map[string]bool{}
	for _, o := range opts {
		keys[OptionKey(seed, o)] = true
	}
	if len(keys) != len(opts) {
		return Item{}, ErrNoItem
	}
	return it, nil
}

// Resolve finds the sentence and answer ref names, without the options:
// enough to judge an answer (IsRight) and reveal the sentence, at the
// cost of reading one entry. Its errors are Make's.
func Resolve(ix *knowledge.Index, ref Ref, seed string) (Item, error) {
	e, ok := ix.Entry(ref.Entry)
	if !ok {
		return Item{}, ErrChanged
	}
	sents, all := entrySpans(ix, e)
	if ref.Sentence < 0 || ref.Sentence >= len(sents) || ref.Blank < 0 || ref.Blank >= len(all[ref.Sentence]) {
		return Item{}, ErrChanged
	}
	s, sp := sents[ref.Sentence], all[ref.Sentence][ref.Blank]
	okUse, show := usable(s, sp, all[ref.Sentence], e.Title)
	if !okUse {
		return Item{}, ErrNoItem
	}
	return Item{
		Ref: ref, Seed: seed, Check: CheckOf(s, sp.text), Kind: sp.value.kind,
		EntryID: e.ID, EntryTitle: e.Title, Citation: e.Source, URL: e.URL,
		Sentence: s, Answer: sp.text, Before: s[:sp.start], After: s[sp.end:], ShowTitle: show,
	}, nil
}

// PickOptions choose what an item is made of.
type PickOptions struct {
	// Entry, when set, makes the item of that entry.
	Entry string
	// Kinds, when set, are the kinds of blank allowed.
	Kinds []Kind
	// Avoid lists entries not to use when another will do (a round's
	// earlier items), and Used the refs never to use again.
	Avoid map[string]bool
	Used  map[Ref]bool
}

// pickTries bounds the entries tried: an item costs a few entries' worth
// of work whatever the size of the corpus.
const pickTries = 48

// Pick makes an item from a random entry (uniformly: every entry that
// has a usable blank is as likely as any other, however long) and a
// random blank of it, drawn from seed.
func Pick(ix *knowledge.Index, seed string, o PickOptions) (Item, error) {
	rng := rngFor("pick", seed)
	var candidates []*knowledge.Entry
	if o.Entry != "" {
		e, ok := ix.Entry(o.Entry)
		if !ok {
			return Item{}, ErrChanged
		}
		candidates = []*knowledge.Entry{e}
	} else {
		candidates = ix.Entries()
	}
	if len(candidates) == 0 {
		return Item{}, ErrNoItem
	}
	tries := pickTries
	if len(candidates) == 1 {
		tries = 1
	}
	// First entries the round has not used yet; then any, when no other
	// will do.
	for _, avoid := range []bool{true, false} {
		for try := 0; try < tries; try++ {
			e := candidates[rng.IntN(len(candidates))]
			if avoid && o.Avoid[e.ID] && len(candidates) > 1 {
				continue
			}
			if it, ok := pickIn(ix, e, seed, o, rng); ok {
				return it, nil
			}
		}
		if len(o.Avoid) == 0 {
			break
		}
	}
	return Item{}, ErrNoItem
}

// pickIn tries a few random blanks of e: one sentence drawn at random,
// then one of its blanks.
func pickIn(ix *knowledge.Index, e *knowledge.Entry, seed string, o PickOptions, rng *rand.Rand) (Item, bool) {
	bs := blankables(ix, e, o.Kinds)
	bs = slices.DeleteFunc(bs, func(b blankable) bool { return o.Used[Ref{Entry: e.ID, Sentence: b.sentence, Blank: b.blank}] })
	for attempt := 0; attempt < 4 && len(bs) > 0; attempt++ {
		// A sentence first, so a sentence full of figures is not asked
		// more often than the others.
		sentences := map[int][]int{}
		var order []int
		for k, b := range bs {
			if _, ok := sentences[b.sentence]; !ok {
				order = append(order, b.sentence)
			}
			sentences[b.sentence] = append(sentences[b.sentence], k)
		}
		in := sentences[order[rng.IntN(len(order))]]
		k := in[rng.IntN(len(in))]
		b := bs[k]
		it, err := Make(ix, Ref{Entry: e.ID, Sentence: b.sentence, Blank: b.blank}, seed)
		if err == nil {
			return it, true
		}
		bs = slices.Delete(bs, k, k+1)
	}
	return Item{}, false
}

// Round makes n items for a round, from different entries while there
// are some left, each with the seed round+"/"+k (what its buttons carry).
// It may return fewer than n when the corpus has fewer blanks.
func Round(ix *knowledge.Index, round string, n int, o PickOptions) ([]Item, error) {
	o.Avoid, o.Used = map[string]bool{}, map[Ref]bool{}
	var out []Item
	for k := 0; k < n; k++ {
		it, err := Pick(ix, RoundSeed(round, k), o)
		if err != nil {
			break
		}
		o.Avoid[it.Ref.Entry] = true
		o.Used[it.Ref] = true
		out = append(out, it)
	}
	if len(out) == 0 {
		return nil, ErrNoItem
	}
	return out, nil
}

// RoundSeed is the seed of a round's k-th item.
func RoundSeed(round string, k int) string { return fmt.Sprintf("%s/%d", round, k) }
