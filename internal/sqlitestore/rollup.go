package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// EachRollup calls fn for every rollup matching f, ordered by key. There
// is one row per key here; the tally passed to fn is fn's to keep.
func (s *Store) EachRollup(ctx context.Context, f surveys.DayFilter, fn func(*scoring.Rollup) error) error {
	where, args := rollupWhere(f)
	rows, err := s.rdb.QueryContext(ctx, `SELECT survey, version, day, counter, channel, tally FROM rollups`+
		where+` ORDER BY survey, version, day, counter, channel`, args...)
	if err != nil {
		return dbError(err, "the rollups could not be read")
	}
	defer rows.Close()
	var blob []byte
	for rows.Next() {
		r := scoring.Rollup{Tally: new(scoring.Tally)}
		if err := rows.Scan(&r.Survey, &r.Version, &r.Day, &r.Counter, &r.Channel, &blob); err != nil {
			return dbError(err, "the rollups could not be read")
		}
		if err := r.Tally.UnmarshalBinary(blob); err != nil {
			return dbError(fmt.Errorf("rollup %v: %w", r.Key(), err), "the rollups could not be read")
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return dbError(err, "the rollups could not be read")
	}
	return nil
}

func rollupWhere(f surveys.DayFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if f.Survey != "" {
		add("survey = ?", f.Survey)
	}
	if f.FromDay != "" {
		add("day >= ?", f.FromDay)
	}
	if f.ToDay != "" {
		add("day < ?", f.ToDay)
	}
	if f.Counter != "" {
		add("counter = ?", f.Counter)
	}
	if f.Channel != "" {
		add("channel = ?", string(f.Channel))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// HealRollups finds the days whose rollups disagree with the stored
// responses (a crash between the two writes, a restored backup, a bug) and
// rebuilds each such day from the responses. It returns the days rebuilt,
// sorted.
func (s *Store) HealRollups(ctx context.Context) ([]string, error) {
	days, err := s.staleDays(ctx)
	if err != nil {
		return nil, dbError(err, "the rollups could not be checked")
	}
	if len(days) > 0 {
		s.log.Info("rebuilding rollups from responses", "days", len(days))
	}
	for i, d := range days {
		if err := s.rebuildDay(ctx, d); err != nil {
			return nil, dbError(err, "the rollups could not be rebuilt")
		}
		s.log.Debug("rollups rebuilt from responses", "day", d)
		if (i+1)%50 == 0 && i+1 < len(days) {
			s.log.Info("rebuilding rollups", "done", i+1, "of", len(days))
		}
	}
	sort.Strings(days)
	months, err := s.staleSumMonths(ctx)
	if err != nil {
		return nil, dbError(err, "the rollups could not be checked")
	}
	for _, m := range months {
		if err := s.rebuildSums(ctx, m); err != nil {
			return nil, dbError(err, "the rollups could not be rebuilt")
		}
		s.log.Info("summary rollups rebuilt", "month", m)
	}
	return days, nil
}

// staleDays compares, day by day, the number of stored responses with the
// respondents counted in the day rollups and in each breakdown, and
// returns the days that differ. Counting responses per day reads only the
// day index, so the check stays fast at millions of responses (it runs at
// every start). On SQLite a response and its rollups are written in one
// transaction, so a difference means a restored or edited file, or a bug.
func (s *Store) staleDays(ctx context.Context) ([]string, error) {
	want, err := s.dayCounts(ctx, `SELECT day, COUNT(*) FROM responses INDEXED BY responses_day GROUP BY day`)
	if err != nil {
		return nil, err
	}
	have, err := s.dayCounts(ctx, `SELECT day, SUM(respondents) FROM rollups INDEXED BY rollups_day GROUP BY day`)
	if err != nil {
		return nil, err
	}
	stale := map[string]bool{}
	compare := func(have map[string]int64) {
		for d, n := range want {
			if have[d] != n {
				stale[d] = true
			}
		}
		for d, n := range have {
			if want[d] != n {
				stale[d] = true
			}
		}
	}
	compare(have)
	// Each breakdown counts every response once per channel and once
	// more under "*": both must add up to the day's responses.
	for _, dim := range []string{surveys.DimProcedure, surveys.DimLang, surveys.DimDevice} {
		for _, cond := range []string{"channel <> '*'", "channel = '*'"} {
			have, err := s.dayCounts(ctx, `SELECT day, SUM(respondents) FROM rollup_dims INDEXED BY rollup_dims_dim_day
				WHERE dim = ? AND `+cond+` GROUP BY day`, dim)
			if err != nil {
				return nil, err
			}
			compare(have)
		}
	}
	days := make([]string, 0, len(stale))
	for d := range stale {
		days = append(days, d)
	}
	sort.Strings(days)
	return days, nil
}

func (s *Store) dayCounts(ctx context.Context, q string, args ...any) (map[string]int64, error) {
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var d string
		var n int64
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		out[d] = n
	}
	return out, rows.Err()
}

// rebuildDay replaces every rollup of day, breakdowns included, with
// tallies recomputed from the day's responses, in one transaction on the writer connection (so no
// insert batch interleaves with it).
func (s *Store) rebuildDay(ctx context.Context, day string) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM rollups WHERE day = ?`, day); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM rollup_dims WHERE day = ?`, day); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+responseColumns+` FROM responses WHERE day = ?`, day)
	if err != nil {
		return err
	}
	tallies := map[scoring.Key]*scoring.Tally{}
	dims := map[dimKey]*scoring.Tally{}
	var (
		row responseRow
		r   surveys.Response
	)
	for rows.Next() {
		if err := row.scan(rows); err != nil {
			rows.Close()
			return err
		}
		if err := row.toResponse(&r); err != nil {
			rows.Close()
			return err
		}
		def, ok := s.reg.Get(r.Survey)
		if !ok {
			s.log.Warn("response of an unknown survey left out of rollups", "id", r.ID, "survey", r.Survey)
			continue
		}
		k := scoring.Key{Survey: r.Survey, Version: r.Version, Day: row.Day, Counter: r.Counter, Channel: string(r.Channel)}
		t := tallies[k]
		if t == nil {
			t = newTally(def)
			tallies[k] = t
		}
		v := r.Vector(def)
		t.Add(v)
		addDims(dims, def, &r, row.Day, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := putRollups(ctx, tx, tallies); err != nil {
		return err
	}
	if err := putDims(ctx, tx, dimDays, dims); err != nil {
		return err
	}
	if err := rebuildSumsTx(ctx, tx, day[:7]); err != nil {
		return err
	}
	if err := rebuildDimSumsTx(ctx, tx, day[:7]); err != nil {
		return err
	}
	return tx.Commit()
}

func putRollups(ctx context.Context, tx *sql.Tx, tallies map[scoring.Key]*scoring.Tally) error {
	put, err := tx.PrepareContext(ctx, upsertRollupSQL)
	if err != nil {
		return err
	}
	defer put.Close()
	for k, t := range tallies {
		if err := putRollup(ctx, put, k, t); err != nil {
			return err
		}
	}
	return nil
}
