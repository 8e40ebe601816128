package mongostore

import (
	"context"
	"errors"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// docKind is a kind of single-writer tally document: the day rollups
// (keyed by scoring.Key) and the breakdown rollups (keyed by dimKey).
// Both are written the same way; this says how each is keyed and encoded.
type docKind[K comparable] struct {
	cache   *rollupCache[K]
	coll    string
	what    string // for error messages: "rollup", "breakdown rollup"
	compare func(a, b K) int
	survey  func(K) string
	id      func(writer string, k K) string
	toDoc   func(writer string, k K, t *scoring.Tally, now time.Time) (any, error)
	decode  func(*mongo.SingleResult) (*scoring.Tally, error)
}

func (s *Store) rollupKind() docKind[scoring.Key] {
	return docKind[scoring.Key]{
		cache: &s.rollups, coll: collRollups, what: "rollup", compare: compareKeys,
		survey: func(k scoring.Key) string { return k.Survey },
		id:     rollupID,
		toDoc: func(writer string, k scoring.Key, t *scoring.Tally, now time.Time) (any, error) {
			return toRollupDoc(writer, k, t, now)
		},
		decode: func(res *mongo.SingleResult) (*scoring.Tally, error) {
			var doc rollupDoc
			if err := res.Decode(&doc); err != nil {
				return nil, err
			}
			r, err := toRollup(&doc)
			if err != nil {
				return nil, surveys.Wrap(surveys.EINTERNAL, err, "corrupt rollup")
			}
			return r.Tally, nil
		},
	}
}

func (s *Store) dimKind() docKind[dimKey] {
	return docKind[dimKey]{
		cache: &s.dims, coll: collRollupDims, what: "breakdown rollup", compare: compareDimKeys,
		survey: func(k dimKey) string { return k.Survey },
		id:     dimID,
		toDoc: func(writer string, k dimKey, t *scoring.Tally, now time.Time) (any, error) {
			return toDimDoc(writer, k, t, now)
		},
		decode: func(res *mongo.SingleResult) (*scoring.Tally, error) {
			var doc dimDoc
			if err := res.Decode(&doc); err != nil {
				return nil, err
			}
			return doc.tally()
		},
	}
}

// addToDocs adds the responses grouped by key to this instance's
// documents of kind: it locks the documents concerned in key order (so
// concurrent batches cannot deadlock), adds the responses in memory and
// replaces the documents in one unordered bulk write.
func addToDocs[K comparable](ctx context.Context, s *Store, kind docKind[K], byKey map[K][]*surveys.Response) error {
	keys := make([]K, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, kind.compare)

	entries := make([]*rollupEntry, len(keys))
	for i, k := range keys {
		entries[i] = kind.cache.acquire(k)
	}
	defer kind.cache.release(entries)
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
		d, err := s.definition(kind.survey(k))
		if err != nil {
			errs = errors.Join(errs, err)
			continue
		}
		if err := loadDoc(ctx, s, kind, k, d, e); err != nil {
			// These responses stay uncounted until the next heal.
			errs = errors.Join(errs, err)
			continue
		}
		next := e.tally.Clone()
		for _, r := range byKey[k] {
			next.Add(r.Vector(d))
		}
		doc, err := kind.toDoc(s.writer, k, next, now)
		if err != nil {
			errs = errors.Join(errs, err)
			continue
		}
		nexts[i] = next
		models = append(models, mongo.NewReplaceOneModel().
			SetFilter(bson.D{{Key: "_id", Value: kind.id(s.writer, k)}}).
			SetReplacement(doc).
			SetUpsert(true))
	}
	var writeErr error
	if len(models) > 0 {
		_, writeErr = s.coll(kind.coll).BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	}
	for i, k := range keys {
		if nexts[i] == nil {
			continue
		}
		// The responses are stored whether or not this write went
		// through, so the in-memory tally moves on; a failed document
		// stays dirty and is written again with the next change or at
		// Close.
		entries[i].tally = nexts[i]
		entries[i].dirty = writeErr != nil
		if writeErr == nil {
			kind.cache.markWritten(k)
		}
	}
	if writeErr != nil {
		errs = errors.Join(errs, storeErr(writeErr, "write "+kind.what+"s"))
	}
	return errs
}

// loadDoc fills e.tally, locked by the caller, from this writer's stored
// document of k, or empty when there is none.
func loadDoc[K comparable](ctx context.Context, s *Store, kind docKind[K], k K, def *surveys.Definition, e *rollupEntry) error {
	if e.tally != nil {
		return nil
	}
	if !kind.cache.wasWritten(k) {
		e.tally = newTally(def)
		return nil
	}
	t, err := kind.decode(s.coll(kind.coll).FindOne(ctx, bson.D{{Key: "_id", Value: kind.id(s.writer, k)}}))
	if errors.Is(err, mongo.ErrNoDocuments) {
		e.tally = newTally(def)
		return nil
	}
	if err != nil {
		return storeErr(err, "read "+kind.what)
	}
	e.tally = t
	return nil
}

// flushDocs writes the documents of kind whose last write failed.
func flushDocs[K comparable](ctx context.Context, s *Store, kind docKind[K]) error {
	kind.cache.mu.Lock()
	var keys []K
	for k := range kind.cache.entries {
		keys = append(keys, k)
	}
	kind.cache.mu.Unlock()
	slices.SortFunc(keys, kind.compare)

	var errs error
	for _, k := range keys {
		e := kind.cache.acquire(k)
		e.mu.Lock()
		if e.dirty {
			err := replaceDoc(ctx, s, kind, s.writer, k, e.tally)
			if err == nil {
				e.dirty = false
				kind.cache.markWritten(k)
			}
			errs = errors.Join(errs, err)
		}
		e.mu.Unlock()
		kind.cache.release([]*rollupEntry{e})
	}
	return errs
}

// replaceDoc replaces writer's document of k with t.
func replaceDoc[K comparable](ctx context.Context, s *Store, kind docKind[K], writer string, k K, t *scoring.Tally) error {
	doc, err := kind.toDoc(writer, k, t, time.Now())
	if err != nil {
		return err
	}
	_, err = s.coll(kind.coll).ReplaceOne(ctx, bson.D{{Key: "_id", Value: kind.id(writer, k)}}, doc, options.Replace().SetUpsert(true))
	return storeErr(err, "write "+kind.what)
}
