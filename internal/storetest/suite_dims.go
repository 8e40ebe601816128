package storetest

import (
	"sort"
	"testing"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// Dims are the breakdowns MergeRollupsBy offers.
var Dims = []string{surveys.DimCounter, surveys.DimChannel, surveys.DimProcedure, surveys.DimLang, surveys.DimDevice}

// DimValue is r's value in a breakdown by dim, as the contract defines
// it: written here independently of any store.
func DimValue(r *surveys.Response, dim string) string {
	switch dim {
	case surveys.DimCounter:
		return r.Counter
	case surveys.DimChannel:
		return string(r.Channel)
	case surveys.DimProcedure:
		return r.Counter + "/" + r.Extra["procedure"]
	case surveys.DimLang:
		return r.Lang
	case surveys.DimDevice:
		return r.Device
	}
	panic("unknown dim " + dim)
}

func testMergeRollupsBy(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 41)
	// Three months, with a month's first day inside and a year end.
	first := day(2024, 11, 22)
	rs := randomResponses(g, 160, first, 70)
	insertInBatches(t, s, g.Rng, rs)
	windows := []surveys.DayFilter{
		{},
		{FromDay: "2024-12-01", ToDay: "2025-01-01"}, // a whole month
		{FromDay: "2024-11-25", ToDay: "2025-01-10"}, // partial, whole, partial
		{FromDay: "2025-01-05", ToDay: "2025-01-20"}, // inside one month
		{FromDay: "2025-01-05", ToDay: "2025-01-05"}, // empty
		{Survey: g.Def.ID, FromDay: "2024-12-10", Counter: "mot-cua-02"},
		{ToDay: "2025-01-01", Channel: surveys.ChannelKiosk},
		// A channel, alone and with a counter, over the window shapes
		// above: no breakdown may ignore it.
		{Channel: surveys.ChannelQR},
		{FromDay: "2024-12-01", ToDay: "2025-01-01", Channel: surveys.ChannelPaper},
		{FromDay: "2024-11-25", ToDay: "2025-01-10", Channel: surveys.ChannelQR},
		{FromDay: "2025-01-05", ToDay: "2025-01-20", Channel: surveys.ChannelKiosk},
		{FromDay: "2024-11-25", ToDay: "2025-01-10", Counter: "mot-cua-01", Channel: surveys.ChannelQR},
		{Survey: g.Def.ID, FromDay: "2024-12-10", Counter: "mot-cua-02", Channel: surveys.ChannelPaper},
		{FromDay: "2025-01-05", ToDay: "2025-01-20", Counter: "mot-cua-02", Channel: surveys.ChannelKiosk},
		{Survey: "no-such-survey"},
	}
	dayStr := func(i int) string { return surveys.Day(first.AddDate(0, 0, i)) }
	channels := []surveys.Channel{surveys.ChannelQR, surveys.ChannelKiosk, surveys.ChannelPaper}
	for i := range 6 {
		a, b := g.Rng.Intn(71), g.Rng.Intn(71)
		if a > b {
			a, b = b, a
		}
		f := surveys.DayFilter{FromDay: dayStr(a), ToDay: dayStr(b)}
		if i >= 3 {
			f.Channel = channels[g.Rng.Intn(len(channels))]
		}
		if i == 5 {
			f.Counter = "mot-cua-01"
		}
		windows = append(windows, f)
	}
	for _, f := range windows {
		t.Run(filterName(f), func(t *testing.T) {
			for _, dim := range Dims {
				checkMergeBy(t, s, g.Def, f, dim, rs)
			}
		})
	}
}

// checkMergeBy checks MergeRollupsBy of f and dim against the responses
// grouped the same way, and against MergeRollups of f.
func checkMergeBy(t *testing.T, s Store, def *surveys.Definition, f surveys.DayFilter, dim string, rs []surveys.Response) {
	t.Helper()
	got := map[string]*scoring.Tally{}
	newTally := func() *scoring.Tally { return scoring.NewTallyFor(def) }
	err := s.MergeRollupsBy(ctx(t), f, dim, got, newTally)
	if err != nil {
		t.Fatalf("MergeRollupsBy(%+v, %s): %v", f, dim, err)
	}
	groups := map[string][]surveys.Response{}
	for _, r := range rs {
		if dayMatches(r, f) {
			v := DimValue(&r, dim)
			groups[v] = append(groups[v], r)
		}
	}
	values := map[string]bool{}
	for v := range groups {
		values[v] = true
	}
	for v, t := range got {
		if t.Respondents != 0 {
			values[v] = true
		}
	}
	sorted := make([]string, 0, len(values))
	for v := range values {
		sorted = append(sorted, v)
	}
	sort.Strings(sorted)
	sum := newTally()
	for _, v := range sorted {
		want := Tally(def, groups[v])
		g := got[v]
		if g == nil {
			g = newTally()
		}
		if !g.Equal(want) {
			t.Errorf("MergeRollupsBy(%+v, %s)[%q]: %d respondents, want %d", f, dim, v, g.Respondents, want.Respondents)
		}
		if err := sum.Merge(g); err != nil {
			t.Fatal(err)
		}
	}
	total := newTally()
	if err := s.MergeRollups(ctx(t), f, total); err != nil {
		t.Fatalf("MergeRollups(%+v): %v", f, err)
	}
	if !sum.Equal(total) {
		t.Errorf("MergeRollupsBy(%+v, %s) adds up to %d respondents, MergeRollups gives %d", f, dim, sum.Respondents, total.Respondents)
	}
}

// testMergeRollupsByInto: tallies already in the map are added to, not
// replaced.
func testMergeRollupsByInto(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 42)
	rs := randomResponses(g, 20, day(2025, 5, 10), 3)
	insert(t, s, rs...)
	for _, dim := range []string{surveys.DimCounter, surveys.DimLang} {
		into := map[string]*scoring.Tally{}
		newTally := func() *scoring.Tally { return scoring.NewTallyFor(g.Def) }
		for range 2 {
			if err := s.MergeRollupsBy(ctx(t), surveys.DayFilter{}, dim, into, newTally); err != nil {
				t.Fatalf("MergeRollupsBy(%s): %v", dim, err)
			}
		}
		var n int64
		for _, t := range into {
			n += t.Respondents
		}
		if n != 2*int64(len(rs)) {
			t.Errorf("MergeRollupsBy(%s) twice into one map: %d respondents, want %d", dim, n, 2*len(rs))
		}
	}
	err := s.MergeRollupsBy(ctx(t), surveys.DayFilter{}, "no-such-dim", map[string]*scoring.Tally{},
		func() *scoring.Tally { return scoring.NewTallyFor(g.Def) })
	if code := surveys.ErrorCodeOf(err); code != surveys.EINVALID {
		t.Errorf("MergeRollupsBy(no-such-dim): error %v (code %q), want %q", err, code, surveys.EINVALID)
	}
}

// testMergeByAfterHeal: after a crash between responses and their
// rollups, healing makes every breakdown exact again.
func testMergeByAfterHeal(t *testing.T, h Harness) {
	if h.InsertWithoutRollup == nil {
		t.Skip("harness cannot simulate a crash between response and rollup")
	}
	s := open(t, h).s
	g := NewGen(t, 43)
	first := day(2025, 1, 28)
	rs := randomResponses(g, 50, first, 8)
	insertInBatches(t, s, g.Rng, rs)
	lost := []surveys.Response{
		g.Response(first.Add(26*time.Hour), "mot-cua-01", surveys.ChannelQR),
		g.Response(first.AddDate(0, 0, 5), "mot-cua-02", surveys.ChannelPaper),
	}
	lost[0].Lang, lost[0].Device, lost[0].Extra = "en", "tablet-09", map[string]string{"procedure": "moi"}
	for _, r := range lost {
		h.InsertWithoutRollup(t, s, r)
	}
	all := append(append([]surveys.Response(nil), rs...), lost...)
	days, err := s.HealRollups(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{surveys.Day(lost[0].SubmittedAt), surveys.Day(lost[1].SubmittedAt)}; len(days) != 2 || days[0] != want[0] || days[1] != want[1] {
		t.Errorf("HealRollups = %v, want %v", days, want)
	}
	for _, f := range []surveys.DayFilter{
		{}, {FromDay: "2025-02-01", ToDay: "2025-03-01"}, {FromDay: "2025-01-29", ToDay: "2025-02-03", Counter: "mot-cua-01"},
		{Channel: surveys.ChannelQR}, {FromDay: "2025-01-29", ToDay: "2025-02-03", Counter: "mot-cua-01", Channel: surveys.ChannelQR},
		{FromDay: "2025-02-01", ToDay: "2025-03-01", Channel: surveys.ChannelPaper},
	} {
		for _, dim := range Dims {
			checkMergeBy(t, s, g.Def, f, dim, all)
		}
	}
	if days, err := s.HealRollups(ctx(t)); err != nil || len(days) != 0 {
		t.Errorf("HealRollups after healing = %v, %v; want no days", days, err)
	}
}
