// Package storetest is the conformance suite every store passes: the
// SQLite store against a fresh database file per test, the MongoDB store
// against an in-process FerretDB (or a real MongoDB named by
// SIPAS_TEST_MONGO_URI).
package storetest

import (
	"context"
	"time"

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

	// SetFlag adds flag to (on) or removes it from (off) the stored
	// response id and reports whether that changed anything (ENOTFOUND
	// for an unknown id). Answers and rollups stay as they are.
	SetFlag(ctx context.Context, id, flag string, on bool) (bool, error)
	// RecentComments returns up to limit responses matching f that carry
	// a comment, newest first (SubmittedAt, then ID, descending), without
	// reading the whole window.
	RecentComments(ctx context.Context, f surveys.ResponseFilter, limit int) ([]surveys.Response, error)
	// PurgeComments removes the free-text comment of every response
	// submitted before before (comment retention) and returns how many
	// responses it changed; answers and rollups stay as they are.
	PurgeComments(ctx context.Context, before time.Time) (int64, error)

	// EachRollup calls fn for every rollup matching f (several rows may
	// share a key, for example one per writer; their tallies add up).
	EachRollup(ctx context.Context, f surveys.DayFilter, fn func(*scoring.Rollup) error) error
	// MergeRollups adds into t the rollups of the responses selected by
	// f: the fast path of scoring (a store may read summary rows).
	MergeRollups(ctx context.Context, f surveys.DayFilter, t *scoring.Tally) error
	// MergeRollupsBy is the breakdown fast path: it adds the rollups
	// selected by f into one tally per value of dim, taking tallies from
	// into or creating them with newTally. dim is one of the Dim*
	// constants of surveys. A procedure's value is "counter/procedure"
	// ("counter/" when the response named none). Every filter is
	// honoured, exactly, for every dim: the tallies add up to those of
	// MergeRollups with the same filter. An unknown dim is an EINVALID
	// error.
	MergeRollupsBy(ctx context.Context, f surveys.DayFilter, dim string, into map[string]*scoring.Tally, newTally func() *scoring.Tally) error
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

	// PutUser creates or replaces the user with u.Name; User returns one
	// (ENOTFOUND if none); Users lists them by name.
	PutUser(ctx context.Context, u surveys.User) error
	User(ctx context.Context, name string) (surveys.User, error)
	Users(ctx context.Context) ([]surveys.User, error)

	// PutSession creates or replaces a session by ID; Session returns one
	// (ENOTFOUND if none or expired at ctx's time is NOT checked here:
	// callers check ExpiresAt); DeleteSession removes one (no error if
	// absent); DeleteUserSessions removes every session of a user and
	// returns how many.
	PutSession(ctx context.Context, s surveys.Session) error
	Session(ctx context.Context, id string) (surveys.Session, error)
	DeleteSession(ctx context.Context, id string) error
	DeleteUserSessions(ctx context.Context, user string) (int, error)

	// PutDevice creates or replaces a tablet by ID; Device, DeviceByToken
	// and DeviceByEnrolHash find one (ENOTFOUND if none); Devices lists
	// them by counter then name; TouchDevice sets LastSeen (ENOTFOUND for
	// an unknown tablet). An empty hash finds no tablet. A store may
	// refuse with ECONFLICT a hash another tablet holds (SQLite does).
	PutDevice(ctx context.Context, d surveys.Device) error
	Device(ctx context.Context, id string) (surveys.Device, error)
	DeviceByToken(ctx context.Context, tokenHash string) (surveys.Device, error)
	DeviceByEnrolHash(ctx context.Context, enrolHash string) (surveys.Device, error)
	Devices(ctx context.Context) ([]surveys.Device, error)
	TouchDevice(ctx context.Context, id string, at time.Time) error

	// AppendAudit records a staff action (At zero: now); Audit returns up
	// to limit entries older than before (zero: newest), newest first
	// (limit < 1: a store's default page). Nothing edits or deletes
	// entries. Paging by the last entry's At skips entries of that same
	// millisecond.
	AppendAudit(ctx context.Context, e surveys.AuditEntry) error
	Audit(ctx context.Context, before time.Time, limit int) ([]surveys.AuditEntry, error)

	// Meta and SetMeta keep small facts such as "demo data seeded";
	// Meta returns ENOTFOUND for an unknown key.
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error

	// Ping reports whether the database is reachable.
	Ping(ctx context.Context) error
	// Close flushes pending work and releases the database.
	Close() error
}
