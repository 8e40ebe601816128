package sqlitestore

import (
	"context"

	"github.com/sipas/sipas/surveys"
)

// InsertWithoutRollup writes only r's responses row, as a crash between
// storing a response and updating its rollup would leave it.
func InsertWithoutRollup(ctx context.Context, s *Store, r surveys.Response) error {
	row, err := toResponseRow(&r)
	if err != nil {
		return err
	}
	_, err = s.wdb.ExecContext(ctx, insertResponseSQL, row.args()...)
	return err
}

// MigrationSteps returns how many migration steps there are.
func MigrationSteps() int { return len(migrations) - 1 }

// Exec runs a statement on the write connection, for tests that rig the
// schema (a trigger that makes a batch fail, say).
func Exec(ctx context.Context, s *Store, query string) error {
	_, err := s.wdb.ExecContext(ctx, query)
	return err
}

// Pragma returns a pragma's value on the write connection.
func Pragma(ctx context.Context, s *Store, name string) (string, error) {
	var v string
	err := s.wdb.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}
