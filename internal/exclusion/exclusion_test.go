package exclusion_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/exclusion"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

func TestSubtractExcluded(t *testing.T) {
	reg, _ := surveys.LoadEmbedded()
	ctx := context.Background()
	s, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "x.db"), reg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := storetest.NewGen(t, 3)
	start := time.Date(2025, 6, 28, 8, 0, 0, 0, surveys.Location)
	var rs []surveys.Response
	for i := 0; i < 60; i++ {
		rs = append(rs, g.Response(start.Add(time.Duration(i)*3*time.Hour), []string{"q1", "q2"}[i%2], surveys.Channels[i%4]))
	}
	if _, err := s.InsertResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	excluded := map[string]bool{}
	for _, i := range []int{3, 10, 11, 40} {
		if _, err := s.SetFlag(ctx, rs[i].ID, surveys.FlagExcluded, true); err != nil {
			t.Fatal(err)
		}
		excluded[rs[i].ID] = true
	}
	def, _ := reg.Get(surveys.Default)
	for _, f := range []surveys.DayFilter{
		{}, {FromDay: "2025-06-29", ToDay: "2025-07-03"}, {Counter: "q2"}, {Channel: surveys.ChannelKiosk}, {FromDay: "2025-07-05"},
	} {
		got := scoring.NewTallyFor(def)
		if err := s.MergeRollups(ctx, f, got); err != nil {
			t.Fatal(err)
		}
		if err := exclusion.Subtract(ctx, s, reg, f, got); err != nil {
			t.Fatal(err)
		}
		var kept []surveys.Response
		for _, r := range rs {
			d := surveys.Day(r.SubmittedAt)
			if !excluded[r.ID] && (f.FromDay == "" || d >= f.FromDay) && (f.ToDay == "" || d < f.ToDay) &&
				(f.Counter == "" || r.Counter == f.Counter) && (f.Channel == "" || r.Channel == f.Channel) {
				kept = append(kept, r)
			}
		}
		if want := storetest.Tally(def, kept); !got.Equal(want) {
			t.Errorf("%+v: %d respondents after subtracting, want %d", f, got.Respondents, want.Respondents)
		}
		// Breakdowns too.
		by := map[string]*scoring.Tally{}
		newT := func() *scoring.Tally { return scoring.NewTallyFor(def) }
		if err := s.MergeRollupsBy(ctx, f, surveys.DimCounter, by, newT); err != nil {
			t.Fatal(err)
		}
		if err := exclusion.SubtractBy(ctx, s, reg, f, surveys.DimCounter, by); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"q1", "q2"} {
			var sel []surveys.Response
			for _, r := range kept {
				if r.Counter == c {
					sel = append(sel, r)
				}
			}
			got := by[c]
			if got == nil {
				got = newT()
			}
			if want := storetest.Tally(def, sel); !got.Equal(want) {
				t.Errorf("%+v counter %s: %d, want %d", f, c, got.Respondents, want.Respondents)
			}
		}
	}
}
