package ferretrun

import (
	"context"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// TestStartStop starts a FerretDB, writes through it, restarts it on the
// same directory and reads the document back.
func TestStartStop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()

	s, err := Start(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	c := connect(ctx, t, s.URI())
	coll := c.Database("t_start").Collection("c")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}, {Key: "n", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Disconnect(ctx); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	s.Stop() // a second Stop is harmless

	s, err = Start(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	c = connect(ctx, t, s.URI())
	defer c.Disconnect(ctx)
	var got struct {
		N int `bson:"n"`
	}
	if err := c.Database("t_start").Collection("c").FindOne(ctx, bson.D{{Key: "_id", Value: "a"}}).Decode(&got); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if got.N != 1 {
		t.Errorf("n = %d, want 1", got.N)
	}
}

func TestForTestShared(t *testing.T) {
	a, b := ForTest(t), ForTest(t)
	if a != b {
		t.Errorf("ForTest returned %q then %q, want one shared server", a, b)
	}
	if DBName(t) == DBName(t) {
		t.Error("DBName repeated a name")
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

func connect(ctx context.Context, t *testing.T, uri string) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(ctx, options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return c
}
