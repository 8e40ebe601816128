package main

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

// TestCrashLosesNothing submits responses concurrently while the server is
// killed with SIGKILL and restarted several times: every acknowledged
// response must be stored, none twice, and the rollups must agree with
// the stored responses afterwards.
func TestCrashLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir := t.TempDir()
	const kills = 3
	var (
		mu       sync.Mutex
		acked    = map[string]bool{}
		sent     atomic.Int64
		statuses sync.Map
	)
	client := &http.Client{Timeout: 5 * time.Second}
	for round := 0; round <= kills; round++ {
		srv := startServer(t, dir, "--rate-public", "0")
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var ackedThisRound atomic.Int64
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 400 && ctx.Err() == nil; i++ {
					id := surveys.NewUUID()
					sent.Add(1)
					code, _, err := postJSON(client, srv.base+"/api/v1/responses", map[string]any{
						"id": id, "survey": "sipas-2022", "channel": "api",
						"answers": map[string]any{"A1": 1 + i%5, "B2": 4, "E3": nil},
					})
					if err != nil {
						continue // the server died under us: not acknowledged
					}
					v, _ := statuses.LoadOrStore(code, new(atomic.Int64))
					v.(*atomic.Int64).Add(1)
					if code == 201 || code == 200 {
						mu.Lock()
						acked[id] = true
						mu.Unlock()
						ackedThisRound.Add(1)
					}
				}
			}()
		}
		if round < kills {
			// Kill once a good number of acknowledgements are in, while
			// requests are still in flight.
			for ackedThisRound.Load() < 300 {
				time.Sleep(5 * time.Millisecond)
			}
			srv.kill(t)
			cancel()
			wg.Wait()
		} else {
			wg.Wait()
			cancel()
			srv.stop(t)
		}
	}

	reg, _ := surveys.LoadEmbedded()
	s, err := sqlitestore.Open(context.Background(), filepath.Join(dir, DBFile), reg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	missing := 0
	for id := range acked {
		if _, err := s.Response(ctx, id); err != nil {
			missing++
		}
	}
	stored, err := s.CountResponses(ctx, surveys.ResponseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	score, err := scores.New(s, reg).Score(ctx, scores.Query{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sent %d, acknowledged %d, stored %d, kills %d", sent.Load(), len(acked), stored, kills)
	if missing > 0 {
		t.Errorf("%d acknowledged responses are missing", missing)
	}
	if stored < int64(len(acked)) {
		t.Errorf("stored %d < acknowledged %d", stored, len(acked))
	}
	if stored > sent.Load() {
		t.Errorf("stored %d > sent %d: something was stored twice", stored, sent.Load())
	}
	if score.Respondents != stored {
		t.Errorf("rollups count %d respondents, store holds %d responses", score.Respondents, stored)
	}
}
