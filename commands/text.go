package commands

import (
	"strings"
	"unicode/utf8"
)

// ellipsis marks text that was cut. It counts as one character.
const ellipsis = "…"

// textLen is the length Discord checks a string against. It counts UTF-16
// code units, which is never less than the count of code points, so a string
// within textLen limits is within Discord's limits however they are counted.
func textLen(s string) int {
	n := utf8.RuneCountInString(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xF0 { // starts a four-byte rune: two UTF-16 units
			n++
		}
	}
	return n
}

// prefixLen returns the byte length of the longest prefix of s whose textLen
// is at most max, ending on a rune boundary.
func prefixLen(s string, max int) int {
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max {
			return i
		}
		n += w
	}
	return len(s)
}

// cut shortens s to at most max characters (textLen). It cuts after the last
// whole sentence when that keeps at least half of the room, else after the
// last whole word, else mid-word, and marks the cut with "…".
func cut(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if textLen(s) <= max {
		return s
	}
	if max < 3 {
		return ellipsis[:prefixLen(ellipsis, max)]
	}
	// Keep room for " …".
	head := s[:prefixLen(s, max-2)]
	if end := lastSentenceEnd(s, len(head)); end > 0 && end >= len(head)/2 {
		return trimCut(head[:end]) + " " + ellipsis
	}
	if sp := strings.LastIndexAny(head, " \n\t"); sp > 0 && sp >= len(head)/3 {
		return trimCut(head[:sp]) + ellipsis
	}
	return trimCut(head) + ellipsis
}

// trimCut removes trailing spaces, and trailing backslashes that would
// otherwise escape the ellipsis.
func trimCut(s string) string {
	return strings.TrimRight(s, " \n\t\\")
}

// lastSentenceEnd returns the largest byte offset <= limit that ends a
// sentence of s: just after ".", "!" or "?" (and any closing quote or
// bracket) followed by white space or the end, or at a line break. 0 when
// there is none.
func lastSentenceEnd(s string, limit int) int {
	best := 0
	for k := 0; k < limit; k++ {
		switch s[k] {
		case '\n':
			best = k
		case '.', '!', '?':
			end := k + 1
			// Step over closing quotes and brackets.
			for end < len(s) {
				r, w := utf8.DecodeRuneInString(s[end:])
				if !strings.ContainsRune(`"')]”’»`, r) {
					break
				}
				end += w
			}
			if end <= limit && (end == len(s) || s[end] == ' ' || s[end] == '\n') {
				best = end
			}
		}
	}
	return best
}

// cutChars shortens s to at most max characters (code points, as
// knowledge.MaxQuestionLen counts a question) on a word boundary, keeping
// it valid UTF-8: an 863-character Vietnamese claim is as long as an
// 863-character English one, though its bytes are half as many again.
func cutChars(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	end, n := 0, 0
	for i := range s {
		if n == max {
			end = i
			break
		}
		n++
	}
	head := s[:end]
	if sp := strings.LastIndexAny(head, " \n\t"); sp > len(head)/2 {
		head = head[:sp]
	}
	return strings.TrimSpace(head)
}

// inlineEscaper escapes the characters that are Markdown or mention syntax
// anywhere in a Discord message.
var inlineEscaper = strings.NewReplacer(
	`\`, `\\`, `*`, `\*`, `_`, `\_`, "`", "\\`", `~`, `\~`, `|`, `\|`,
	`[`, `\[`, `]`, `\]`, `<`, `\<`, `@`, `\@`,
)

// escape makes text render literally in Discord Markdown: inline syntax is
// escaped everywhere, block syntax (quotes, headings, lists) at line starts.
// Mention syntax (@everyone, <@id>) is escaped too, although allowed_mentions
// already keeps it from pinging anyone.
func escape(s string) string {
	s = inlineEscaper.Replace(s)
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = escapeLineStart(line)
	}
	return strings.Join(lines, "\n")
}

// escapeLineStart escapes a block marker at the start of a line.
func escapeLineStart(line string) string {
	trimmed := strings.TrimLeft(line, " \t")
	indent := line[:len(line)-len(trimmed)]
	if trimmed == "" {
		return line
	}
	switch trimmed[0] {
	case '>', '#', '-', '+':
		return indent + `\` + trimmed
	}
	// Ordered list: digits then ". ".
	d := 0
	for d < len(trimmed) && trimmed[d] >= '0' && trimmed[d] <= '9' {
		d++
	}
	if d > 0 && d < len(trimmed) && trimmed[d] == '.' {
		return indent + trimmed[:d] + `\` + trimmed[d:]
	}
	return line
}

// oneLine collapses white space runs (line breaks included) into single
// spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// maxQueryWord is the longest word passed on to knowledge searches, in
// bytes. Longer "words" are URLs or noise that match nothing, and the cost
// of fuzzy matching grows with the square of a word's length (a single
// 1000-letter word keeps Ask busy for over a second).
const maxQueryWord = 40

// queryText is s with its words longer than maxQueryWord dropped and its
// white space collapsed, ready for Ask and Search.
func queryText(s string) string {
	words := strings.Fields(s)
	kept := words[:0]
	for _, w := range words {
		if len(w) <= maxQueryWord {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}
