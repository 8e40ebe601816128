package scores_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

// benchStore returns a store holding SIPAS_BENCH_N responses (default
// 1,000,000) spread over one year and 50 counters. The database is built
// once and kept in the temp directory, so later runs start at once.
func benchStore(b *testing.B) (*sqlitestore.Store, *surveys.Registry, int) {
	b.Helper()
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("SIPAS_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("sipas-bench-%d.db", n))
	_, statErr := os.Stat(path)
	s, reg := openStore(b, path)
	if statErr == nil {
		// A database built by an older version may lack summary rows
		// added since: healing builds them (once).
		if _, err := s.HealRollups(context.Background()); err != nil {
			b.Fatal(err)
		}
		return s, reg, n
	}
	def, _ := reg.Get(surveys.Default)
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, surveys.Location)
	ctx := context.Background()
	began := time.Now()
	for done := 0; done < n; {
		k := min(5000, n-done)
		if _, err := s.InsertResponses(ctx, randomResponses(rng, def, k, start, 365, 50)); err != nil {
			os.Remove(path)
			b.Fatal(err)
		}
		done += k
	}
	b.Logf("built %d responses in %v (%.0f/s)", n, time.Since(began), float64(n)/time.Since(began).Seconds())
	return s, reg, n
}

// BenchmarkScoreFromRollups scores windows over a year × 50 counters of
// stored responses, reading rollups only.
func BenchmarkScoreFromRollups(b *testing.B) {
	s, reg, _ := benchStore(b)
	svc := scores.New(s, reg)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    scores.Query
	}{
		{"year", scores.Query{From: "2025-01-01", To: "2026-01-01"}},
		{"quarter", scores.Query{From: "2025-04-01", To: "2025-07-01"}},
		{"year-one-counter", scores.Query{From: "2025-01-01", To: "2026-01-01", Counter: "c07"}},
		// The worst windows: 58 edge days read as day rows.
		{"edges", scores.Query{From: "2025-01-02", To: "2025-03-31"}},
		{"edges-one-channel", scores.Query{From: "2025-01-02", To: "2025-03-31", Channel: surveys.ChannelQR}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.Score(ctx, bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRecompute scores the same data from raw responses and reports
// responses per second.
func BenchmarkRecompute(b *testing.B) {
	s, reg, _ := benchStore(b)
	svc := scores.New(s, reg)
	ctx := context.Background()
	q := scores.Query{From: "2025-03-01", To: "2025-04-01"}
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		sc, err := svc.Recompute(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		n += sc.Respondents
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "responses/s")
}
