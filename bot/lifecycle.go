package bot

import (
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// OnHangup calls reload at every SIGHUP until the returned stop function is
// called, instead of SIGHUP's default action (ending the process). Before
// there is anything to reload (reload nil), a SIGHUP is logged and
// ignored: a terminal closing under `footnote serve` never stops it.
// reload must return at once (Reloader.Request does).
func OnHangup(log *slog.Logger, reload func()) (stop func()) {
	if log == nil {
		log = slog.Default()
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
				if reload == nil {
					log.Warn("SIGHUP received and ignored: nothing to reload; send SIGTERM to stop")
					continue
				}
				log.Info("SIGHUP received: reloading the corpus")
				reload()
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

// IgnoreHangups keeps SIGHUP from killing the process until stop is
// called; each one is logged and ignored.
func IgnoreHangups(log *slog.Logger) (stop func()) { return OnHangup(log, nil) }
