package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progressLine shows on a terminal how far loading a corpus has got: the
// share of its bytes read, then indexing, with the seconds it has taken so
// far (reading is often the shorter half of a load). finish erases the
// line. Its methods are safe for concurrent use: knowledge calls read from
// its loading goroutines.
type progressLine struct {
	w     io.Writer
	label string
	// every is the least time between two redraws while reading; the
	// last one (everything read) is always drawn.
	every time.Duration
	now   func() time.Time

	mu       sync.Mutex
	start    time.Time
	drawn    time.Time
	indexing bool
	finished bool
	stop     chan struct{}
	wg       sync.WaitGroup
}

func newProgressLine(w io.Writer, label string) *progressLine {
	p := &progressLine{w: w, label: label, every: 100 * time.Millisecond, now: time.Now, stop: make(chan struct{})}
	p.start = p.now()
	return p
}

// read is knowledge.LoadOptions.Progress: done of total bytes read.
func (p *progressLine) read(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.indexing || p.finished {
		return
	}
	now := p.now()
	if done >= total {
		p.drawLocked(fmt.Sprintf("reading 100%% (%s)", size(total)))
		p.indexing = true
		p.drawLocked("indexing…")
		p.wg.Add(1)
		go p.tick()
		return
	}
	if !p.drawn.IsZero() && now.Sub(p.drawn) < p.every {
		return
	}
	p.drawn = now
	p.drawLocked(fmt.Sprintf("reading %3d%% (%s of %s)", done*100/max(total, 1), size(done), size(total)))
}

// tick redraws the indexing line every second until finish.
func (p *progressLine) tick() {
	defer p.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if !p.finished {
				p.drawLocked(fmt.Sprintf("indexing… %d s", int(p.now().Sub(p.start).Seconds())))
			}
			p.mu.Unlock()
		}
	}
}

// drawLocked replaces the line with label: s. Callers hold p.mu.
func (p *progressLine) drawLocked(s string) {
	fmt.Fprintf(p.w, "\r\x1b[K%s: %s", p.label, s)
}

// finish stops the line and erases it.
func (p *progressLine) finish() {
	p.mu.Lock()
	if p.finished {
		p.mu.Unlock()
		return
	}
	p.finished = true
	fmt.Fprint(p.w, "\r\x1b[K")
	p.mu.Unlock()
	close(p.stop)
	p.wg.Wait()
}

// size writes a byte count for people: "512 B", "12.3 kB", "282.9 MB".
func size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}
