package storetest

import (
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

func testPurgeComments(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 31)
	cut := day(2025, 6, 1)
	old := g.Response(cut.Add(-time.Hour), "mot-cua-01", surveys.ChannelQR)
	old.Extra = map[string]string{"comment": "Cũ <b>x</b>", "gender": "f"}
	oldNoComment := g.Response(cut.Add(-2*time.Hour), "mot-cua-01", surveys.ChannelQR)
	oldNoComment.Extra = map[string]string{"gender": "m"}
	recent := g.Response(cut.Add(time.Hour), "mot-cua-01", surveys.ChannelQR)
	recent.Extra = map[string]string{"comment": "Mới"}
	insert(t, s, old, oldNoComment, recent)
	before := mergeRollups(t, s, g.Def, surveys.DayFilter{})

	n, err := s.PurgeComments(ctx(t), cut)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("purged %d responses, want 1", n)
	}
	got, err := s.Response(ctx(t), old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, has := got.Extra["comment"]; has || got.Extra["gender"] != "f" || len(got.Answers) != len(old.Answers) {
		t.Errorf("old response after purge: extra %v, answers %v", got.Extra, got.Answers)
	}
	if got, _ := s.Response(ctx(t), recent.ID); got.Extra["comment"] != "Mới" {
		t.Errorf("recent comment purged: %v", got.Extra)
	}
	if after := mergeRollups(t, s, g.Def, surveys.DayFilter{}); !after.Equal(before) {
		t.Error("purging comments changed the rollups")
	}
	if n, err := s.PurgeComments(ctx(t), cut); err != nil || n != 0 {
		t.Errorf("second purge: %d, %v; want 0", n, err)
	}
}
