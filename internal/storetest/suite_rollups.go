package storetest

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// mergeRollups merges every rollup matching f, checking on the way that
// each one belongs to f.
func mergeRollups(t *testing.T, s Store, def *surveys.Definition, f surveys.DayFilter) *scoring.Tally {
	t.Helper()
	sum := scoring.NewTally(len(def.Items()), def.Scale.Max(), def.Scale.SatisfiedMin)
	err := s.EachRollup(ctx(t), f, func(r *scoring.Rollup) error {
		if !rollupMatches(r, f) {
			t.Errorf("EachRollup(%+v) gave rollup %+v outside the filter", f, r.Key())
		}
		if r.Tally == nil {
			return fmt.Errorf("rollup %+v has no tally", r.Key())
		}
		return sum.Merge(r.Tally)
	})
	if err != nil {
		t.Fatalf("EachRollup(%+v): %v", f, err)
	}
	return sum
}

func rollupMatches(r *scoring.Rollup, f surveys.DayFilter) bool {
	return (f.Survey == "" || r.Survey == f.Survey) &&
		(f.FromDay == "" || r.Day >= f.FromDay) &&
		(f.ToDay == "" || r.Day < f.ToDay) &&
		(f.Counter == "" || r.Counter == f.Counter) &&
		(f.Channel == "" || r.Channel == string(f.Channel))
}

func dayMatches(r surveys.Response, f surveys.DayFilter) bool {
	d := surveys.Day(r.SubmittedAt)
	return (f.Survey == "" || r.Survey == f.Survey) &&
		(f.FromDay == "" || d >= f.FromDay) &&
		(f.ToDay == "" || d < f.ToDay) &&
		(f.Counter == "" || r.Counter == f.Counter) &&
		(f.Channel == "" || r.Channel == f.Channel)
}

// checkRollups reports whether the rollups matching f add up to the tally
// of the responses of rs that f selects.
func checkRollups(t *testing.T, s Store, def *surveys.Definition, f surveys.DayFilter, rs []surveys.Response) bool {
	t.Helper()
	var sel []surveys.Response
	for _, r := range rs {
		if dayMatches(r, f) {
			sel = append(sel, r)
		}
	}
	got, want := mergeRollups(t, s, def, f), Tally(def, sel)
	if !got.Equal(want) {
		t.Errorf("rollups over %+v: respondents %d, counts %v; want the tally of %d responses: respondents %d, counts %v",
			f, got.Respondents, got.Counts, len(sel), want.Respondents, want.Counts)
		return false
	}
	return true
}

// randomResponses spreads n responses over days around Vietnamese midnight
// (17:00 UTC), several counters and channels.
func randomResponses(g *Gen, n int, first time.Time, days int) []surveys.Response {
	counters := []string{"mot-cua-01", "mot-cua-02", "mot-cua-03", ""}
	rs := make([]surveys.Response, 0, n)
	for range n {
		d := first.AddDate(0, 0, g.Rng.Intn(days))
		var at time.Time
		if g.Rng.Intn(2) == 0 {
			// Within two hours of midnight, either side.
			at = d.Add(time.Duration(g.Rng.Int63n(int64(4*time.Hour))) - 2*time.Hour)
		} else {
			at = d.Add(time.Duration(g.Rng.Int63n(int64(24 * time.Hour))))
		}
		rs = append(rs, g.Response(at, counters[g.Rng.Intn(len(counters))], surveys.Channels[g.Rng.Intn(len(surveys.Channels))]))
	}
	return rs
}

// insertInBatches inserts rs in batches of random sizes.
func insertInBatches(t *testing.T, s Store, rng *rand.Rand, rs []surveys.Response) {
	t.Helper()
	for i := 0; i < len(rs); {
		n := min(1+rng.Intn(20), len(rs)-i)
		if got := insert(t, s, rs[i:i+n]...); !allTrue(got) {
			t.Fatalf("fresh = %v, want all true", got)
		}
		i += n
	}
}

func testRollupsMatch(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 9)
	first := day(2024, 2, 27) // across the end of a leap February
	rs := randomResponses(g, 240, first, 6)
	insertInBatches(t, s, g.Rng, rs)

	dayStr := func(i int) string { return surveys.Day(first.AddDate(0, 0, i)) }
	windows := []surveys.DayFilter{
		{},
		{Survey: g.Def.ID},
		{Survey: "no-such-survey"},
		{FromDay: dayStr(1), ToDay: dayStr(3)},
		{FromDay: dayStr(2)},
		{ToDay: dayStr(2)},
		{FromDay: dayStr(4), ToDay: dayStr(4)},
		{Counter: "mot-cua-02"},
		{Channel: surveys.ChannelKiosk},
		{Survey: g.Def.ID, FromDay: dayStr(0), ToDay: dayStr(5), Counter: "mot-cua-01", Channel: surveys.ChannelQR},
	}
	for range 6 {
		a, b := g.Rng.Intn(7), g.Rng.Intn(7)
		if a > b {
			a, b = b, a
		}
		windows = append(windows, surveys.DayFilter{FromDay: dayStr(a), ToDay: dayStr(b)})
	}
	for _, f := range windows {
		t.Run(filterName(f), func(t *testing.T) {
			checkRollups(t, s, g.Def, f, rs)
		})
	}
}

func testRollupDayBoundary(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 10)
	midnight := day(2024, 7, 1) // 2024-06-30T17:00:00Z
	before := g.Response(midnight.Add(-time.Millisecond), "mot-cua-01", surveys.ChannelQR)
	at := g.Response(midnight, "mot-cua-01", surveys.ChannelQR)
	insert(t, s, before, at)
	tests := []struct {
		day  string
		want []surveys.Response
	}{
		{"2024-06-30", []surveys.Response{before}},
		{"2024-07-01", []surveys.Response{at}},
	}
	for _, tt := range tests {
		f := surveys.DayFilter{FromDay: tt.day, ToDay: surveys.Day(mustDay(t, tt.day).AddDate(0, 0, 1))}
		got := mergeRollups(t, s, g.Def, f)
		if want := Tally(g.Def, tt.want); !got.Equal(want) {
			t.Errorf("rollups of %s: %d respondents, want %d (days are counted in Asia/Ho_Chi_Minh)",
				tt.day, got.Respondents, want.Respondents)
		}
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, s, surveys.Location)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func testHealRollups(t *testing.T, h Harness) {
	if h.InsertWithoutRollup == nil {
		t.Skip("the harness cannot simulate a crash between a response and its rollup")
	}
	s := open(t, h).s
	g := NewGen(t, 11)

	if days, err := s.HealRollups(ctx(t)); err != nil || len(days) != 0 {
		t.Errorf("HealRollups on an empty store = %v, %v; want no days", days, err)
	}
	first := day(2024, 8, 10)
	rs := randomResponses(g, 60, first, 4)
	insertInBatches(t, s, g.Rng, rs)
	if days, err := s.HealRollups(ctx(t)); err != nil || len(days) != 0 {
		t.Errorf("HealRollups on a consistent store = %v, %v; want no days", days, err)
	}

	// Crash victims on two days, one of them a day with no rollup yet.
	lost := []surveys.Response{
		g.Response(first.Add(10*time.Hour), "mot-cua-01", surveys.ChannelQR),
		g.Response(first.Add(11*time.Hour), "mot-cua-09", surveys.ChannelPaper),
		g.Response(first.AddDate(0, 0, 9).Add(-time.Minute), "mot-cua-02", surveys.ChannelKiosk),
	}
	for _, r := range lost {
		h.InsertWithoutRollup(t, s, r)
	}
	all := append(append([]surveys.Response(nil), rs...), lost...)
	if n := count(t, s, surveys.ResponseFilter{}); n != int64(len(all)) {
		t.Fatalf("CountResponses = %d, want %d", n, len(all))
	}
	if got, want := mergeRollups(t, s, g.Def, surveys.DayFilter{}), Tally(g.Def, all); got.Equal(want) {
		t.Fatalf("rollups already equal the responses after InsertWithoutRollup: the harness wrote rollups")
	}

	days, err := s.HealRollups(ctx(t))
	if err != nil {
		t.Fatalf("HealRollups: %v", err)
	}
	want := []string{surveys.Day(lost[0].SubmittedAt), surveys.Day(lost[2].SubmittedAt)}
	if fmt.Sprint(days) != fmt.Sprint(want) {
		t.Errorf("HealRollups = %v, want %v", days, want)
	}
	checkRollups(t, s, g.Def, surveys.DayFilter{}, all)
	for i := range 13 {
		d := surveys.Day(first.AddDate(0, 0, i-1))
		checkRollups(t, s, g.Def, surveys.DayFilter{FromDay: d, ToDay: surveys.Day(first.AddDate(0, 0, i))}, all)
	}
	if days, err := s.HealRollups(ctx(t)); err != nil || len(days) != 0 {
		t.Errorf("HealRollups after healing = %v, %v; want no days", days, err)
	}
	// New responses after healing still roll up.
	more := randomResponses(g, 10, first, 4)
	insert(t, s, more...)
	checkRollups(t, s, g.Def, surveys.DayFilter{}, append(all, more...))
}

// filterName names a subtest after the fields of f that are set.
func filterName(f surveys.DayFilter) string {
	name := ""
	for _, p := range []struct{ k, v string }{
		{"from", f.FromDay}, {"to", f.ToDay}, {"survey", f.Survey}, {"counter", f.Counter}, {"channel", string(f.Channel)},
	} {
		if p.v != "" {
			name += p.k + "=" + p.v + ","
		}
	}
	if name == "" {
		return "all"
	}
	return name[:len(name)-1]
}
