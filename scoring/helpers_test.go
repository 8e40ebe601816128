package scoring

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/sipas/sipas/surveys"
)

// sipas2022 returns the shipped default definition.
func sipas2022(tb testing.TB) *surveys.Definition {
	tb.Helper()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		tb.Fatal(err)
	}
	d, ok := reg.Get("sipas-2022")
	if !ok {
		tb.Fatal("sipas-2022 not found")
	}
	return d
}

// readVectors reads a CSV of answers (a header of item codes, then one
// row per respondent; empty or NA is no opinion) as vectors aligned with
// d.Items().
func readVectors(tb testing.TB, d *surveys.Definition, path string) [][]int8 {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	cols := make([]int, len(recs[0]))
	for c, code := range recs[0] {
		if cols[c] = d.ItemIndex(code); cols[c] < 0 {
			tb.Fatalf("%s: unknown item %q", path, code)
		}
	}
	var out [][]int8
	for ln, rec := range recs[1:] {
		v := make([]int8, len(d.Items()))
		for c, cell := range rec {
			if cell == "" || cell == "NA" {
				continue
			}
			n, err := strconv.Atoi(cell)
			if err != nil || n < d.Scale.Min() || n > d.Scale.Max() {
				tb.Fatalf("%s:%d: bad answer %q", path, ln+2, cell)
			}
			v[cols[c]] = int8(n)
		}
		out = append(out, v)
	}
	return out
}

func tallyOf(d *surveys.Definition, vecs [][]int8) *Tally {
	t := NewTallyFor(d)
	for _, v := range vecs {
		t.Add(v)
	}
	return t
}

func baseline2022(tb testing.TB, d *surveys.Definition) surveys.Baseline {
	tb.Helper()
	b, ok := d.Baseline(2022, "")
	if !ok {
		tb.Fatal("no 2022 baseline")
	}
	return b
}

// simulate returns n answer vectors for d in which a latent satisfaction
// per respondent drives every item (so answers are correlated within a
// person), factors differ in level, and some answers are "no opinion"
// (often for factor E, as in real data).
func simulate(rng *rand.Rand, d *surveys.Definition, n int) [][]int8 {
	shift := []float64{0.6, 0.3, 0.8, -0.2, 0.1}
	out := make([][]int8, n)
	for r := range out {
		u := rng.NormFloat64()
		v := make([]int8, len(d.Items()))
		for i := range v {
			f := d.FactorOfItem(i)
			q := 0.1
			if f == len(d.Factors)-1 {
				q = 0.45
			}
			if rng.Float64() < q {
				continue
			}
			x := math.Round(3.4 + shift[f%len(shift)] + 0.9*u + 0.8*rng.NormFloat64())
			v[i] = int8(min(5, max(1, x)))
		}
		out[r] = v
	}
	return out
}
