package mongostore

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// HealRollups compares, day by day and key by key, the sum of the rollup
// documents of every writer with a tally rebuilt from the stored
// responses. Where they differ (a server stopped between storing
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
	for _, coll := range []string{collResponses, collRollups} {
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

// healDay corrects the rollups of one day and reports whether any key
// differed.
func (s *Store) healDay(ctx context.Context, day string) (bool, error) {
	raw := map[scoring.Key]*scoring.Tally{}
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
		k := rollupKeyOf(&r)
		k.Day = day // as stored, whatever the zone rules said then
		t := raw[k]
		if t == nil {
			t = newTally(def)
			raw[k] = t
		}
		t.Add(r.Vector(def))
	}
	if err := cur.Err(); err != nil {
		return false, storeErr(err, "read responses")
	}

	// Sum the writers' documents per key, keeping the correction apart.
	others := map[scoring.Key]*scoring.Tally{}
	heals := map[scoring.Key]*scoring.Tally{}
	err = s.eachRollupDoc(ctx, bson.D{{Key: "day", Value: day}}, nil, func(d *rollupDoc, r *scoring.Rollup) error {
		sums := others
		if d.Writer == healWriter {
			sums = heals
		}
		k := d.key()
		if sums[k] == nil {
			sums[k] = r.Tally
			return nil
		}
		return sums[k].Merge(r.Tally)
	})
	if err != nil {
		return false, err
	}

	keys := map[scoring.Key]bool{}
	for _, m := range []map[scoring.Key]*scoring.Tally{raw, others, heals} {
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
			_, err = s.coll(collRollups).DeleteOne(ctx, bson.D{{Key: "_id", Value: rollupID(healWriter, k)}})
			err = storeErr(err, "delete rollup correction")
		} else {
			err = s.replaceRollup(ctx, healWriter, k, correction)
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
