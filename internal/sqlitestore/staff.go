package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/sipas/sipas/surveys"
)

// Staff records (users, sessions, tablets, audit entries) are written on
// the writer connection like every other write: one connection, synced
// commits (synchronous=FULL), so they are as durable as responses.

// millis stores a time as unix milliseconds, 0 for the zero time.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMillis is the inverse of millis; times come back in UTC.
func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

const userColumns = `name, display_name, role, password_hash, disabled, created_at, password_changed_at`

// PutUser creates or replaces the user named u.Name.
func (s *Store) PutUser(ctx context.Context, u surveys.User) error {
	if u.Name == "" {
		return surveys.Errorf(surveys.EINVALID, "a user has no name")
	}
	_, err := s.wdb.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
			password_hash = excluded.password_hash, disabled = excluded.disabled,
			created_at = excluded.created_at, password_changed_at = excluded.password_changed_at`,
		u.Name, u.DisplayName, string(u.Role), u.PasswordHash, u.Disabled, millis(u.CreatedAt), millis(u.PasswordChangedAt))
	return dbError(err, "the user could not be saved")
}

func scanUser(sc scanner) (surveys.User, error) {
	var (
		u               surveys.User
		role            string
		created, pwdSet int64
	)
	if err := sc.Scan(&u.Name, &u.DisplayName, &role, &u.PasswordHash, &u.Disabled, &created, &pwdSet); err != nil {
		return surveys.User{}, err
	}
	u.Role = surveys.Role(role)
	u.CreatedAt, u.PasswordChangedAt = fromMillis(created), fromMillis(pwdSet)
	return u, nil
}

// User returns the user named name, or an ENOTFOUND error.
func (s *Store) User(ctx context.Context, name string) (surveys.User, error) {
	u, err := scanUser(s.rdb.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return surveys.User{}, notFound("no user %q", name)
	}
	return u, dbError(err, "the user could not be read")
}

// Users returns every user, by name.
func (s *Store) Users(ctx context.Context) ([]surveys.User, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, dbError(err, "the users could not be read")
	}
	defer rows.Close()
	var out []surveys.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, dbError(err, "the users could not be read")
		}
		out = append(out, u)
	}
	return out, dbError(rows.Err(), "the users could not be read")
}

// PutSession creates or replaces the session with se.ID.
func (s *Store) PutSession(ctx context.Context, se surveys.Session) error {
	if se.ID == "" {
		return surveys.Errorf(surveys.EINVALID, "a session has no id")
	}
	_, err := s.wdb.ExecContext(ctx, `INSERT INTO sessions (id, user, csrf, created_at, seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET user = excluded.user, csrf = excluded.csrf,
			created_at = excluded.created_at, seen_at = excluded.seen_at, expires_at = excluded.expires_at`,
		se.ID, se.User, se.CSRF, millis(se.CreatedAt), millis(se.SeenAt), millis(se.ExpiresAt))
	return dbError(err, "the session could not be saved")
}

// Session returns the session with id, or an ENOTFOUND error; it does
// not check expiry.
func (s *Store) Session(ctx context.Context, id string) (surveys.Session, error) {
	var (
		se                    surveys.Session
		created, seen, expire int64
	)
	err := s.rdb.QueryRowContext(ctx, `SELECT id, user, csrf, created_at, seen_at, expires_at FROM sessions WHERE id = ?`, id).
		Scan(&se.ID, &se.User, &se.CSRF, &created, &seen, &expire)
	if errors.Is(err, sql.ErrNoRows) {
		return surveys.Session{}, notFound("no such session")
	}
	if err != nil {
		return surveys.Session{}, dbError(err, "the session could not be read")
	}
	se.CreatedAt, se.SeenAt, se.ExpiresAt = fromMillis(created), fromMillis(seen), fromMillis(expire)
	return se, nil
}

// DeleteSession removes the session with id; an absent one is no error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	_, err := s.wdb.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	return dbError(err, "the session could not be deleted")
}

// DeleteUserSessions removes every session of user and returns how many.
func (s *Store) DeleteUserSessions(ctx context.Context, user string) (int, error) {
	res, err := s.wdb.ExecContext(ctx, `DELETE FROM sessions WHERE user = ?`, user)
	if err != nil {
		return 0, dbError(err, "the sessions could not be deleted")
	}
	n, err := res.RowsAffected()
	return int(n), dbError(err, "the sessions could not be deleted")
}

// AppendAudit records e. The audit log is append-only: nothing edits or
// deletes its entries.
func (s *Store) AppendAudit(ctx context.Context, e surveys.AuditEntry) error {
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	_, err := s.wdb.ExecContext(ctx, `INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		at.UnixMilli(), e.Actor, e.Action, e.Target, e.Detail)
	return dbError(err, "the audit entry could not be saved")
}

// defaultAuditLimit is the page size of Audit when limit is not positive.
const defaultAuditLimit = 100

// Audit returns up to limit entries older than before (the zero time: the
// newest), newest first; entries of the same millisecond come in reverse
// order of recording. A limit below 1 means defaultAuditLimit.
func (s *Store) Audit(ctx context.Context, before time.Time, limit int) ([]surveys.AuditEntry, error) {
	if limit < 1 {
		limit = defaultAuditLimit
	}
	q := `SELECT at, actor, action, target, detail FROM audit`
	var args []any
	if !before.IsZero() {
		q += ` WHERE at < ?`
		args = append(args, ceilMilli(before))
	}
	q += ` ORDER BY at DESC, id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, dbError(err, "the audit log could not be read")
	}
	defer rows.Close()
	var out []surveys.AuditEntry
	for rows.Next() {
		var (
			e  surveys.AuditEntry
			at int64
		)
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, dbError(err, "the audit log could not be read")
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, dbError(rows.Err(), "the audit log could not be read")
}
