package scoring

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"

	"github.com/sipas/sipas/surveys"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// val is the value of an index, NaN when it is null.
func val(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// checkIndex compares an index with a hand-computed value; NaN wants null.
func checkIndex(t *testing.T, what string, got *float64, want float64, tol float64) {
	t.Helper()
	switch {
	case math.IsNaN(want) && got != nil:
		t.Errorf("%s = %v, want null", what, *got)
	case !math.IsNaN(want) && got == nil:
		t.Errorf("%s = null, want %v", what, want)
	case got != nil && !near(*got, want, tol):
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

func computeFile(t *testing.T, d *surveys.Definition, name string, opt Options) Score {
	t.Helper()
	return Compute(d, tallyOf(d, readVectors(t, d, filepath.Join("testdata", name+".csv"))), opt)
}

func itemByCode(s Score) map[string]ItemScore {
	m := map[string]ItemScore{}
	for _, f := range s.Factors {
		for _, it := range f.Items {
			m[it.Code] = it
		}
	}
	return m
}

// TestSmallByHand checks testdata/small.csv (three respondents, no-opinion
// answers, item B2 and factor E unanswered) against values worked out by
// hand: item indices exactly, factor and service indices to 1e-9.
func TestSmallByHand(t *testing.T) {
	d := sipas2022(t)
	s := computeFile(t, d, "small", Options{Baseline: baseline2022(t, d)})
	nan := math.NaN()
	twoThirds := 2.0 / 3 * 100
	items := []struct {
		code     string
		sat, val int64
		index    float64
	}{
		{"A1", 2, 3, twoThirds}, {"A2", 2, 2, 100}, {"A3", 0, 1, 0},
		{"B1", 2, 3, twoThirds}, {"B2", 0, 0, nan}, {"B3", 2, 3, twoThirds}, {"B4", 2, 3, twoThirds},
		{"C1", 2, 3, twoThirds}, {"C2", 2, 3, twoThirds}, {"C3", 2, 2, 100},
		{"D1", 2, 2, 100}, {"D2", 1, 1, 100}, {"D3", 0, 2, 0},
		{"E1", 0, 0, nan}, {"E2", 0, 0, nan}, {"E3", 0, 0, nan},
	}
	got := itemByCode(s)
	for _, w := range items {
		it := got[w.code]
		if it.Satisfied != w.sat || it.Valid != w.val {
			t.Errorf("%s: satisfied/valid = %d/%d, want %d/%d", w.code, it.Satisfied, it.Valid, w.sat, w.val)
		}
		checkIndex(t, w.code, it.Index, w.index, 0) // exact
		if (it.CI95 == nil) != (it.Index == nil) {
			t.Errorf("%s: ci95 %v with index %v", w.code, it.CI95, it.Index)
		}
	}
	factors := []struct {
		index       float64
		respondents int64
	}{
		{500.0 / 9, 3}, // (2/3 + 1 + 0) / 3
		{200.0 / 3, 3}, // B2 has no answer: mean of three 2/3
		{700.0 / 9, 3}, // (2/3 + 2/3 + 1) / 3
		{200.0 / 3, 2}, // (1 + 1 + 0) / 3
		{nan, 0},
	}
	for i, w := range factors {
		f := s.Factors[i]
		checkIndex(t, "factor "+f.Code, f.Index, w.index, 1e-9)
		if f.Respondents != w.respondents {
			t.Errorf("factor %s respondents = %d, want %d", f.Code, f.Respondents, w.respondents)
		}
	}
	if f := s.Factors[4]; f.CI95 != nil || f.Verdict != VerdictInsufficient || f.Needed != 2401 {
		t.Errorf("factor E: ci95 %v verdict %q needed %d, want null, insufficient, 2401", f.CI95, f.Verdict, f.Needed)
	}
	// The mean of the four factors that have an index.
	checkIndex(t, "service", s.ServiceIndex, (500.0/9+200.0/3+700.0/9+200.0/3)/4, 1e-9)
	if s.Respondents != 3 {
		t.Errorf("respondents = %d, want 3", s.Respondents)
	}

	p := computeFile(t, d, "small", Options{Method: surveys.Method{FactorMethod: FactorPooled, ServiceRule: ServicePooled}})
	for i, want := range []float64{4.0 / 6 * 100, 6.0 / 9 * 100, 6.0 / 8 * 100, 3.0 / 5 * 100, nan} {
		checkIndex(t, "pooled factor "+p.Factors[i].Code, p.Factors[i].Index, want, 1e-12)
	}
	checkIndex(t, "pooled service", p.ServiceIndex, 19.0/28*100, 1e-12)
}

// TestFullByHand checks testdata/full.csv: five respondents who answered
// all 16 items.
func TestFullByHand(t *testing.T) {
	d := sipas2022(t)
	s := computeFile(t, d, "full", Options{Baseline: baseline2022(t, d)})
	wantItems := map[string]float64{
		"A1": 60, "A2": 60, "A3": 60, "B1": 60, "B2": 80, "B3": 40, "B4": 80,
		"C1": 60, "C2": 60, "C3": 40, "D1": 60, "D2": 60, "D3": 60, "E1": 60, "E2": 60, "E3": 60,
	}
	for code, it := range itemByCode(s) {
		checkIndex(t, code, it.Index, wantItems[code], 0)
		if it.Valid != 5 {
			t.Errorf("%s valid = %d, want 5", code, it.Valid)
		}
	}
	for i, want := range []float64{60, 65, 160.0 / 3, 60, 60} {
		checkIndex(t, "factor "+s.Factors[i].Code, s.Factors[i].Index, want, 1e-12)
		if s.Factors[i].Respondents != 5 {
			t.Errorf("factor %s respondents = %d, want 5", s.Factors[i].Code, s.Factors[i].Respondents)
		}
	}
	checkIndex(t, "service", s.ServiceIndex, (60+65+160.0/3+60+60)/5, 1e-12)

	// The three E items are satisfied by the same three people, so E
	// carries no more information than one item: its interval is the
	// Wilson interval of 3 out of 5.
	w, _ := Wilson(3, 5)
	if ci := s.Factors[4].CI95; ci == nil || !near(ci[0], w[0], 1e-9) || !near(ci[1], w[1], 1e-9) {
		t.Errorf("factor E ci95 = %v, want %v", ci, w)
	}
	// A's items are answered differently by different people, so its
	// interval is narrower than one item's.
	if ci := s.Factors[0].CI95; ci == nil || ci[1]-ci[0] >= w[1]-w[0] {
		t.Errorf("factor A ci95 = %v, want narrower than %v", ci, w)
	}

	p := computeFile(t, d, "full", Options{Method: surveys.Method{ServiceRule: ServicePooled}})
	checkIndex(t, "pooled service", p.ServiceIndex, 48.0/80*100, 1e-12)
}

// TestSingleRespondent: one person, some items answered.
func TestSingleRespondent(t *testing.T) {
	d := sipas2022(t)
	s := computeFile(t, d, "single", Options{})
	for i, want := range []float64{50, 200.0 / 3, math.NaN(), 100, 0} {
		checkIndex(t, "factor "+s.Factors[i].Code, s.Factors[i].Index, want, 1e-12)
	}
	checkIndex(t, "service", s.ServiceIndex, (50+200.0/3+100+0)/4, 1e-12)
	// D is 1 out of 1: the interval is Wilson's for 1/1.
	w, _ := Wilson(1, 1)
	if ci := s.Factors[3].CI95; ci == nil || !near(ci[0], w[0], 1e-12) || ci[1] != 100 {
		t.Errorf("factor D ci95 = %v, want %v", ci, w)
	}
	for _, f := range s.Factors {
		if f.Verdict != "" || f.Baseline != nil || f.Target != nil {
			t.Errorf("factor %s without a baseline has verdict %q baseline %v target %v", f.Code, f.Verdict, f.Baseline, f.Target)
		}
	}
}

// TestWilsonKnownValues compares with Newcombe (1998), Statistics in
// Medicine 17:857, table I, method 3 (score interval without continuity
// correction), given to four decimals.
func TestWilsonKnownValues(t *testing.T) {
	cases := []struct {
		s, n   int64
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
		{29, 29, 0.8830, 1},
	}
	for _, c := range cases {
		got, ok := Wilson(c.s, c.n)
		if !ok || !near(got[0]/100, c.lo, 0.00005) || !near(got[1]/100, c.hi, 0.00005) {
			t.Errorf("Wilson(%d, %d) = %v, want [%v, %v] %%", c.s, c.n, got, c.lo*100, c.hi*100)
		}
	}
	if _, ok := Wilson(0, 0); ok {
		t.Error("Wilson(0, 0) ok, want no interval")
	}
}

// TestNeeded: 100 people, half satisfied with everything and half with
// nothing. Every factor behaves like one item at p = 0.5 with n = 100, so
// n_req = z²·0.25/0.02² = 2400.9 and 2301 more are needed.
func TestNeeded(t *testing.T) {
	d := sipas2022(t)
	tl := NewTallyFor(d)
	for r := 0; r < 100; r++ {
		v := make([]int8, len(d.Items()))
		for i := range v {
			v[i] = int8(1 + 4*(r%2))
		}
		tl.Add(v)
	}
	s := Compute(d, tl, Options{})
	for _, f := range s.Factors {
		if f.Needed != 2301 {
			t.Errorf("factor %s needed = %d, want 2301", f.Code, f.Needed)
		}
	}
	if s.ServiceNeeded != 2301 {
		t.Errorf("service needed = %d, want 2301", s.ServiceNeeded)
	}
	if got := Compute(d, nil, Options{}).ServiceNeeded; got != 2401 {
		t.Errorf("needed with no data = %d, want 2401", got)
	}
	// Well past the margin: nothing more is needed.
	big := tl.Clone()
	for i := 0; i < 30; i++ {
		big.Merge(tl)
	}
	if got := Compute(d, big, Options{}).ServiceNeeded; got != 0 {
		t.Errorf("needed with 3100 responses = %d, want 0", got)
	}
}

// TestDocumentShape checks the names SPEC 5.4 promises and that absent
// indices are JSON null.
func TestDocumentShape(t *testing.T) {
	d := sipas2022(t)
	b, err := json.Marshal(computeFile(t, d, "small", Options{From: "2025-01-01", To: "2025-02-01", Baseline: baseline2022(t, d)}))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	has := func(m map[string]any, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("key %q missing from %v", k, m)
			}
		}
	}
	has(doc, "survey", "from", "to", "respondents", "service_index", "factors")
	if doc["survey"] != "sipas-2022" || doc["from"] != "2025-01-01" || doc["respondents"] != 3.0 {
		t.Errorf("header = %v %v %v", doc["survey"], doc["from"], doc["respondents"])
	}
	factors := doc["factors"].([]any)
	for _, fa := range factors {
		f := fa.(map[string]any)
		has(f, "code", "name", "index", "ci95", "baseline", "target", "verdict", "respondents", "items")
		for _, ia := range f["items"].([]any) {
			has(ia.(map[string]any), "code", "index", "valid", "satisfied", "ci95")
		}
	}
	a := factors[0].(map[string]any)
	if a["name"] != "Tiếp cận dịch vụ" {
		t.Errorf("factor A name = %v", a["name"])
	}
	if ci, ok := a["ci95"].([]any); !ok || len(ci) != 2 {
		t.Errorf("factor A ci95 = %v, want [lo, hi]", a["ci95"])
	}
	e := factors[4].(map[string]any)
	if e["index"] != nil || e["ci95"] != nil {
		t.Errorf("factor E index %v ci95 %v, want null", e["index"], e["ci95"])
	}
	b2 := factors[1].(map[string]any)["items"].([]any)[1].(map[string]any)
	if b2["code"] != "B2" || b2["index"] != nil || b2["ci95"] != nil || b2["valid"] != 0.0 {
		t.Errorf("item B2 = %v, want null index and ci95, valid 0", b2)
	}
}
