package storetest

import (
	"testing"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

func testMergeRollups(t *testing.T, h Harness) {
	s := open(t, h).s
	m := s
	g := NewGen(t, 21)
	// Four months around a year end, with month edges in Asia/Ho_Chi_Minh.
	first := day(2024, 11, 20)
	rs := randomResponses(g, 300, first, 100)
	insertInBatches(t, s, g.Rng, rs)
	windows := []surveys.DayFilter{
		{},
		{Survey: g.Def.ID},
		{FromDay: "2024-12-01", ToDay: "2025-02-01"}, // whole months only
		{FromDay: "2024-12-01"},
		{ToDay: "2025-01-01"},
		{FromDay: "2024-11-25", ToDay: "2025-02-10"}, // partial, whole, partial
		{FromDay: "2024-12-31", ToDay: "2025-01-02"}, // across a year end
		{FromDay: "2025-01-05", ToDay: "2025-01-20"}, // inside one month
		{FromDay: "2025-01-05", ToDay: "2025-01-05"}, // empty
		{FromDay: "2024-11-25", ToDay: "2025-02-10", Counter: "mot-cua-02"},
		{FromDay: "2024-12-01", ToDay: "2025-02-01", Channel: surveys.ChannelKiosk},
		{Counter: "mot-cua-01", Channel: surveys.ChannelQR},
		{Survey: "no-such-survey"},
	}
	dayStr := func(i int) string { return surveys.Day(first.AddDate(0, 0, i)) }
	for range 10 {
		a, b := g.Rng.Intn(101), g.Rng.Intn(101)
		if a > b {
			a, b = b, a
		}
		windows = append(windows, surveys.DayFilter{FromDay: dayStr(a), ToDay: dayStr(b)})
	}
	for _, f := range windows {
		t.Run(filterName(f), func(t *testing.T) { checkMerge(t, m, g.Def, f, rs) })
	}
}

func checkMerge(t *testing.T, m Store, def *surveys.Definition, f surveys.DayFilter, rs []surveys.Response) {
	t.Helper()
	var sel []surveys.Response
	for _, r := range rs {
		if dayMatches(r, f) {
			sel = append(sel, r)
		}
	}
	got := scoring.NewTallyFor(def)
	if err := m.MergeRollups(ctx(t), f, got); err != nil {
		t.Fatalf("MergeRollups(%+v): %v", f, err)
	}
	if want := Tally(def, sel); !got.Equal(want) {
		t.Errorf("MergeRollups(%+v): %d respondents, want %d", f, got.Respondents, want.Respondents)
	}
}

// testMergeAfterHeal: after a crash between a response and its rollups,
// healing brings the merged windows (summaries included) back to the raw
// responses.
func testMergeAfterHeal(t *testing.T, h Harness) {
	if h.InsertWithoutRollup == nil {
		t.Skip("harness cannot simulate a crash between response and rollup")
	}
	s := open(t, h).s
	m := s
	g := NewGen(t, 22)
	first := day(2025, 1, 28)
	rs := randomResponses(g, 80, first, 10)
	insertInBatches(t, s, g.Rng, rs)
	lost := []surveys.Response{
		g.Response(first.Add(26*time.Hour), "mot-cua-01", surveys.ChannelQR),
		g.Response(first.AddDate(0, 0, 5), "mot-cua-02", surveys.ChannelPaper),
	}
	for _, r := range lost {
		h.InsertWithoutRollup(t, s, r)
	}
	all := append(append([]surveys.Response(nil), rs...), lost...)
	if _, err := s.HealRollups(ctx(t)); err != nil {
		t.Fatal(err)
	}
	for _, f := range []surveys.DayFilter{{}, {FromDay: "2025-02-01", ToDay: "2025-03-01"}, {FromDay: "2025-01-29", ToDay: "2025-02-03"}, {Counter: "mot-cua-02"}} {
		checkMerge(t, m, g.Def, f, all)
	}
}
