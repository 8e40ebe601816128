package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// rollupDims are the breakdowns kept in rollup_dims; counter and channel
// breakdowns come from the rollups themselves.
var rollupDims = [...]string{surveys.DimProcedure, surveys.DimLang, surveys.DimDevice}

// dimKey keys a breakdown rollup (scoring.DimKey).
type dimKey = scoring.DimKey

var compareDimKeys = scoring.CompareDimKeys

// dimValue is r's value in a breakdown by dim (surveys.DimValue).
var dimValue = surveys.DimValue

// addDims adds r's answers v to its breakdown tallies of day.
//
// Each response counts twice: under its channel, and under "*" (every
// channel), so that a breakdown without a channel filter, the usual one,
// reads a quarter of the rows.
func addDims(tallies map[dimKey]*scoring.Tally, def *surveys.Definition, r *surveys.Response, day string, v []int8) {
	for _, dim := range rollupDims {
		for _, channel := range [2]string{string(r.Channel), all} {
			k := dimKey{Survey: r.Survey, Version: r.Version, Day: day, Counter: r.Counter, Channel: channel,
				Dim: dim, Value: dimValue(r, dim)}
			t := tallies[k]
			if t == nil {
				t = newTally(def)
				tallies[k] = t
			}
			t.Add(v)
		}
	}
}

// dimMonths adds day deltas up into month deltas.
func dimMonths(deltas map[dimKey]*scoring.Tally) map[dimKey]*scoring.Tally {
	out := make(map[dimKey]*scoring.Tally, len(deltas))
	for k, t := range deltas {
		k.Day = k.Day[:7]
		if s := out[k]; s != nil {
			_ = s.Merge(t) // same survey and version: same shape
		} else {
			out[k] = t.Clone()
		}
	}
	return out
}

// dimTable names a breakdown table and its period column.
type dimTable struct{ name, period string }

var (
	dimDays   = dimTable{"rollup_dims", "day"}
	dimMonthT = dimTable{"rollup_dim_sums", "period"}
)

func (d dimTable) upsertSQL() string {
	return `INSERT INTO ` + d.name + ` (survey, version, ` + d.period + `, counter, channel, dim, value, respondents, tally)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (survey, version, ` + d.period + `, counter, channel, dim, value)
DO UPDATE SET respondents = excluded.respondents, tally = excluded.tally`
}

// addToDims merges each delta into its row of table (read, merge, write
// back: one read and one write per distinct key and batch; the stored
// tallies are merged into deltas), on the writer
// connection inside its transaction, as addToRollups does.
func addToDims(ctx context.Context, tx *sql.Tx, table dimTable, deltas map[dimKey]*scoring.Tally) error {
	return mergeInto(ctx, tx, dimMergeTable(table), deltas)
}

func putDim(ctx context.Context, put *sql.Stmt, k dimKey, t *scoring.Tally) error {
	return putTally(ctx, put, dimMergeTable(dimDays).args(k), t)
}

// putDims writes tallies whole (after their rows were deleted).
func putDims(ctx context.Context, tx *sql.Tx, table dimTable, tallies map[dimKey]*scoring.Tally) error {
	put, err := tx.PrepareContext(ctx, table.upsertSQL())
	if err != nil {
		return err
	}
	defer put.Close()
	for k, t := range tallies {
		if err := putDim(ctx, put, k, t); err != nil {
			return err
		}
	}
	return nil
}

// rebuildDimSumsTx recomputes the breakdown month rows of month from the
// day rows.
func rebuildDimSumsTx(ctx context.Context, tx *sql.Tx, month string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM rollup_dim_sums WHERE period = ?`, month); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT survey, version, day, counter, channel, dim, value, tally FROM rollup_dims
		WHERE day >= ? AND day < ?`, month+"-01", month+"-99")
	if err != nil {
		return err
	}
	days := map[dimKey]*scoring.Tally{}
	var blob []byte
	for rows.Next() {
		var k dimKey
		if err := rows.Scan(&k.Survey, &k.Version, &k.Day, &k.Counter, &k.Channel, &k.Dim, &k.Value, &blob); err != nil {
			rows.Close()
			return err
		}
		t := new(scoring.Tally)
		if err := t.UnmarshalBinary(blob); err != nil {
			rows.Close()
			return fmt.Errorf("rollup_dims %v: %w", k, err)
		}
		days[k] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return putDims(ctx, tx, dimMonthT, dimMonths(days))
}

// staleDimMonthsSQL finds the months whose breakdown month rows disagree
// with the day rows.
const staleDimMonthsSQL = `
WITH want AS (
	SELECT survey, version, substr(day, 1, 7) AS period, counter, channel, dim, value, SUM(respondents) AS n
	FROM rollup_dims GROUP BY 1, 2, 3, 4, 5, 6, 7
)
SELECT want.period FROM want LEFT JOIN rollup_dim_sums r USING (survey, version, period, counter, channel, dim, value)
WHERE r.respondents IS NULL OR r.respondents <> want.n
UNION
SELECT r.period FROM rollup_dim_sums r LEFT JOIN want USING (survey, version, period, counter, channel, dim, value)
WHERE want.n IS NULL AND r.respondents <> 0
ORDER BY 1`

// queryStrings runs q on the read pool and returns its one column.
func (s *Store) queryStrings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// union returns the sorted union of a and b, without repeats.
func union(a, b []string) []string {
	out := append(append([]string(nil), a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}
