package scoring

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkMergeBinary merges a year of daily rollups from 50 counters
// (365 × 50 encoded tallies of about 20 responses each) into one tally:
// what scoring a year for a whole department costs.
func BenchmarkMergeBinary(b *testing.B) {
	d := sipas2022(b)
	rng := rand.New(rand.NewPCG(365, 50))
	encoded := make([][]byte, 365*50)
	size := 0
	for i := range encoded {
		tl := tallyOf(d, simulate(rng, d, 15+rng.IntN(11)))
		enc, err := tl.MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		encoded[i] = enc
		size += len(enc)
	}
	b.ResetTimer()
	for b.Loop() {
		tl := NewTallyFor(d)
		for _, enc := range encoded {
			if err := tl.MergeBinary(enc); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(size)/float64(len(encoded)), "bytes/rollup")
}

// BenchmarkCompute scores a tally of 20,000 responses.
func BenchmarkCompute(b *testing.B) {
	d := sipas2022(b)
	rng := rand.New(rand.NewPCG(1, 2))
	tl := tallyOf(d, simulate(rng, d, 20000))
	opt := Options{Baseline: baseline2022(b, d)}
	b.ResetTimer()
	for b.Loop() {
		Compute(d, tl, opt)
	}
}
