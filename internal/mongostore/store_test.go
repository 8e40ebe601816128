package mongostore

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/sipas/sipas/internal/ferretrun"
	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/surveys"
)

var _ storetest.Store = (*Store)(nil)

func TestMain(m *testing.M) {
	code := m.Run()
	ferretrun.Shutdown() // every store is closed by now
	os.Exit(code)
}

// dbNames remembers the database behind each open store, for Reopen.
var dbNames sync.Map // storetest.Store -> string

// freshDB returns the server's URI and a database of t's own, dropped at
// the end of the test when the server is a real MongoDB (FerretDB's
// files go with its temporary directory).
func freshDB(t testing.TB) (uri, db string) {
	t.Helper()
	uri, db = ferretrun.ForTest(t), ferretrun.DBName(t)
	if os.Getenv(ferretrun.EnvURI) != "" {
		t.Cleanup(func() { dropDB(t, uri, db) })
	}
	return uri, db
}

func dropDB(t testing.TB, uri, db string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := mongo.Connect(ctx, options.Client().ApplyURI(uri))
	if err != nil {
		t.Errorf("drop %s: %v", db, err)
		return
	}
	defer c.Disconnect(ctx)
	if err := c.Database(db).Drop(ctx); err != nil {
		t.Errorf("drop %s: %v", db, err)
	}
}

func openDB(t testing.TB, uri, db string) *Store {
	t.Helper()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, uri, db, reg, log)
	if err != nil {
		t.Fatalf("Open(%s): %v", db, err)
	}
	dbNames.Store(storetest.Store(s), uri+"\x00"+db)
	return s
}

// testWriter sends the store's log to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

func harness() storetest.Harness {
	return storetest.Harness{
		Open: func(t *testing.T) storetest.Store {
			uri, db := freshDB(t)
			return openDB(t, uri, db)
		},
		Reopen: func(t *testing.T, old storetest.Store) storetest.Store {
			v, ok := dbNames.Load(old)
			if !ok {
				t.Fatal("Reopen of a store the harness did not open")
			}
			if err := old.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			uri, db, _ := cut(v.(string))
			return openDB(t, uri, db) // a new writer id: the old rollups stay
		},
		InsertWithoutRollup: func(t *testing.T, s storetest.Store, r surveys.Response) {
			created, err := s.(*Store).insertResponseDocs(t.Context(), []surveys.Response{r})
			if err != nil || !created[0] {
				t.Fatalf("InsertWithoutRollup: created %v, %v", created, err)
			}
		},
	}
}

func cut(s string) (before, after string, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestConformance(t *testing.T) {
	storetest.Run(t, harness())
}

// TestMigrationsRecorded checks that every step is recorded once and that
// opening an up-to-date database applies nothing again.
func TestMigrationsRecorded(t *testing.T) {
	uri, db := freshDB(t)
	for range 2 {
		s := openDB(t, uri, db)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s := openDB(t, uri, db)
	defer s.Close()
	ctx := t.Context()
	var docs []migrationDoc
	if err := s.findAll(ctx, collMigrations, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(migrations) {
		t.Fatalf("schema_migrations has %d steps, want %d", len(docs), len(migrations))
	}
	for i, d := range docs {
		if d.Step != migrations[i].step {
			t.Errorf("step %d recorded as %d", migrations[i].step, d.Step)
		}
	}
	specs, err := s.coll(collResponses).Indexes().ListSpecifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) < 5 { // _id and the four of step 1
		t.Errorf("responses has %d indexes, want at least 5", len(specs))
	}
}

// TestCloseIdempotent checks that Close may be called twice and that an
// insert after Close fails as unavailable instead of hanging.
func TestCloseIdempotent(t *testing.T) {
	uri, db := freshDB(t)
	s := openDB(t, uri, db)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	g := storetest.NewGen(t, 1)
	_, err := s.InsertResponses(t.Context(), []surveys.Response{g.Response(time.Now(), "", surveys.ChannelQR)})
	if code := surveys.ErrorCodeOf(err); code != surveys.EUNAVAILABLE {
		t.Errorf("InsertResponses after Close: error %v (code %q), want %q", err, code, surveys.EUNAVAILABLE)
	}
}

// TestOpenUnreachable checks that a server nobody listens on is
// EUNAVAILABLE, within the caller's deadline.
func TestOpenUnreachable(t *testing.T) {
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = Open(ctx, "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=1000", "", reg, nil)
	if code := surveys.ErrorCodeOf(err); code != surveys.EUNAVAILABLE {
		t.Errorf("Open(unreachable) error %v (code %q), want %q", err, code, surveys.EUNAVAILABLE)
	}
}
