package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// migration is one step of the schema's history. Steps run in order, once
// each, and are recorded in schema_migrations; each is idempotent, so two
// servers starting together may both run a step harmlessly.
type migration struct {
	step int
	name string
	run  func(ctx context.Context, db *mongo.Database) error
}

// migrations is append-only: never edit or reorder a released step.
//
// The response and rollup indexes end in the sort keys (submitted_at then
// _id; day then _id) so that a real MongoDB walks them in order instead
// of sorting in memory.
var migrations = []migration{
	{1, "response indexes", indexes(collResponses,
		bson.D{{Key: "survey", Value: 1}, {Key: "submitted_at", Value: 1}, {Key: "_id", Value: 1}},
		bson.D{{Key: "submitted_at", Value: 1}, {Key: "_id", Value: 1}},
		bson.D{{Key: "counter", Value: 1}, {Key: "submitted_at", Value: 1}, {Key: "_id", Value: 1}},
		bson.D{{Key: "day", Value: 1}},
	)},
	{2, "rollup indexes", indexes(collRollups,
		bson.D{{Key: "survey", Value: 1}, {Key: "day", Value: 1}, {Key: "_id", Value: 1}},
		bson.D{{Key: "day", Value: 1}, {Key: "_id", Value: 1}},
	)},
	{3, "baseline index", indexes(collBaselines,
		bson.D{{Key: "survey", Value: 1}, {Key: "year", Value: 1}, {Key: "unit", Value: 1}},
	)},
	// Tablet hashes are looked up, not constrained: a unique index would
	// need a partial filter (most tablets lack one of the two hashes),
	// which FerretDB lacks; the hashes are of random secrets.
	{4, "staff and breakdown indexes", steps(
		indexes(collSessions, bson.D{{Key: "user", Value: 1}}),
		indexes(collDevices,
			bson.D{{Key: "token_hash", Value: 1}},
			bson.D{{Key: "enrol_hash", Value: 1}},
			bson.D{{Key: "counter", Value: 1}, {Key: "name", Value: 1}, {Key: "_id", Value: 1}},
		),
		indexes(collAudit, bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}),
		indexes(collRollupDims,
			bson.D{{Key: "survey", Value: 1}, {Key: "dim", Value: 1}, {Key: "day", Value: 1}},
			bson.D{{Key: "day", Value: 1}, {Key: "_id", Value: 1}},
		),
	)},
	// Breakdown documents are kept per channel as well since this step
	// (their _id and a channel field), so that a breakdown filtered by
	// channel reads them instead of the responses. Documents written
	// before have no channel: they decode with channel "", a key no
	// response has, so a channel filter leaves them out and the next
	// HealRollups writes corrections (writer "heal") that take them back
	// and count their responses per channel again; totals without a
	// channel filter stay exact throughout. The store had no production
	// data then, so the old documents are left in place rather than
	// rewritten.
	{5, "breakdown channel index", indexes(collRollupDims,
		bson.D{{Key: "survey", Value: 1}, {Key: "dim", Value: 1}, {Key: "channel", Value: 1}, {Key: "day", Value: 1}},
	)},
	// Scores subtract the responses excluded after review on every read:
	// a multikey index on the flags finds them (and the review list).
	{6, "response flags index", indexes(collResponses,
		bson.D{{Key: "flags", Value: 1}, {Key: "submitted_at", Value: 1}},
	)},
}

// steps runs several steps' functions as one.
func steps(fns ...func(context.Context, *mongo.Database) error) func(context.Context, *mongo.Database) error {
	return func(ctx context.Context, db *mongo.Database) error {
		for _, fn := range fns {
			if err := fn(ctx, db); err != nil {
				return err
			}
		}
		return nil
	}
}

// indexes returns a step creating the indexes on coll; creating an index
// that exists with the same keys is a no-op.
func indexes(coll string, keys ...bson.D) func(context.Context, *mongo.Database) error {
	return func(ctx context.Context, db *mongo.Database) error {
		models := make([]mongo.IndexModel, len(keys))
		for i, k := range keys {
			models[i] = mongo.IndexModel{Keys: k}
		}
		_, err := db.Collection(coll).Indexes().CreateMany(ctx, models)
		return err
	}
}

type migrationDoc struct {
	Step      int       `bson:"_id"`
	Name      string    `bson:"name"`
	AppliedAt time.Time `bson:"applied_at"`
}

// migrate applies the steps not yet recorded.
func (s *Store) migrate(ctx context.Context) error {
	var done []migrationDoc
	if err := s.findAll(ctx, collMigrations, bson.D{}, options.Find(), &done); err != nil {
		return err
	}
	applied := make(map[int]bool, len(done))
	for _, d := range done {
		applied[d.Step] = true
	}
	for _, m := range migrations {
		if applied[m.step] {
			continue
		}
		if err := m.run(ctx, s.db); err != nil {
			return storeErr(err, fmt.Sprintf("migration %d (%s)", m.step, m.name))
		}
		doc := migrationDoc{Step: m.step, Name: m.name, AppliedAt: time.Now().UTC().Truncate(time.Millisecond)}
		_, err := s.coll(collMigrations).InsertOne(ctx, doc)
		if err != nil && !mongo.IsDuplicateKeyError(err) { // another server recorded it first
			return storeErr(err, fmt.Sprintf("record migration %d", m.step))
		}
		s.log.Info("migration applied", "step", m.step, "name", m.name)
	}
	return nil
}
