// Package exclusion leaves out of the indices the responses analysts
// excluded after review (surveys.FlagExcluded). Rollups keep counting every
// stored response (so they always match the responses and heal stays
// simple); reads subtract the excluded ones, which are few and found by an
// index, from the tallies merged for a window.
package exclusion

import (
	"context"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// Source finds the excluded responses of a window.
type Source interface {
	EachResponse(ctx context.Context, f surveys.ResponseFilter, fn func(*surveys.Response) error) error
}

// Subtract removes from t the excluded responses that the rollup filter f
// selects.
func Subtract(ctx context.Context, src Source, reg *surveys.Registry, f surveys.DayFilter, t *scoring.Tally) error {
	return each(ctx, src, reg, f, func(r *surveys.Response, v []int8) {
		t.Remove(v)
	}, t.K)
}

// SubtractBy removes the excluded responses of f from the breakdown
// tallies into, each from the tally of its value of dim.
func SubtractBy(ctx context.Context, src Source, reg *surveys.Registry, f surveys.DayFilter, dim string, into map[string]*scoring.Tally) error {
	return each(ctx, src, reg, f, func(r *surveys.Response, v []int8) {
		if t := into[surveys.DimValue(r, dim)]; t != nil && t.K == len(v) {
			t.Remove(v)
		}
	}, -1)
}

// each calls fn with every excluded response of f and its answer vector;
// k >= 0 skips responses of another shape.
func each(ctx context.Context, src Source, reg *surveys.Registry, f surveys.DayFilter, fn func(*surveys.Response, []int8), k int) error {
	rf := surveys.ResponseFilter{Survey: f.Survey, Counter: f.Counter, Channel: f.Channel, Flag: surveys.FlagExcluded}
	if f.FromDay != "" {
		rf.From, _ = time.ParseInLocation(time.DateOnly, f.FromDay, surveys.Location)
	}
	if f.ToDay != "" {
		rf.To, _ = time.ParseInLocation(time.DateOnly, f.ToDay, surveys.Location)
	}
	return src.EachResponse(ctx, rf, func(r *surveys.Response) error {
		def, ok := reg.Get(r.Survey)
		if !ok {
			return nil
		}
		v := r.Vector(def)
		if k >= 0 && len(v) != k {
			return nil
		}
		fn(r, v)
		return nil
	})
}
