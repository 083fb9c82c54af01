package knowledge

import (
	"io"
	"io/fs"
	"time"
)

// endlessFS holds one file, entries.jsonl, that looks regular and has no
// end: reading it yields JSON lines for ever.
type endlessFS struct{}

func (endlessFS) Open(name string) (fs.File, error) {
	switch name {
	case ".":
		return &endlessDir{}, nil
	case "entries.jsonl":
		return &endlessFile{}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

type endlessInfo struct {
	name string
	mode fs.FileMode
}

func (i endlessInfo) Name() string       { return i.name }
func (i endlessInfo) Size() int64        { return 1 << 20 }
func (i endlessInfo) Mode() fs.FileMode  { return i.mode }
func (i endlessInfo) ModTime() time.Time { return time.Time{} }
func (i endlessInfo) IsDir() bool        { return i.mode.IsDir() }
func (i endlessInfo) Sys() any           { return nil }

type endlessDir struct{ read bool }

func (d *endlessDir) Stat() (fs.FileInfo, error) { return endlessInfo{".", fs.ModeDir | 0o755}, nil }
func (d *endlessDir) Read([]byte) (int, error)   { return 0, io.EOF }
func (d *endlessDir) Close() error               { return nil }
func (d *endlessDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if d.read {
		return nil, io.EOF
	}
	d.read = true
	return []fs.DirEntry{fs.FileInfoToDirEntry(endlessInfo{"entries.jsonl", 0o644})}, nil
}

type endlessFile struct{}

func (f *endlessFile) Stat() (fs.FileInfo, error) { return endlessInfo{"entries.jsonl", 0o644}, nil }
func (f *endlessFile) Close() error               { return nil }
func (f *endlessFile) Read(p []byte) (int, error) {
	line := `{"id":"x","title":"X","text":"Endless."}` + "\n"
	n := 0
	for n+len(line) <= len(p) {
		n += copy(p[n:], line)
	}
	return n, nil
}
