// Package eval measures answer quality: it asks an index a set of
// questions with known answers and computes the metrics "footnote eval"
// reports (ans@1, ans@3, MRR, entry@1, abstention), as defined for the
// SQuAD-derived question sets.
package eval

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/footnote-bot/footnote/knowledge"
)

// Question is one line of a questions file. Answers lists acceptable
// answers; Answer is the single-answer form. A question with neither (or
// with "answer": null) is one the corpus cannot answer.
type Question struct {
	ID      string   `json:"id"`
	Q       string   `json:"q"`
	Entry   *string  `json:"entry"`
	Answers []string `json:"answers"`
	Answer  *string  `json:"answer"`
}

// Answerable reports whether the question has an answer in the corpus.
func (q Question) Answerable() bool { return len(q.answers()) > 0 }

func (q Question) answers() []string {
	out := append([]string(nil), q.Answers...)
	if q.Answer != nil && *q.Answer != "" {
		out = append(out, *q.Answer)
	}
	return out
}

// ReadQuestions reads a JSON-lines questions file.
func ReadQuestions(r io.Reader) ([]Question, error) {
	var out []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var q Question
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if strings.TrimSpace(q.Q) == "" {
			return nil, fmt.Errorf("line %d: question has no \"q\"", n)
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading questions: %w", err)
	}
	if len(out) == 0 {
		return nil, errors.New("no questions")
	}
	return out, nil
}

// Result holds the metrics over a question set.
type Result struct {
	Questions        int     `json:"questions"`
	Answerable       int     `json:"answerable"`
	Unanswerable     int     `json:"unanswerable"`
	Ans1             float64 `json:"ans@1"`
	Ans3             float64 `json:"ans@3"`
	MRR              float64 `json:"mrr"`
	Entry1           float64 `json:"entry@1"`
	FalseAbstention  float64 `json:"false_abstention"`
	Abstention       float64 `json:"abstention"`
	AskErrors        int     `json:"ask_errors"`
	answerableMisses []Miss
}

// Miss is an answerable question whose first fact did not hold the answer.
type Miss struct {
	Question Question
	First    knowledge.Fact
	Answered bool
}

// Misses returns the answerable questions missed at rank 1.
func (r Result) Misses() []Miss { return r.answerableMisses }

// Asker is what Run needs of an index.
type Asker interface {
	Ask(question string, limit int) (knowledge.Answer, error)
}

// Run asks every question and scores the answers.
func Run(ix Asker, questions []Question) Result {
	var r Result
	var ans1, ans3, mrr, entry1, falseAbst, abst float64
	for _, q := range questions {
		r.Questions++
		a, err := ix.Ask(q.Q, 10)
		if err != nil {
			r.AskErrors++
		}
		if !q.Answerable() {
			r.Unanswerable++
			if !a.Answered {
				abst++
			}
			continue
		}
		r.Answerable++
		if !a.Answered {
			falseAbst++
			r.answerableMisses = append(r.answerableMisses, Miss{Question: q})
			continue
		}
		rank := 0
		for i, f := range a.Facts {
			if i >= 10 {
				break
			}
			if holds(q, f) {
				rank = i + 1
				break
			}
		}
		if len(a.Facts) > 0 && (q.Entry == nil || a.Facts[0].EntryID == *q.Entry) {
			entry1++
		}
		switch {
		case rank == 1:
			ans1++
			ans3++
		case rank > 0 && rank <= 3:
			ans3++
		}
		if rank > 0 {
			mrr += 1 / float64(rank)
		}
		if rank != 1 && len(a.Facts) > 0 {
			r.answerableMisses = append(r.answerableMisses, Miss{Question: q, First: a.Facts[0], Answered: true})
		}
	}
	if n := float64(r.Answerable); n > 0 {
		r.Ans1, r.Ans3, r.MRR, r.Entry1, r.FalseAbstention = ans1/n, ans3/n, mrr/n, entry1/n, falseAbst/n
	}
	if n := float64(r.Unanswerable); n > 0 {
		r.Abstention = abst / n
	}
	return r
}

// holds reports whether a fact answers q: it comes from the gold entry
// (when one is given) and contains one of the answers, compared without
// case and with white space collapsed.
func holds(q Question, f knowledge.Fact) bool {
	if q.Entry != nil && f.EntryID != *q.Entry {
		return false
	}
	text := collapse(f.Text)
	for _, a := range q.answers() {
		if a = collapse(a); a != "" && strings.Contains(text, a) {
			return true
		}
	}
	return false
}

func collapse(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
