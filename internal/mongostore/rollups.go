package mongostore

import (
	"cmp"
	"context"
	"errors"
	"sync"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// maxCachedRollups bounds the rollup documents kept in memory; beyond it,
// documents that are written and not in use are dropped and read back by
// _id when needed again.
const maxCachedRollups = 4096

// rollupCache holds this instance's rollup documents. Because the
// instance is their only writer, its copy is the truth and each write
// replaces the stored document whole.
// K is the key type of the documents: scoring.Key for day rollups, dimKey
// for breakdown rollups.
type rollupCache[K comparable] struct {
	limit   int // maxCachedRollups; lowered by tests
	mu      sync.Mutex
	entries map[K]*rollupEntry
	written map[K]bool // keys with a stored document of ours
}

type rollupEntry struct {
	mu    sync.Mutex // serialises the writes of one document
	users int        // guarded by rollupCache.mu; >0 pins the entry

	// Guarded by mu.
	tally *scoring.Tally // nil until loaded
	dirty bool           // tally is ahead of the stored document
}

func (c *rollupCache[K]) init() {
	c.limit = maxCachedRollups
	c.entries = make(map[K]*rollupEntry)
	c.written = make(map[K]bool)
}

// acquire pins the entry of k, creating it if needed.
func (c *rollupCache[K]) acquire(k K) *rollupEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[k]
	if e == nil {
		e = &rollupEntry{}
		c.entries[k] = e
	}
	e.users++
	return e
}

// release unpins entries and, over the limit, drops the idle clean ones.
func (c *rollupCache[K]) release(es []*rollupEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range es {
		e.users--
	}
	if len(c.entries) <= c.limit {
		return
	}
	for k, e := range c.entries {
		if e.users == 0 && e.mu.TryLock() {
			if !e.dirty {
				delete(c.entries, k)
			}
			e.mu.Unlock()
		}
	}
}

func (c *rollupCache[K]) markWritten(k K) {
	c.mu.Lock()
	c.written[k] = true
	c.mu.Unlock()
}

func (c *rollupCache[K]) wasWritten(k K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written[k]
}

// addToRollups adds new responses to this instance's rollups (see
// addToDocs).
func (s *Store) addToRollups(ctx context.Context, rs []*surveys.Response) error {
	if len(rs) == 0 {
		return nil
	}
	byKey := make(map[scoring.Key][]*surveys.Response)
	for _, r := range rs {
		k := rollupKeyOf(r)
		byKey[k] = append(byKey[k], r)
	}
	return addToDocs(ctx, s, s.rollupKind(), byKey)
}

// flushRollups writes the documents whose last write failed.
func (s *Store) flushRollups(ctx context.Context) error { return flushDocs(ctx, s, s.rollupKind()) }

// writeRollup replaces this writer's document of k with t.
func (s *Store) writeRollup(ctx context.Context, k scoring.Key, t *scoring.Tally) error {
	return s.replaceRollup(ctx, s.writer, k, t)
}

func (s *Store) replaceRollup(ctx context.Context, writer string, k scoring.Key, t *scoring.Tally) error {
	return replaceDoc(ctx, s, s.rollupKind(), writer, k, t)
}

// EachRollup calls fn for every rollup document matching f, one per key
// and writer; callers add up the tallies of a key.
func (s *Store) EachRollup(ctx context.Context, f surveys.DayFilter, fn func(*scoring.Rollup) error) error {
	sort := bson.D{{Key: "day", Value: 1}, {Key: "_id", Value: 1}}
	return s.eachRollupDoc(ctx, dayFilter(f), sort, func(_ *rollupDoc, r *scoring.Rollup) error {
		return fn(r)
	})
}

// eachRollupDoc calls fn with every stored rollup document matching
// filter, decoded, in the order of sort (nil: any order).
func (s *Store) eachRollupDoc(ctx context.Context, filter, sort bson.D, fn func(*rollupDoc, *scoring.Rollup) error) error {
	opts := options.Find()
	if sort != nil {
		opts.SetSort(sort)
	}
	cur, err := s.coll(collRollups).Find(ctx, filter, opts)
	if err != nil {
		return storeErr(err, "find rollups")
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var d rollupDoc
		if err := cur.Decode(&d); err != nil {
			return storeErr(err, "decode rollup")
		}
		r, err := toRollup(&d)
		if err != nil {
			return surveys.Wrap(surveys.EINTERNAL, err, "corrupt rollup")
		}
		if err := fn(&d, &r); err != nil {
			return err
		}
	}
	return storeErr(cur.Err(), "read rollups")
}

func compareKeys(a, b scoring.Key) int {
	return cmp.Or(
		cmp.Compare(a.Survey, b.Survey),
		cmp.Compare(a.Version, b.Version),
		cmp.Compare(a.Day, b.Day),
		cmp.Compare(a.Counter, b.Counter),
		cmp.Compare(a.Channel, b.Channel),
	)
}

// MergeRollups adds into t the rollups selected by f: every writer's
// documents of every matching key. Rollups of a version whose shape
// differs from t are skipped. (On MongoDB the day documents are the only
// level; docs/scaling.md discusses monthly summaries for very long
// windows.)
func (s *Store) MergeRollups(ctx context.Context, f surveys.DayFilter, t *scoring.Tally) error {
	return s.EachRollup(ctx, f, func(r *scoring.Rollup) error {
		if err := t.Merge(r.Tally); err != nil && !errors.Is(err, scoring.ErrShape) {
			return err
		}
		return nil
	})
}
