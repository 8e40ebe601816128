package scoring

import "math"

// Z95 is the two-sided 95% quantile of the standard normal distribution.
const Z95 = 1.959963984540054

// PlanningMargin is the half-width, in percentage points, that sample
// planning aims for.
const PlanningMargin = 2.0

// Wilson returns the Wilson score interval at 95% for satisfied out of
// valid answers, in percentage points. ok is false when valid is 0.
func Wilson(satisfied, valid int64) (iv Interval, ok bool) {
	if valid <= 0 {
		return Interval{}, false
	}
	lo, hi := wilson(float64(satisfied)/float64(valid), float64(valid))
	return Interval{lo * 100, hi * 100}, true
}

// wilson is the Wilson interval for proportion p at sample size n > 0
// (n need not be whole: it is also used with effective sizes).
func wilson(p, n float64) (lo, hi float64) {
	z2 := Z95 * Z95
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := Z95 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	lo, hi = centre-half, centre+half
	if lo < 0 || p <= 0 {
		lo = 0
	}
	if hi > 1 || p >= 1 {
		hi = 1
	}
	return lo, hi
}

// itemPercent is s/n × 100 computed as s·100/n, so rounded once: the
// float64 nearest the exact percentage (200/3 gives 66.66666666666667,
// where (2/3)·100 gives ...666), which anyone can reproduce from the counts.
func itemPercent(s, n int64) float64 { return float64(s) * 100 / float64(n) }

// estimate is a factor or service index together with the coefficients of
// its linearisation: the influence of respondent r is
// Σ_i a[i] (y_ri − c[i] v_ri) (see the package comment).
type estimate struct {
	ok      bool
	pct     float64   // the index, in percent
	a, c    []float64 // per item; a[i] == 0 for items that do not enter
	answers int64     // valid answers that enter the index
	base    int64     // largest item base among them

	variance float64 // of the index as a proportion
	nEff     float64 // effective sample size of the interval
	lo, hi   float64 // interval, as proportions
}

func newEstimate(k int) estimate {
	return estimate{a: make([]float64, k), c: make([]float64, k)}
}

// mean is the unweighted mean of the item indices of items lo..hi-1 that
// have a valid answer.
func (e *estimate) mean(t *Tally, lo, hi int) {
	m := 0
	for i := lo; i < hi; i++ {
		if t.Valid(i) > 0 {
			m++
		}
	}
	if m == 0 {
		return
	}
	sum := 0.0
	for i := lo; i < hi; i++ {
		n := t.Valid(i)
		if n == 0 {
			continue
		}
		sum += itemPercent(t.Satisfied(i), n) // exactly as reported
		p := float64(t.Satisfied(i)) / float64(n)
		e.a[i] = 1 / (float64(m) * float64(n))
		e.c[i] = p
		e.answers += n
		e.base = max(e.base, n)
	}
	e.ok, e.pct = true, sum/float64(m)
}

// pooled is satisfied over valid answers across items lo..hi-1: a ratio
// estimator, whose influence is (Σ_i y_ri − θ Σ_i v_ri) / Σ_i n_i.
func (e *estimate) pooled(t *Tally, lo, hi int) {
	var s, n int64
	for i := lo; i < hi; i++ {
		s += t.Satisfied(i)
		n += t.Valid(i)
	}
	if n == 0 {
		return
	}
	theta := float64(s) / float64(n)
	for i := lo; i < hi; i++ {
		ni := t.Valid(i)
		if ni == 0 {
			continue
		}
		e.a[i] = 1 / float64(n)
		e.c[i] = theta
		e.base = max(e.base, ni)
	}
	e.ok, e.pct, e.answers = true, itemPercent(s, n), n
}

// meanOfFactors is the mean of the factor indices that are present. Each
// item belongs to one factor, so the factors' coefficients combine item by
// item.
func (e *estimate) meanOfFactors(fs []estimate) {
	m := 0
	for _, f := range fs {
		if f.ok {
			m++
		}
	}
	if m == 0 {
		return
	}
	sum := 0.0
	for _, f := range fs {
		if !f.ok {
			continue
		}
		sum += f.pct
		for i, a := range f.a {
			if a != 0 {
				e.a[i] = a / float64(m)
				e.c[i] = f.c[i]
			}
		}
		e.answers += f.answers
		e.base = max(e.base, f.base)
	}
	e.ok, e.pct = true, sum/float64(m)
}

// finish computes the variance, the effective sample size and the interval.
func (e *estimate) finish(t *Tally) {
	if !e.ok {
		return
	}
	e.variance = linVar(t, e.a, e.c)
	theta := e.pct / 100
	if e.variance <= 0 || theta <= 0 || theta >= 1 {
		// No information on the spread: fall back to the largest item base.
		e.nEff = float64(e.base)
	} else {
		e.nEff = min(theta*(1-theta)/e.variance, float64(e.answers))
	}
	e.lo, e.hi = wilson(theta, e.nEff)
}

// percent returns the index and its interval in percent, nil when absent.
func (e *estimate) percent() (*float64, *Interval) {
	if !e.ok {
		return nil, nil
	}
	return ptr(e.pct), &Interval{e.lo * 100, e.hi * 100}
}

// needed is the number of further responses that would bring the 95%
// margin down to PlanningMargin, given respondents responses so far.
func (e *estimate) needed(respondents int64) int64 {
	const m = PlanningMargin / 100
	if !e.ok || respondents <= 0 {
		return int64(math.Ceil(Z95 * Z95 * 0.25 / (m * m)))
	}
	p := e.pct / 100
	switch {
	case p <= 0:
		p = e.hi
	case p >= 1:
		p = e.lo
	}
	v := p * (1 - p) / e.nEff
	r := float64(respondents)
	req := Z95 * Z95 * v * r / (m * m)
	return max(0, int64(math.Ceil(req-r)))
}

// linVar is Σ_r z_r² for the influence z_r = Σ_i a_i (y_ri − c_i v_ri):
//
//	Σ_i Σ_j a_i a_j (SS_ij − c_j SV_ij − c_i SV_ji + c_i c_j VV_ij)
//
// since Σ_r y_ri v_rj = SV_ij (satisfied on i, valid on j).
func linVar(t *Tally, a, c []float64) float64 {
	k := t.K
	var v float64
	for i := 0; i < k; i++ {
		if a[i] == 0 {
			continue
		}
		var row float64
		for j := 0; j < k; j++ {
			if a[j] == 0 {
				continue
			}
			ss := float64(t.SS[i*k+j])
			svij := float64(t.SV[i*k+j])
			svji := float64(t.SV[j*k+i])
			vv := float64(t.VV[i*k+j])
			row += a[j] * (ss - c[j]*svij - c[i]*svji + c[i]*c[j]*vv)
		}
		v += a[i] * row
	}
	return v
}
