//go:build unix

package knowledge

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadReadsRegularFilesOnly puts a named pipe, a link to /dev/zero and
// a link to a directory in a corpus: loading must not wait on the pipe nor
// read the device, and must report both, while a link to a regular file
// loads as the file does.
func TestLoadReadsRegularFilesOnly(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("real.md", "# REAL\n\nA real entry.\n")
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "target.md"), []byte("# LINKED\n\nA linked entry.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"zero.jsonl":  "/dev/zero",
		"zero.md":     "/dev/zero",
		"linked.md":   filepath.Join(outside, "target.md"),
		"somedir.md":  outside,
		"dangling.md": filepath.Join(outside, "missing.md"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}

	done := make(chan struct{})
	var ix *Index
	var rep LoadReport
	var err error
	go func() {
		defer close(done)
		ix, rep, err = Open(dir, LoadOptions{})
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("loading a corpus with a named pipe and a link to /dev/zero did not finish")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"real", "linked"} {
		if _, ok := ix.Entry(id); !ok {
			t.Errorf("entry %q not loaded", id)
		}
	}
	if n := ix.Stats().Entries; n != 2 {
		t.Errorf("%d entries loaded, want 2", n)
	}
	reported := map[string]string{}
	for _, e := range rep.Errors {
		reported[filepath.Base(e.File)] = e.Err.Error()
	}
	for name, want := range map[string]string{
		"pipe.md":     "named pipe",
		"zero.jsonl":  "character device",
		"zero.md":     "character device",
		"somedir.md":  "directory",
		"dangling.md": "following the link",
	} {
		if got, ok := reported[name]; !ok || !strings.Contains(got, want) {
			t.Errorf("%s reported as %q, want a mention of %q", name, got, want)
		}
	}
	if rep.FailedFiles != 5 {
		t.Errorf("FailedFiles = %d, want 5", rep.FailedFiles)
	}
}

func TestLoadFileSizeCap(t *testing.T) {
	dir := t.TempDir()
	line := `{"id":"a","title":"A","text":"Some text here."}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "big.jsonl"), []byte(strings.Repeat(line, 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "small.jsonl"), []byte(`{"id":"b","title":"B","text":"Other text."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, rep, err := Open(dir, LoadOptions{MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Stats().Entries != 1 {
		t.Errorf("%d entries, want only the small file's", ix.Stats().Entries)
	}
	if len(rep.Errors) != 1 || !errors.Is(rep.Errors[0], errTooLarge) || !strings.HasSuffix(rep.Errors[0].File, "big.jsonl") {
		t.Errorf("errors = %v, want big.jsonl too large", rep.Errors)
	}
}

// TestLoadStopsWhenCancelled reads a file that never ends (a regular file
// as the walk sees it, endless to the reader): cancelling must stop the
// load promptly with the context's error.
func TestLoadStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	fsys := endlessFS{}
	errc := make(chan error, 1)
	go func() {
		_, _, err := LoadFSContext(ctx, fsys, LoadOptions{})
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the load went on after its context was cancelled")
	}
	if _, _, err := OpenContext(ctx, "", LoadOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("OpenContext with a cancelled context: %v", err)
	}
}
