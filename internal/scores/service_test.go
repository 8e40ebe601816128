package scores_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

func openStore(t testing.TB, path string) (*sqlitestore.Store, *surveys.Registry) {
	t.Helper()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlitestore.Open(context.Background(), path, reg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, reg
}

// randomResponses draws n responses over days around start, with
// no-opinion answers, several counters and channels.
func randomResponses(rng *rand.Rand, def *surveys.Definition, n int, start time.Time, days int, counters int) []surveys.Response {
	out := make([]surveys.Response, n)
	for i := range out {
		r := surveys.Response{
			ID: surveys.NewUUID(), Survey: def.ID, Version: def.Version,
			Channel: surveys.Channels[rng.IntN(len(surveys.Channels))],
			Answers: map[string]int{}, Lang: "vi",
		}
		if c := rng.IntN(counters + 1); c > 0 {
			r.Counter = fmt.Sprintf("c%02d", c)
		}
		for _, it := range def.Items() {
			if rng.Float64() < 0.2 {
				continue
			}
			r.Answers[it.Code] = 1 + rng.IntN(5)
		}
		if len(r.Answers) == 0 {
			r.Answers["A1"] = 4
		}
		r.SubmittedAt = start.Add(time.Duration(rng.Int64N(int64(days) * int64(24*time.Hour)))).UTC().Truncate(time.Millisecond)
		r.ReceivedAt = r.SubmittedAt
		out[i] = r
	}
	return out
}

// TestScoreFromRollupsEqualsRecompute: for random data and random windows,
// the score from rollups equals the score recomputed from raw responses,
// to the last digit.
func TestScoreFromRollupsEqualsRecompute(t *testing.T) {
	s, reg := openStore(t, filepath.Join(t.TempDir(), "s.db"))
	def, _ := reg.Get(surveys.Default)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2025, 12, 20, 0, 0, 0, 0, surveys.Location)
	rs := randomResponses(rng, def, 1500, start, 45, 3)
	for i := 0; i < len(rs); i += 200 {
		if _, err := s.InsertResponses(ctx, rs[i:min(i+200, len(rs))]); err != nil {
			t.Fatal(err)
		}
	}
	svc := scores.New(s, reg)
	day := func(d int) string { return start.AddDate(0, 0, d).Format(time.DateOnly) }
	queries := []scores.Query{
		{},
		{From: day(0), To: day(45)},
		{From: day(10)},
		{To: day(12)},
		{From: day(3), To: day(4)},
		{Counter: "c02"},
		{Channel: surveys.ChannelKiosk, From: day(5), To: day(30)},
		{From: day(50), To: day(60)}, // empty window
	}
	for i := 0; i < 12; i++ {
		a, b := rng.IntN(46), rng.IntN(46)
		if a > b {
			a, b = b, a
		}
		q := scores.Query{From: day(a), To: day(b + 1)}
		if rng.IntN(2) == 0 {
			q.Counter = fmt.Sprintf("c%02d", 1+rng.IntN(3))
		}
		queries = append(queries, q)
	}
	for _, q := range queries {
		fast, err := svc.Score(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := svc.Recompute(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		fj, _ := json.Marshal(fast)
		sj, _ := json.Marshal(slow)
		if string(fj) != string(sj) {
			t.Errorf("query %+v: from rollups\n%s\nrecomputed\n%s", q, fj, sj)
		}
		if q.From == "" && q.To == "" && q.Counter == "" && q.Channel == "" && fast.Respondents != int64(len(rs)) {
			t.Errorf("all-time respondents = %d, want %d", fast.Respondents, len(rs))
		}
	}
}

func TestQueryValidation(t *testing.T) {
	reg, _ := surveys.LoadEmbedded()
	svc := scores.New(nil, reg)
	for _, tt := range []struct {
		q     scores.Query
		field string
	}{
		{scores.Query{Survey: "nope"}, "survey"},
		{scores.Query{From: "2025-13-01"}, "from"},
		{scores.Query{To: "yesterday"}, "to"},
		{scores.Query{From: "2025-02-01", To: "2025-01-01"}, "to"},
		{scores.Query{Channel: "fax"}, "channel"},
	} {
		_, _, err := svc.Normalize(tt.q)
		e, ok := err.(*surveys.Error)
		if !ok || e.Fields[tt.field] == "" {
			t.Errorf("query %+v: got %v, want an error on %s", tt.q, err, tt.field)
		}
	}
	q, _, err := svc.Normalize(scores.Query{})
	if err != nil || q.Survey != surveys.Default || q.BaselineYear != 2022 {
		t.Errorf("defaults: got %+v, %v", q, err)
	}
}
