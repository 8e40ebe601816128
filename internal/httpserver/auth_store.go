package httpserver

import (
	"context"

	"github.com/sipas/sipas/surveys"
)

// AuthStore is what sign-in and sessions need of the store.
type AuthStore interface {
	// User returns one account, or an ENOTFOUND error.
	User(ctx context.Context, name string) (surveys.User, error)
	// PutSession creates or replaces a session by ID; Session returns one
	// (ENOTFOUND if none; expiry is checked here, not by the store).
	PutSession(ctx context.Context, s surveys.Session) error
	Session(ctx context.Context, id string) (surveys.Session, error)
	DeleteSession(ctx context.Context, id string) error
	DeleteUserSessions(ctx context.Context, user string) (int, error)
	// AppendAudit records a staff action.
	AppendAudit(ctx context.Context, e surveys.AuditEntry) error
}
