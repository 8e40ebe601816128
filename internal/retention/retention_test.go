package retention_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/retention"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

func TestPurgeOnce(t *testing.T) {
	reg, _ := surveys.LoadEmbedded()
	ctx := context.Background()
	s, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "r.db"), reg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	mk := func(age time.Duration, comment string) surveys.Response {
		return surveys.Response{ID: surveys.NewUUID(), Survey: "sipas-2022", Version: 1, Channel: surveys.ChannelQR,
			Answers: map[string]int{"A1": 4}, Extra: map[string]string{"comment": comment},
			SubmittedAt: now.Add(-age), ReceivedAt: now.Add(-age)}
	}
	old, fresh := mk(400*24*time.Hour, "cũ"), mk(10*24*time.Hour, "mới")
	if _, err := s.InsertResponses(ctx, []surveys.Response{old, fresh}); err != nil {
		t.Fatal(err)
	}
	n, err := retention.PurgeOnce(ctx, s, 365, now)
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	if r, _ := s.Response(ctx, old.ID); r.Comment() != "" {
		t.Errorf("old comment kept: %q", r.Comment())
	}
	if r, _ := s.Response(ctx, fresh.ID); r.Comment() != "mới" {
		t.Errorf("recent comment lost: %q", r.Comment())
	}
	entries, err := s.Audit(ctx, time.Time{}, 10)
	if err != nil || len(entries) != 1 || entries[0].Action != "retention.purge" {
		t.Errorf("audit %+v, %v; want one retention.purge entry", entries, err)
	}
}
