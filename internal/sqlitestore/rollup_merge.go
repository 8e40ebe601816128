package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/sipas/sipas/scoring"
)

// mergeTable describes a table of tallies keyed by K: how to select one
// row's tally, how to upsert a row, and a key's column values (in the
// order both statements take them; the upsert adds respondents and the
// tally).
type mergeTable[K comparable] struct {
	name      string
	selectSQL string
	upsertSQL string
	args      func(K) []any
	compare   func(a, b K) int
}

// mergeInto merges each delta into its stored row (read, merge, write
// back), in key order. Only the writer connection runs it, inside its
// transaction, so no update is lost. The stored tallies are merged into
// deltas, which then hold the rows as written.
func mergeInto[K comparable](ctx context.Context, tx *sql.Tx, m mergeTable[K], deltas map[K]*scoring.Tally) error {
	if len(deltas) == 0 {
		return nil
	}
	keys := make([]K, 0, len(deltas))
	for k := range deltas {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, m.compare)
	get, err := tx.PrepareContext(ctx, m.selectSQL)
	if err != nil {
		return err
	}
	defer get.Close()
	put, err := tx.PrepareContext(ctx, m.upsertSQL)
	if err != nil {
		return err
	}
	defer put.Close()
	for _, k := range keys {
		t := deltas[k]
		args := m.args(k)
		var blob []byte
		err := get.QueryRowContext(ctx, args...).Scan(&blob)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			if err := t.MergeBinary(blob); err != nil {
				return fmt.Errorf("%s %v: %w", m.name, k, err)
			}
		}
		if err := putTally(ctx, put, args, t); err != nil {
			return err
		}
	}
	return nil
}

// putTally upserts one row: the key's columns, respondents, the tally.
func putTally(ctx context.Context, put *sql.Stmt, args []any, t *scoring.Tally) error {
	blob, err := t.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = put.ExecContext(ctx, append(args, t.Respondents, blob)...)
	return err
}

func keyArgs(k scoring.Key) []any { return []any{k.Survey, k.Version, k.Day, k.Counter, k.Channel} }

func compareKeys(a, b scoring.Key) int {
	switch {
	case keyLess(a, b):
		return -1
	case keyLess(b, a):
		return 1
	}
	return 0
}

// The tables merged into on every insert batch.
var (
	rollupTable = mergeTable[scoring.Key]{
		name: "rollup",
		selectSQL: `SELECT tally FROM rollups
			WHERE survey = ? AND version = ? AND day = ? AND counter = ? AND channel = ?`,
		upsertSQL: upsertRollupSQL, args: keyArgs, compare: compareKeys,
	}
	sumTable = mergeTable[scoring.Key]{
		name: "summary rollup",
		selectSQL: `SELECT tally FROM rollup_sums
			WHERE survey = ? AND version = ? AND period = ? AND counter = ? AND channel = ?`,
		upsertSQL: upsertSumSQL, args: keyArgs, compare: compareKeys,
	}
)

// dimMergeTable is the mergeTable of a breakdown table.
func dimMergeTable(d dimTable) mergeTable[dimKey] {
	return mergeTable[dimKey]{
		name: d.name,
		selectSQL: `SELECT tally FROM ` + d.name + ` WHERE survey = ? AND version = ? AND ` +
			d.period + ` = ? AND counter = ? AND channel = ? AND dim = ? AND value = ?`,
		upsertSQL: d.upsertSQL(),
		args: func(k dimKey) []any {
			return []any{k.Survey, k.Version, k.Day, k.Counter, k.Channel, k.Dim, k.Value}
		},
		compare: compareDimKeys,
	}
}
