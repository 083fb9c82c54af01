// Package corpus gives every interaction the index of what its server may
// see, and keeps each server's own corpus.
//
// A server answers from its own entries, the operator's shared corpus, or
// both (its settings say which; both by default), and never sees another
// server's entries. Its own corpus lives in the store as the files its
// managers uploaded; an upload is checked exactly like a corpus on disk
// and refused whole when any of its files is broken. Per-server indexes
// are built on first use and cached under a memory budget, least recently
// used first out; a change made through another replica (followed in the
// store's change log) or a reload of the shared corpus makes them stale,
// and they are rebuilt in the background while the stale one still
// answers, so no question waits for a rebuild it does not need.
package corpus

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"testing/fstest"
	"time"

	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/store"
	"github.com/footnote-bot/footnote/upload"
	"github.com/prometheus/client_golang/prometheus"
)

// Limits bound each server's own corpus.
type Limits struct {
	// Upload bounds one attachment (see upload.Limits).
	Upload upload.Limits
	// MaxBytes is the most the files of one server's corpus may hold.
	MaxBytes int64
	// MaxEntries is the most entries one server's corpus may hold.
	MaxEntries int
	// MaxEntryBytes is the longest text one entry may have.
	MaxEntryBytes int
}

// DefaultLimits are the limits unless configured otherwise.
var DefaultLimits = Limits{Upload: upload.DefaultLimits, MaxBytes: 32 << 20, MaxEntries: 10000, MaxEntryBytes: 256 << 10}

// DefaultBudget is the memory the per-server indexes may hold together.
const DefaultBudget = 256 << 20

// Options configure a Manager.
type Options struct {
	Limits Limits
	// Budget is the memory (MemoryBytes) the cached per-server indexes
	// may hold together; 0 means DefaultBudget. The most recently used
	// index stays even when it alone is larger.
	Budget int64
	// Builds is how many per-server indexes may be built at once; 0
	// means 2. Building takes memory and a core each.
	Builds int
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Metrics, when set, receives the cache's gauges and counters.
	Metrics prometheus.Registerer
	// Poll is how often the change log is read when the store cannot
	// announce changes; 0 means store.DefaultPollInterval.
	Poll time.Duration
}

// Manager is the per-server side of the corpora. It is safe for
// concurrent use.
type Manager struct {
	shared *knowledge.Store
	st     store.Store
	lim    Limits
	log    *slog.Logger
	budget int64
	poll   time.Duration
	builds chan struct{}
	writes sync.Map // guild -> *sync.Mutex: one change of a server's corpus at a time here
	m      *cacheMetrics

	mu       sync.Mutex
	lru      list.List // of *cached, most recent first
	cached   map[cacheKey]*cached
	bytes    int64
	settings map[string]store.GuildSettings
	seen     map[string]int64 // the latest corpus version the change log announced, per server
}

// cacheKey names a cached index: a server's own entries, or its own and
// the shared ones together.
type cacheKey struct {
	guild string
	both  bool
}

// cached is one per-server index.
type cached struct {
	key     cacheKey
	elem    *list.Element
	own     *Own             // for key.both == false
	ix      *knowledge.Index // for key.both
	version int64            // the server's corpus version it was built from
	shared  *knowledge.Index // for key.both: the shared index it was built on
	bytes   int64
	// building is closed when a build in progress ends (nil when none).
	building chan struct{}
	err      error // of the last build, for those who waited
}

// Own is a server's own corpus as loaded: its files and their index.
type Own struct {
	Version int64
	// Files are the corpus files, without their contents.
	Files []FileInfo
	// Index holds the entries; nil when the server has none.
	Index *knowledge.Index
}

// FileInfo describes one file of a server's corpus.
type FileInfo struct {
	Name    string
	Size    int64
	Entries int
	AddedBy string
	AddedAt time.Time
}

// Entries counts the entries of the server's own corpus.
func (o *Own) Entries() int {
	if o == nil || o.Index == nil {
		return 0
	}
	return o.Index.Stats().Entries
}

// Bytes is what the server's files hold together.
func (o *Own) Bytes() int64 {
	var n int64
	if o != nil {
		for _, f := range o.Files {
			n += f.Size
		}
	}
	return n
}

// New returns a manager of the servers' corpora in st, answering from
// shared for the operator's corpus.
func New(shared *knowledge.Store, st store.Store, opts Options) *Manager {
	m := &Manager{
		shared: shared, st: st, lim: opts.Limits, log: opts.Logger, budget: opts.Budget, poll: opts.Poll,
		cached: map[cacheKey]*cached{}, settings: map[string]store.GuildSettings{}, seen: map[string]int64{},
	}
	if m.lim == (Limits{}) {
		m.lim = DefaultLimits
	}
	if m.log == nil {
		m.log = slog.Default()
	}
	if m.budget <= 0 {
		m.budget = DefaultBudget
	}
	n := opts.Builds
	if n <= 0 {
		n = 2
	}
	m.builds = make(chan struct{}, n)
	m.m = newCacheMetrics(opts.Metrics, m)
	return m
}

// Limits returns the limits in force.
func (m *Manager) Limits() Limits { return m.lim }

// Follow applies the changes other replicas record, until ctx ends: a
// server's settings are read again, its indexes made stale. It starts
// from the latest change in the log.
func (m *Manager) Follow(ctx context.Context) error {
	seq, err := m.st.LastChange(ctx)
	if err != nil {
		return fmt.Errorf("following the change log: %w", err)
	}
	go store.Follow(ctx, m.st, seq, m.poll, m.apply, func(err error) {
		m.log.Warn("reading the change log", "err", err)
	})
	return nil
}

// apply takes one change into account.
func (m *Manager) apply(c store.Change) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch c.Kind {
	case store.ChangedSettings:
		if s, ok := m.settings[c.Guild]; ok && s.Version < c.Version {
			delete(m.settings, c.Guild)
		}
	case store.ChangedCorpus:
		if c.Version > m.seen[c.Guild] {
			m.seen[c.Guild] = c.Version
		}
	}
}

// Settings returns guild's settings, from memory once read.
func (m *Manager) Settings(ctx context.Context, guild string) (store.GuildSettings, error) {
	m.mu.Lock()
	s, ok := m.settings[guild]
	m.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := m.st.GuildSettings(ctx, guild)
	if err != nil {
		return store.GuildSettings{}, err
	}
	m.mu.Lock()
	if len(m.settings) >= maxCachedSettings {
		clear(m.settings)
	}
	m.settings[guild] = s
	m.mu.Unlock()
	return s, nil
}

// maxCachedSettings bounds the settings kept in memory; past it they are
// all read again (one small query per server).
const maxCachedSettings = 100_000

// UpdateSettings changes guild's settings in the store (see
// store.Settings) and here at once.
func (m *Manager) UpdateSettings(ctx context.Context, guild string, update func(*store.GuildSettings) error) (store.GuildSettings, error) {
	s, err := m.st.UpdateGuildSettings(ctx, guild, update)
	if err != nil {
		return store.GuildSettings{}, err
	}
	m.mu.Lock()
	m.settings[guild] = s
	m.mu.Unlock()
	return s, nil
}

// Scope is what one interaction answers from.
type Scope struct {
	// Index is the index to answer from; nil when the server answers
	// from its own entries only and has none.
	Index    *knowledge.Index
	Settings store.GuildSettings
	// Own is true when the index holds the server's own entries.
	Own bool
}

// Scope returns what guild answers from ("" for a direct message: the
// shared corpus). It waits for an index only the first time a server
// needs it; a stale one answers while its successor is built.
func (m *Manager) Scope(ctx context.Context, guild string) (Scope, error) {
	shared := m.shared.Index()
	if guild == "" {
		return Scope{Index: shared}, nil
	}
	settings, err := m.Settings(ctx, guild)
	if err != nil {
		return Scope{}, err
	}
	sc := Scope{Settings: settings}
	if settings.EffectiveSources() == store.SourcesShared {
		sc.Index = shared
		return sc, nil
	}
	own, err := m.Own(ctx, guild)
	if err != nil {
		return Scope{}, err
	}
	if own.Index == nil {
		if settings.EffectiveSources() == store.SourcesBoth {
			sc.Index = shared
		}
		return sc, nil
	}
	sc.Own = true
	if settings.EffectiveSources() == store.SourcesOwn || shared == nil {
		sc.Index = own.Index
		return sc, nil
	}
	b, err := m.get(ctx, cacheKey{guild, true})
	if err != nil {
		return Scope{}, err
	}
	sc.Index = b.ix
	return sc, nil
}

// Own returns guild's own corpus as loaded.
func (m *Manager) Own(ctx context.Context, guild string) (*Own, error) {
	b, err := m.get(ctx, cacheKey{guild, false})
	if err != nil {
		return nil, err
	}
	return b.own, nil
}

// stale reports whether c should be rebuilt. Callers hold m.mu.
func (m *Manager) staleLocked(c *cached) bool {
	if c.version < m.seen[c.key.guild] {
		return true
	}
	if c.key.both {
		if own, ok := m.cached[cacheKey{c.key.guild, false}]; ok && own.version > c.version {
			return true
		}
		return c.shared != m.shared.Index()
	}
	return false
}

// get returns what the cache holds for key, building it when there is
// none (and waiting for that), or starting a rebuild in the background
// when it is stale (and returning the stale one meanwhile). What it
// returns is a copy, read under the lock.
func (m *Manager) get(ctx context.Context, key cacheKey) (built, error) {
	m.mu.Lock()
	c, ok := m.cached[key]
	if ok && c.ready() {
		m.lru.MoveToFront(c.elem)
		if m.staleLocked(c) && c.building == nil {
			c.building = make(chan struct{})
			go m.build(context.Background(), c, c.building)
		}
		b := c.snapshot()
		m.mu.Unlock()
		m.m.hit()
		return b, nil
	}
	if ok {
		m.m.hit() // a first build in progress: wait for it
	} else {
		m.m.miss()
		c = &cached{key: key, building: make(chan struct{})}
		c.elem = m.lru.PushFront(c)
		m.cached[key] = c
		go m.build(context.Background(), c, c.building)
	}
	done := c.building
	m.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		return built{}, ctx.Err()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !c.ready() {
		if c.err != nil {
			return built{}, c.err
		}
		return built{}, errors.New("corpus: the index could not be built")
	}
	// Evicted or not meanwhile, the build made it for this request.
	return c.snapshot(), nil
}

// ready reports whether c has been built. Callers hold m.mu.
func (c *cached) ready() bool { return c.own != nil || c.ix != nil }

// snapshot copies what c holds. Callers hold m.mu.
func (c *cached) snapshot() built {
	return built{own: c.own, ix: c.ix, version: c.version, shared: c.shared, bytes: c.bytes}
}

// build (re)builds c and closes done. A failed first build leaves no
// entry behind, so that the next request tries again; a failed rebuild
// keeps the stale index.
func (m *Manager) build(ctx context.Context, c *cached, done chan struct{}) {
	start := time.Now()
	res, err := m.buildIndex(ctx, c.key)
	m.m.built(c.key.both, time.Since(start), err)

	m.mu.Lock()
	defer m.mu.Unlock()
	defer close(done)
	c.building = nil
	if err != nil {
		c.err = err
		m.log.Error("building a server's index", "guild", c.key.guild, "both", c.key.both, "err", err)
		if !c.ready() {
			m.removeLocked(c)
		}
		return
	}
	c.err = nil
	if m.cached[c.key] == c {
		m.bytes += res.bytes - c.bytes
	}
	// Written even when evicted meanwhile: those waiting for this build
	// read it from c.
	c.own, c.ix, c.version, c.shared, c.bytes = res.own, res.ix, res.version, res.shared, res.bytes
	if res.version > m.seen[c.key.guild] {
		m.seen[c.key.guild] = res.version
	}
	m.log.Debug("built a server's index", "guild", c.key.guild, "both", c.key.both, "version", res.version,
		"bytes", res.bytes, "took", time.Since(start).Round(time.Millisecond))
	m.evictLocked()
}

type built struct {
	own     *Own
	ix      *knowledge.Index
	version int64
	shared  *knowledge.Index
	bytes   int64
}

// buildIndex builds the index of key, no more than m.builds at once. The
// server's own index, which the combined one needs, is got first: its
// build takes a place of its own.
func (m *Manager) buildIndex(ctx context.Context, key cacheKey) (built, error) {
	if !key.both {
		m.builds <- struct{}{}
		own, err := m.loadOwn(ctx, key.guild)
		<-m.builds
		if err != nil {
			return built{}, err
		}
		b := built{own: own, version: own.Version, bytes: 512}
		if own.Index != nil {
			b.bytes += own.Index.MemoryBytes()
		}
		return b, nil
	}
	own, err := m.Own(ctx, key.guild)
	if err != nil {
		return built{}, err
	}
	shared := m.shared.Index()
	m.builds <- struct{}{}
	ix := combine(shared, own.Index)
	<-m.builds
	return built{ix: ix, version: own.Version, shared: shared, bytes: ix.MemoryBytes()}, nil
}

// combine indexes a server's own entries with the shared ones. The
// server's come first, so that one of its entries with the id of a shared
// entry takes that entry's place for the server.
func combine(shared, own *knowledge.Index) *knowledge.Index {
	var entries []knowledge.Entry
	for _, ix := range []*knowledge.Index{own, shared} {
		if ix == nil {
			continue
		}
		for _, e := range ix.Entries() {
			if full, ok := ix.Entry(e.ID); ok {
				entries = append(entries, *full)
			}
		}
	}
	ix, _ := knowledge.Build(entries)
	return ix
}

// loadOwn reads guild's files from the store and indexes them.
func (m *Manager) loadOwn(ctx context.Context, guild string) (*Own, error) {
	// The version first: files read after it are at least that new, and
	// a change in between makes the index look stale, never fresh.
	version, err := m.st.CorpusVersion(ctx, guild)
	if err != nil {
		return nil, err
	}
	files, err := m.st.CorpusFiles(ctx, guild)
	if err != nil {
		return nil, err
	}
	own := &Own{Version: version}
	fsys := fstest.MapFS{}
	for _, f := range files {
		own.Files = append(own.Files, FileInfo{Name: f.Name, Size: int64(len(f.Content)), Entries: f.Entries, AddedBy: f.AddedBy, AddedAt: f.AddedAt})
		fsys[f.Name] = &fstest.MapFile{Data: f.Content, Mode: 0o444}
	}
	if len(files) == 0 {
		return own, nil
	}
	entries, _, err := knowledge.LoadFSContext(ctx, fsys, m.loadOptions())
	if err != nil {
		return nil, fmt.Errorf("loading the corpus of server %s: %w", guild, err)
	}
	if len(entries) > 0 {
		own.Index, _ = knowledge.Build(entries)
	}
	return own, nil
}

func (m *Manager) loadOptions() knowledge.LoadOptions {
	return knowledge.LoadOptions{Workers: 1, MaxFileSize: m.lim.Upload.MaxUnpacked}
}

// evictLocked drops the least recently used indexes until the cache fits
// its budget, keeping the most recent one and those being built.
func (m *Manager) evictLocked() {
	for e := m.lru.Back(); e != nil && m.bytes > m.budget; {
		prev := e.Prev()
		c := e.Value.(*cached)
		if e != m.lru.Front() && c.building == nil {
			m.removeLocked(c)
			m.m.evicted()
		}
		e = prev
	}
}

func (m *Manager) removeLocked(c *cached) {
	if m.cached[c.key] != c {
		return
	}
	delete(m.cached, c.key)
	m.lru.Remove(c.elem)
	m.bytes -= c.bytes
}

// refresh rebuilds guild's indexes at once (after a change made here), so
// that the next question sees the change.
func (m *Manager) refresh(ctx context.Context, guild string, version int64) {
	m.mu.Lock()
	if version > m.seen[guild] {
		m.seen[guild] = version
	}
	m.mu.Unlock()
	for _, both := range []bool{false, true} {
		key := cacheKey{guild, both}
		m.mu.Lock()
		c, ok := m.cached[key]
		if !ok {
			m.mu.Unlock()
			continue
		}
		wait := c.building
		if wait == nil && m.staleLocked(c) {
			c.building = make(chan struct{})
			wait = c.building
			go m.build(context.Background(), c, wait)
		}
		m.mu.Unlock()
		if wait != nil {
			select {
			case <-wait:
			case <-ctx.Done():
				return
			}
			// A build that started before the change may have missed
			// it: one more round sees the new version.
			m.mu.Lock()
			again := m.cached[key] == c && m.staleLocked(c) && c.building == nil
			if again {
				c.building = make(chan struct{})
				wait = c.building
				go m.build(context.Background(), c, wait)
			}
			m.mu.Unlock()
			if again {
				select {
				case <-wait:
				case <-ctx.Done():
					return
				}
			}
		}
	}
}

// CacheStats describes the per-server index cache.
type CacheStats struct {
	Indexes int
	Bytes   int64
	Budget  int64
}

// CacheStats returns the cache's size now.
func (m *Manager) CacheStats() CacheStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return CacheStats{Indexes: len(m.cached), Bytes: m.bytes, Budget: m.budget}
}

// fsOf makes an fs.FS of files, for loading.
func fsOf(files map[string][]byte) fs.FS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o444}
	}
	return fsys
}
