package loadtest

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketsCoverTheirValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(v int64) {
		i := bucketOf(v)
		if i < 0 || i >= numBuckets {
			t.Fatalf("bucketOf(%d) = %d, outside [0, %d)", v, i, numBuckets)
		}
		lo, w := bucketRange(i)
		if v < lo || v-lo >= w {
			t.Fatalf("bucket %d of %d is [%d, %d+%d)", i, v, lo, lo, w)
		}
		if lo >= subCount && float64(w)/float64(lo) > 1.0/128 {
			t.Fatalf("bucket %d is %d wide at %d: coarser than 1/128", i, w, lo)
		}
	}
	for v := range int64(5000) {
		check(v)
	}
	for range 100000 {
		check(rng.Int64N(math.MaxInt64))
	}
	check(math.MaxInt64)
}

// nearestRank is the exact nearest-rank percentile of sorted samples.
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

func TestPercentiles(t *testing.T) {
	t.Run("exact below 256ns", func(t *testing.T) {
		h := newHistogram()
		for v := 100; v >= 1; v-- {
			h.record(time.Duration(v))
		}
		for _, c := range []struct {
			p    float64
			want time.Duration
		}{{50, 50}, {95, 95}, {99, 99}, {100, 100}, {0.5, 1}} {
			if got := h.percentile(c.p); got != c.want {
				t.Errorf("p%v = %v, want %v", c.p, got, c.want)
			}
		}
	})
	t.Run("1..1000 ms", func(t *testing.T) {
		h := newHistogram()
		for ms := 1; ms <= 1000; ms++ {
			h.record(time.Duration(ms) * time.Millisecond)
		}
		for _, c := range []struct {
			p    float64
			want time.Duration
		}{{50, 500 * time.Millisecond}, {95, 950 * time.Millisecond}, {99, 990 * time.Millisecond}, {100, time.Second}} {
			got := h.percentile(c.p)
			if rel := math.Abs(float64(got-c.want)) / float64(c.want); rel > 0.004 {
				t.Errorf("p%v = %v, want %v within 0.4%%", c.p, got, c.want)
			}
		}
		if got := h.percentile(100); got != time.Second {
			t.Errorf("p100 = %v, want the largest sample exactly", got)
		}
	})
	t.Run("one sample", func(t *testing.T) {
		h := newHistogram()
		h.record(123456789)
		for _, p := range []float64{1, 50, 99, 100} {
			if got := h.percentile(p); got != 123456789 {
				t.Errorf("p%v = %v, want the only sample", p, got)
			}
		}
	})
	t.Run("empty", func(t *testing.T) {
		if got := newHistogram().percentile(50); got != 0 {
			t.Errorf("p50 of nothing = %v, want 0", got)
		}
	})
	t.Run("random against exact", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		h := newHistogram()
		var all []time.Duration
		for range 200000 {
			// Log-normal around 2 ms with a long tail, like real latencies.
			d := time.Duration(2e6 * math.Exp(rng.NormFloat64()))
			h.record(d)
			all = append(all, d)
		}
		slices.Sort(all)
		for _, p := range []float64{50, 90, 95, 99, 99.9} {
			got, want := h.percentile(p), nearestRank(all, p)
			if rel := math.Abs(float64(got-want)) / float64(want); rel > 0.004 {
				t.Errorf("p%v = %v, exact %v: off by %.2f%%", p, got, want, rel*100)
			}
		}
	})
}

func TestResultJSON(t *testing.T) {
	tl := newTally()
	tl.ok.Add(3)
	tl.bad.Add(1)
	for _, ms := range []int{1, 2, 3, 4} {
		tl.lat.record(time.Duration(ms) * time.Millisecond)
	}
	r := tl.result(2 * time.Second)
	if r.Requests != 4 || r.RPS != 1.5 {
		t.Errorf("requests %d, rps %v; want 4 and 1.5 (ok per second)", r.Requests, r.RPS)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"errors", "ok", "p50_ms", "p95_ms", "p99_ms", "requests", "rps"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	if p50 := m["p50_ms"].(float64); math.Abs(p50-2) > 0.008 || m["p99_ms"] != 4.0 {
		t.Errorf("got %s, want p50_ms 2 (within 0.4%%) and p99_ms 4 (the largest, exact)", b)
	}
}
