package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	// pgx is the PostgreSQL driver Go projects use most: pure Go, with
	// LISTEN/NOTIFY on its own connections (which database/sql lacks), and
	// database/sql support through its stdlib package for the rest.
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// notifyChannel is the LISTEN/NOTIFY channel changes are announced on.
const notifyChannel = "footnote_changes"

// Advisory lock keys (any two numbers no other application of the
// database uses): one serialises the migrations of replicas starting at
// once, the other the writers of the change log.
const (
	migrationLock = `SELECT pg_advisory_xact_lock(7466, 1)`
	changeLogLock = `SELECT pg_advisory_xact_lock(7466, 2)`
)

// postgresStore is the SQL store with a listener for notifications.
type postgresStore struct {
	*sqlStore
	cfg *pgx.ConnConfig
	loc Location

	mu        sync.Mutex
	listeners []chan struct{}
	started   bool
	stop      context.CancelFunc
	done      chan struct{}
}

func openPostgres(ctx context.Context, loc Location) (Store, error) {
	cfg, err := pgx.ParseConfig(loc.DSN)
	if err != nil {
		// pgx's own message may quote the URL: say where, without it.
		return nil, fmt.Errorf("DATABASE_URL %s is not a PostgreSQL URL pgx can read", loc.Redacted())
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &sqlStore{db: db, d: dialect{
		name:        "postgres",
		numbered:    true,
		lockChanges: changeLogLock,
		notify:      `SELECT pg_notify('` + notifyChannel + `', ?)`,
	}}
	s.beginWrite = func(ctx context.Context) (*sql.Tx, error) { return db.BeginTx(ctx, nil) }
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to PostgreSQL at %s: %w", loc.Redacted(), err)
	}
	if err := s.migrate(ctx, migrationLock); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating the PostgreSQL database at %s: %w", loc.Redacted(), err)
	}
	p := &postgresStore{sqlStore: s, cfg: cfg, loc: loc}
	s.closeExtra = p.stopListening
	return p, nil
}

// Notifications implements Notifier: the channel receives a value soon
// after any process commits a change. A single connection listens for all
// the subscribers, reconnecting after failures; the channel closes when
// ctx ends.
func (p *postgresStore) Notifications(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	p.mu.Lock()
	p.listeners = append(p.listeners, ch)
	if !p.started {
		p.started = true
		lctx, stop := context.WithCancel(context.Background())
		p.stop, p.done = stop, make(chan struct{})
		go p.listen(lctx)
	}
	p.mu.Unlock()
	go func() {
		<-ctx.Done()
		p.mu.Lock()
		defer p.mu.Unlock()
		for k, l := range p.listeners {
			if l == ch {
				p.listeners = append(p.listeners[:k], p.listeners[k+1:]...)
				close(ch)
				break
			}
		}
	}()
	return ch
}

// wake tells every subscriber to read the log; a subscriber that has not
// read the last wake-up yet needs no second one.
func (p *postgresStore) wake() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.listeners {
		select {
		case l <- struct{}{}:
		default:
		}
	}
}

// listen holds a LISTEN connection until ctx ends, reconnecting with a
// growing pause after failures. Every (re)connection wakes the
// subscribers too: notifications sent while it was down are lost, and the
// log has them.
func (p *postgresStore) listen(ctx context.Context) {
	defer close(p.done)
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := p.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		_ = err // the followers' polling covers the gap; nothing to log per retry
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		pause = min(2*pause, 10*time.Second)
	}
}

func (p *postgresStore) listenOnce(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, p.cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	p.wake()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		p.wake()
	}
}

func (p *postgresStore) stopListening() error {
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.mu.Unlock()
	if stop == nil {
		return nil
	}
	stop()
	select {
	case <-done:
		return nil
	case <-time.After(5 * time.Second):
		return errors.New("the PostgreSQL listener did not stop")
	}
}

var _ Notifier = (*postgresStore)(nil)
