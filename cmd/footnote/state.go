package main

import (
	"context"
	"fmt"
	"time"

	"github.com/footnote-bot/footnote/corpus"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/reload"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/upload"
)

// living is what serve adds to a loaded corpus to keep it alive: the
// store, the reloader of the shared corpus, and the per-server corpora.
type living struct {
	st       store.Store
	reloader *reload.Reloader
	guilds   *corpus.Manager
	fetcher  *upload.Fetcher
	watch    bool
}

// openLiving opens the store (applying its migrations) and prepares the
// reloader and the per-server corpora; nothing runs until start.
func openLiving(ctx context.Context, s serveSetup) (*living, error) {
	octx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	st, err := store.Open(octx, s.cfg.State.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("opening the store: %w", err)
	}
	s.logger.Info("store open", "driver", st.Driver(), "database", s.cfg.DatabaseName())
	lim := corpus.DefaultLimits
	if n := s.cfg.State.UploadMax; n > 0 {
		lim.Upload.MaxAttachment = n
		lim.Upload.MaxUnpacked = max(lim.Upload.MaxUnpacked, n)
	}
	if n := s.cfg.State.GuildCorpusMax; n > 0 {
		lim.MaxBytes = n
		lim.Upload.MaxUnpacked = min(lim.Upload.MaxUnpacked, n)
	}
	fetcher, err := upload.NewFetcher(s.cfg.APIURL)
	if err != nil {
		st.Close()
		return nil, err
	}
	l := &living{st: st, fetcher: fetcher, watch: !s.cfg.State.NoWatch && s.cfg.KnowledgeDir != ""}
	l.guilds = corpus.New(s.store, st, corpus.Options{
		Limits: lim, Budget: s.cfg.State.GuildIndexMemory, Logger: s.logger, Metrics: s.metrics.Registry(),
	})
	l.reloader = reload.New(s.cfg.KnowledgeDir, s.store, reload.Options{Logger: s.logger, Metrics: s.metrics.Registry()})
	return l, nil
}

// start runs what follows the first load of the shared corpus: the
// reloads (on request and, for a directory, on its changes) and the
// change log of the other replicas, until ctx ends.
func (l *living) start(ctx context.Context, s serveSetup, ix *knowledge.Index, rep knowledge.LoadReport, took time.Duration) {
	l.reloader.Loaded(ix, rep, took)
	go l.reloader.Run(ctx)
	if l.watch {
		if err := l.reloader.Watch(ctx, 0, 0); err != nil {
			s.logger.Warn("the corpus directory cannot be watched; SIGHUP still reloads it", "err", err)
		}
	}
	if err := l.guilds.Follow(ctx); err != nil {
		s.logger.Error("the change log cannot be followed: changes made through other replicas will not be seen", "err", err)
	}
}

func (l *living) close() {
	if l != nil && l.st != nil {
		l.st.Close()
	}
}
