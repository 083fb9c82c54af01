package main

import (
	"context"
	"fmt"

	"github.com/footnote-bot/footnote/bot"
)

// The HTTP transport plugs into serve through the hook serve.go leaves.
func init() {
	serveHTTP = runServeHTTP
	serveHTTPWanted = func(s serveSetup) bool { return s.getenv(bot.EnvInteractionsAddr) != "" }
}

// runServeHTTP serves interactions as Discord's signed HTTP POSTs until ctx
// ends, then drains in-flight answers and returns.
func runServeHTTP(ctx context.Context, s serveSetup) error {
	hc, err := bot.LoadHTTPConfig(s.getenv, s.httpAddr, s.adminAddr)
	if err != nil {
		return err
	}
	ready := func() bool { return s.store.Index() != nil }
	metrics := s.metrics
	ih, err := bot.NewInteractionsHandler(bot.HTTPOptions{
		PublicKey: hc.PublicKey,
		Handler:   s.app,
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
	if ix := s.store.Index(); ix != nil {
		st := ix.Stats()
		s.logger.Info("knowledge loaded", "entries", st.Entries, "sentences", st.Sentences, "dir", dirName(s.cfg.KnowledgeDir))
	}
	srv := &bot.HTTPServer{Config: hc, Interactions: ih, Metrics: metrics, Ready: ready, Logger: s.logger}
	return srv.ListenAndServe(ctx)
}
