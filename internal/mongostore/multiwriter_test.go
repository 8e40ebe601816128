package mongostore

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// someResponses spreads n responses over three days, three counters and
// every channel.
func someResponses(g *storetest.Gen, n int) []surveys.Response {
	first := time.Date(2024, 10, 1, 0, 0, 0, 0, surveys.Location)
	rs := make([]surveys.Response, n)
	for i := range rs {
		at := first.Add(time.Duration(g.Rng.Int63n(int64(72 * time.Hour))))
		rs[i] = g.Response(at, fmt.Sprintf("mot-cua-%02d", g.Rng.Intn(3)), surveys.Channels[g.Rng.Intn(len(surveys.Channels))])
	}
	return rs
}

// mergedRollups adds up every rollup document of the store's database.
func mergedRollups(t *testing.T, s *Store, def *surveys.Definition) *scoring.Tally {
	t.Helper()
	sum := newTally(def)
	err := s.EachRollup(t.Context(), surveys.DayFilter{}, func(r *scoring.Rollup) error { return sum.Merge(r.Tally) })
	if err != nil {
		t.Fatalf("EachRollup: %v", err)
	}
	return sum
}

func writers(t *testing.T, s *Store) map[string]int {
	t.Helper()
	n := map[string]int{}
	err := s.eachRollupDoc(t.Context(), bson.D{}, nil, func(d *rollupDoc, _ *scoring.Rollup) error {
		n[d.Writer]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTwoServers runs two stores on one database, as two application
// servers behind a load balancer: they insert distinct responses and
// replay each other's concurrently. Each response must be new exactly
// once, and the rollups of both writers must add up to the responses.
func TestTwoServers(t *testing.T) {
	uri, db := freshDB(t)
	a, b := openDB(t, uri, db), openDB(t, uri, db)
	defer func() { a.Close(); b.Close() }()
	if a.writer == b.writer {
		t.Fatal("two stores share a writer id")
	}
	g := storetest.NewGen(t, 21)
	rs := someResponses(g, 48)

	const workers = 8
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		fresh = map[string]int{}
	)
	start := make(chan struct{})
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			// Every worker sends every response of its share, in batches
			// of three, through one server; the worker after it sends the
			// same share through the other server.
			share := rs[(w/2)*12 : (w/2+1)*12]
			s := a
			if w%2 == 1 {
				s = b
			}
			for i := 0; i < len(share); i += 3 {
				got, err := s.InsertResponses(t.Context(), share[i:i+3])
				if err != nil {
					t.Errorf("InsertResponses: %v", err)
					return
				}
				mu.Lock()
				for j, ok := range got {
					if ok {
						fresh[share[i+j].ID]++
					}
				}
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()

	for _, r := range rs {
		if fresh[r.ID] != 1 {
			t.Errorf("response %s reported new %d times, want once", r.ID, fresh[r.ID])
		}
	}
	if n, err := a.CountResponses(t.Context(), surveys.ResponseFilter{}); err != nil || n != int64(len(rs)) {
		t.Errorf("CountResponses = %d, %v; want %d", n, err, len(rs))
	}
	want := storetest.Tally(g.Def, rs)
	for name, s := range map[string]*Store{"a": a, "b": b} {
		if got := mergedRollups(t, s, g.Def); !got.Equal(want) {
			t.Errorf("rollups read through %s: %d respondents, want %d", name, got.Respondents, want.Respondents)
		}
	}
	if w := writers(t, a); w[a.writer] == 0 || w[b.writer] == 0 {
		t.Errorf("rollup documents per writer = %v, want documents of both", w)
	}
	if days, err := a.HealRollups(t.Context()); err != nil || len(days) != 0 {
		t.Errorf("HealRollups = %v, %v; want no days", days, err)
	}

	// A restarted server writes under a new id and leaves its old
	// documents, which still count.
	old := a.writer
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = openDB(t, uri, db)
	more := someResponses(g, 12)
	if _, err := a.InsertResponses(t.Context(), more); err != nil {
		t.Fatal(err)
	}
	if _, err := b.InsertResponses(t.Context(), more); err != nil { // replays
		t.Fatal(err)
	}
	all := append(append([]surveys.Response(nil), rs...), more...)
	if got, want := mergedRollups(t, b, g.Def), storetest.Tally(g.Def, all); !got.Equal(want) {
		t.Errorf("after a restart: %d respondents, want %d", got.Respondents, want.Respondents)
	}
	if w := writers(t, a); w[old] == 0 || w[a.writer] == 0 {
		t.Errorf("rollup documents per writer = %v, want the old and the new id of the restarted store", w)
	}
}

// TestRollupEviction keeps at most one rollup document in memory, so
// that every batch reads its documents back by _id, and checks that the
// counts still add up.
func TestRollupEviction(t *testing.T) {
	uri, db := freshDB(t)
	s := openDB(t, uri, db)
	defer s.Close()
	s.rollups.limit = 1
	g := storetest.NewGen(t, 22)
	rs := someResponses(g, 40)
	for i := 0; i < len(rs); i += 4 {
		if _, err := s.InsertResponses(t.Context(), rs[i:i+4]); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.rollups.entries); n > 1 {
		t.Errorf("%d rollups cached, want at most 1", n)
	}
	if got, want := mergedRollups(t, s, g.Def), storetest.Tally(g.Def, rs); !got.Equal(want) {
		t.Errorf("rollups: %d respondents, want %d", got.Respondents, want.Respondents)
	}
	if days, err := s.HealRollups(t.Context()); err != nil || len(days) != 0 {
		t.Errorf("HealRollups = %v, %v; want no days", days, err)
	}
}

// TestHealKeepsOtherWriters checks that healing a rollup that counts too
// much (a response deleted by hand, say) writes a negative correction and
// leaves the writers' documents alone.
func TestHealKeepsOtherWriters(t *testing.T) {
	uri, db := freshDB(t)
	s := openDB(t, uri, db)
	defer s.Close()
	g := storetest.NewGen(t, 23)
	rs := someResponses(g, 10)
	if _, err := s.InsertResponses(t.Context(), rs); err != nil {
		t.Fatal(err)
	}
	before := writers(t, s)
	if _, err := s.coll(collResponses).DeleteOne(t.Context(), bson.D{{Key: "_id", Value: rs[0].ID}}); err != nil {
		t.Fatal(err)
	}
	days, err := s.HealRollups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{surveys.Day(rs[0].SubmittedAt)}; fmt.Sprint(days) != fmt.Sprint(want) {
		t.Errorf("HealRollups = %v, want %v", days, want)
	}
	if got, want := mergedRollups(t, s, g.Def), storetest.Tally(g.Def, rs[1:]); !got.Equal(want) {
		t.Errorf("after healing: %d respondents, want %d", got.Respondents, want.Respondents)
	}
	after := writers(t, s)
	if after[s.writer] != before[s.writer] || after[healWriter] != 1 {
		t.Errorf("rollup documents per writer: %v before healing, %v after; want the same plus one correction", before, after)
	}
	// Putting the response back makes the correction zero: it goes.
	if _, err := s.insertResponseDocs(t.Context(), rs[:1]); err != nil {
		t.Fatal(err)
	}
	if days, err := s.HealRollups(t.Context()); err != nil || len(days) != 1 {
		t.Errorf("HealRollups = %v, %v; want one day", days, err)
	}
	if w := writers(t, s); w[healWriter] != 0 {
		t.Errorf("a zero correction was kept: %v", w)
	}
}
