package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

func TestInsertUnbatched(t *testing.T) {
	s := openAt(t, filepath.Join(t.TempDir(), "u.db"))
	defer s.Close()
	ctx := context.Background()
	g := storetest.NewGen(t, 5)
	r := g.Response(time.Date(2025, 5, 6, 3, 0, 0, 0, time.UTC), "mot-cua-01", surveys.ChannelAPI)
	for i, want := range []bool{true, false} {
		got, err := s.InsertUnbatched(ctx, r)
		if err != nil || got != want {
			t.Fatalf("insert %d: got %v, %v; want %v", i, got, err, want)
		}
	}
	tally := scoring.NewTallyFor(g.Def)
	if err := s.MergeRollups(ctx, surveys.DayFilter{}, tally); err != nil {
		t.Fatal(err)
	}
	if want := storetest.Tally(g.Def, []surveys.Response{r}); !tally.Equal(want) {
		t.Errorf("rollups after an unbatched insert and its replay: %d respondents, want 1", tally.Respondents)
	}
	if _, err := s.InsertUnbatched(ctx, surveys.Response{ID: surveys.NewUUID(), Survey: "nope"}); surveys.ErrorCodeOf(err) != surveys.EINVALID {
		t.Errorf("unknown survey: got %v, want EINVALID", err)
	}
}
