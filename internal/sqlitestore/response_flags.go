package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"

	"github.com/sipas/sipas/surveys"
)

// SetFlag adds flag to (on) or removes it from (off) the stored response
// id, and reports whether that changed anything. Answers and rollups are
// not touched: flags are for review (and "excluded" is subtracted by
// scores).
func (s *Store) SetFlag(ctx context.Context, id, flag string, on bool) (bool, error) {
	var changed bool
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		var raw string
		err := tx.QueryRowContext(ctx, `SELECT flags FROM responses WHERE id = ?`, id).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return surveys.Errorf(surveys.ENOTFOUND, "no response %s", id)
		}
		if err != nil {
			return err
		}
		var flags []string
		if err := json.Unmarshal([]byte(raw), &flags); err != nil {
			return err
		}
		has := slices.Contains(flags, flag)
		switch {
		case on && !has:
			flags = append(flags, flag)
		case !on && has:
			flags = slices.DeleteFunc(flags, func(f string) bool { return f == flag })
		default:
			return nil
		}
		if flags == nil {
			flags = []string{}
		}
		b, err := json.Marshal(flags)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE responses SET flags = ? WHERE id = ?`, string(b), id); err != nil {
			return err
		}
		changed = true
		return nil
	})
	if err != nil {
		return false, dbError(err, "the response could not be changed")
	}
	return changed, nil
}
