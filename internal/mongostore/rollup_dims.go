package mongostore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// rollupDims are the breakdowns kept in rollup_dims; counter and channel
// breakdowns come from the rollups themselves.
var rollupDims = [...]string{surveys.DimProcedure, surveys.DimLang, surveys.DimDevice}

// dimKey keys a breakdown rollup (scoring.DimKey).
type dimKey = scoring.DimKey

var compareDimKeys = scoring.CompareDimKeys

// dimValue is r's value in a breakdown by dim (surveys.DimValue).
var dimValue = surveys.DimValue

// dimKeysOf returns the breakdown rollups r belongs to, on day.
func dimKeysOf(r *surveys.Response, day string) [len(rollupDims)]dimKey {
	var ks [len(rollupDims)]dimKey
	for i, dim := range rollupDims {
		ks[i] = dimKey{Survey: r.Survey, Version: r.Version, Day: day, Counter: r.Counter, Channel: string(r.Channel),
			Dim: dim, Value: dimValue(r, dim)}
	}
	return ks
}

// dimDoc is one writer's tally of one breakdown key; like rollupDoc, only
// that writer ever writes it, replacing it whole. A document written
// before breakdowns were kept per channel has no channel field and
// decodes with Channel "": see migration step 5.
type dimDoc struct {
	ID          string    `bson:"_id"`
	Survey      string    `bson:"survey"`
	Version     int       `bson:"version"`
	Day         string    `bson:"day"`
	Counter     string    `bson:"counter"`
	Channel     string    `bson:"channel"`
	Dim         string    `bson:"dim"`
	Value       string    `bson:"value"`
	Writer      string    `bson:"writer"`
	Respondents int64     `bson:"respondents"`
	Tally       []byte    `bson:"tally"` // scoring.Tally.MarshalBinary
	UpdatedAt   time.Time `bson:"updated_at"`
}

func dimID(writer string, k dimKey) string {
	return strings.Join([]string{writer, k.Survey, strconv.Itoa(k.Version), k.Day, k.Counter, k.Channel, k.Dim, k.Value}, "|")
}

func toDimDoc(writer string, k dimKey, t *scoring.Tally, now time.Time) (dimDoc, error) {
	b, err := t.MarshalBinary()
	if err != nil {
		return dimDoc{}, err
	}
	return dimDoc{
		ID: dimID(writer, k), Survey: k.Survey, Version: k.Version, Day: k.Day, Counter: k.Counter,
		Channel: k.Channel, Dim: k.Dim, Value: k.Value, Writer: writer, Respondents: t.Respondents, Tally: b,
		UpdatedAt: now.UTC().Truncate(time.Millisecond),
	}, nil
}

func (d *dimDoc) key() dimKey {
	return dimKey{Survey: d.Survey, Version: d.Version, Day: d.Day, Counter: d.Counter, Channel: d.Channel, Dim: d.Dim, Value: d.Value}
}

func (d *dimDoc) tally() (*scoring.Tally, error) {
	t := new(scoring.Tally)
	if err := t.UnmarshalBinary(d.Tally); err != nil {
		return nil, surveys.Wrap(surveys.EINTERNAL, err, "corrupt breakdown rollup")
	}
	return t, nil
}

// addToDims adds new responses to this instance's breakdown rollups, as
// addToRollups does for the day rollups: documents locked in key order,
// tallies moved on in memory, documents replaced in one bulk write.
func (s *Store) addToDims(ctx context.Context, rs []*surveys.Response) error {
	if len(rs) == 0 {
		return nil
	}
	byKey := make(map[dimKey][]*surveys.Response)
	for _, r := range rs {
		for _, k := range dimKeysOf(r, surveys.Day(r.SubmittedAt)) {
			byKey[k] = append(byKey[k], r)
		}
	}
	return addToDocs(ctx, s, s.dimKind(), byKey)
}

// flushDims writes the breakdown documents whose last write failed.
func (s *Store) flushDims(ctx context.Context) error { return flushDocs(ctx, s, s.dimKind()) }

func (s *Store) replaceDim(ctx context.Context, writer string, k dimKey, t *scoring.Tally) error {
	return replaceDoc(ctx, s, s.dimKind(), writer, k, t)
}

// eachDimDoc calls fn with every breakdown document matching filter.
func (s *Store) eachDimDoc(ctx context.Context, filter bson.D, fn func(*dimDoc, *scoring.Tally) error) error {
	cur, err := s.coll(collRollupDims).Find(ctx, filter)
	if err != nil {
		return storeErr(err, "find breakdown rollups")
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var d dimDoc
		if err := cur.Decode(&d); err != nil {
			return storeErr(err, "decode breakdown rollup")
		}
		t, err := d.tally()
		if err != nil {
			return err
		}
		if err := fn(&d, t); err != nil {
			return err
		}
	}
	return storeErr(cur.Err(), "read breakdown rollups")
}

// MergeRollupsBy adds the rollups selected by f into one tally per value
// of dim, taking tallies from into or creating them with newTally. The
// counter and channel breakdowns walk the day rollups; the procedure,
// language and tablet ones the breakdown documents of every writer (day
// documents only: see MergeRollups). Rollups of a version whose shape
// differs from newTally's are skipped. Breakdown documents are kept per
// counter and channel, so every filter applies to them as to the day
// rollups.
func (s *Store) MergeRollupsBy(ctx context.Context, f surveys.DayFilter, dim string,
	into map[string]*scoring.Tally, newTally func() *scoring.Tally) error {
	merge := func(value string, t *scoring.Tally) error {
		dst, ok := into[value]
		if !ok {
			dst = newTally()
		}
		if err := dst.Merge(t); err != nil {
			if errors.Is(err, scoring.ErrShape) {
				return nil
			}
			return err
		}
		into[value] = dst
		return nil
	}
	switch dim {
	case surveys.DimCounter, surveys.DimChannel:
		return s.EachRollup(ctx, f, func(r *scoring.Rollup) error {
			if dim == surveys.DimCounter {
				return merge(r.Counter, r.Tally)
			}
			return merge(r.Channel, r.Tally)
		})
	case surveys.DimProcedure, surveys.DimLang, surveys.DimDevice:
		filter := append(dayFilter(f), bson.E{Key: "dim", Value: dim})
		return s.eachDimDoc(ctx, filter, func(d *dimDoc, t *scoring.Tally) error {
			return merge(d.Value, t)
		})
	}
	return surveys.Errorf(surveys.EINVALID, "unknown breakdown %q", dim)
}
