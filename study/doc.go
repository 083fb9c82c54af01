// Package study makes quiz items from a corpus: a quotable sentence with
// its key part blanked (a figure, a date, a name, or the term a glossary
// entry defines), the right answer and three distractors of the same kind
// taken from the corpus (the same entry and the related ones first, dates
// near the right one, never the same value twice), and checks answers. It
// also schedules the review of missed facts with FSRS.
//
// Items are reproducible: an item is named by its Ref (entry id, sentence
// number, blank number) and a seed, and Make rebuilds the same item, with
// the same options in the same order, from the same index. So any replica
// can check an answer from what a button's custom id carries; what must
// last (scores, review schedules) is kept by package store.
//
// Nothing here knows Discord: package commands renders items and rounds.
package study
