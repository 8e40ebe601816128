package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// all marks a summary row over every counter or channel; no counter code
// or channel can be "*".
const all = "*"

// sumKeys returns the summary rows a day rollup contributes to. Day rows
// of rollups hold each (counter, channel); summaries add, for the day,
// the counter over all channels, the channel over all counters and the
// total, and for the month all four, so that any filter on counter or
// channel (or none) reads few rows: whole months as month rows, the edges
// of a window as day rows.
func sumKeys(k scoring.Key) []scoring.Key {
	month := k.Day[:7]
	key := func(period, counter, channel string) scoring.Key {
		return scoring.Key{Survey: k.Survey, Version: k.Version, Day: period, Counter: counter, Channel: channel}
	}
	return []scoring.Key{
		key(k.Day, all, all), key(k.Day, k.Counter, all), key(k.Day, all, k.Channel),
		key(month, all, all), key(month, k.Counter, all), key(month, all, k.Channel), key(month, k.Counter, k.Channel),
	}
}

// sumDeltas adds day deltas up into summary deltas (Key.Day holds the
// period).
func sumDeltas(deltas map[scoring.Key]*scoring.Tally) map[scoring.Key]*scoring.Tally {
	out := map[scoring.Key]*scoring.Tally{}
	for k, t := range deltas {
		for _, sk := range sumKeys(k) {
			if s := out[sk]; s != nil {
				_ = s.Merge(t) // same survey and version: same shape
			} else {
				out[sk] = t.Clone()
			}
		}
	}
	return out
}

// addToSums merges summary deltas into their rows (read, merge, write
// back) on the writer connection, inside its transaction.
func addToSums(ctx context.Context, tx *sql.Tx, deltas map[scoring.Key]*scoring.Tally) error {
	return mergeInto(ctx, tx, sumTable, deltas)
}

const upsertSumSQL = `INSERT INTO rollup_sums (survey, version, period, counter, channel, respondents, tally)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (survey, version, period, counter, channel)
DO UPDATE SET respondents = excluded.respondents, tally = excluded.tally`

func putSum(ctx context.Context, put *sql.Stmt, k scoring.Key, t *scoring.Tally) error {
	return putTally(ctx, put, keyArgs(k), t)
}

// rebuildSums recomputes every summary row of month (YYYY-MM), breakdowns
// included, from the day rows, in one transaction on the writer
// connection.
func (s *Store) rebuildSums(ctx context.Context, month string) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if err := rebuildSumsTx(ctx, tx, month); err != nil {
			return err
		}
		return rebuildDimSumsTx(ctx, tx, month)
	})
}

// inWriteTx runs fn in a transaction on the writer connection.
func (s *Store) inWriteTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func rebuildSumsTx(ctx context.Context, tx *sql.Tx, month string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM rollup_sums WHERE period = ? OR (period >= ? AND period < ?)`,
		month, month+"-01", month+"-99"); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT survey, version, day, counter, channel, tally FROM rollups
		WHERE day >= ? AND day < ?`, month+"-01", month+"-99")
	if err != nil {
		return err
	}
	deltas := map[scoring.Key]*scoring.Tally{}
	var blob []byte
	for rows.Next() {
		var k scoring.Key
		if err := rows.Scan(&k.Survey, &k.Version, &k.Day, &k.Counter, &k.Channel, &blob); err != nil {
			rows.Close()
			return err
		}
		t := new(scoring.Tally)
		if err := t.UnmarshalBinary(blob); err != nil {
			rows.Close()
			return fmt.Errorf("rollup %v: %w", k, err)
		}
		deltas[k] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	sums := sumDeltas(deltas)
	put, err := tx.PrepareContext(ctx, upsertSumSQL)
	if err != nil {
		return err
	}
	defer put.Close()
	for k, t := range sums {
		if err := putSum(ctx, put, k, t); err != nil {
			return err
		}
	}
	return nil
}

// staleSumMonths returns the months whose summary rows (breakdowns
// included) disagree with the day rows (by respondent count), sorted.
func (s *Store) staleSumMonths(ctx context.Context) ([]string, error) {
	months, err := s.queryStrings(ctx, `
WITH want AS (
	SELECT survey, version, day AS period, '*' AS counter, '*' AS channel, SUM(respondents) AS n
	FROM rollups GROUP BY survey, version, day
	UNION ALL
	SELECT survey, version, day, counter, '*', SUM(respondents)
	FROM rollups GROUP BY survey, version, day, counter
	UNION ALL
	SELECT survey, version, day, '*', channel, SUM(respondents)
	FROM rollups GROUP BY survey, version, day, channel
	UNION ALL
	SELECT survey, version, substr(day, 1, 7), counter, channel, SUM(respondents)
	FROM rollups GROUP BY survey, version, substr(day, 1, 7), counter, channel
	UNION ALL
	SELECT survey, version, substr(day, 1, 7), counter, '*', SUM(respondents)
	FROM rollups GROUP BY survey, version, substr(day, 1, 7), counter
	UNION ALL
	SELECT survey, version, substr(day, 1, 7), '*', channel, SUM(respondents)
	FROM rollups GROUP BY survey, version, substr(day, 1, 7), channel
	UNION ALL
	SELECT survey, version, substr(day, 1, 7), '*', '*', SUM(respondents)
	FROM rollups GROUP BY survey, version, substr(day, 1, 7)
)
SELECT substr(want.period, 1, 7) FROM want LEFT JOIN rollup_sums r USING (survey, version, period, counter, channel)
WHERE r.respondents IS NULL OR r.respondents <> want.n
UNION
SELECT substr(r.period, 1, 7) FROM rollup_sums r LEFT JOIN want USING (survey, version, period, counter, channel)
WHERE want.n IS NULL AND r.respondents <> 0
ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	dimMonths, err := s.queryStrings(ctx, staleDimMonthsSQL)
	if err != nil {
		return nil, err
	}
	return union(months, dimMonths), nil
}

// MergeRollups adds into t the rollups of the responses selected by f. It
// reads whole months from the summary rows and only the partial months at
// the window's edges from day rows, so a year costs a few hundred rows.
// Rollups of a version whose shape differs from t are skipped.
func (s *Store) MergeRollups(ctx context.Context, f surveys.DayFilter, t *scoring.Tally) error {
	parts := windowParts(f.FromDay, f.ToDay,
		func(from, to string) rollupQuery { return dayRows(f, "tally", from, to, f.Counter, string(f.Channel)) },
		func(from, to string) rollupQuery {
			return monthRows(f, "tally", from, to, f.Counter, string(f.Channel))
		})
	for _, p := range parts {
		if err := s.mergeQuery(ctx, p, t); err != nil {
			return dbError(err, "the rollups could not be read")
		}
	}
	return nil
}

// dayRows selects the day rows of [from, to) for counter and channel,
// where "" is every counter or channel and "*" means "each one" (the
// rows per counter or channel, not their total). A specific counter and
// channel are rollups rows; anything else a summary row.
func dayRows(f surveys.DayFilter, cols, from, to, counter, channel string) rollupQuery {
	if counter != "" && channel != "" {
		// Day summaries hold totals over counters or channels only; rows
		// per counter and channel are the rollups themselves. The day
		// index: the primary key starts with (survey, version) and the
		// version is not constrained.
		q := rollupQuery{sql: `SELECT ` + cols + ` FROM rollups INDEXED BY rollups_day WHERE 1 = 1`}
		q.add("survey", f.Survey)
		q.addRange("day", from, to)
		if counter != all {
			q.add("counter", counter)
		}
		if channel != all {
			q.add("channel", channel)
		}
		return q
	}
	q := rollupQuery{sql: `SELECT ` + cols + ` FROM rollup_sums WHERE length(period) = 10`}
	q.add("survey", f.Survey)
	q.addRange("period", from, to)
	q.sumColumn("counter", counter)
	q.sumColumn("channel", channel)
	return q
}

// monthRows selects the month rows of [from, to) (YYYY-MM) for counter
// and channel, as dayRows does.
func monthRows(f surveys.DayFilter, cols, from, to, counter, channel string) rollupQuery {
	q := rollupQuery{sql: `SELECT ` + cols + ` FROM rollup_sums WHERE 1 = 1`}
	q.add("survey", f.Survey)
	q.addMonths("period", from, to)
	q.sumColumn("counter", counter)
	q.sumColumn("channel", channel)
	return q
}

// sumColumn constrains a counter or channel column of a summary table:
// "" selects the total row ('*'), all ("*") every specific row, anything
// else that value.
func (q *rollupQuery) sumColumn(col, v string) {
	switch v {
	case "":
		q.sql += " AND " + col + " = '*'"
	case all:
		q.sql += " AND " + col + " <> '*'"
	default:
		q.add(col, v)
	}
}

type rollupQuery struct {
	sql  string
	args []any
}

// monthSpan returns the whole months inside [from, to) as [fullFrom,
// fullTo) in YYYY-MM ("" = unbounded), or fullFrom "none" when there is
// no whole month.
func monthSpan(from, to string) (string, string) {
	fullFrom := ""
	if from != "" {
		d, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return "none", ""
		}
		if d.Day() == 1 {
			fullFrom = d.Format("2006-01")
		} else {
			fullFrom = time.Date(d.Year(), d.Month()+1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
		}
	}
	fullTo := ""
	if to != "" {
		d, err := time.Parse(time.DateOnly, to)
		if err != nil {
			return "none", ""
		}
		fullTo = d.Format("2006-01")
	}
	if fullFrom != "" && fullTo != "" && fullFrom >= fullTo {
		return "none", ""
	}
	return fullFrom, fullTo
}

func (q *rollupQuery) add(col, v string) {
	if v == "" {
		return
	}
	q.sql += " AND " + col + " = ?"
	q.args = append(q.args, v)
}

// addMonths selects the months [from, to) (YYYY-MM) of a summary table by
// listing them: day rows (YYYY-MM-DD) sort between month rows, so a range
// on the period would read a month's days too.
func (q *rollupQuery) addMonths(col, from, to string) {
	if from == "" || to == "" {
		q.addRange(col, from, to)
		q.sql += " AND length(" + col + ") = 7"
		return
	}
	start, err1 := time.Parse("2006-01", from)
	end, err2 := time.Parse("2006-01", to)
	if err1 != nil || err2 != nil || !start.Before(end) {
		q.sql += " AND 0"
		return
	}
	var marks []string
	for m := start; m.Before(end); m = m.AddDate(0, 1, 0) {
		marks = append(marks, "?")
		q.args = append(q.args, m.Format("2006-01"))
	}
	q.sql += " AND " + col + " IN (" + strings.Join(marks, ", ") + ")"
}

func (q *rollupQuery) addRange(col, from, to string) {
	if from != "" {
		q.sql += " AND " + col + " >= ?"
		q.args = append(q.args, from)
	}
	if to != "" {
		q.sql += " AND " + col + " < ?"
		q.args = append(q.args, to)
	}
}

func (s *Store) mergeQuery(ctx context.Context, q rollupQuery, t *scoring.Tally) error {
	rows, err := s.rdb.QueryContext(ctx, q.sql, q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var blob sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&blob); err != nil {
			return err
		}
		if err := t.MergeBinary(blob); err != nil {
			if errors.Is(err, scoring.ErrShape) {
				continue
			}
			return err
		}
	}
	return rows.Err()
}
