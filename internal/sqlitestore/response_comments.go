package sqlitestore

import (
	"context"

	"github.com/sipas/sipas/surveys"
)

// RecentComments returns up to limit responses of f that carry a comment,
// newest first. It walks the (survey, submitted_at) index backwards from
// the end of the window and stops at limit, so a report's "latest
// comments" cost a few hundred rows at any volume.
func (s *Store) RecentComments(ctx context.Context, f surveys.ResponseFilter, limit int) ([]surveys.Response, error) {
	where, args := responseWhere(f)
	cond := " WHERE "
	if where != "" {
		cond = " AND "
	}
	args = append(args, limit)
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+responseColumns+` FROM responses`+where+cond+
		`json_extract(extra, '$.comment') IS NOT NULL ORDER BY submitted_at DESC, id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, dbError(err, "the comments could not be read")
	}
	defer rows.Close()
	var out []surveys.Response
	for rows.Next() {
		var (
			row responseRow
			r   surveys.Response
		)
		if err := row.scan(rows); err != nil {
			return nil, dbError(err, "the comments could not be read")
		}
		if err := row.toResponse(&r); err != nil {
			return nil, dbError(err, "the comments could not be read")
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(err, "the comments could not be read")
	}
	return out, nil
}
