package sqlitestore_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// TestFailedBatchStoresNothing rigs the schema so that one response makes
// its transaction fail: the call gets an error and no response of the
// batch, nor any rollup, is stored.
func TestFailedBatchStoresNothing(t *testing.T) {
	s := openAt(t, filepath.Join(t.TempDir(), "sipas.db"))
	defer s.Close()
	ctx := t.Context()
	if err := sqlitestore.Exec(ctx, s, `CREATE TRIGGER boom BEFORE INSERT ON responses
		WHEN NEW.counter = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	g := storetest.NewGen(t, 1)
	at := time.Date(2024, 1, 2, 9, 0, 0, 0, surveys.Location)
	good, bad := g.Response(at, "mot-cua-01", surveys.ChannelQR), g.Response(at, "boom", surveys.ChannelQR)

	_, err := s.InsertResponses(ctx, []surveys.Response{good, bad})
	if code := surveys.ErrorCodeOf(err); code != surveys.EINTERNAL && code != surveys.EUNAVAILABLE {
		t.Fatalf("InsertResponses error = %v (code %q), want an internal or unavailable error", err, code)
	}
	var se *surveys.Error
	if !errors.As(err, &se) {
		t.Errorf("error %T is not a *surveys.Error", err)
	}
	if n, err := s.CountResponses(ctx, surveys.ResponseFilter{}); err != nil || n != 0 {
		t.Errorf("CountResponses = %d, %v; want 0", n, err)
	}
	rollups := 0
	if err := s.EachRollup(ctx, surveys.DayFilter{}, func(*scoring.Rollup) error { rollups++; return nil }); err != nil {
		t.Fatal(err)
	}
	if rollups != 0 {
		t.Errorf("%d rollups after a failed batch, want 0", rollups)
	}
	// The writer survives: the next batch goes through.
	if fresh, err := s.InsertResponses(ctx, []surveys.Response{good}); err != nil || !fresh[0] {
		t.Errorf("InsertResponses after a failed batch = %v, %v; want [true]", fresh, err)
	}
}

// TestInsertCancelled checks that a caller whose context is done gets an
// EUNAVAILABLE error without hanging.
func TestInsertCancelled(t *testing.T) {
	s := openAt(t, filepath.Join(t.TempDir(), "sipas.db"))
	defer s.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	g := storetest.NewGen(t, 2)
	r := g.Response(time.Now(), "", surveys.ChannelAPI)
	_, err := s.InsertResponses(ctx, []surveys.Response{r})
	if code := surveys.ErrorCodeOf(err); code != surveys.EUNAVAILABLE {
		t.Errorf("InsertResponses with a cancelled context: %v (code %q), want %q", err, code, surveys.EUNAVAILABLE)
	}
}

// TestCloseDrains closes the store while inserts are in flight: every
// insert acknowledged as new must be there after reopening.
func TestCloseDrains(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sipas.db")
	s := openAt(t, path)
	g := storetest.NewGen(t, 3)
	const n = 200
	rs := make([]surveys.Response, n)
	for i := range rs {
		rs[i] = g.Response(time.Date(2024, 1, 2, 9, 0, i, 0, surveys.Location), "mot-cua-01", surveys.ChannelKiosk)
	}
	acked := make([]bool, n)
	var wg sync.WaitGroup
	for i := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fresh, err := s.InsertResponses(t.Context(), rs[i:i+1])
			acked[i] = err == nil && fresh[0]
		}()
	}
	time.Sleep(time.Millisecond) // let some inserts queue; the test holds either way
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	wg.Wait()
	s = openAt(t, path)
	defer s.Close()
	var want []surveys.Response
	for i, ok := range acked {
		if !ok {
			continue
		}
		want = append(want, rs[i])
		if _, err := s.Response(t.Context(), rs[i].ID); err != nil {
			t.Errorf("acknowledged response %d lost: %v", i, err)
		}
	}
	// Rollups hold what was stored, acknowledged or not.
	n2, err := s.CountResponses(t.Context(), surveys.ResponseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got int64
	if err := s.EachRollup(t.Context(), surveys.DayFilter{}, func(r *scoring.Rollup) error { got += r.Tally.Respondents; return nil }); err != nil {
		t.Fatal(err)
	}
	if got != n2 || n2 < int64(len(want)) {
		t.Errorf("after Close: %d responses, %d in rollups, %d acknowledged", n2, got, len(want))
	}
}
