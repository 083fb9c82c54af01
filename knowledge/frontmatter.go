package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// frontMatter is the YAML header of a .md entry.
type frontMatter struct {
	ID, Title, Source, URL string
	Aliases, SeeAlso, Tags []string
}

// frontMatterFields are the fields a front matter may hold, in the order
// the README lists them.
var frontMatterFields = []string{"id", "title", "aliases", "source", "url", "see_also", "tags"}

// decodeFrontMatter reads the YAML between an entry's --- lines. first is
// the file line of its first line: every line it reports is a line of the
// file. A field it does not know is a warning, not an error: the entry
// still loads. A list field also takes a single value ("see_also: CELL" is
// a list of one).
func decodeFrontMatter(src []byte, first int) (frontMatter, *refLines, []*LoadError, error) {
	var meta frontMatter
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line := yamlErrorLine(src)
		msg := plainYAML(err)
		if text := lineOf(src, line); strings.HasPrefix(text, "\t") || strings.Contains(msg, "a tab character") {
			msg = "a line is indented with a tab: indent with spaces"
		}
		return meta, nil, nil, &LoadError{Line: first - 1 + line, Err: fmt.Errorf("front matter: %s", msg)}
	}
	if len(doc.Content) == 0 {
		return meta, nil, nil, nil // empty, or comments only
	}
	root := resolveAlias(doc.Content[0])
	at := func(n *yaml.Node) int { return first - 1 + n.Line }
	if root.Kind != yaml.MappingNode {
		return meta, nil, nil, &LoadError{Line: at(root), Err: fmt.Errorf("front matter: want \"field: value\" lines, found %s", yamlKind(root))}
	}
	var warnings []*LoadError
	refs := &refLines{titles: map[string]int{}}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolveAlias(root.Content[i+1])
		name := k.Value
		if prev, dup := seen[name]; dup {
			return meta, nil, nil, &LoadError{Line: at(k), Err: fmt.Errorf("front matter: field %q is given twice (lines %d and %d)", name, prev, at(k))}
		}
		seen[name] = at(k)
		var err error
		switch name {
		case "id":
			meta.ID, err = yamlText(name, v)
		case "title":
			meta.Title, err = yamlText(name, v)
		case "source":
			meta.Source, err = yamlText(name, v)
		case "url":
			meta.URL, err = yamlText(name, v)
		case "aliases":
			meta.Aliases, _, err = yamlList(name, v)
		case "tags":
			meta.Tags, _, err = yamlList(name, v)
		case "see_also":
			var lines []int
			meta.SeeAlso, lines, err = yamlList(name, v)
			for j, t := range meta.SeeAlso {
				if _, ok := refs.titles[t]; !ok {
					refs.titles[t] = first - 1 + lines[j]
				}
			}
		default:
			warnings = append(warnings, &LoadError{Line: at(k), Err: unknownField(name)})
		}
		if err != nil {
			return meta, nil, nil, &LoadError{Line: at(k), Err: fmt.Errorf("front matter: %w", err)}
		}
	}
	return meta, refs, warnings, nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// yamlText reads a field that holds one text.
func yamlText(name string, v *yaml.Node) (string, error) {
	if isNull(v) {
		return "", nil
	}
	if v.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("%q must be one text, not %s", name, yamlKind(v))
	}
	return strings.TrimSpace(v.Value), nil
}

// yamlList reads a field that holds a list of texts, or one text; it
// returns the line of each item.
func yamlList(name string, v *yaml.Node) ([]string, []int, error) {
	if isNull(v) {
		return nil, nil, nil
	}
	switch v.Kind {
	case yaml.ScalarNode:
		if s := strings.TrimSpace(v.Value); s != "" {
			return []string{s}, []int{v.Line}, nil
		}
		return nil, nil, nil
	case yaml.SequenceNode:
		var out []string
		var lines []int
		for _, item := range v.Content {
			item = resolveAlias(item)
			if isNull(item) {
				continue
			}
			if item.Kind != yaml.ScalarNode {
				return nil, nil, fmt.Errorf("%q must be a list of texts, but an item is %s", name, yamlKind(item))
			}
			if s := strings.TrimSpace(item.Value); s != "" {
				out = append(out, s)
				lines = append(lines, item.Line)
			}
		}
		return out, lines, nil
	}
	return nil, nil, fmt.Errorf("%q must be a list (or one text), not %s", name, yamlKind(v))
}

func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a group of \"field: value\" lines"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a text"
	}
	return "something else"
}

// unknownField is the warning for a front-matter field Footnote does not
// read, with the one the author probably meant.
func unknownField(name string) error {
	msg := fmt.Sprintf("unknown front-matter field %q, ignored", name)
	if near := nearestField(name); near != "" {
		msg += fmt.Sprintf(": did you mean %q?", near)
	}
	return errors.New(msg + " (the fields are " + strings.Join(frontMatterFields, ", ") + ")")
}

// nearestField is the known field name spelt most like name: the same
// but for case, dashes or spaces, or at most two edits away.
func nearestField(name string) string {
	norm := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(name))
	best, bestDist := "", 3
	for _, f := range frontMatterFields {
		if norm == f || strings.ReplaceAll(norm, "_", "") == strings.ReplaceAll(f, "_", "") {
			return f
		}
		if d := editDistance(norm, f); d < bestDist {
			best, bestDist = f, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between two short ASCII names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// yamlErrorLine finds the line of a YAML syntax error, counted from 1 in
// src. yaml.v3 reports some errors at the line where the construct they
// break started, and counts those from 0; instead, this finds the last
// line whose addition turns a document that parses into one that does not.
func yamlErrorLine(src []byte) int {
	lines := bytes.SplitAfter(src, []byte("\n"))
	parses := func(n int) bool {
		var doc yaml.Node
		return yaml.Unmarshal(bytes.Join(lines[:n], nil), &doc) == nil
	}
	for n := len(lines); n > 0; n-- {
		if !parses(n) && parses(n-1) {
			return n
		}
	}
	return 1
}

// lineOf returns line n (from 1) of src.
func lineOf(src []byte, n int) string {
	lines := bytes.Split(src, []byte("\n"))
	if n < 1 || n > len(lines) {
		return ""
	}
	return string(lines[n-1])
}

var yamlLinePrefix = regexp.MustCompile(`^yaml: (line \d+: )?`)

// plainYAML says in words what a YAML syntax error means for a front
// matter, with YAML's own words after it.
func plainYAML(err error) string {
	msg := yamlLinePrefix.ReplaceAllString(err.Error(), "")
	for _, p := range yamlPlain {
		if strings.Contains(msg, p.yaml) {
			return p.plain + " (YAML: " + msg + ")"
		}
	}
	return "not valid YAML: " + msg
}

// yamlPlain maps yaml.v3's syntax errors to what an author has to fix.
var yamlPlain = []struct{ yaml, plain string }{
	{"did not find expected ',' or ']'", `a list opened with "[" is not closed with "]", or its items are not separated by commas`},
	{"did not find expected ',' or '}'", `a group opened with "{" is not closed with "}", or its items are not separated by commas`},
	{"mapping values are not allowed in this context", `a value holds ": " (put the value in quotes: title: "A: B"), or a line is indented more than the one before`},
	{"found character that cannot start any token", "a value starts with a character YAML reserves, such as @, ` or a tab (put the value in quotes)"},
	{"found unexpected end of stream", "a quoted value is never closed"},
	{"did not find expected key", "a line is indented differently from the fields around it"},
	{"did not find expected '-' indicator", `a list item ("- ...") is indented differently from the others`},
	{"could not find expected ':'", `a line is neither "field: value" nor a list item (a value that goes on over several lines must be indented)`},
	{"did not find expected alphabetic or numeric character", "a value starts with * or & (put the value in quotes)"},
	{"block sequence entries are not allowed in this context", `a "- " list item stands on the same line as its field: put the items on the lines below it`},
	{"did not find expected comment or line break", "a quoted value is followed by more text on its line (quote the whole value)"},
	{"did not find expected node content", `a value is missing where YAML expects one (a lone "-", or a "," with nothing after it?)`},
	{"found undefined tag handle", `a value starts with "!" (put the value in quotes)`},
	{"control characters are not allowed", "the front matter holds a control character"},
	{"unknown anchor", "a value starts with * (put the value in quotes)"},
}

// refLines says where an entry's cross-references are written, so that a
// warning about one of them points at its line: the front-matter titles
// one by one, and the closing "See also" sentence of the body.
type refLines struct {
	titles map[string]int // front-matter see_also titles, trimmed
	body   int            // the line of the body's last "See also", 0 if none
}

// bodySeeAlsoLine is the file line of the last "See also" in body, whose
// first line is line first; 0 when there is none.
func bodySeeAlsoLine(body []byte, first int) int {
	i := bytes.LastIndex(body, []byte("See also"))
	if i < 0 {
		return 0
	}
	return first + bytes.Count(body[:i], []byte("\n"))
}

// locateRefWarnings moves the warnings about cross-references the corpus
// lacks from the entry's first line to the line that names the missing
// title, and lets the entries forget where their references were written.
func locateRefWarnings(entries []Entry, warnings []*LoadError) {
	type at struct {
		file string
		line int
	}
	where := map[at]*refLines{}
	for i := range entries {
		if r := entries[i].refs; r != nil {
			where[at{entries[i].File, entries[i].Line}] = r
			entries[i].refs = nil
		}
	}
	if len(where) == 0 {
		return
	}
	for _, w := range warnings {
		r := where[at{w.File, w.Line}]
		if r == nil {
			continue
		}
		title, ok := missingRef(w.Err)
		if !ok {
			continue
		}
		if line, ok := r.titles[title]; ok {
			w.Line = line
		} else if r.body > 0 {
			w.Line = r.body
		}
	}
}

// missingRef returns the title a "see also ... is not in this corpus"
// warning names.
func missingRef(err error) (string, bool) {
	msg := err.Error()
	if !strings.HasSuffix(msg, "is not in this corpus") {
		return "", false
	}
	_, rest, ok := strings.Cut(msg, "see also ")
	if !ok {
		return "", false
	}
	quoted, qerr := strconv.QuotedPrefix(rest)
	if qerr != nil {
		return "", false
	}
	title, qerr := strconv.Unquote(quoted)
	return title, qerr == nil
}
