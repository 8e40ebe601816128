package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/sipas/sipas/surveys"
)

// Response returns the stored response with id, or an ENOTFOUND error.
func (s *Store) Response(ctx context.Context, id string) (surveys.Response, error) {
	var row responseRow
	err := row.scan(s.rdb.QueryRowContext(ctx, `SELECT `+responseColumns+` FROM responses WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return surveys.Response{}, notFound("no response %s", id)
	}
	if err != nil {
		return surveys.Response{}, dbError(err, "the response could not be read")
	}
	var r surveys.Response
	if err := row.toResponse(&r); err != nil {
		return surveys.Response{}, dbError(err, "the response could not be read")
	}
	return r, nil
}

// CountResponses counts the stored responses matching f.
func (s *Store) CountResponses(ctx context.Context, f surveys.ResponseFilter) (int64, error) {
	where, args := responseWhere(f)
	var n int64
	if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM responses`+where, args...).Scan(&n); err != nil {
		return 0, dbError(err, "the responses could not be counted")
	}
	return n, nil
}

// EachResponse calls fn for every response matching f, by SubmittedAt then
// ID, one row at a time. fn's error stops the walk and is returned as is.
// The *Response is reused between calls: fn must copy what it keeps.
func (s *Store) EachResponse(ctx context.Context, f surveys.ResponseFilter, fn func(*surveys.Response) error) error {
	where, args := responseWhere(f)
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+responseColumns+` FROM responses`+where+
		` ORDER BY submitted_at, id`, args...)
	if err != nil {
		return dbError(err, "the responses could not be read")
	}
	defer rows.Close()
	var (
		row responseRow
		r   surveys.Response
	)
	for rows.Next() {
		if err := row.scan(rows); err != nil {
			return dbError(err, "the responses could not be read")
		}
		if err := row.toResponse(&r); err != nil {
			return dbError(err, "the responses could not be read")
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return dbError(err, "the responses could not be read")
	}
	return nil
}

// responseWhere builds the WHERE clause of f; the zero filter selects all.
func responseWhere(f surveys.ResponseFilter) (string, []any) {
	var conds []string
	var args []any
	if f.Survey != "" {
		conds = append(conds, "survey = ?")
		args = append(args, f.Survey)
	}
	if !f.From.IsZero() {
		conds = append(conds, "submitted_at >= ?")
		args = append(args, ceilMilli(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "submitted_at < ?")
		args = append(args, ceilMilli(f.To))
	}
	if f.Counter != "" {
		conds = append(conds, "counter = ?")
		args = append(args, f.Counter)
	}
	if f.Channel != "" {
		conds = append(conds, "channel = ?")
		args = append(args, string(f.Channel))
	}
	if f.Flag != "" {
		// Flags are a JSON array of codes ([a-z_]); the quoted code
		// matches one element. The excluded flag has a partial index.
		conds = append(conds, "instr(flags, ?) > 0")
		args = append(args, strconv.Quote(f.Flag))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ceilMilli rounds t up to a whole millisecond, the precision times are
// stored with, so that bounds finer than that still compare exactly.
func ceilMilli(t time.Time) int64 {
	ms := t.UnixMilli()
	if time.UnixMilli(ms).Before(t) {
		ms++
	}
	return ms
}
