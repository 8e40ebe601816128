package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/sipas/sipas/internal/httpserver"
	"github.com/sipas/sipas/internal/mongostore"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// store is what the commands use of a store; both stores provide it.
type store interface {
	httpserver.StaffStore
	InsertResponses(ctx context.Context, rs []surveys.Response) ([]bool, error)
	Response(ctx context.Context, id string) (surveys.Response, error)
	CountResponses(ctx context.Context, f surveys.ResponseFilter) (int64, error)
	EachResponse(ctx context.Context, f surveys.ResponseFilter, fn func(*surveys.Response) error) error
	EachRollup(ctx context.Context, f surveys.DayFilter, fn func(*scoring.Rollup) error) error
	MergeRollups(ctx context.Context, f surveys.DayFilter, t *scoring.Tally) error
	HealRollups(ctx context.Context) ([]string, error)
	PutDivision(ctx context.Context, d surveys.Division) error
	Divisions(ctx context.Context) ([]surveys.Division, error)
	PutCounter(ctx context.Context, c surveys.Counter) error
	Counter(ctx context.Context, code string) (surveys.Counter, error)
	Counters(ctx context.Context) ([]surveys.Counter, error)
	PutBaseline(ctx context.Context, survey string, b surveys.Baseline) error
	Baselines(ctx context.Context, survey string) ([]surveys.Baseline, error)
	PutUser(ctx context.Context, u surveys.User) error
	User(ctx context.Context, name string) (surveys.User, error)
	AppendAudit(ctx context.Context, e surveys.AuditEntry) error
	PurgeComments(ctx context.Context, before time.Time) (int64, error)
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
	Ping(ctx context.Context) error
	Close() error
}

var (
	_ store = (*sqlitestore.Store)(nil)
	_ store = (*mongostore.Store)(nil)
)

// DBFile is the embedded database's file name inside --data.
const DBFile = "sipas.db"

// openStore opens MongoDB when a URI is configured, else the embedded
// store in the data directory, and brings rollups back in line with the
// stored responses (a crash between the two heals here).
func openStore(ctx context.Context, c *Config, reg *surveys.Registry, log *slog.Logger) (store, error) {
	openCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var s store
	if c.MongoURI != "" {
		ms, err := mongostore.Open(openCtx, c.MongoURI, "", reg, log)
		if err != nil {
			return nil, fmt.Errorf("open MongoDB %s: %w", c.maskedMongoURI(), err)
		}
		s = ms
	} else {
		if err := os.MkdirAll(c.Data, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		ss, err := sqlitestore.Open(openCtx, filepath.Join(c.Data, DBFile), reg, log)
		if err != nil {
			return nil, fmt.Errorf("open embedded store in %s: %w", c.Data, err)
		}
		s = ss
	}
	// Healing is quick on a consistent store (seconds at a million
	// responses) but rebuilds every day after an upgrade that adds a kind
	// of rollup: minutes at that size. It gets its own, generous bound.
	healCtx, cancelHeal := context.WithTimeout(ctx, time.Hour)
	defer cancelHeal()
	started := time.Now()
	healed, err := s.HealRollups(healCtx)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("check rollups: %w", err)
	}
	if len(healed) > 0 {
		log.Warn("rollups rebuilt from stored responses", "days", len(healed), "first", healed[0], "last", healed[len(healed)-1], "took", time.Since(started).Round(time.Millisecond))
	}
	return s, nil
}
