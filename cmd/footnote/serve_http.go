package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/footnote-bot/footnote/bot"
)

// The HTTP transport plugs into serve through the hook serve.go leaves.
func init() {
	serveHTTP = runServeHTTP
	serveHTTPWanted = func(s serveSetup) bool { return s.getenv(bot.EnvInteractionsAddr) != "" }
}

// runServeHTTP serves interactions as Discord's signed HTTP POSTs until ctx
// ends, then drains in-flight answers and returns. It listens first and
// loads the corpus meanwhile: /healthz answers 200 at once, /readyz (and
// every interaction) 503 until the corpus is in. A load that fails stops
// the server with its error.
func runServeHTTP(ctx context.Context, s serveSetup) error {
	hc, err := bot.LoadHTTPConfig(s.getenv, s.httpAddr, s.adminAddr)
	if err != nil {
		return err
	}
	// Ready once the corpus is in and what keeps it alive has started.
	var loaded atomic.Bool
	ready := loaded.Load
	metrics := s.metrics
	admitted, err := bot.NewAdmission(s.app, s.cfg.Admission, metrics, s.logger)
	if err != nil {
		return fmt.Errorf("starting the HTTP transport: %w", err)
	}
	ih, err := bot.NewInteractionsHandler(bot.HTTPOptions{
		PublicKey: hc.PublicKey,
		Handler:   admitted,
		// Webhook calls carry the interaction token: no bot token needed.
		Webhooks:   &bot.RESTClient{Base: s.cfg.API()},
		Metrics:    metrics,
		Logger:     s.logger,
		DeferAfter: hc.DeferAfter,
		Ready:      ready,
	})
	if err != nil {
		return fmt.Errorf("starting the HTTP transport: %w", err)
	}
	srv := &bot.HTTPServer{Config: hc, Interactions: ih, Metrics: metrics, Ready: ready, Logger: s.logger}

	sctx, stop := context.WithCancel(ctx)
	defer stop()
	loadFailed := make(chan error, 1)
	go func() {
		start := time.Now()
		ix, err := s.load(sctx)
		if err != nil {
			if sctx.Err() == nil {
				loadFailed <- err
				stop()
			}
			return
		}
		s.store.Swap(ix)
		releaseLoadMemory()
		s.loaded(sctx, ix)
		loaded.Store(true)
		st := ix.Stats()
		s.logger.Info("knowledge loaded", "entries", st.Entries, "sentences", st.Sentences,
			"dir", dirName(s.cfg.KnowledgeDir), "took", time.Since(start).Round(time.Millisecond))
	}()
	err = srv.ListenAndServe(sctx)
	select {
	case lerr := <-loadFailed:
		return errors.Join(lerr, err)
	default:
	}
	if ctx.Err() != nil && s.store.Index() == nil {
		s.logger.Info("stopped while loading the knowledge")
	}
	return err
}
