package reload

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Debounce defaults of Watch.
const (
	// DefaultQuiet is how long the directory must stay unchanged before a
	// reload: an editor's save, a git pull or an rsync is many events,
	// and one reload follows them all.
	DefaultQuiet = time.Second
	// DefaultMaxDelay bounds the wait under changes that never stop.
	DefaultMaxDelay = 10 * time.Second
)

// Watch requests a reload whenever files of the corpus directory change,
// once they have been quiet for quiet (0: DefaultQuiet), and at most
// maxDelay (0: DefaultMaxDelay) after the first change, until ctx ends. It
// watches every directory of the tree (fsnotify watches one directory at a
// time), adding those created later. It returns an error only when the
// watch cannot start; Run must be running for the requests to be carried
// out.
func (r *Reloader) Watch(ctx context.Context, quiet, maxDelay time.Duration) error {
	if r.dir == "" {
		return errors.New("nothing to watch: the corpus is the embedded seeds")
	}
	if quiet <= 0 {
		quiet = DefaultQuiet
	}
	if maxDelay <= 0 {
		maxDelay = DefaultMaxDelay
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching %s: %w", r.dir, err)
	}
	if err := r.addTree(w, r.dir); err != nil {
		w.Close()
		return fmt.Errorf("watching %s: %w", r.dir, err)
	}
	r.log.Info("watching the corpus directory for changes", "dir", r.dir, "quiet", quiet)
	go func() {
		defer w.Close()
		var timer <-chan time.Time
		var first time.Time
		var t *time.Timer
		for {
			select {
			case <-ctx.Done():
				if t != nil {
					t.Stop()
				}
				return
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				// An overflow loses events: reload to be sure.
				r.log.Warn("watching the corpus directory", "dir", r.dir, "err", err)
				if errors.Is(err, fsnotify.ErrEventOverflow) {
					r.Request("watch overflow")
				}
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if !relevant(ev) {
					continue
				}
				if ev.Has(fsnotify.Create) {
					if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
						if err := r.addTree(w, ev.Name); err != nil {
							r.log.Warn("watching a new directory", "dir", ev.Name, "err", err)
						}
					}
				}
				now := time.Now()
				if timer == nil {
					first = now
				}
				wait := min(quiet, maxDelay-now.Sub(first))
				if t != nil {
					t.Stop()
				}
				t = time.NewTimer(max(wait, 0))
				timer = t.C
			case <-timer:
				timer, t = nil, nil
				r.Request("files changed")
			}
		}
	}()
	return nil
}

// addTree watches dir and the directories under it, skipping hidden ones
// as loading does (but not Kubernetes' "..data" links, which a ConfigMap
// update swaps).
func (r *Reloader) addTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if err := w.Add(p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		return nil
	})
}

// relevant reports whether an event may change the corpus: not a mere
// change of mode, and not a file of another kind (an editor's swap or
// backup file). A name without an extension may be a directory, created
// or removed; names starting with ".." are Kubernetes' atomic updates.
func relevant(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	base := filepath.Base(ev.Name)
	if strings.HasPrefix(base, "..") {
		return true
	}
	if strings.HasPrefix(base, ".") {
		return false
	}
	switch strings.ToLower(filepath.Ext(base)) {
	case ".md", ".txt", ".jsonl", "":
		return true
	}
	return false
}
