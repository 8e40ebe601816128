// Package mongostore is the MongoDB store: responses, rollups and the
// organisation in a MongoDB replica set (or sharded cluster), through the
// official Go driver.
//
// It relies only on inserts, _id look-ups, finds with simple filters and a
// sort, whole-document upserts, deletes and cursors: no transactions, no
// aggregation beyond counting, no $inc on documents other servers write.
// That keeps it correct on MongoDB and testable on FerretDB (SPEC 6).
// Rollups get exactly-once counts from a single writer per document: each
// Store instance writes only rollup documents tagged with its own writer
// id, and readers add up the documents of every writer.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/mongo/readconcern"
	"go.mongodb.org/mongo-driver/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/x/mongo/driver/connstring"
	"go.mongodb.org/mongo-driver/x/mongo/driver/topology"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// DefaultDB is the database used when neither the caller nor the URI
// names one.
const DefaultDB = "sipas"

// Collection names.
const (
	collResponses  = "responses"
	collRollups    = "rollups"
	collDivisions  = "divisions"
	collCounters   = "counters"
	collBaselines  = "baselines"
	collMeta       = "meta"
	collMigrations = "schema_migrations"
	collUsers      = "users"
	collSessions   = "sessions"
	collDevices    = "devices"
	collAudit      = "audit"
	collRollupDims = "rollup_dims"
)

// Store is the MongoDB store. It is safe for concurrent use.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	reg    *surveys.Registry
	log    *slog.Logger

	// writer identifies this instance's rollup documents; a new one at
	// every Open, so a restarted server never overwrites what it wrote in
	// an earlier life.
	writer  string
	rollups rollupCache[scoring.Key]
	dims    rollupCache[dimKey]

	closeOnce sync.Once
	closeErr  error
}

// Open connects to the MongoDB at uri, uses the database dbName (when
// empty: the one named in the URI's path, else DefaultDB), applies the
// pending migrations and returns the store. reg gives the shape of each
// survey's tallies. log may be nil.
func Open(ctx context.Context, uri, dbName string, reg *surveys.Registry, log *slog.Logger) (*Store, error) {
	if reg == nil {
		return nil, errors.New("mongostore: nil survey registry")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if dbName == "" {
		cs, err := connstring.ParseAndValidate(uri)
		if err != nil {
			return nil, surveys.Wrap(surveys.EINVALID, err, "invalid MongoDB URI")
		}
		dbName = cs.Database
		if dbName == "" {
			dbName = DefaultDB
		}
	}

	// An acknowledged response must be durable: majority, journaled.
	wc := writeconcern.Majority()
	journal := true
	wc.Journal = &journal
	opts := options.Client().
		ApplyURI(uri).
		SetWriteConcern(wc).
		SetReadConcern(readconcern.Majority()).
		SetAppName("sipas")
	client, err := mongo.Connect(ctx, opts)
	if err != nil {
		return nil, storeErr(err, "connect to MongoDB")
	}
	s := &Store{
		client: client,
		db:     client.Database(dbName),
		reg:    reg,
		log:    log,
		writer: surveys.NewUUID(),
	}
	s.rollups.init()
	s.dims.init()
	if err := s.Ping(ctx); err != nil {
		s.disconnect()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.disconnect()
		return nil, err
	}
	return s, nil
}

// Ping reports whether the database is reachable.
func (s *Store) Ping(ctx context.Context) error {
	return storeErr(s.client.Ping(ctx, nil), "ping MongoDB")
}

// Close writes the rollups whose last write failed, then disconnects. It
// is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		flushErr := errors.Join(s.flushRollups(ctx), s.flushDims(ctx))
		s.closeErr = errors.Join(flushErr, s.disconnect())
	})
	return s.closeErr
}

func (s *Store) disconnect() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return storeErr(s.client.Disconnect(ctx), "disconnect from MongoDB")
}

func (s *Store) coll(name string) *mongo.Collection { return s.db.Collection(name) }

// definition returns the definition of survey or an EINVALID error.
func (s *Store) definition(survey string) (*surveys.Definition, error) {
	d, ok := s.reg.Get(survey)
	if !ok {
		return nil, surveys.Errorf(surveys.EINVALID, "unknown survey %q", survey)
	}
	return d, nil
}

// storeErr turns a driver error into an application error: no document is
// ENOTFOUND, a duplicate key ECONFLICT, an unreachable server or an
// expired deadline EUNAVAILABLE, anything else EINTERNAL. The driver's
// text stays in the cause, for logs.
func storeErr(err error, msg string) error {
	if err == nil {
		return nil
	}
	var se *surveys.Error
	if errors.As(err, &se) {
		return err
	}
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return surveys.Wrap(surveys.ENOTFOUND, err, "not found")
	case mongo.IsDuplicateKeyError(err):
		return surveys.Wrap(surveys.ECONFLICT, err, "already exists")
	case unavailable(err):
		return surveys.Wrap(surveys.EUNAVAILABLE, err, "the database is unavailable")
	}
	return surveys.Wrap(surveys.EINTERNAL, fmt.Errorf("%s: %w", msg, err), "internal error")
}

func unavailable(err error) bool {
	var le mongo.LabeledError
	return mongo.IsNetworkError(err) ||
		mongo.IsTimeout(err) ||
		errors.Is(err, mongo.ErrClientDisconnected) ||
		errors.As(err, &topology.ServerSelectionError{}) ||
		// A primary stepping down: retrying soon will work.
		(errors.As(err, &le) && le.HasErrorLabel("RetryableWriteError"))
}
