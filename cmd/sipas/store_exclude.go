package main

import (
	"context"

	"github.com/sipas/sipas/internal/exclusion"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// excluding is the store as scores and the dashboard read it: rollups
// less the responses analysts excluded after review.
type excluding struct {
	store
	reg *surveys.Registry
}

func (e excluding) MergeRollups(ctx context.Context, f surveys.DayFilter, t *scoring.Tally) error {
	if err := e.store.MergeRollups(ctx, f, t); err != nil {
		return err
	}
	return exclusion.Subtract(ctx, e.store, e.reg, f, t)
}

func (e excluding) MergeRollupsBy(ctx context.Context, f surveys.DayFilter, dim string, into map[string]*scoring.Tally, newTally func() *scoring.Tally) error {
	if err := e.store.MergeRollupsBy(ctx, f, dim, into, newTally); err != nil {
		return err
	}
	return exclusion.SubtractBy(ctx, e.store, e.reg, f, dim, into)
}
