package mongostore

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

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
	keys := make([]dimKey, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareDimKeys)

	entries := make([]*rollupEntry, len(keys))
	for i, k := range keys {
		entries[i] = s.dims.acquire(k)
	}
	defer s.dims.release(entries)
	for _, e := range entries {
		e.mu.Lock()
		defer e.mu.Unlock()
	}

	var errs error
	now := time.Now()
	nexts := make([]*scoring.Tally, len(keys))
	models := make([]mongo.WriteModel, 0, len(keys))
	for i, k := range keys {
		e := entries[i]
		d, err := s.definition(k.Survey)
		if err != nil {
			errs = errors.Join(errs, err)
			continue
		}
		if err := s.loadDim(ctx, k, d, e); err != nil {
			errs = errors.Join(errs, err) // uncounted until the next heal
			continue
		}
		next := e.tally.Clone()
		for _, r := range byKey[k] {
			next.Add(r.Vector(d))
		}
		doc, err := toDimDoc(s.writer, k, next, now)
		if err != nil {
			errs = errors.Join(errs, err)
			continue
		}
		nexts[i] = next
		models = append(models, mongo.NewReplaceOneModel().
			SetFilter(bson.D{{Key: "_id", Value: doc.ID}}).
			SetReplacement(doc).
			SetUpsert(true))
	}
	var writeErr error
	if len(models) > 0 {
		_, writeErr = s.coll(collRollupDims).BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	}
	for i, k := range keys {
		if nexts[i] == nil {
			continue
		}
		entries[i].tally = nexts[i]
		entries[i].dirty = writeErr != nil
		if writeErr == nil {
			s.dims.markWritten(k)
		}
	}
	if writeErr != nil {
		errs = errors.Join(errs, storeErr(writeErr, "write breakdown rollups"))
	}
	return errs
}

// loadDim fills e.tally, locked by the caller, from this writer's stored
// document, or empty when there is none.
func (s *Store) loadDim(ctx context.Context, k dimKey, def *surveys.Definition, e *rollupEntry) error {
	if e.tally != nil {
		return nil
	}
	if !s.dims.wasWritten(k) {
		e.tally = newTally(def)
		return nil
	}
	var doc dimDoc
	err := s.coll(collRollupDims).FindOne(ctx, bson.D{{Key: "_id", Value: dimID(s.writer, k)}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		e.tally = newTally(def)
		return nil
	}
	if err != nil {
		return storeErr(err, "read breakdown rollup")
	}
	t, err := doc.tally()
	if err != nil {
		return err
	}
	e.tally = t
	return nil
}

// flushDims writes the breakdown documents whose last write failed.
func (s *Store) flushDims(ctx context.Context) error {
	s.dims.mu.Lock()
	var keys []dimKey
	for k := range s.dims.entries {
		keys = append(keys, k)
	}
	s.dims.mu.Unlock()
	slices.SortFunc(keys, compareDimKeys)

	var errs error
	for _, k := range keys {
		e := s.dims.acquire(k)
		e.mu.Lock()
		if e.dirty {
			err := s.replaceDim(ctx, s.writer, k, e.tally)
			if err == nil {
				e.dirty = false
				s.dims.markWritten(k)
			}
			errs = errors.Join(errs, err)
		}
		e.mu.Unlock()
		s.dims.release([]*rollupEntry{e})
	}
	return errs
}

func (s *Store) replaceDim(ctx context.Context, writer string, k dimKey, t *scoring.Tally) error {
	doc, err := toDimDoc(writer, k, t, time.Now())
	if err != nil {
		return err
	}
	_, err = s.coll(collRollupDims).ReplaceOne(ctx, bson.D{{Key: "_id", Value: doc.ID}}, doc, options.Replace().SetUpsert(true))
	return storeErr(err, "write breakdown rollup")
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
