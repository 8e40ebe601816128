package sqlitestore_test

import (
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// BenchmarkInsertResponse stores one response per call, one caller at a
// time: every call pays a full synced commit.
func BenchmarkInsertResponse(b *testing.B) {
	s := openAt(b, filepath.Join(b.TempDir(), "sipas.db"))
	defer s.Close()
	g := storetest.NewGen(b, 1)
	at := time.Date(2024, 1, 1, 8, 0, 0, 0, surveys.Location)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := g.Response(at.Add(time.Duration(i)*time.Second), fmt.Sprintf("c%02d", i%50), surveys.ChannelQR)
		i++
		if _, err := s.InsertResponses(b.Context(), []surveys.Response{r}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInsertResponseParallel stores one response per call from many
// goroutines at once (32 per CPU, like a burst of form submissions): the
// writer groups them into shared commits.
func BenchmarkInsertResponseParallel(b *testing.B) {
	s := openAt(b, filepath.Join(b.TempDir(), "sipas.db"))
	defer s.Close()
	at := time.Date(2024, 1, 1, 8, 0, 0, 0, surveys.Location)
	var seed atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		g := storetest.NewGen(b, seed.Add(1))
		i := 0
		for pb.Next() {
			r := g.Response(at.Add(time.Duration(i)*time.Second), fmt.Sprintf("c%02d", i%50), surveys.ChannelQR)
			i++
			if _, err := s.InsertResponses(b.Context(), []surveys.Response{r}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkEachRollup merges a year of daily rollups of 50 counters
// (18,250 rows), what a yearly score reads.
func BenchmarkEachRollup(b *testing.B) {
	s := openAt(b, filepath.Join(b.TempDir(), "sipas.db"))
	defer s.Close()
	g := storetest.NewGen(b, 2)
	first := time.Date(2024, 1, 1, 9, 0, 0, 0, surveys.Location)
	var batch []surveys.Response
	flush := func() {
		if _, err := s.InsertResponses(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for d := range 365 {
		for c := range 50 {
			batch = append(batch, g.Response(first.AddDate(0, 0, d), fmt.Sprintf("c%02d", c), surveys.ChannelQR))
			if len(batch) == 250 {
				flush()
			}
		}
	}
	flush()
	f := surveys.DayFilter{Survey: surveys.Default, FromDay: "2024-01-01", ToDay: "2025-01-01"}
	b.ReportAllocs()
	for b.Loop() {
		sum := storetest.Tally(g.Def, nil)
		rows := 0
		err := s.EachRollup(b.Context(), f, func(r *scoring.Rollup) error {
			rows++
			return sum.Merge(r.Tally)
		})
		if err != nil {
			b.Fatal(err)
		}
		if rows != 365*50 || sum.Respondents != 365*50 {
			b.Fatalf("%d rollups, %d respondents; want %d", rows, sum.Respondents, 365*50)
		}
	}
}
