package storetest

import (
	"strings"
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

func testRecentComments(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 32)
	base := day(2025, 3, 1)
	var rs []surveys.Response
	for i := 0; i < 30; i++ {
		r := g.Response(base.Add(time.Duration(i)*time.Hour), []string{"mot-cua-01", "mot-cua-02"}[i%2], surveys.ChannelQR)
		r.Extra = nil
		if i%3 == 0 {
			r.Extra = map[string]string{"comment": "góp ý " + string(rune('A'+i))}
		}
		rs = append(rs, r)
	}
	insert(t, s, rs...)
	tests := []struct {
		f     surveys.ResponseFilter
		limit int
		want  []int // indexes into rs, newest first
	}{
		{surveys.ResponseFilter{}, 4, []int{27, 24, 21, 18}},
		{surveys.ResponseFilter{Survey: g.Def.ID, To: base.Add(20 * time.Hour)}, 3, []int{18, 15, 12}},
		{surveys.ResponseFilter{From: base.Add(10 * time.Hour), Counter: "mot-cua-01"}, 10, []int{24, 18, 12}},
		{surveys.ResponseFilter{Channel: surveys.ChannelPaper}, 5, nil},
	}
	for i, tt := range tests {
		got, err := s.RecentComments(ctx(t), tt.f, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		var want []string
		for _, k := range tt.want {
			want = append(want, rs[k].ID)
		}
		if strings.Join(ids, ",") != strings.Join(want, ",") {
			t.Errorf("case %d: got %d comments %v, want %v", i, len(ids), ids, want)
		}
		for _, r := range got {
			if r.Comment() == "" {
				t.Errorf("case %d: a response without a comment", i)
			}
		}
	}
}
