package sqlitestore

import (
	"context"
	"errors"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// MergeRollupsBy adds the rollups selected by f into one tally per value
// of dim, taking tallies from into or creating them with newTally. Like
// MergeRollups it reads whole months from summary rows and the partial
// months at the window's edges from day rows: counter and channel
// breakdowns from rollup_sums and rollups, the others from
// rollup_dim_sums and rollup_dims. Rollups of a version whose shape
// differs from newTally's are skipped. Breakdown rows are kept per
// counter and channel, so every filter is read from rollups.
func (s *Store) MergeRollupsBy(ctx context.Context, f surveys.DayFilter, dim string,
	into map[string]*scoring.Tally, newTally func() *scoring.Tally) error {
	var day, month func(from, to string) rollupQuery
	switch dim {
	case surveys.DimCounter, surveys.DimChannel:
		// Each counter (or channel) within the filter: "*" asks for the
		// rows of each one rather than their total.
		counter, channel := f.Counter, string(f.Channel)
		if dim == surveys.DimCounter && counter == "" {
			counter = all
		}
		if dim == surveys.DimChannel && channel == "" {
			channel = all
		}
		cols := dim + ", tally"
		day = func(from, to string) rollupQuery { return dayRows(f, cols, from, to, counter, channel) }
		month = func(from, to string) rollupQuery { return monthRows(f, cols, from, to, counter, channel) }
	case surveys.DimProcedure, surveys.DimLang, surveys.DimDevice:
		for _, t := range []dimTable{dimDays, dimMonthT} {
			fn := func(from, to string) rollupQuery {
				table := t.name
				if t == dimDays {
					// The (dim, channel, day) index: the primary key
					// starts with the version, which the window does not
					// constrain.
					table += " INDEXED BY rollup_dims_dim_day"
				}
				q := rollupQuery{sql: `SELECT value, tally FROM ` + table + ` WHERE dim = ?`, args: []any{dim}}
				q.add("survey", f.Survey)
				if t == dimMonthT {
					q.addMonths(t.period, from, to)
				} else {
					q.addRange(t.period, from, to)
				}
				q.add("counter", f.Counter)
				q.sumColumn("channel", string(f.Channel)) // "" reads the "*" rows
				return q
			}
			if t == dimDays {
				day = fn
			} else {
				month = fn
			}
		}
	default:
		return surveys.Errorf(surveys.EINVALID, "unknown breakdown %q", dim)
	}
	for _, q := range windowParts(f.FromDay, f.ToDay, day, month) {
		if err := s.mergeByQuery(ctx, q, into, newTally); err != nil {
			return dbError(err, "the rollups could not be read")
		}
	}
	return nil
}

// windowParts splits the window [from, to) into queries: the partial
// months at its edges as day rows, the whole months between as month
// rows.
func windowParts(from, to string, day, month func(from, to string) rollupQuery) []rollupQuery {
	fullFrom, fullTo := monthSpan(from, to)
	if fullFrom == "none" {
		return []rollupQuery{day(from, to)}
	}
	var parts []rollupQuery
	if from != "" && from < fullFrom+"-01" {
		parts = append(parts, day(from, fullFrom+"-01"))
	}
	parts = append(parts, month(fullFrom, fullTo))
	if to != "" && fullTo != "" && fullTo+"-01" < to {
		parts = append(parts, day(fullTo+"-01", to))
	}
	return parts
}

// mergeByQuery merges rows of (value, tally) into the tally of their
// value.
func (s *Store) mergeByQuery(ctx context.Context, q rollupQuery, into map[string]*scoring.Tally, newTally func() *scoring.Tally) error {
	rows, err := s.rdb.QueryContext(ctx, q.sql, q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		value string
		blob  []byte
	)
	for rows.Next() {
		if err := rows.Scan(&value, &blob); err != nil {
			return err
		}
		t, ok := into[value]
		if !ok {
			t = newTally()
		}
		if err := t.MergeBinary(blob); err != nil {
			if errors.Is(err, scoring.ErrShape) {
				continue
			}
			return err
		}
		into[value] = t
	}
	return rows.Err()
}
