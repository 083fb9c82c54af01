package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/footnote-bot/footnote/store"
)

// Run checks the contract of the store that store.Open opens at each
// location newLocation gives (a new, empty database every call).
func Run(t *testing.T, newLocation func(testing.TB) string) {
	open := func(t *testing.T, loc string) store.Store {
		t.Helper()
		s, err := store.Open(ctx(t), loc)
		if err != nil {
			t.Fatalf("opening: %v", err)
		}
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("closing: %v", err)
			}
		})
		return s
	}
	fresh := func(t *testing.T) store.Store { return open(t, newLocation(t)) }
	runStudy(t, fresh, open, newLocation)

	t.Run("a server never seen has nothing and the defaults", func(t *testing.T) {
		s := fresh(t)
		files, err := s.CorpusFiles(ctx(t), "g1")
		if err != nil || len(files) != 0 {
			t.Fatalf("CorpusFiles = %v, %v; want none", files, err)
		}
		if v, err := s.CorpusVersion(ctx(t), "g1"); err != nil || v != 0 {
			t.Fatalf("CorpusVersion = %d, %v; want 0", v, err)
		}
		g, err := s.GuildSettings(ctx(t), "g1")
		if err != nil {
			t.Fatal(err)
		}
		if g.Private || len(g.Channels) > 0 || g.MinConfidence != nil || g.EffectiveSources() != store.SourcesBoth || g.Version != 0 {
			t.Fatalf("defaults = %+v", g)
		}
		if seq, err := s.LastChange(ctx(t)); err != nil || seq != 0 {
			t.Fatalf("LastChange = %d, %v; want 0", seq, err)
		}
	})

	t.Run("files come back byte for byte, by name, and replace by name", func(t *testing.T) {
		s := fresh(t)
		binary := []byte{0, 0xff, '\r', '\n', 0xc3, 0x28}
		at := time.Date(2025, 3, 4, 5, 6, 7, 8_000_000, time.UTC)
		v, err := s.ChangeCorpus(ctx(t), "g1", store.CorpusChange{Put: []store.File{
			{Name: "notes/b.md", Content: []byte("# B\n\nbody\n"), Entries: 1, AddedBy: "u1", AddedAt: at},
			{Name: "a.jsonl", Content: binary, Entries: 2, AddedBy: "u2", AddedAt: at},
			{Name: "empty.txt", Content: nil, Entries: 0, AddedBy: "u2", AddedAt: at},
		}})
		if err != nil || v != 1 {
			t.Fatalf("ChangeCorpus = %d, %v; want version 1", v, err)
		}
		files, err := s.CorpusFiles(ctx(t), "g1")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"a.jsonl", "empty.txt", "notes/b.md"}
		if len(files) != len(want) {
			t.Fatalf("%d files, want %d", len(files), len(want))
		}
		for k, f := range files {
			if f.Name != want[k] {
				t.Errorf("file %d is %q, want %q", k, f.Name, want[k])
			}
			if !f.AddedAt.Equal(at) {
				t.Errorf("%s added at %v, want %v", f.Name, f.AddedAt, at)
			}
		}
		if !bytes.Equal(files[0].Content, binary) || files[0].Entries != 2 || files[0].AddedBy != "u2" {
			t.Errorf("a.jsonl = %q, %d entries, by %q", files[0].Content, files[0].Entries, files[0].AddedBy)
		}
		if len(files[1].Content) != 0 {
			t.Errorf("empty.txt = %q", files[1].Content)
		}

		v, err = s.ChangeCorpus(ctx(t), "g1", store.CorpusChange{Base: 1,
			Put:    []store.File{{Name: "a.jsonl", Content: []byte("{}\n"), Entries: 1, AddedBy: "u3"}},
			Delete: []string{"empty.txt", "never-there.md"}})
		if err != nil || v != 2 {
			t.Fatalf("second change = %d, %v; want version 2", v, err)
		}
		files, _ = s.CorpusFiles(ctx(t), "g1")
		if len(files) != 2 || files[0].Name != "a.jsonl" || string(files[0].Content) != "{}\n" || files[0].AddedBy != "u3" || files[1].Name != "notes/b.md" {
			t.Fatalf("after replace and delete: %+v", names(files))
		}
		if files[0].AddedAt.IsZero() || time.Since(files[0].AddedAt) > time.Minute {
			t.Errorf("a file without AddedAt gets the time of the change, got %v", files[0].AddedAt)
		}
		if got, _ := s.CorpusVersion(ctx(t), "g1"); got != 2 {
			t.Errorf("CorpusVersion = %d, want 2", got)
		}
	})

	t.Run("a change checked against an old version is refused and changes nothing", func(t *testing.T) {
		s := fresh(t)
		if _, err := s.ChangeCorpus(ctx(t), "g1", store.CorpusChange{Put: []store.File{{Name: "a.md", Content: []byte("a")}}}); err != nil {
			t.Fatal(err)
		}
		_, err := s.ChangeCorpus(ctx(t), "g1", store.CorpusChange{Base: 0, Put: []store.File{{Name: "b.md", Content: []byte("b")}}, Delete: []string{"a.md"}})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale change: %v, want ErrConflict", err)
		}
		files, _ := s.CorpusFiles(ctx(t), "g1")
		if len(files) != 1 || files[0].Name != "a.md" {
			t.Fatalf("the refused change changed the corpus: %v", names(files))
		}
		if v, _ := s.CorpusVersion(ctx(t), "g1"); v != 1 {
			t.Fatalf("version %d after a refused change, want 1", v)
		}
		if _, err := s.ChangeCorpus(ctx(t), "g2", store.CorpusChange{Base: 3}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("a new server at base 3: %v, want ErrConflict", err)
		}
	})

	t.Run("servers do not see each other's files or settings", func(t *testing.T) {
		s := fresh(t)
		if _, err := s.ChangeCorpus(ctx(t), "g1", store.CorpusChange{Put: []store.File{{Name: "same.md", Content: []byte("one")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ChangeCorpus(ctx(t), "g2", store.CorpusChange{Put: []store.File{{Name: "same.md", Content: []byte("two")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateGuildSettings(ctx(t), "g1", func(g *store.GuildSettings) error { g.Private = true; return nil }); err != nil {
			t.Fatal(err)
		}
		f1, _ := s.CorpusFiles(ctx(t), "g1")
		f2, _ := s.CorpusFiles(ctx(t), "g2")
		if len(f1) != 1 || string(f1[0].Content) != "one" || len(f2) != 1 || string(f2[0].Content) != "two" {
			t.Fatalf("g1 %v, g2 %v", f1, f2)
		}
		if g2, _ := s.GuildSettings(ctx(t), "g2"); g2.Private {
			t.Fatal("g2 has g1's setting")
		}
	})

	t.Run("concurrent changes each land once, retried on conflict", func(t *testing.T) {
		s := fresh(t)
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for k := 0; k < n; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for try := 0; try < 100; try++ {
					base, err := s.CorpusVersion(ctx(t), "g1")
					if err != nil {
						errs <- err
						return
					}
					_, err = s.ChangeCorpus(ctx(t), "g1", store.CorpusChange{Base: base, Put: []store.File{{Name: fmt.Sprintf("f%d.md", k), Content: []byte("x")}}})
					if errors.Is(err, store.ErrConflict) {
						continue
					}
					errs <- err
					return
				}
				errs <- errors.New("100 conflicts in a row")
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		files, _ := s.CorpusFiles(ctx(t), "g1")
		if v, _ := s.CorpusVersion(ctx(t), "g1"); len(files) != n || v != n {
			t.Fatalf("%d files at version %d, want %d and %d", len(files), v, n, n)
		}
	})

	t.Run("settings round-trip, and bad values change nothing", func(t *testing.T) {
		s := fresh(t)
		zero := 0.0
		g, err := s.UpdateGuildSettings(ctx(t), "g1", func(g *store.GuildSettings) error {
			g.Private = true
			g.Channels = []string{"300", "100", "300", "200"}
			g.Sources = store.SourcesOwn
			g.MinConfidence = &zero
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		check := func(g store.GuildSettings, version int64) {
			t.Helper()
			if !g.Private || fmt.Sprint(g.Channels) != "[100 200 300]" || g.Sources != store.SourcesOwn || g.MinConfidence == nil || *g.MinConfidence != 0 || g.Version != version {
				t.Fatalf("settings = %+v (confidence %v), want private, [100 200 300], own, 0, version %d", g, g.MinConfidence, version)
			}
		}
		check(g, 1)
		read, err := s.GuildSettings(ctx(t), "g1")
		if err != nil {
			t.Fatal(err)
		}
		check(read, 1)

		for name, bad := range map[string]func(*store.GuildSettings) error{
			"sources":    func(g *store.GuildSettings) error { g.Sources = "mine"; return nil },
			"confidence": func(g *store.GuildSettings) error { c := 1.5; g.MinConfidence = &c; g.Private = false; return nil },
			"channels": func(g *store.GuildSettings) error {
				for k := 0; k <= store.MaxChannels; k++ {
					g.Channels = append(g.Channels, fmt.Sprint(1000+k))
				}
				return nil
			},
			"update's own error": func(g *store.GuildSettings) error { g.Private = false; return errors.New("no") },
		} {
			if _, err := s.UpdateGuildSettings(ctx(t), "g1", bad); err == nil {
				t.Errorf("%s: a bad update was accepted", name)
			}
		}
		read, _ = s.GuildSettings(ctx(t), "g1")
		check(read, 1)

		g, err = s.UpdateGuildSettings(ctx(t), "g1", func(g *store.GuildSettings) error {
			g.MinConfidence, g.Channels, g.Sources = nil, nil, ""
			return nil
		})
		if err != nil || g.MinConfidence != nil || len(g.Channels) != 0 || g.Sources != store.SourcesBoth || g.Version != 2 {
			t.Fatalf("back to defaults: %+v, %v", g, err)
		}
		if read, _ := s.GuildSettings(ctx(t), "g1"); read.MinConfidence != nil || len(read.Channels) != 0 || !read.Private {
			t.Fatalf("read back %+v", read)
		}
	})

	t.Run("every change is in the log, in order", func(t *testing.T) {
		s := fresh(t)
		if _, err := s.ChangeCorpus(ctx(t), "g1", store.CorpusChange{Put: []store.File{{Name: "a.md", Content: []byte("a")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateGuildSettings(ctx(t), "g2", func(g *store.GuildSettings) error { g.Private = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ChangeCorpus(ctx(t), "g1", store.CorpusChange{Base: 1, Delete: []string{"a.md"}}); err != nil {
			t.Fatal(err)
		}
		all, err := s.ChangesSince(ctx(t), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			guild   string
			kind    store.ChangeKind
			version int64
		}{{"g1", store.ChangedCorpus, 1}, {"g2", store.ChangedSettings, 1}, {"g1", store.ChangedCorpus, 2}}
		if len(all) != len(want) {
			t.Fatalf("%d changes, want %d: %+v", len(all), len(want), all)
		}
		for k, c := range all {
			if c.Guild != want[k].guild || c.Kind != want[k].kind || c.Version != want[k].version || (k > 0 && c.Seq <= all[k-1].Seq) || time.Since(c.At) > time.Minute {
				t.Errorf("change %d = %+v, want %+v after seq %d", k, c, want[k], all[max(k-1, 0)].Seq)
			}
		}
		if last, _ := s.LastChange(ctx(t)); last != all[2].Seq {
			t.Errorf("LastChange = %d, want %d", last, all[2].Seq)
		}
		page, _ := s.ChangesSince(ctx(t), all[0].Seq, 1)
		if len(page) != 1 || page[0].Seq != all[1].Seq {
			t.Errorf("ChangesSince(first, 1) = %+v", page)
		}
		if err := s.PruneChanges(ctx(t), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		left, _ := s.ChangesSince(ctx(t), 0, 0)
		if len(left) != 1 || left[0].Seq != all[2].Seq {
			t.Errorf("after pruning everything: %+v, want the latest change alone", left)
		}
		if last, _ := s.LastChange(ctx(t)); last != all[2].Seq {
			t.Errorf("LastChange went back to %d after pruning", last)
		}
	})

	t.Run("state survives closing and opening again", func(t *testing.T) {
		loc := newLocation(t)
		s, err := store.Open(ctx(t), loc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ChangeCorpus(ctx(t), "g1", store.CorpusChange{Put: []store.File{{Name: "a.md", Content: []byte("kept")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateGuildSettings(ctx(t), "g1", func(g *store.GuildSettings) error { g.Channels = []string{"42"}; return nil }); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		again := open(t, loc)
		files, _ := again.CorpusFiles(ctx(t), "g1")
		g, _ := again.GuildSettings(ctx(t), "g1")
		if len(files) != 1 || string(files[0].Content) != "kept" || fmt.Sprint(g.Channels) != "[42]" {
			t.Fatalf("after reopening: files %v, settings %+v", names(files), g)
		}
		v, err := store.SchemaVersion(ctx(t), again)
		if err != nil || v < 1 {
			t.Fatalf("SchemaVersion = %d, %v", v, err)
		}
	})

	t.Run("replicas starting at once migrate once, and follow each other", func(t *testing.T) {
		loc := newLocation(t)
		stores := make([]store.Store, 3)
		errs := make([]error, 3)
		var wg sync.WaitGroup
		for k := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				stores[k], errs[k] = store.Open(ctx(t), loc)
			}()
		}
		wg.Wait()
		for k, err := range errs {
			if err != nil {
				t.Fatalf("replica %d: %v", k, err)
			}
			t.Cleanup(func() { stores[k].Close() })
		}
		a, b := stores[0], stores[1]
		fctx, cancel := context.WithCancel(ctx(t))
		defer cancel()
		seen := make(chan store.Change, 10)
		from, _ := b.LastChange(ctx(t))
		// A long poll: with notifications, b hears of the change long
		// before it.
		interval := 200 * time.Millisecond
		_, notifies := b.(store.Notifier)
		if notifies {
			interval = time.Hour
		}
		go store.Follow(fctx, b, from, interval, func(c store.Change) { seen <- c }, func(err error) { t.Errorf("follow: %v", err) })
		// Give the listener a moment to LISTEN; a notification sent
		// before would be missed (the follower reads the log when it
		// connects, which covers that in production).
		time.Sleep(300 * time.Millisecond)
		start := time.Now()
		if _, err := a.ChangeCorpus(ctx(t), "g9", store.CorpusChange{Put: []store.File{{Name: "x.md", Content: []byte("x")}}}); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-seen:
			if c.Guild != "g9" || c.Kind != store.ChangedCorpus || c.Version != 1 {
				t.Fatalf("followed %+v", c)
			}
			t.Logf("%s replica saw the change after %v (notifications: %v)", a.Driver(), time.Since(start).Round(time.Millisecond), notifies)
		case <-time.After(5 * time.Second):
			t.Fatal("the other replica did not see the change within 5 s")
		}
	})
}

func names(files []store.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Name)
	}
	return out
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}
