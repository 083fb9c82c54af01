// Package logclip shortens strings that come from outside (a command name,
// a custom id, an interaction id) before they are logged, so that whatever
// a request carries costs a log line a bounded number of bytes.
package logclip

import (
	"strconv"
	"unicode/utf8"
)

// Max is the most bytes of a value a log line keeps. Every value Discord
// itself produces (ids, command names, custom ids) fits in it whole.
const Max = 100

// String returns s when it has at most Max bytes; otherwise its first
// bytes, cut on a rune boundary, and a note of how many bytes were left
// out ("…[+99900 bytes]"). Invalid UTF-8 is left to the log handler,
// which quotes it.
func String(s string) string {
	return Clip(s, Max)
}

// Clip is String with a limit of max bytes (max >= 0).
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	end := max
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "…[+" + strconv.Itoa(len(s)-end) + " bytes]"
}
