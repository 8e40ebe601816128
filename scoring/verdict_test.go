package scoring

import (
	"math"
	"testing"

	"github.com/sipas/sipas/surveys"
)

func TestVerdict(t *testing.T) {
	b, tg := ptr(80.0), ptr(82.0)
	cases := []struct {
		name     string
		index    *float64
		ci       *Interval
		base, tg *float64
		n        int64
		want     Verdict
	}{
		{"no baseline", ptr(90), &Interval{85, 95}, nil, nil, 100, ""},
		{"no data", nil, nil, b, tg, 0, VerdictInsufficient},
		{"too few", ptr(90), &Interval{85, 95}, b, tg, 29, VerdictInsufficient},
		{"target met", ptr(82), &Interval{80.5, 84}, b, tg, 30, VerdictTargetMet},
		{"above, target not met", ptr(81.9), &Interval{80.5, 84}, b, tg, 30, VerdictAboveBaseline},
		{"above, no target", ptr(90), &Interval{85, 95}, b, nil, 30, VerdictAboveBaseline},
		{"target reached but not distinguishable", ptr(83), &Interval{79.9, 86}, b, tg, 30, VerdictNotDifferent},
		{"lower bound on baseline", ptr(83), &Interval{80, 86}, b, tg, 30, VerdictNotDifferent},
		{"below", ptr(70), &Interval{60, 79.9}, b, tg, 30, VerdictBelowBaseline},
		{"upper bound on baseline", ptr(70), &Interval{60, 80}, b, tg, 30, VerdictNotDifferent},
	}
	for _, c := range cases {
		if got := verdict(c.index, c.ci, c.base, c.tg, c.n, 30); got != c.want {
			t.Errorf("%s: verdict = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestTargets(t *testing.T) {
	d := sipas2022(t)
	b := baseline2022(t, d)
	over := b
	over.Targets = map[string]float64{"B": 90}
	cases := []struct {
		name string
		b    surveys.Baseline
		rule string
		want []float64 // A..E; NaN = null
	}{
		{"points", b, TargetPoints, []float64{85.99, 86.04, 87.39, 82.90, 81.89}},
		{"relative", b, TargetRelative, []float64{83.99 * 1.02, 84.04 * 1.02, 85.39 * 1.02, 80.90 * 1.02, 77.89 * 1.04}},
		{"override", over, TargetPoints, []float64{85.99, 90, 87.39, 82.90, 81.89}},
		{"none", surveys.Baseline{}, TargetPoints, []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}},
	}
	for _, c := range cases {
		s := Compute(d, nil, Options{Baseline: c.b, Method: surveys.Method{TargetRule: c.rule}})
		sum := 0.0
		for i, f := range s.Factors {
			checkIndex(t, c.name+" target "+f.Code, f.Target, c.want[i], 1e-9)
			sum += c.want[i]
		}
		checkIndex(t, c.name+" service target", s.ServiceTarget, sum/5, 1e-9)
	}
	s := Compute(d, nil, Options{Baseline: b})
	checkIndex(t, "service baseline", s.ServiceBaseline, (83.99+84.04+85.39+80.90+77.89)/5, 1e-9)
	checkIndex(t, "overall", s.BaselineOverall, 82.52, 0)

	// A baseline missing a factor: that factor and the service index have
	// no baseline, no target and no verdict.
	part := surveys.Baseline{Year: 2022, Unit: "x", Values: map[string]float64{"A": 80}}
	s = Compute(d, nil, Options{Baseline: part})
	if s.Factors[0].Verdict != VerdictInsufficient || s.Factors[1].Verdict != "" || s.ServiceBaseline != nil || s.ServiceVerdict != "" {
		t.Errorf("partial baseline: verdicts %q %q, service baseline %v verdict %q",
			s.Factors[0].Verdict, s.Factors[1].Verdict, s.ServiceBaseline, s.ServiceVerdict)
	}
}

func TestCheck(t *testing.T) {
	d := sipas2022(t)
	good := NewTallyFor(d)
	cases := []struct {
		name string
		t    *Tally
		opt  Options
		ok   bool
	}{
		{"fits", good, Options{}, true},
		{"overrides", good, Options{Method: surveys.Method{FactorMethod: FactorPooled, ServiceRule: ServicePooled, TargetRule: TargetRelative, MinRespondents: 5}}, true},
		{"other shape", NewTally(22, 5, 4), Options{}, false},
		{"other scale", NewTally(16, 5, 3), Options{}, false},
		{"bad factor method", good, Options{Method: surveys.Method{FactorMethod: "median"}}, false},
		{"bad service rule", good, Options{Method: surveys.Method{ServiceRule: "max"}}, false},
		{"bad target rule", good, Options{Method: surveys.Method{TargetRule: "percent"}}, false},
		{"negative minimum", good, Options{Method: surveys.Method{MinRespondents: -1}}, false},
	}
	for _, c := range cases {
		if err := Check(d, c.t, c.opt); (err == nil) != c.ok {
			t.Errorf("%s: Check = %v, want ok %v", c.name, err, c.ok)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Compute with a tally of another shape did not panic")
		}
	}()
	Compute(d, NewTally(22, 5, 4), Options{})
}
