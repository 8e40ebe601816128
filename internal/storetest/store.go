// Package storetest is the conformance suite every store passes: the
// SQLite store against a fresh database file per test, the MongoDB store
// against an in-process FerretDB (or a real MongoDB named by
// SIPAS_TEST_MONGO_URI).
package storetest

import (
	"context"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// Store is everything a store provides. Callers declare the smaller
// interfaces they need; this one is the contract the suite checks.
type Store interface {
	// InsertResponses stores responses keyed by their ID and returns, per
	// response, whether it was new (false: that ID was already stored, and
	// nothing was written for it). It returns only once every new response
	// and its rollup update are durable. A replay is not an error. The
	// responses must already be valid.
	InsertResponses(ctx context.Context, rs []surveys.Response) ([]bool, error)
	// Response returns one stored response, or an ENOTFOUND error.
	Response(ctx context.Context, id string) (surveys.Response, error)
	// CountResponses counts stored responses matching f.
	CountResponses(ctx context.Context, f surveys.ResponseFilter) (int64, error)
	// EachResponse calls fn for every response matching f, ordered by
	// SubmittedAt then ID, streaming (constant memory). fn's error stops
	// the walk and is returned.
	EachResponse(ctx context.Context, f surveys.ResponseFilter, fn func(*surveys.Response) error) error

	// EachRollup calls fn for every rollup matching f (several rows may
	// share a key, for example one per writer; their tallies add up).
	EachRollup(ctx context.Context, f surveys.DayFilter, fn func(*scoring.Rollup) error) error
	// MergeRollups adds into t the rollups of the responses selected by
	// f: the fast path of scoring (a store may read summary rows).
	MergeRollups(ctx context.Context, f surveys.DayFilter, t *scoring.Tally) error
	// HealRollups compares, day by day, the respondents in the rollups
	// with the stored responses and rebuilds every day that differs. It
	// returns the days rebuilt. Servers call it at start.
	HealRollups(ctx context.Context) ([]string, error)

	PutDivision(ctx context.Context, d surveys.Division) error
	Divisions(ctx context.Context) ([]surveys.Division, error)
	PutCounter(ctx context.Context, c surveys.Counter) error
	Counter(ctx context.Context, code string) (surveys.Counter, error)
	Counters(ctx context.Context) ([]surveys.Counter, error)

	// PutBaseline stores (replaces) the baseline of b.Year and b.Unit for
	// survey; Baselines returns a survey's baselines by year then unit.
	PutBaseline(ctx context.Context, survey string, b surveys.Baseline) error
	Baselines(ctx context.Context, survey string) ([]surveys.Baseline, error)

	// Meta and SetMeta keep small facts such as "demo data seeded";
	// Meta returns ENOTFOUND for an unknown key.
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error

	// Ping reports whether the database is reachable.
	Ping(ctx context.Context) error
	// Close flushes pending work and releases the database.
	Close() error
}
