// Package scores answers "what is the index now": it merges the stored
// rollups of a window into one tally and scores it against the baseline of
// the requested year. The score command and the scores API share it.
package scores

import (
	"context"
	"fmt"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// Store is what scoring needs of a store.
type Store interface {
	MergeRollups(ctx context.Context, f surveys.DayFilter, t *scoring.Tally) error
	EachResponse(ctx context.Context, f surveys.ResponseFilter, fn func(*surveys.Response) error) error
	Baselines(ctx context.Context, survey string) ([]surveys.Baseline, error)
}

// Query selects what to score.
type Query struct {
	Survey       string // default surveys.Default
	From, To     string // YYYY-MM-DD in Asia/Ho_Chi_Minh; From inclusive, To exclusive; "" unbounded
	Counter      string
	Channel      surveys.Channel
	BaselineYear int // default 2022
	Method       surveys.Method
}

// Service computes scores.
type Service struct {
	store   Store
	surveys *surveys.Registry
}

// New returns a Service.
func New(store Store, reg *surveys.Registry) *Service {
	return &Service{store: store, surveys: reg}
}

// DefaultBaselineYear is the year the plan's targets are set against.
const DefaultBaselineYear = 2022

// Normalize fills defaults and checks q, returning an EINVALID error
// naming the bad field.
func (s *Service) Normalize(q Query) (Query, *surveys.Definition, error) {
	if q.Survey == "" {
		q.Survey = surveys.Default
	}
	if q.BaselineYear == 0 {
		q.BaselineYear = DefaultBaselineYear
	}
	fields := map[string]string{}
	def, ok := s.surveys.Get(q.Survey)
	if !ok {
		fields["survey"] = surveys.MsgUnknownSurvey
	}
	for name, v := range map[string]string{"from": q.From, "to": q.To} {
		if v == "" {
			continue
		}
		if _, err := time.ParseInLocation(time.DateOnly, v, surveys.Location); err != nil {
			fields[name] = surveys.MsgBadTime
		}
	}
	if q.From != "" && q.To != "" && q.To < q.From && len(fields) == 0 {
		fields["to"] = surveys.MsgBadTime
	}
	if q.Channel != "" && !q.Channel.Valid() {
		fields["channel"] = surveys.MsgBadChannel
	}
	if len(fields) > 0 {
		return q, nil, &surveys.Error{Code: surveys.EINVALID, Message: "invalid score query", Fields: fields}
	}
	return q, def, nil
}

// Tally merges the rollups selected by q.
func (s *Service) Tally(ctx context.Context, q Query) (*scoring.Tally, *surveys.Definition, error) {
	q, def, err := s.Normalize(q)
	if err != nil {
		return nil, nil, err
	}
	t := scoring.NewTallyFor(def)
	err = s.store.MergeRollups(ctx, surveys.DayFilter{
		Survey: q.Survey, FromDay: q.From, ToDay: q.To, Counter: q.Counter, Channel: q.Channel,
	}, t)
	if err != nil {
		return nil, nil, err
	}
	return t, def, nil
}

// Score scores the window of q from rollups.
func (s *Service) Score(ctx context.Context, q Query) (scoring.Score, error) {
	q, def, err := s.Normalize(q)
	if err != nil {
		return scoring.Score{}, err
	}
	t, _, err := s.Tally(ctx, q)
	if err != nil {
		return scoring.Score{}, err
	}
	return s.compute(ctx, q, def, t)
}

// Recompute scores the window of q from the raw responses, ignoring the
// rollups. Tests and the consistency check compare it with Score.
func (s *Service) Recompute(ctx context.Context, q Query) (scoring.Score, error) {
	q, def, err := s.Normalize(q)
	if err != nil {
		return scoring.Score{}, err
	}
	t := scoring.NewTallyFor(def)
	f := surveys.ResponseFilter{Survey: q.Survey, Counter: q.Counter, Channel: q.Channel}
	if q.From != "" {
		f.From, _ = time.ParseInLocation(time.DateOnly, q.From, surveys.Location)
	}
	if q.To != "" {
		f.To, _ = time.ParseInLocation(time.DateOnly, q.To, surveys.Location)
	}
	err = s.store.EachResponse(ctx, f, func(r *surveys.Response) error {
		t.Add(r.Vector(def))
		return nil
	})
	if err != nil {
		return scoring.Score{}, err
	}
	return s.compute(ctx, q, def, t)
}

func (s *Service) compute(ctx context.Context, q Query, def *surveys.Definition, t *scoring.Tally) (scoring.Score, error) {
	base, err := s.baseline(ctx, def, q.BaselineYear)
	if err != nil {
		return scoring.Score{}, err
	}
	return scoring.Compute(def, t, scoring.Options{From: q.From, To: q.To, Baseline: base, Method: q.Method}), nil
}

// baseline returns the stored baseline of year (the first unit), falling
// back to the one shipped in the definition.
func (s *Service) baseline(ctx context.Context, def *surveys.Definition, year int) (surveys.Baseline, error) {
	bs, err := s.store.Baselines(ctx, def.ID)
	if err != nil {
		return surveys.Baseline{}, fmt.Errorf("load baselines: %w", err)
	}
	for _, b := range bs {
		if b.Year == year {
			return b, nil
		}
	}
	b, _ := def.Baseline(year, "")
	return b, nil
}
