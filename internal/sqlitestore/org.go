package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/sipas/sipas/surveys"
)

// PutDivision stores d, replacing the division with the same code.
func (s *Store) PutDivision(ctx context.Context, d surveys.Division) error {
	_, err := s.wdb.ExecContext(ctx, `INSERT INTO divisions (code, name_vi, name_en) VALUES (?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en`,
		d.Code, d.Name.VI, d.Name.EN)
	return dbError(err, "the division could not be saved")
}

// Divisions returns every division, by code.
func (s *Store) Divisions(ctx context.Context) ([]surveys.Division, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT code, name_vi, name_en FROM divisions ORDER BY code`)
	if err != nil {
		return nil, dbError(err, "the divisions could not be read")
	}
	defer rows.Close()
	var out []surveys.Division
	for rows.Next() {
		var d surveys.Division
		if err := rows.Scan(&d.Code, &d.Name.VI, &d.Name.EN); err != nil {
			return nil, dbError(err, "the divisions could not be read")
		}
		out = append(out, d)
	}
	return out, dbError(rows.Err(), "the divisions could not be read")
}

// procedureDoc is a procedure as stored in counters.procedures.
type procedureDoc struct {
	Code string       `json:"code"`
	Name surveys.Text `json:"name"`
}

// PutCounter stores c, replacing the counter with the same code.
func (s *Store) PutCounter(ctx context.Context, c surveys.Counter) error {
	procs := make([]procedureDoc, len(c.Procedures))
	for i, p := range c.Procedures {
		procs[i] = procedureDoc{Code: p.Code, Name: p.Name}
	}
	pj, err := json.Marshal(procs)
	if err != nil {
		return dbError(err, "the counter could not be saved")
	}
	_, err = s.wdb.ExecContext(ctx, `INSERT INTO counters
		(code, name_vi, name_en, division, location_vi, location_en, procedures, active)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
			division = excluded.division, location_vi = excluded.location_vi,
			location_en = excluded.location_en, procedures = excluded.procedures, active = excluded.active`,
		c.Code, c.Name.VI, c.Name.EN, c.Division, c.Location.VI, c.Location.EN, string(pj), c.Active)
	return dbError(err, "the counter could not be saved")
}

const counterColumns = `code, name_vi, name_en, division, location_vi, location_en, procedures, active`

func scanCounter(sc scanner) (surveys.Counter, error) {
	var (
		c  surveys.Counter
		pj string
	)
	if err := sc.Scan(&c.Code, &c.Name.VI, &c.Name.EN, &c.Division, &c.Location.VI, &c.Location.EN, &pj, &c.Active); err != nil {
		return c, err
	}
	var procs []procedureDoc
	if err := json.Unmarshal([]byte(pj), &procs); err != nil {
		return c, err
	}
	for _, p := range procs {
		c.Procedures = append(c.Procedures, surveys.Procedure{Code: p.Code, Name: p.Name})
	}
	return c, nil
}

// Counter returns the counter with code, or an ENOTFOUND error.
func (s *Store) Counter(ctx context.Context, code string) (surveys.Counter, error) {
	c, err := scanCounter(s.rdb.QueryRowContext(ctx, `SELECT `+counterColumns+` FROM counters WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return surveys.Counter{}, notFound("no counter %q", code)
	}
	if err != nil {
		return surveys.Counter{}, dbError(err, "the counter could not be read")
	}
	return c, nil
}

// Counters returns every counter, by code.
func (s *Store) Counters(ctx context.Context) ([]surveys.Counter, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+counterColumns+` FROM counters ORDER BY code`)
	if err != nil {
		return nil, dbError(err, "the counters could not be read")
	}
	defer rows.Close()
	var out []surveys.Counter
	for rows.Next() {
		c, err := scanCounter(rows)
		if err != nil {
			return nil, dbError(err, "the counters could not be read")
		}
		out = append(out, c)
	}
	return out, dbError(rows.Err(), "the counters could not be read")
}

// PutBaseline stores b for survey, replacing the one of the same year and
// unit.
func (s *Store) PutBaseline(ctx context.Context, survey string, b surveys.Baseline) error {
	vals := b.Values
	if vals == nil {
		vals = map[string]float64{}
	}
	targets := b.Targets
	if targets == nil {
		targets = map[string]float64{}
	}
	vj, err := json.Marshal(vals)
	if err != nil {
		return dbError(err, "the baseline could not be saved")
	}
	tj, err := json.Marshal(targets)
	if err != nil {
		return dbError(err, "the baseline could not be saved")
	}
	_, err = s.wdb.ExecContext(ctx, `INSERT INTO baselines (survey, year, unit, vals, overall, targets)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (survey, year, unit) DO UPDATE SET vals = excluded.vals,
			overall = excluded.overall, targets = excluded.targets`,
		survey, b.Year, b.Unit, string(vj), b.Overall, string(tj))
	return dbError(err, "the baseline could not be saved")
}

// Baselines returns survey's baselines by year, then unit.
func (s *Store) Baselines(ctx context.Context, survey string) ([]surveys.Baseline, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT year, unit, vals, overall, targets FROM baselines
		WHERE survey = ? ORDER BY year, unit`, survey)
	if err != nil {
		return nil, dbError(err, "the baselines could not be read")
	}
	defer rows.Close()
	var out []surveys.Baseline
	for rows.Next() {
		var (
			b      surveys.Baseline
			vj, tj string
		)
		if err := rows.Scan(&b.Year, &b.Unit, &vj, &b.Overall, &tj); err != nil {
			return nil, dbError(err, "the baselines could not be read")
		}
		if err := json.Unmarshal([]byte(vj), &b.Values); err != nil {
			return nil, dbError(err, "the baselines could not be read")
		}
		if err := json.Unmarshal([]byte(tj), &b.Targets); err != nil {
			return nil, dbError(err, "the baselines could not be read")
		}
		if len(b.Targets) == 0 {
			b.Targets = nil
		}
		out = append(out, b)
	}
	return out, dbError(rows.Err(), "the baselines could not be read")
}
