package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/sipas/sipas/surveys"
)

const deviceColumns = `id, name, counter, enrol_hash, enrol_expiry, token_hash, created_at, enrolled_at, last_seen, revoked`

// PutDevice creates or replaces the tablet with d.ID. Another tablet
// holding the same token or enrolment hash is an ECONFLICT error.
func (s *Store) PutDevice(ctx context.Context, d surveys.Device) error {
	if d.ID == "" {
		return surveys.Errorf(surveys.EINVALID, "a tablet has no id")
	}
	_, err := s.wdb.ExecContext(ctx, `INSERT INTO devices (`+deviceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, counter = excluded.counter,
			enrol_hash = excluded.enrol_hash, enrol_expiry = excluded.enrol_expiry,
			token_hash = excluded.token_hash, created_at = excluded.created_at,
			enrolled_at = excluded.enrolled_at, last_seen = excluded.last_seen, revoked = excluded.revoked`,
		d.ID, d.Name, d.Counter, d.EnrolHash, millis(d.EnrolExpiry), d.TokenHash,
		millis(d.CreatedAt), millis(d.EnrolledAt), millis(d.LastSeen), d.Revoked)
	return dbError(err, "the tablet could not be saved")
}

func scanDevice(sc scanner) (surveys.Device, error) {
	var (
		d                                 surveys.Device
		expiry, created, enrolled, seenAt int64
	)
	if err := sc.Scan(&d.ID, &d.Name, &d.Counter, &d.EnrolHash, &expiry, &d.TokenHash,
		&created, &enrolled, &seenAt, &d.Revoked); err != nil {
		return surveys.Device{}, err
	}
	d.EnrolExpiry, d.CreatedAt = fromMillis(expiry), fromMillis(created)
	d.EnrolledAt, d.LastSeen = fromMillis(enrolled), fromMillis(seenAt)
	return d, nil
}

// deviceWhere returns the one tablet matching cond, or ENOTFOUND.
func (s *Store) deviceWhere(ctx context.Context, cond string, arg string) (surveys.Device, error) {
	d, err := scanDevice(s.rdb.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM devices WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return surveys.Device{}, notFound("no such tablet")
	}
	return d, dbError(err, "the tablet could not be read")
}

// Device returns the tablet with id, or an ENOTFOUND error.
func (s *Store) Device(ctx context.Context, id string) (surveys.Device, error) {
	return s.deviceWhere(ctx, `id = ?`, id)
}

// DeviceByToken returns the tablet whose token hashes to tokenHash, or
// an ENOTFOUND error. An empty hash matches no tablet.
func (s *Store) DeviceByToken(ctx context.Context, tokenHash string) (surveys.Device, error) {
	if tokenHash == "" {
		return surveys.Device{}, notFound("no such tablet")
	}
	return s.deviceWhere(ctx, `token_hash = ?`, tokenHash)
}

// DeviceByEnrolHash returns the tablet whose enrolment code hashes to
// enrolHash, or an ENOTFOUND error. An empty hash matches no tablet.
func (s *Store) DeviceByEnrolHash(ctx context.Context, enrolHash string) (surveys.Device, error) {
	if enrolHash == "" {
		return surveys.Device{}, notFound("no such tablet")
	}
	return s.deviceWhere(ctx, `enrol_hash = ?`, enrolHash)
}

// Devices returns every tablet by counter, then name, then id.
func (s *Store) Devices(ctx context.Context) ([]surveys.Device, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+deviceColumns+` FROM devices ORDER BY counter, name, id`)
	if err != nil {
		return nil, dbError(err, "the tablets could not be read")
	}
	defer rows.Close()
	var out []surveys.Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, dbError(err, "the tablets could not be read")
		}
		out = append(out, d)
	}
	return out, dbError(rows.Err(), "the tablets could not be read")
}

// TouchDevice sets the tablet's LastSeen to at; an unknown id is an
// ENOTFOUND error.
func (s *Store) TouchDevice(ctx context.Context, id string, at time.Time) error {
	res, err := s.wdb.ExecContext(ctx, `UPDATE devices SET last_seen = ? WHERE id = ?`, millis(at), id)
	if err != nil {
		return dbError(err, "the tablet could not be updated")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return dbError(err, "the tablet could not be updated")
	}
	if n == 0 {
		return notFound("no such tablet")
	}
	return nil
}
