package corpus

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/upload"
)

// Rejected is an upload refused whole: nothing changed. Problems are
// every reason, each at its file and line where it has one.
type Rejected struct {
	Problems []*knowledge.LoadError
}

func (r *Rejected) Error() string {
	var msgs []string
	for _, p := range r.Problems {
		msgs = append(msgs, p.Error())
	}
	return "upload refused: " + strings.Join(msgs, "; ")
}

// AddReport says what an upload added.
type AddReport struct {
	// Files are the files added, each with its entry count; Replaced
	// names those that took the place of a file of the same name.
	Files    []FileInfo
	Replaced []string
	// Added counts the entries of the files added.
	Added int
	// Total counts the server's entries afterwards.
	Total int
	// Shadowed are ids of the shared corpus that the server's own
	// entries now stand in for (in this server only).
	Shadowed []string
	// Warnings lose nothing but deserve a look (an entry without a
	// source, an unknown front-matter field); Skipped are files that are
	// not entries (a README; or, in a .zip, a file of another kind).
	Warnings []*knowledge.LoadError
	Skipped  []string
	Version  int64
}

// maxRetries bounds the attempts of a change that other replicas keep
// overtaking.
const maxRetries = 5

// lock serialises the changes of one server's corpus made through this
// replica; those of other replicas are caught by the store's version
// check.
func (m *Manager) lock(guild string) func() {
	v, _ := m.writes.LoadOrStore(guild, &sync.Mutex{})
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// Add checks files as an addition to guild's own corpus, replacing the
// files of the same names, and stores them when they pass: every file
// must load without an error, as it would from a directory, no id may be
// another file's, and the corpus must stay within its limits. Otherwise
// the error is a *Rejected naming each problem, and nothing changes.
func (m *Manager) Add(ctx context.Context, guild, by string, files []upload.File, skipped []string) (AddReport, error) {
	if guild == "" {
		return AddReport{}, errors.New("a server's own corpus needs a server")
	}
	unlock := m.lock(guild)
	defer unlock()
	for try := 0; ; try++ {
		rep, err := m.tryAdd(ctx, guild, by, files)
		if errors.Is(err, store.ErrConflict) && try < maxRetries {
			continue
		}
		if err != nil {
			return AddReport{}, err
		}
		rep.Skipped = append(skipped, rep.Skipped...)
		m.refresh(ctx, guild, rep.Version)
		return rep, nil
	}
}

func (m *Manager) tryAdd(ctx context.Context, guild, by string, files []upload.File) (AddReport, error) {
	version, err := m.st.CorpusVersion(ctx, guild)
	if err != nil {
		return AddReport{}, err
	}
	current, err := m.st.CorpusFiles(ctx, guild)
	if err != nil {
		return AddReport{}, err
	}
	added := map[string]bool{}
	all := map[string][]byte{}
	for _, f := range files {
		added[f.Name] = true
		all[f.Name] = f.Data
	}
	var rep AddReport
	for _, f := range current {
		if added[f.Name] {
			rep.Replaced = append(rep.Replaced, f.Name)
			continue
		}
		all[f.Name] = f.Content
	}
	entries, problems, warnings, skippedDocs, err := m.check(ctx, all, added)
	if err != nil {
		return AddReport{}, err
	}
	if len(problems) > 0 {
		return AddReport{}, &Rejected{Problems: problems}
	}
	counts := map[string]int{}
	for _, e := range entries {
		if added[e.File] {
			counts[e.File]++
			rep.Added++
		}
	}
	now := time.Now()
	var puts []store.File
	for _, f := range files {
		puts = append(puts, store.File{Name: f.Name, Content: f.Data, Entries: counts[f.Name], AddedBy: by, AddedAt: now})
		rep.Files = append(rep.Files, FileInfo{Name: f.Name, Size: int64(len(f.Data)), Entries: counts[f.Name], AddedBy: by, AddedAt: now})
	}
	v, err := m.st.ChangeCorpus(ctx, guild, store.CorpusChange{Base: version, Put: puts})
	if err != nil {
		return AddReport{}, err
	}
	rep.Version, rep.Total, rep.Warnings, rep.Skipped = v, len(entries), warnings, skippedDocs
	if shared := m.shared.Index(); shared != nil {
		for _, e := range entries {
			if _, ok := shared.Entry(e.ID); ok && added[e.File] {
				rep.Shadowed = append(rep.Shadowed, e.ID)
			}
		}
	}
	return rep, nil
}

// check loads a server's whole corpus as it would be (all), as a corpus on
// disk loads, and returns its entries and the problems and warnings of
// the files in added. Problems are load errors, ids used twice, and the
// limits.
func (m *Manager) check(ctx context.Context, all map[string][]byte, added map[string]bool) (entries []knowledge.Entry, problems, warnings []*knowledge.LoadError, skipped []string, err error) {
	var total int64
	for _, data := range all {
		total += int64(len(data))
	}
	if total > m.lim.MaxBytes {
		problems = append(problems, &knowledge.LoadError{Err: fmt.Errorf("the server's corpus would hold %s, over its limit of %s", upload.Size(total), upload.Size(m.lim.MaxBytes))})
		return nil, problems, nil, nil, nil
	}
	entries, rep, err := knowledge.LoadFSContext(ctx, fsOf(all), m.loadOptions())
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("checking the upload: %w", err)
	}
	for _, e := range rep.Errors {
		if added[e.File] {
			problems = append(problems, e)
		}
	}
	for _, w := range rep.Warnings {
		if added[w.File] {
			warnings = append(warnings, w)
		}
	}
	for _, s := range rep.Skipped {
		if added[s.File] {
			skipped = append(skipped, s.File)
		}
	}
	perFile := map[string]int{}
	firstOf := map[string]*knowledge.Entry{}
	for k := range entries {
		e := &entries[k]
		perFile[e.File]++
		if added[e.File] && len(e.Text) > m.lim.MaxEntryBytes {
			problems = append(problems, &knowledge.LoadError{File: e.File, Line: e.Line,
				Err: fmt.Errorf("the entry %q is %s, over the limit of %s for one entry: split it", entryName(e), upload.Size(int64(len(e.Text))), upload.Size(int64(m.lim.MaxEntryBytes)))})
		}
		id := strings.TrimSpace(e.ID)
		if id == "" {
			id = knowledge.Slug(e.Title)
		}
		if other, dup := firstOf[id]; dup {
			if added[e.File] || added[other.File] {
				problems = append(problems, duplicate(id, e, other, added))
			}
			continue
		}
		firstOf[id] = e
	}
	for name := range added {
		if perFile[name] == 0 && !hasProblem(problems, name) && !contains(skipped, name) {
			problems = append(problems, &knowledge.LoadError{File: name, Err: errors.New("no entry found in this file")})
		}
	}
	if len(entries) > m.lim.MaxEntries {
		problems = append(problems, &knowledge.LoadError{Err: fmt.Errorf("the server's corpus would hold %d entries, over its limit of %d", len(entries), m.lim.MaxEntries)})
	}
	sortProblems(problems)
	return entries, problems, warnings, skipped, nil
}

// duplicate describes an id used twice, at the line of the added file.
func duplicate(id string, e, other *knowledge.Entry, added map[string]bool) *knowledge.LoadError {
	at, elsewhere := e, other
	if !added[e.File] {
		at, elsewhere = other, e
	}
	where := fmt.Sprintf("%s:%d", elsewhere.File, elsewhere.Line)
	if elsewhere.Line == 0 {
		where = elsewhere.File
	}
	already := ""
	if !added[elsewhere.File] {
		already = ", already in the server's corpus"
	}
	return &knowledge.LoadError{File: at.File, Line: at.Line,
		Err: fmt.Errorf("the id %q is also the id of an entry at %s%s: give one of them another id", id, where, already)}
}

func entryName(e *knowledge.Entry) string {
	if e.Title != "" {
		return e.Title
	}
	return e.ID
}

func hasProblem(ps []*knowledge.LoadError, file string) bool {
	for _, p := range ps {
		if p.File == file {
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func sortProblems(ps []*knowledge.LoadError) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// RemoveReport says what a removal removed.
type RemoveReport struct {
	ID, Title string
	// File is the file it came from; FileGone is true when the file
	// went with it (its only entry), false when the entry's line was cut
	// out of a JSON-lines file.
	File     string
	FileGone bool
	Total    int
	Version  int64
}

// ErrNoSuchEntry is Remove's error for an id the server's corpus lacks.
var ErrNoSuchEntry = errors.New("no such entry in this server's corpus")

// Remove deletes one entry, by id, from guild's own corpus: its file when
// it was the file's only entry, else its line of the JSON-lines file.
func (m *Manager) Remove(ctx context.Context, guild, id string) (RemoveReport, error) {
	unlock := m.lock(guild)
	defer unlock()
	for try := 0; ; try++ {
		rep, err := m.tryRemove(ctx, guild, id)
		if errors.Is(err, store.ErrConflict) && try < maxRetries {
			continue
		}
		if err != nil {
			return RemoveReport{}, err
		}
		m.refresh(ctx, guild, rep.Version)
		return rep, nil
	}
}

func (m *Manager) tryRemove(ctx context.Context, guild, id string) (RemoveReport, error) {
	version, err := m.st.CorpusVersion(ctx, guild)
	if err != nil {
		return RemoveReport{}, err
	}
	files, err := m.st.CorpusFiles(ctx, guild)
	if err != nil {
		return RemoveReport{}, err
	}
	all := map[string][]byte{}
	byName := map[string]store.File{}
	for _, f := range files {
		all[f.Name] = f.Content
		byName[f.Name] = f
	}
	entries, _, err := knowledge.LoadFSContext(ctx, fsOf(all), m.loadOptions())
	if err != nil {
		return RemoveReport{}, fmt.Errorf("reading the server's corpus: %w", err)
	}
	var target *knowledge.Entry
	perFile := map[string]int{}
	for k := range entries {
		e := &entries[k]
		perFile[e.File]++
		eid := strings.TrimSpace(e.ID)
		if eid == "" {
			eid = knowledge.Slug(e.Title)
		}
		if eid == id && target == nil {
			target = e
		}
	}
	if target == nil {
		return RemoveReport{}, ErrNoSuchEntry
	}
	rep := RemoveReport{ID: id, Title: target.Title, File: target.File}
	ch := store.CorpusChange{Base: version}
	if perFile[target.File] == 1 || !strings.EqualFold(path.Ext(target.File), ".jsonl") || target.Line <= 0 {
		ch.Delete = []string{target.File}
		rep.FileGone = true
	} else {
		f := byName[target.File]
		content, ok := cutLine(f.Content, target.Line)
		if !ok {
			return RemoveReport{}, fmt.Errorf("line %d of %s is not there", target.Line, target.File)
		}
		f.Content, f.Entries = content, perFile[target.File]-1
		ch.Put = []store.File{f}
	}
	v, err := m.st.ChangeCorpus(ctx, guild, ch)
	if err != nil {
		return RemoveReport{}, err
	}
	rep.Version, rep.Total = v, len(entries)-1
	return rep, nil
}

// cutLine returns b without its line n (1-based), the other lines byte
// for byte.
func cutLine(b []byte, n int) ([]byte, bool) {
	start := 0
	for line := 1; line < n; line++ {
		i := bytes.IndexByte(b[start:], '\n')
		if i < 0 {
			return nil, false
		}
		start += i + 1
	}
	if start > len(b) || (start == len(b) && n > 1) {
		return nil, false
	}
	end := len(b)
	if i := bytes.IndexByte(b[start:], '\n'); i >= 0 {
		end = start + i + 1
	}
	out := append(append([]byte{}, b[:start]...), b[end:]...)
	return out, true
}

// Export returns guild's own corpus as a .zip of its files, as they were
// added, and how many files it holds.
func (m *Manager) Export(ctx context.Context, guild string) ([]byte, int, error) {
	files, err := m.st.CorpusFiles(ctx, guild)
	if err != nil {
		return nil, 0, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.AddedAt})
		if err != nil {
			return nil, 0, fmt.Errorf("exporting: %w", err)
		}
		if _, err := w.Write(f.Content); err != nil {
			return nil, 0, fmt.Errorf("exporting: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, 0, fmt.Errorf("exporting: %w", err)
	}
	return buf.Bytes(), len(files), nil
}
