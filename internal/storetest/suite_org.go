package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

func testReopen(t *testing.T, h Harness) {
	if h.Reopen == nil {
		t.Skip("the harness cannot reopen a database")
	}
	ref := open(t, h)
	g := NewGen(t, 12)
	rs := randomResponses(g, 30, day(2024, 9, 1), 3)
	rs[0].Extra = map[string]string{"comment": comment}
	insertInBatches(t, ref.s, g.Rng, rs)
	c := surveys.Counter{Code: "mot-cua-01", Name: surveys.Text{VI: "Quầy 1", EN: "Counter 1"}, Division: "qlcn",
		Procedures: []surveys.Procedure{{Code: "p2", Name: surveys.Text{VI: "Thủ tục 2"}}, {Code: "p1"}}, Active: true}
	if err := ref.s.PutCounter(ctx(t), c); err != nil {
		t.Fatalf("PutCounter: %v", err)
	}
	if err := ref.s.SetMeta(ctx(t), "demo_seeded", "2024-09-01"); err != nil {
		t.Fatalf("SetMeta: %v", err)
	}

	ref.s = h.Reopen(t, ref.s)
	s := ref.s

	if n := count(t, s, surveys.ResponseFilter{}); n != int64(len(rs)) {
		t.Errorf("after reopening: CountResponses = %d, want %d", n, len(rs))
	}
	for _, want := range rs {
		got, err := s.Response(ctx(t), want.ID)
		if err != nil {
			t.Errorf("after reopening: Response(%s): %v", want.ID, err)
			continue
		}
		for _, d := range diffResponse(got, want) {
			t.Errorf("after reopening: %s", d)
		}
	}
	checkRollups(t, s, g.Def, surveys.DayFilter{}, rs)
	if got, err := s.Counter(ctx(t), c.Code); err != nil || !sameCounter(got, c) {
		t.Errorf("after reopening: Counter = %+v, %v; want %+v", got, err, c)
	}
	if got, err := s.Meta(ctx(t), "demo_seeded"); err != nil || got != "2024-09-01" {
		t.Errorf("after reopening: Meta = %q, %v; want %q", got, err, "2024-09-01")
	}
	// A replay after reopening is still recognised.
	if got := insert(t, s, rs[0]); got[0] {
		t.Errorf("after reopening: replay fresh = true, want false")
	}
	// And the store still takes new responses.
	r := g.Response(time.Date(2024, 9, 2, 9, 0, 0, 0, surveys.Location), "mot-cua-01", surveys.ChannelQR)
	if got := insert(t, s, r); !got[0] {
		t.Errorf("after reopening: new response fresh = false, want true")
	}
	checkRollups(t, s, g.Def, surveys.DayFilter{}, append(rs, r))
}

func testDivisions(t *testing.T, h Harness) {
	s := open(t, h).s
	put := []surveys.Division{
		{Code: "vp", Name: surveys.Text{VI: "Văn phòng Sở", EN: "Office"}},
		{Code: "qlcn", Name: surveys.Text{VI: "Phòng Quản lý công nghiệp", EN: "Industry"}},
		{Code: "qltm", Name: surveys.Text{VI: "Phòng Quản lý thương mại"}},
		{Code: "vp", Name: surveys.Text{VI: "Văn phòng", EN: "Office (renamed)"}}, // replaces
	}
	for _, d := range put {
		if err := s.PutDivision(ctx(t), d); err != nil {
			t.Fatalf("PutDivision(%s): %v", d.Code, err)
		}
	}
	got, err := s.Divisions(ctx(t))
	if err != nil {
		t.Fatalf("Divisions: %v", err)
	}
	want := []surveys.Division{put[1], put[2], put[3]}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Divisions = %v, want %v", got, want)
	}
}

func sameCounter(a, b surveys.Counter) bool {
	if len(a.Procedures) != len(b.Procedures) {
		return false
	}
	for i := range a.Procedures {
		if a.Procedures[i] != b.Procedures[i] {
			return false
		}
	}
	return a.Code == b.Code && a.Name == b.Name && a.Division == b.Division &&
		a.Location == b.Location && a.Active == b.Active
}

func testCounters(t *testing.T, h Harness) {
	s := open(t, h).s
	c2 := surveys.Counter{Code: "mot-cua-02", Name: surveys.Text{VI: "Quầy 2", EN: "Counter 2"}, Division: "qltm",
		Location: surveys.Text{VI: "Tầng 1, Trung tâm Phục vụ hành chính công", EN: "Ground floor"}, Active: true}
	c1 := surveys.Counter{Code: "mot-cua-01", Name: surveys.Text{VI: "Quầy 1"}, Division: "qlcn",
		Procedures: []surveys.Procedure{
			{Code: "cap-phep-ban-le-ruou", Name: surveys.Text{VI: "Cấp giấy phép bán lẻ rượu", EN: "Retail liquor licence"}},
			{Code: "an-toan-thuc-pham", Name: surveys.Text{VI: "Cấp giấy chứng nhận an toàn thực phẩm"}},
		}}
	c1b := c1
	c1b.Name = surveys.Text{VI: "Quầy số 1", EN: "Counter no. 1"}
	c1b.Active = true
	c1b.Procedures = []surveys.Procedure{ // a new order, one removed, one added
		{Code: "z-last-alphabetically", Name: surveys.Text{VI: "Thủ tục Z"}},
		{Code: "an-toan-thuc-pham", Name: surveys.Text{VI: "Cấp giấy chứng nhận an toàn thực phẩm"}},
		{Code: "a-first", Name: surveys.Text{VI: "Thủ tục A"}},
	}
	c0 := surveys.Counter{Code: "a-quay", Name: surveys.Text{VI: "Quầy A"}}
	for _, c := range []surveys.Counter{c2, c1, c1b, c0} {
		if err := s.PutCounter(ctx(t), c); err != nil {
			t.Fatalf("PutCounter(%s): %v", c.Code, err)
		}
	}
	for _, want := range []surveys.Counter{c0, c1b, c2} {
		got, err := s.Counter(ctx(t), want.Code)
		if err != nil {
			t.Errorf("Counter(%s): %v", want.Code, err)
			continue
		}
		if !sameCounter(got, want) {
			t.Errorf("Counter(%s) = %+v, want %+v", want.Code, got, want)
		}
	}
	got, err := s.Counters(ctx(t))
	if err != nil {
		t.Fatalf("Counters: %v", err)
	}
	want := []surveys.Counter{c0, c1b, c2}
	if len(got) != len(want) {
		t.Fatalf("Counters gave %d, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !sameCounter(got[i], want[i]) {
			t.Errorf("Counters[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if _, err := s.Counter(ctx(t), "no-such-counter"); !surveys.IsNotFound(err) {
		t.Errorf("Counter(unknown) error = %v, want %s", err, surveys.ENOTFOUND)
	}
}

func testBaselines(t *testing.T, h Harness) {
	s := open(t, h).s
	survey := surveys.Default
	b2022 := surveys.Baseline{Year: 2022, Unit: "so-cong-thuong",
		Values:  map[string]float64{"A": 83.99, "B": 84.04, "C": 85.39, "D": 80.90, "E": 77.89},
		Overall: 82.52}
	b2022p := surveys.Baseline{Year: 2022, Unit: "gia-lai", Values: map[string]float64{"A": 80}}
	b2023 := surveys.Baseline{Year: 2023, Unit: "so-cong-thuong", Values: map[string]float64{"A": 85},
		Targets: map[string]float64{"A": 88.5}}
	b2022r := b2022 // replaces b2022
	b2022r.Values = map[string]float64{"A": 84, "E": 78}
	b2022r.Overall = 83
	for _, b := range []surveys.Baseline{b2023, b2022, b2022p, b2022r} {
		if err := s.PutBaseline(ctx(t), survey, b); err != nil {
			t.Fatalf("PutBaseline(%d %s): %v", b.Year, b.Unit, err)
		}
	}
	if err := s.PutBaseline(ctx(t), "sipas-2017", surveys.Baseline{Year: 2017, Unit: "x", Values: map[string]float64{"A": 1}}); err != nil {
		t.Fatalf("PutBaseline(other survey): %v", err)
	}
	got, err := s.Baselines(ctx(t), survey)
	if err != nil {
		t.Fatalf("Baselines: %v", err)
	}
	want := []surveys.Baseline{b2022p, b2022r, b2023}
	if fmt.Sprint(got) != fmt.Sprint(want) { // fmt prints maps sorted by key
		t.Errorf("Baselines =\n%+v\nwant\n%+v", got, want)
	}
	if got, err := s.Baselines(ctx(t), "no-such-survey"); err != nil || len(got) != 0 {
		t.Errorf("Baselines(unknown survey) = %v, %v; want none", got, err)
	}
}

func testMeta(t *testing.T, h Harness) {
	s := open(t, h).s
	if _, err := s.Meta(ctx(t), "demo_seeded"); !surveys.IsNotFound(err) {
		t.Errorf("Meta(unknown) error = %v, want %s", err, surveys.ENOTFOUND)
	}
	steps := []struct{ key, value string }{
		{"demo_seeded", "1"},
		{"note", "Ghi chú: <b>đậm</b>"},
		{"demo_seeded", "2"}, // overwrites
	}
	for _, st := range steps {
		if err := s.SetMeta(ctx(t), st.key, st.value); err != nil {
			t.Fatalf("SetMeta(%s): %v", st.key, err)
		}
	}
	for key, want := range map[string]string{"demo_seeded": "2", "note": "Ghi chú: <b>đậm</b>"} {
		if got, err := s.Meta(ctx(t), key); err != nil || got != want {
			t.Errorf("Meta(%s) = %q, %v; want %q", key, got, err, want)
		}
	}
}

func testPing(t *testing.T, h Harness) {
	s := open(t, h).s
	if err := s.Ping(ctx(t)); err != nil {
		t.Errorf("Ping: %v", err)
	}
}
