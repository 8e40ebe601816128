package mongostore

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// HealRollups compares, day by day and key by key, the sum of the rollup
// documents (day rollups and breakdowns) of every writer with a tally
// rebuilt from the stored responses. Where they differ (a server stopped between storing
// responses and writing its rollup, say) it writes a correction document
// of writer "heal" holding the difference, replacing the previous
// correction of that key. It never touches another writer's document, so
// it is safe while other servers run. A response another server is
// storing at that very moment may be counted twice for a while; the next
// heal, which recomputes every correction from scratch, settles it. It
// returns the days that differed, sorted.
func (s *Store) HealRollups(ctx context.Context) ([]string, error) {
	days, err := s.distinctDays(ctx)
	if err != nil {
		return nil, err
	}
	var healed []string
	for _, day := range days {
		changed, err := s.healDay(ctx, day)
		if err != nil {
			return healed, err
		}
		if changed {
			healed = append(healed, day)
		}
	}
	if len(healed) > 0 {
		s.log.Info("rollups healed", "days", len(healed), "first", healed[0], "last", healed[len(healed)-1])
	}
	return healed, nil
}

// distinctDays returns every day with a response or a rollup, sorted.
func (s *Store) distinctDays(ctx context.Context) ([]string, error) {
	set := map[string]bool{}
	for _, coll := range []string{collResponses, collRollups, collRollupDims} {
		vals, err := s.coll(coll).Distinct(ctx, "day", bson.D{})
		if err != nil {
			return nil, storeErr(err, "list days")
		}
		for _, v := range vals {
			if d, ok := v.(string); ok {
				set[d] = true
			}
		}
	}
	days := make([]string, 0, len(set))
	for d := range set {
		days = append(days, d)
	}
	slices.Sort(days)
	return days, nil
}

// healDay corrects the rollups of one day, breakdowns included, and
// reports whether any key differed.
func (s *Store) healDay(ctx context.Context, day string) (bool, error) {
	raw := map[scoring.Key]*scoring.Tally{}
	rawDims := map[dimKey]*scoring.Tally{}
	cur, err := s.coll(collResponses).Find(ctx, bson.D{{Key: "day", Value: day}})
	if err != nil {
		return false, storeErr(err, "find responses")
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var d responseDoc
		if err := cur.Decode(&d); err != nil {
			return false, storeErr(err, "decode response")
		}
		r := toResponse(&d)
		def, ok := s.reg.Get(r.Survey)
		if !ok {
			s.log.Warn("response of an unknown survey left out of rollups", "id", r.ID, "survey", r.Survey)
			continue
		}
		v := r.Vector(def)
		k := rollupKeyOf(&r)
		k.Day = day // as stored, whatever the zone rules said then
		addTo(raw, k, def, v)
		for _, dk := range dimKeysOf(&r, day) {
			addTo(rawDims, dk, def, v)
		}
	}
	if err := cur.Err(); err != nil {
		return false, storeErr(err, "read responses")
	}

	// Sum the writers' documents per key, keeping the corrections apart.
	others := map[scoring.Key]*scoring.Tally{}
	heals := map[scoring.Key]*scoring.Tally{}
	err = s.eachRollupDoc(ctx, bson.D{{Key: "day", Value: day}}, nil, func(d *rollupDoc, r *scoring.Rollup) error {
		sums := others
		if d.Writer == healWriter {
			sums = heals
		}
		return mergeInto(sums, d.key(), r.Tally)
	})
	if err != nil {
		return false, err
	}
	otherDims := map[dimKey]*scoring.Tally{}
	healDims := map[dimKey]*scoring.Tally{}
	err = s.eachDimDoc(ctx, bson.D{{Key: "day", Value: day}}, func(d *dimDoc, t *scoring.Tally) error {
		sums := otherDims
		if d.Writer == healWriter {
			sums = healDims
		}
		return mergeInto(sums, d.key(), t)
	})
	if err != nil {
		return false, err
	}

	changed, err := reconcile(raw, others, heals,
		func(k scoring.Key, t *scoring.Tally) error { return s.replaceRollup(ctx, healWriter, k, t) },
		func(k scoring.Key) error {
			_, err := s.coll(collRollups).DeleteOne(ctx, bson.D{{Key: "_id", Value: rollupID(healWriter, k)}})
			return storeErr(err, "delete rollup correction")
		})
	if err != nil {
		return false, err
	}
	changedDims, err := reconcile(rawDims, otherDims, healDims,
		func(k dimKey, t *scoring.Tally) error { return s.replaceDim(ctx, healWriter, k, t) },
		func(k dimKey) error {
			_, err := s.coll(collRollupDims).DeleteOne(ctx, bson.D{{Key: "_id", Value: dimID(healWriter, k)}})
			return storeErr(err, "delete breakdown correction")
		})
	return changed || changedDims, err
}

// addTo adds v to the tally of k in m, creating it shaped for def.
func addTo[K comparable](m map[K]*scoring.Tally, k K, def *surveys.Definition, v []int8) {
	t := m[k]
	if t == nil {
		t = newTally(def)
		m[k] = t
	}
	t.Add(v)
}

// mergeInto adds t, which the caller gives up, to the tally of k in m.
func mergeInto[K comparable](m map[K]*scoring.Tally, k K, t *scoring.Tally) error {
	if m[k] == nil {
		m[k] = t
		return nil
	}
	return m[k].Merge(t)
}

// reconcile makes, for every key, the correction (heals) equal to what
// the responses count (raw) minus what the writers' documents count
// (others), writing the corrections that changed with write and removing
// those that became zero with remove. It reports whether any changed.
func reconcile[K comparable](raw, others, heals map[K]*scoring.Tally,
	write func(K, *scoring.Tally) error, remove func(K) error) (bool, error) {
	keys := map[K]bool{}
	for _, m := range []map[K]*scoring.Tally{raw, others, heals} {
		for k := range m {
			keys[k] = true
		}
	}
	changed := false
	for k := range keys {
		want, sum := raw[k], others[k]
		if want == nil {
			want = zeroLike(sum, heals[k])
		}
		if sum == nil {
			sum = zeroLike(want, nil)
		}
		correction, err := subtract(want, sum)
		if err != nil {
			return false, surveys.Wrap(surveys.EINTERNAL, err, "rollups of different shapes")
		}
		old := heals[k]
		if old == nil {
			old = zeroLike(correction, nil)
		}
		if correction.Equal(old) {
			continue
		}
		changed = true
		if isZero(correction) {
			err = remove(k)
		} else {
			err = write(k, correction)
		}
		if err != nil {
			return false, err
		}
	}
	return changed, nil
}

// zeroLike returns an empty tally shaped like a, or like b when a is nil.
func zeroLike(a, b *scoring.Tally) *scoring.Tally {
	if a == nil {
		a = b
	}
	return scoring.NewTally(a.K, a.Max, a.SatisfiedMin)
}
