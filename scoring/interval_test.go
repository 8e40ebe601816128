package scoring

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sipas/sipas/surveys"
)

// directIndex computes the factor and service indices (as proportions, NaN
// when absent) straight from answer vectors, respondent r weighing w[r].
// It knows nothing of tallies: it is the definition of SPEC 4 written out
// again, so that the tests below check the tally algebra against it.
func directIndex(d *surveys.Definition, vecs [][]int8, w []float64, m surveys.Method) (factors []float64, service float64) {
	k := len(d.Items())
	s, n := make([]float64, k), make([]float64, k)
	for r, v := range vecs {
		for i, x := range v {
			if x != 0 {
				n[i] += w[r]
				if int(x) >= d.Scale.SatisfiedMin {
					s[i] += w[r]
				}
			}
		}
	}
	var sAll, nAll float64
	first := 0
	for _, f := range d.Factors {
		var sum, fs, fn float64
		cnt := 0
		for i := first; i < first+len(f.Items); i++ {
			fs += s[i]
			fn += n[i]
			if n[i] > 0 {
				sum += s[i] / n[i]
				cnt++
			}
		}
		first += len(f.Items)
		sAll += fs
		nAll += fn
		idx := math.NaN()
		switch {
		case m.FactorMethod == FactorPooled && fn > 0:
			idx = fs / fn
		case m.FactorMethod != FactorPooled && cnt > 0:
			idx = sum / float64(cnt)
		}
		factors = append(factors, idx)
	}
	if m.ServiceRule == ServicePooled {
		if nAll == 0 {
			return factors, math.NaN()
		}
		return factors, sAll / nAll
	}
	var sum float64
	cnt := 0
	for _, f := range factors {
		if !math.IsNaN(f) {
			sum += f
			cnt++
		}
	}
	if cnt == 0 {
		return factors, math.NaN()
	}
	return factors, sum / float64(cnt)
}

var methods = []surveys.Method{
	{FactorMethod: FactorMean, ServiceRule: ServiceMeanOfFactors},
	{FactorMethod: FactorPooled, ServiceRule: ServicePooled},
	{FactorMethod: FactorPooled, ServiceRule: ServiceMeanOfFactors},
}

// TestVarianceIsSumOfSquaredInfluences checks the closed form computed
// from SS, SV and VV against Σ_r z_r², where the influence z_r of each
// respondent is found by numerical differentiation of directIndex with
// respect to that respondent's weight. This pins the algebra and the
// orientation of SV.
func TestVarianceIsSumOfSquaredInfluences(t *testing.T) {
	d := sipas2022(t)
	rng := rand.New(rand.NewPCG(11, 12))
	vecs := simulate(rng, d, 150)
	vecs = append(vecs, readVectors(t, d, "testdata/small.csv")...)
	tl := tallyOf(d, vecs)
	const h = 1e-4
	for _, m := range methods {
		fe, se := estimates(d, tl, m)
		nf := len(d.Factors)
		want := make([]float64, nf+1)
		w := make([]float64, len(vecs))
		for i := range w {
			w[i] = 1
		}
		for r := range vecs {
			w[r] = 1 + h
			fp, sp := directIndex(d, vecs, w, m)
			w[r] = 1 - h
			fm, sm := directIndex(d, vecs, w, m)
			w[r] = 1
			for k := range nf {
				z := (fp[k] - fm[k]) / (2 * h)
				want[k] += z * z
			}
			z := (sp - sm) / (2 * h)
			want[nf] += z * z
		}
		for k := 0; k <= nf; k++ {
			got, name := se.variance, "service"
			if k < nf {
				got, name = fe[k].variance, "factor "+d.Factors[k].Code
			}
			if math.Abs(got-want[k]) > 1e-6*want[k] {
				t.Errorf("%s/%s %s: variance %g, Σ z² %g", m.FactorMethod, m.ServiceRule, name, got, want[k])
			}
		}
	}
}

// TestIntervalAgainstBootstrap simulates correlated respondents, then
// resamples respondents 2000 times: the linearised standard error of every
// factor and service index must be within 15% of the bootstrap's.
func TestIntervalAgainstBootstrap(t *testing.T) {
	if testing.Short() {
		t.Skip("bootstrap takes a moment")
	}
	d := sipas2022(t)
	const reps = 2000
	for _, c := range []struct {
		n    int
		seed uint64
	}{{200, 1}, {200, 2}, {1000, 3}, {1000, 4}} {
		rng := rand.New(rand.NewPCG(c.seed, 99))
		vecs := simulate(rng, d, c.n)
		tl := tallyOf(d, vecs)
		for _, m := range methods {
			t.Run(fmt.Sprintf("n=%d/seed=%d/%s/%s", c.n, c.seed, m.FactorMethod, m.ServiceRule), func(t *testing.T) {
				fe, se := estimates(d, tl, m)
				nf := len(d.Factors)
				sum, sumSq := make([]float64, nf+1), make([]float64, nf+1)
				w := make([]float64, len(vecs))
				for range reps {
					clear(w)
					for range vecs {
						w[rng.IntN(len(vecs))]++
					}
					f, s := directIndex(d, vecs, w, m)
					for k, x := range append(f, s) {
						sum[k] += x
						sumSq[k] += x * x
					}
				}
				for k := 0; k <= nf; k++ {
					mean := sum[k] / reps
					boot := math.Sqrt(sumSq[k]/reps - mean*mean)
					lin, name := math.Sqrt(se.variance), "service"
					if k < nf {
						lin, name = math.Sqrt(fe[k].variance), "factor "+d.Factors[k].Code
					}
					if r := lin / boot; r < 0.85 || r > 1.15 {
						t.Errorf("%s: linearised SE %.5f, bootstrap SE %.5f (ratio %.3f)", name, lin, boot, r)
					}
				}
			})
		}
	}
}

// TestIntervalWidth: the reported interval of an index is the Wilson
// interval at the effective sample size, so away from 0 and 100 its
// half-width is close to z × the linearised standard error.
func TestIntervalWidth(t *testing.T) {
	d := sipas2022(t)
	rng := rand.New(rand.NewPCG(5, 5))
	tl := tallyOf(d, simulate(rng, d, 1000))
	s := Compute(d, tl, Options{})
	fe, se := estimates(d, tl, resolveMethod(d.Scoring, surveys.Method{}))
	check := func(name string, ci *Interval, v float64) {
		half := (ci[1] - ci[0]) / 2
		want := Z95 * math.Sqrt(v) * 100
		if math.Abs(half/want-1) > 0.05 {
			t.Errorf("%s: half-width %.4f, z·SE %.4f", name, half, want)
		}
	}
	for k, f := range s.Factors {
		check("factor "+f.Code, f.CI95, fe[k].variance)
	}
	check("service", s.ServiceCI95, se.variance)
}
