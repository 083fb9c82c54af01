package eval

import (
	"math"
	"strings"
	"testing"

	"github.com/footnote-bot/footnote/knowledge"
)

// cannedAsker answers from a fixed table, so the metrics can be checked by hand.
type cannedAsker map[string]knowledge.Answer

func (c cannedAsker) Ask(q string, limit int) (knowledge.Answer, error) { return c[q], nil }

func fact(entry, text string) knowledge.Fact { return knowledge.Fact{EntryID: entry, Text: text} }

func TestRunMetrics(t *testing.T) {
	questions, err := ReadQuestions(strings.NewReader(`
{"id":"1","q":"q1","entry":"a","answers":["308 films"]}
{"id":"2","q":"q2","entry":"a","answer":"July  1951"}
{"id":"3","q":"q3","entry":"b","answers":["x"]}
{"id":"4","q":"q4","entry":"a","answers":["tons"]}
{"id":"5","q":"q5","entry":null,"answer":null}
{"id":"6","q":"q6","entry":null,"answer":null}
`))
	if err != nil {
		t.Fatal(err)
	}
	asker := cannedAsker{
		"q1": {Answered: true, Facts: []knowledge.Fact{fact("a", "It sent 308 FILMS.")}},                                // rank 1
		"q2": {Answered: true, Facts: []knowledge.Fact{fact("a", "no"), fact("a", "In July 1951, radio.")}},             // rank 2, spaces collapsed
		"q3": {Answered: true, Facts: []knowledge.Fact{fact("a", "x"), fact("c", "x"), fact("b", "y"), fact("b", "x")}}, // wrong entries first: rank 4
		"q4": {Answered: false},
		"q5": {Answered: false},
		"q6": {Answered: true, Facts: []knowledge.Fact{fact("a", "noise")}},
	}
	r := Run(asker, questions)
	want := Result{Questions: 6, Answerable: 4, Unanswerable: 2, Ans1: 0.25, Ans3: 0.5,
		MRR: (1 + 0.5 + 0.25) / 4, Entry1: 0.5, FalseAbstention: 0.25, Abstention: 0.5}
	got := r
	got.answerableMisses = nil
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"ans@1", got.Ans1, want.Ans1}, {"ans@3", got.Ans3, want.Ans3}, {"mrr", got.MRR, want.MRR},
		{"entry@1", got.Entry1, want.Entry1}, {"false abstention", got.FalseAbstention, want.FalseAbstention},
		{"abstention", got.Abstention, want.Abstention},
	} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got.Questions != 6 || got.Answerable != 4 || got.Unanswerable != 2 {
		t.Errorf("counts %+v", got)
	}
	if len(r.Misses()) != 3 {
		t.Errorf("misses = %d, want 3", len(r.Misses()))
	}
}

func TestReadQuestionsErrors(t *testing.T) {
	for _, in := range []string{"", "{bad", `{"id":"1"}`} {
		if _, err := ReadQuestions(strings.NewReader(in)); err == nil {
			t.Errorf("no error for %q", in)
		}
	}
}
