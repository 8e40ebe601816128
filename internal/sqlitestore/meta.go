package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
)

// Meta returns the value stored under key, or an ENOTFOUND error.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.rdb.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("no meta value %q", key)
	}
	if err != nil {
		return "", dbError(err, "the setting could not be read")
	}
	return v, nil
}

// SetMeta stores value under key, replacing any previous value.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.wdb.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return dbError(err, "the setting could not be saved")
}
