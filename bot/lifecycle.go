package bot

import (
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// IgnoreHangups keeps SIGHUP from killing the process (its default action)
// until the returned stop function is called: each one is logged and
// otherwise ignored. A terminal closing under `footnote serve`, or an
// operator sending SIGHUP out of habit to reload, then leaves the bot
// running and its answers undisturbed. (Reloading the corpus on SIGHUP is
// left to a later change.)
func IgnoreHangups(log *slog.Logger) (stop func()) {
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
				log.Warn("SIGHUP received and ignored: reloading is not supported yet; send SIGTERM to stop")
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
