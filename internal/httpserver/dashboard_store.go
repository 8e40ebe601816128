package httpserver

import (
	"context"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// DashboardStore is what the dashboard, exports and reports need of the
// store.
type DashboardStore interface {
	// MergeRollups adds the rollups selected by f into t (month summary
	// rows where whole months are asked).
	MergeRollups(ctx context.Context, f surveys.DayFilter, t *scoring.Tally) error
	// MergeRollupsBy adds them into one tally per value of dim, under
	// every filter: the dashboard's breakdowns never read the responses.
	MergeRollupsBy(ctx context.Context, f surveys.DayFilter, dim string, into map[string]*scoring.Tally, newTally func() *scoring.Tally) error
	// EachResponse streams the responses of f, oldest first (exports,
	// comments).
	EachResponse(ctx context.Context, f surveys.ResponseFilter, fn func(*surveys.Response) error) error
	// RecentComments gives the report its latest comments.
	RecentComments(ctx context.Context, f surveys.ResponseFilter, limit int) ([]surveys.Response, error)
	Baselines(ctx context.Context, survey string) ([]surveys.Baseline, error)
	Counters(ctx context.Context) ([]surveys.Counter, error)
	Divisions(ctx context.Context) ([]surveys.Division, error)
	// AppendAudit records each export.
	AppendAudit(ctx context.Context, e surveys.AuditEntry) error
}
