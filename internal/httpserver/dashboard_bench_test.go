package httpserver

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/sipas/sipas/internal/demo"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

// BenchmarkDashboard measures the server time of GET /dashboard (this
// year, no filter: the default view, cold and warm) on a store of SIPAS_BENCH_N demo
// responses (default 100,000) over 18 months. The database is built once
// under os.TempDir and reused by later runs.
//
//	SIPAS_BENCH_N=1000000 go test ./internal/httpserver/ -run '^$' -bench Dashboard -benchtime 20x
func BenchmarkDashboard(b *testing.B) {
	n := 100_000
	if v := os.Getenv("SIPAS_BENCH_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	path := benchDB(b, n)
	// Cold: a fresh server, so the responses per day are read from the
	// store (the part of the page that is cached for five minutes).
	b.Run("cold", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			env := newDashEnv(b, path, false)
			b.StartTimer()
			env.mustGet(b, "/dashboard")
		}
	})
	env := newDashEnv(b, path, false)
	for _, q := range []string{"", "?period=month", "?division=qltm"} {
		b.Run("q="+q, func(b *testing.B) {
			env.mustGet(b, "/dashboard"+q) // warm the page cache
			b.ResetTimer()
			for range b.N {
				env.mustGet(b, "/dashboard"+q)
			}
		})
	}
}

// benchDB returns the path of a database of about n demo responses,
// building it when missing.
func benchDB(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("sipas-bench-dashboard-%d.db", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	b.Logf("building %s (once)", path)
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	ctx := context.Background()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		b.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, tmp, reg, nil)
	if err != nil {
		b.Fatal(err)
	}
	def, _ := reg.Get(surveys.Default)
	// Working days in 18 months: about 18 × 21.7.
	perDay := float64(n) / (18 * 21.7)
	got, err := demo.Seed(ctx, st, def, demo.Options{Months: 18, PerDay: perDay, Now: dashNow}, slog.New(slog.DiscardHandler))
	if err != nil {
		st.Close()
		b.Fatal(err)
	}
	// The generator caps its daily rate: more passes with other seeds
	// (other response ids) fill up to n.
	for seed := uint64(2); got < n*95/100; seed++ {
		batch := make([]surveys.Response, 0, 1000)
		err := demo.Generate(def, demo.Options{Months: 18, PerDay: perDay, Now: dashNow, Seed: seed}, func(r surveys.Response) error {
			if got >= n {
				return nil
			}
			batch = append(batch, r)
			got++
			if len(batch) == cap(batch) {
				_, err := st.InsertResponses(ctx, batch)
				batch = batch[:0]
				return err
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			_, err = st.InsertResponses(ctx, batch)
		}
		if err != nil {
			st.Close()
			b.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s: %d responses", path, got)
	return path
}
