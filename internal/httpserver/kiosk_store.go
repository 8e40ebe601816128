package httpserver

import (
	"context"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// KioskStore is what the tablets (enrolment, kiosk submissions), their
// administration, paper entry and the misuse review need of the store.
type KioskStore interface {
	// PutDevice creates or replaces a tablet; Device, DeviceByToken and
	// DeviceByEnrolHash find one (ENOTFOUND if none); Devices lists them;
	// TouchDevice sets LastSeen.
	PutDevice(ctx context.Context, d surveys.Device) error
	Device(ctx context.Context, id string) (surveys.Device, error)
	DeviceByToken(ctx context.Context, tokenHash string) (surveys.Device, error)
	DeviceByEnrolHash(ctx context.Context, enrolHash string) (surveys.Device, error)
	Devices(ctx context.Context) ([]surveys.Device, error)
	TouchDevice(ctx context.Context, id string, at time.Time) error

	Counter(ctx context.Context, code string) (surveys.Counter, error)
	Counters(ctx context.Context) ([]surveys.Counter, error)
	AppendAudit(ctx context.Context, e surveys.AuditEntry) error

	// EachResponse walks stored responses (the flagged-response review);
	// MergeRollupsBy gives each tablet's count of the day.
	EachResponse(ctx context.Context, f surveys.ResponseFilter, fn func(*surveys.Response) error) error
	MergeRollupsBy(ctx context.Context, f surveys.DayFilter, dim string, into map[string]*scoring.Tally, newTally func() *scoring.Tally) error
	// SetFlag excludes a reviewed response from the indices, or takes it
	// back.
	SetFlag(ctx context.Context, id, flag string, on bool) (bool, error)
}
