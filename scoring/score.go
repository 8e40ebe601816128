package scoring

import (
	"github.com/sipas/sipas/surveys"
)

// Names of the scoring method's options (surveys.Method).
const (
	FactorMean           = "mean"
	FactorPooled         = "pooled"
	ServiceMeanOfFactors = "mean_of_factors"
	ServicePooled        = "pooled"
	TargetPoints         = "points"
	TargetRelative       = "relative"
)

// Verdict compares an index with its baseline and target.
type Verdict string

// Verdicts (SPEC 5.4).
const (
	VerdictTargetMet     Verdict = "target_met"
	VerdictAboveBaseline Verdict = "above_baseline"
	VerdictNotDifferent  Verdict = "not_different"
	VerdictBelowBaseline Verdict = "below_baseline"
	VerdictInsufficient  Verdict = "insufficient"
)

// Interval is a 95% confidence interval [lo, hi] in percentage points.
type Interval [2]float64

// Score is the score document of SPEC 5.4. Fields listed there keep their
// names; the others are extensions.
type Score struct {
	Survey      string `json:"survey"`
	Version     int    `json:"version"`
	From        string `json:"from"`
	To          string `json:"to"`
	Respondents int64  `json:"respondents"`

	ServiceIndex       *float64  `json:"service_index"`
	ServiceCI95        *Interval `json:"service_ci95"`
	ServiceBaseline    *float64  `json:"service_baseline"` // mean of the factor baselines
	ServiceTarget      *float64  `json:"service_target"`   // mean of the factor targets
	ServiceVerdict     Verdict   `json:"service_verdict,omitempty"`
	ServiceRespondents int64     `json:"service_respondents"` // largest item base
	ServiceNeeded      int64     `json:"service_needed"`

	Method          surveys.Method `json:"method"` // as applied, overrides included
	BaselineYear    int            `json:"baseline_year,omitempty"`
	BaselineUnit    string         `json:"baseline_unit,omitempty"`
	BaselineOverall *float64       `json:"baseline_overall,omitempty"` // reference only

	Factors []FactorScore `json:"factors"`
}

// FactorScore is one factor (sub-index) of a score.
type FactorScore struct {
	Code        string      `json:"code"`
	Name        string      `json:"name"` // Vietnamese
	Method      string      `json:"method"`
	Index       *float64    `json:"index"`
	CI95        *Interval   `json:"ci95"`
	Baseline    *float64    `json:"baseline"`
	Target      *float64    `json:"target"`
	Verdict     Verdict     `json:"verdict,omitempty"`
	Respondents int64       `json:"respondents"` // largest item base
	Needed      int64       `json:"needed"`      // responses still needed for ±2 points
	Items       []ItemScore `json:"items"`
}

// ItemScore is one item (criterion) of a score.
type ItemScore struct {
	Code      string    `json:"code"`
	Index     *float64  `json:"index"`
	Valid     int64     `json:"valid"`
	Satisfied int64     `json:"satisfied"`
	CI95      *Interval `json:"ci95"`
	// Counts[v-1] is the number of answers v, for v = 1..Scale.Max().
	Counts []int64 `json:"counts"`
}

// Compute scores the responses counted in t against definition d. The
// tally must have been built for d (see Check); Compute panics otherwise,
// as it does for unknown method names in opt. A nil tally counts as empty.
// Equal tallies give identical scores, bit for bit.
func Compute(d *surveys.Definition, t *Tally, opt Options) Score {
	if t == nil && d != nil {
		t = NewTallyFor(d)
	}
	if err := Check(d, t, opt); err != nil {
		panic(err)
	}
	m := resolveMethod(d.Scoring, opt.Method)
	s := Score{
		Survey:      d.ID,
		Version:     d.Version,
		From:        opt.From,
		To:          opt.To,
		Respondents: t.Respondents,
		Method:      m,
		Factors:     make([]FactorScore, len(d.Factors)),
	}
	hasBaseline := len(opt.Baseline.Values) > 0 || len(opt.Baseline.Targets) > 0
	if hasBaseline {
		s.BaselineYear, s.BaselineUnit = opt.Baseline.Year, opt.Baseline.Unit
		if opt.Baseline.Overall != 0 {
			s.BaselineOverall = ptr(opt.Baseline.Overall)
		}
	}

	factorEst, se := estimates(d, t, m)
	first := 0
	for fi, f := range d.Factors {
		lo, hi := first, first+len(f.Items)
		first = hi
		fs := &s.Factors[fi]
		fs.Code, fs.Name, fs.Method = f.Code, f.Name.VI, m.FactorMethod
		fs.Items = make([]ItemScore, len(f.Items))
		for i := lo; i < hi; i++ {
			fs.Items[i-lo] = itemScore(t, i, d.Items()[i].Code)
		}
		e := &factorEst[fi]
		fs.Index, fs.CI95 = e.percent()
		fs.Respondents = e.base
		fs.Needed = e.needed(t.Respondents)
		fs.Baseline, fs.Target = baselineAndTarget(f, opt.Baseline, m.TargetRule)
		fs.Verdict = verdict(fs.Index, fs.CI95, fs.Baseline, fs.Target, fs.Respondents, m.MinRespondents)
	}

	s.ServiceIndex, s.ServiceCI95 = se.percent()
	s.ServiceRespondents = se.base
	s.ServiceNeeded = se.needed(t.Respondents)
	s.ServiceBaseline, s.ServiceTarget = serviceBaselineAndTarget(s.Factors)
	s.ServiceVerdict = verdict(s.ServiceIndex, s.ServiceCI95, s.ServiceBaseline, s.ServiceTarget, s.ServiceRespondents, m.MinRespondents)
	return s
}

// estimates computes the factor indices and the service index of t under
// method m, with their intervals.
func estimates(d *surveys.Definition, t *Tally, m surveys.Method) (factors []estimate, service estimate) {
	factors = make([]estimate, len(d.Factors))
	first := 0
	for fi, f := range d.Factors {
		lo, hi := first, first+len(f.Items)
		first = hi
		e := newEstimate(t.K)
		if m.FactorMethod == FactorPooled {
			e.pooled(t, lo, hi)
		} else {
			e.mean(t, lo, hi)
		}
		e.finish(t)
		factors[fi] = e
	}
	service = newEstimate(t.K)
	if m.ServiceRule == ServicePooled {
		service.pooled(t, 0, t.K)
	} else {
		service.meanOfFactors(factors)
	}
	service.finish(t)
	return factors, service
}

// itemScore is item i's index, counts and Wilson interval.
func itemScore(t *Tally, i int, code string) ItemScore {
	it := ItemScore{
		Code:      code,
		Valid:     t.Valid(i),
		Satisfied: t.Satisfied(i),
		Counts:    make([]int64, t.Max),
	}
	for v := 1; v <= t.Max; v++ {
		it.Counts[v-1] = t.Count(i, v)
	}
	if it.Valid > 0 {
		p := float64(it.Satisfied) / float64(it.Valid)
		it.Index = ptr(itemPercent(it.Satisfied, it.Valid))
		lo, hi := wilson(p, float64(it.Valid))
		it.CI95 = &Interval{lo * 100, hi * 100}
	}
	return it
}

func ptr(v float64) *float64 { return &v }
