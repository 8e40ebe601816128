package demo

import (
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

func TestGenerateIsValidAndPlausible(t *testing.T) {
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	def, _ := reg.Get(surveys.Default)
	counters := map[string]*surveys.Counter{}
	for i := range Counters {
		counters[Counters[i].Code] = &Counters[i]
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, surveys.Location)
	var n int
	ids := map[string]bool{}
	sat := map[string][2]int{} // factor -> satisfied, valid
	noOp := map[string][2]int{}
	var last time.Time
	err = Generate(def, Options{Now: now}, func(r surveys.Response) error {
		n++
		if err := surveys.ValidateResponse(def, &r, counters[r.Counter]); err != nil {
			t.Fatalf("response %d invalid: %v (%v)", n, err, err.(*surveys.Error).Fields)
		}
		if ids[r.ID] {
			t.Fatalf("duplicate id %s", r.ID)
		}
		ids[r.ID] = true
		if r.SubmittedAt.Before(last) || r.SubmittedAt.After(now) {
			t.Fatalf("response %d out of order or in the future: %v", n, r.SubmittedAt)
		}
		last = r.SubmittedAt
		for i, it := range def.Items() {
			f := def.Factors[def.FactorOfItem(i)].Code
			v, ok := r.Answers[it.Code]
			c := noOp[f]
			c[1]++
			if !ok {
				c[0]++
			}
			noOp[f] = c
			if ok {
				s := sat[f]
				s[1]++
				if v >= 4 {
					s[0]++
				}
				sat[f] = s
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3000 || n > 8000 {
		t.Errorf("got %d responses over 18 months, want a few thousand", n)
	}
	base, _ := def.Baseline(2022, "")
	for f, s := range sat {
		got := float64(s[0]) / float64(s[1]) * 100
		if d := got - base.Values[f]; d < -6 || d > 6 {
			t.Errorf("factor %s: level %.1f, too far from baseline %.2f", f, got, base.Values[f])
		}
	}
	if a, e := ratio(noOp["A"]), ratio(noOp["E"]); e < 3*a {
		t.Errorf("no-opinion share on E (%.2f) should be well above A (%.2f)", e, a)
	}
	// Reproducible: the same options give the same first id.
	var first1, first2 string
	_ = Generate(def, Options{Now: now, Months: 1}, func(r surveys.Response) error {
		if first1 == "" {
			first1 = r.ID
		}
		return nil
	})
	_ = Generate(def, Options{Now: now, Months: 1}, func(r surveys.Response) error {
		if first2 == "" {
			first2 = r.ID
		}
		return nil
	})
	if first1 == "" || first1 != first2 {
		t.Errorf("generation not reproducible: %q vs %q", first1, first2)
	}
}

func ratio(c [2]int) float64 { return float64(c[0]) / float64(c[1]) }
