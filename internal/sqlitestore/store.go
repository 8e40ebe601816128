// Package sqlitestore is the embedded store: one SQLite database file in
// WAL mode, through the pure-Go driver modernc.org/sqlite (no cgo).
//
// Writes go through a single connection; concurrent InsertResponses calls
// are funnelled to one writer goroutine that commits them together (group
// commit), so an acknowledged response is synced to disk without paying one
// fsync per response. Reads use a separate pool and run beside the writer.
package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/sipas/sipas/surveys"
)

// busyTimeout is how long a connection waits for a lock held by another
// connection (a reader checkpointing, another process) before failing.
const busyTimeout = 5 * time.Second

// writeTimeout bounds one batch transaction of the writer goroutine. It is
// not tied to any caller's context: one caller giving up must not abort the
// responses of the others committed with it.
const writeTimeout = 30 * time.Second

// Store is the SQLite store. It is safe for concurrent use.
type Store struct {
	wdb *sql.DB // one connection: every write
	rdb *sql.DB // read pool
	reg *surveys.Registry
	log *slog.Logger

	w *writer

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the database file at path, applies the
// pending migrations and starts the writer goroutine. reg supplies the
// survey definitions that shape rollup tallies.
func Open(ctx context.Context, path string, reg *surveys.Registry, log *slog.Logger) (*Store, error) {
	if reg == nil {
		return nil, fmt.Errorf("sqlitestore: nil survey registry")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	wdb, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)

	// The writer connection is opened first so that WAL mode is set on the
	// file before any reader opens it.
	if err := wdb.PingContext(ctx); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := migrate(ctx, wdb, log); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}

	rdb, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	if err := rdb.PingContext(ctx); err != nil {
		wdb.Close()
		rdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}

	s := &Store{wdb: wdb, rdb: rdb, reg: reg, log: log}
	s.w = newWriter(s)
	go s.w.run()
	return s, nil
}

// dsn builds the driver's connection string. Every connection waits on
// locks, enforces foreign keys and syncs commits fully (synchronous=FULL:
// in WAL mode NORMAL could lose the last commits on power loss, and an
// acknowledged response must survive that). The writer begins its
// transactions IMMEDIATE so that a read-then-write never fails to upgrade
// its lock.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	// A page cache of 64 MiB for the writer (the primary-key and index
	// pages of a big table stay in memory) and 16 MiB per reader.
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "cache_size(-16384)")
	} else {
		q.Add("_pragma", "cache_size(-65536)")
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Opaque: path, RawQuery: q.Encode()}
	return u.String()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.rdb.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return dbError(err, "database unreachable")
	}
	return nil
}

// Close stops accepting inserts, lets the writer finish the batches already
// queued, and closes the database. Calling it again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.w.close()
		if err := s.rdb.Close(); err != nil {
			s.closeErr = err
		}
		if err := s.wdb.Close(); err != nil && s.closeErr == nil {
			s.closeErr = err
		}
	})
	return s.closeErr
}
