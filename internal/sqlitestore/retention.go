package sqlitestore

import (
	"context"
	"database/sql"
	"time"
)

// PurgeComments removes the free-text comment of every response submitted
// before before (the retention setting) and returns how many it changed.
// Answers, and so every rollup, are untouched. It runs on the writer
// connection, in one synced transaction.
func (s *Store) PurgeComments(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE responses SET extra = json_remove(extra, '$.comment')
			WHERE submitted_at < ? AND json_extract(extra, '$.comment') IS NOT NULL`, before.UnixMilli())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, dbError(err, "the comments could not be purged")
	}
	return n, nil
}
