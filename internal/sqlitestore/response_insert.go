package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// InsertResponses stores rs and their rollup updates, returning per
// response whether it was new. It returns once the commit is synced to
// disk. Calls from many goroutines share commits (see writer).
func (s *Store) InsertResponses(ctx context.Context, rs []surveys.Response) ([]bool, error) {
	if len(rs) == 0 {
		return []bool{}, nil
	}
	for i := range rs {
		if _, ok := s.reg.Get(rs[i].Survey); !ok {
			return nil, &surveys.Error{Code: surveys.EINVALID, Message: "unknown survey",
				Fields: map[string]string{"survey": surveys.MsgUnknownSurvey}}
		}
		if rs[i].ID == "" {
			return nil, &surveys.Error{Code: surveys.EINVALID, Message: "a response has no id",
				Fields: map[string]string{"id": surveys.MsgBadUUID}}
		}
	}
	return s.w.submit(ctx, rs)
}

const insertResponseSQL = `INSERT INTO responses (` + responseColumns + `)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING`

// insertBatch writes every response of reqs and the rollup updates of the
// new ones (day rollups, summaries, breakdowns) in one transaction. A response whose id is already stored, in
// the table or earlier in the batch, is reported false and adds nothing.
func (s *Store) insertBatch(ctx context.Context, reqs []*insertReq) ([][]bool, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	stmt, err := tx.PrepareContext(ctx, insertResponseSQL)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()

	deltas := map[scoring.Key]*scoring.Tally{}
	dims := map[dimKey]*scoring.Tally{}
	out := make([][]bool, len(reqs))
	for i, req := range reqs {
		out[i] = make([]bool, len(req.rs))
		for j := range req.rs {
			r := &req.rs[j]
			row, err := toResponseRow(r)
			if err != nil {
				return nil, err
			}
			res, err := stmt.ExecContext(ctx, row.args()...)
			if err != nil {
				return nil, err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return nil, err
			}
			if n == 0 {
				continue
			}
			out[i][j] = true
			def, ok := s.reg.Get(r.Survey)
			if !ok {
				return nil, fmt.Errorf("response %s: unknown survey %q", r.ID, r.Survey)
			}
			k := scoring.Key{Survey: r.Survey, Version: r.Version, Day: row.Day, Counter: r.Counter, Channel: string(r.Channel)}
			t := deltas[k]
			if t == nil {
				t = newTally(def)
				deltas[k] = t
			}
			v := r.Vector(def)
			t.Add(v)
			addDims(dims, def, r, row.Day, v)
		}
	}
	// Summaries first: adding to the stored rows merges those into the
	// deltas.
	sums, dimSums := sumDeltas(deltas), dimMonths(dims)
	if err := addToRollups(ctx, tx, deltas); err != nil {
		return nil, err
	}
	if err := addToSums(ctx, tx, sums); err != nil {
		return nil, err
	}
	if err := addToDims(ctx, tx, dimDays, dims); err != nil {
		return nil, err
	}
	if err := addToDims(ctx, tx, dimMonthT, dimSums); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return out, nil
}

func newTally(def *surveys.Definition) *scoring.Tally {
	return scoring.NewTally(len(def.Items()), def.Scale.Max(), def.Scale.SatisfiedMin)
}

// addToRollups merges each delta into its stored rollup row.
func addToRollups(ctx context.Context, tx *sql.Tx, deltas map[scoring.Key]*scoring.Tally) error {
	return mergeInto(ctx, tx, rollupTable, deltas)
}

const upsertRollupSQL = `INSERT INTO rollups (survey, version, day, counter, channel, respondents, tally)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (survey, version, day, counter, channel)
DO UPDATE SET respondents = excluded.respondents, tally = excluded.tally`

func putRollup(ctx context.Context, put *sql.Stmt, k scoring.Key, t *scoring.Tally) error {
	return putTally(ctx, put, keyArgs(k), t)
}

func keyLess(a, b scoring.Key) bool {
	if a.Survey != b.Survey {
		return a.Survey < b.Survey
	}
	if a.Version != b.Version {
		return a.Version < b.Version
	}
	if a.Day != b.Day {
		return a.Day < b.Day
	}
	if a.Counter != b.Counter {
		return a.Counter < b.Counter
	}
	return a.Channel < b.Channel
}

// InsertUnbatched stores one response in a transaction of its own, synced
// before it returns, bypassing group commit: the "one durable insert per
// response" baseline that `sipas loadtest --compare` measures the API
// against. Concurrent calls queue for the single write connection.
func (s *Store) InsertUnbatched(ctx context.Context, r surveys.Response) (bool, error) {
	if _, ok := s.reg.Get(r.Survey); !ok || r.ID == "" {
		return false, &surveys.Error{Code: surveys.EINVALID, Message: "unknown survey or no id"}
	}
	out, err := s.insertBatch(ctx, []*insertReq{{ctx: ctx, rs: []surveys.Response{r}}})
	if err != nil {
		return false, dbError(err, "the response could not be stored")
	}
	return out[0][0], nil
}
