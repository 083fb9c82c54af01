package commands

import (
	"encoding/base32"
	"net/url"
	"strings"

	"github.com/footnote-bot/footnote/knowledge"
)

// Custom ids are paths that carry all the state a click needs (which entry,
// which page), so any replica can serve it without memory:
//
//	/entry/{id}                 open an entry (ephemeral, with Share)
//	/entry/{id}/page/{n}        page n (0-based) of an entry
//	/share/entry/{id}/page/{n}  post page n of an entry to the channel
//	/related/{id}               the entries related to one
//	/pick/{list}                a select menu of entries; the value is the id
//	/random/again               another random fact
//
// An entry id is path-escaped into its segment. When that would make the
// custom id longer than Discord's 100 characters, the segment is a token
// instead: "~" and the 16 base32 characters (lower case) of the id's
// knowledge.IDKey, the first 10 bytes of its SHA-256. resolveEntry decodes
// a token back into the key and asks the index for its entry, which costs
// the same whatever the size of the corpus: a made-up token is as cheap
// to refuse as a real one is to find.

// tokenPrefix starts an id token.
const tokenPrefix = "~"

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// tokenLen is the length of an id token.
var tokenLen = len(tokenPrefix) + tokenEncoding.EncodedLen(knowledge.IDKeySize)

// idToken is the short stand-in for a long entry id.
func idToken(id string) string {
	k := knowledge.KeyOfID(id)
	return tokenPrefix + strings.ToLower(tokenEncoding.EncodeToString(k[:]))
}

// decodeToken returns the key an id token stands for; ok is false for
// anything that is not a well-formed token.
func decodeToken(s string) (k knowledge.IDKey, ok bool) {
	if len(s) != tokenLen || !strings.HasPrefix(s, tokenPrefix) {
		return k, false
	}
	n, err := tokenEncoding.Decode(k[:], []byte(strings.ToUpper(s[len(tokenPrefix):])))
	return k, err == nil && n == len(k)
}

// entryCustomID builds prefix + "/" + id + suffix, falling back to the id's
// token when the escaped id is too long. ok is false only if even the token
// does not fit (a too-long prefix or suffix: a bug).
func entryCustomID(prefix, id, suffix string) (string, bool) {
	s := prefix + "/" + url.PathEscape(id) + suffix
	if textLen(s) <= maxCustomID {
		return s, true
	}
	s = prefix + "/" + idToken(id) + suffix
	return s, textLen(s) <= maxCustomID
}

// idValue is an entry id as a select option or autocomplete choice value:
// the id itself when it fits, else its token.
func idValue(id string) string {
	if id != "" && textLen(id) <= maxChoiceValue {
		return id
	}
	return idToken(id)
}

// resolveEntry finds the entry a custom id segment or option value names:
// by id first (path-unescaped), then by token.
func resolveEntry(ix *knowledge.Index, s string) (*knowledge.Entry, bool) {
	if s == "" {
		return nil, false
	}
	if e, ok := ix.Entry(s); ok {
		return e, true
	}
	if u, err := url.PathUnescape(s); err == nil && u != s {
		if e, ok := ix.Entry(u); ok {
			return e, true
		}
	}
	if k, ok := decodeToken(s); ok {
		return ix.EntryByKey(k)
	}
	return nil, false
}
