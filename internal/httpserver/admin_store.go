package httpserver

import (
	"context"
	"time"

	"github.com/sipas/sipas/surveys"
)

// AdminStore is what the administration pages need of the store.
type AdminStore interface {
	PutDivision(ctx context.Context, d surveys.Division) error
	Divisions(ctx context.Context) ([]surveys.Division, error)
	PutCounter(ctx context.Context, c surveys.Counter) error
	Counter(ctx context.Context, code string) (surveys.Counter, error)
	Counters(ctx context.Context) ([]surveys.Counter, error)

	PutUser(ctx context.Context, u surveys.User) error
	User(ctx context.Context, name string) (surveys.User, error)
	Users(ctx context.Context) ([]surveys.User, error)
	DeleteUserSessions(ctx context.Context, user string) (int, error)

	PutBaseline(ctx context.Context, survey string, b surveys.Baseline) error
	Baselines(ctx context.Context, survey string) ([]surveys.Baseline, error)

	AppendAudit(ctx context.Context, e surveys.AuditEntry) error
	// Audit returns up to limit entries older than before (zero: the
	// newest), newest first.
	Audit(ctx context.Context, before time.Time, limit int) ([]surveys.AuditEntry, error)
}
