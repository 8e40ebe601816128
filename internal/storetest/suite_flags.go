package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

func testSetFlag(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 41)
	at := day(2025, 5, 6).Add(9 * time.Hour)
	a := g.Response(at, "mot-cua-01", surveys.ChannelQR)
	a.Flags = []string{"burst"}
	b := g.Response(at.Add(time.Hour), "mot-cua-02", surveys.ChannelKiosk)
	b.Flags = nil
	c := g.Response(at.Add(2*time.Hour), "mot-cua-01", surveys.ChannelQR)
	c.Flags = nil
	insert(t, s, a, b, c)
	before := mergeRollups(t, s, g.Def, surveys.DayFilter{})

	for _, st := range []struct {
		id   string
		on   bool
		want bool
	}{
		{a.ID, true, true}, {a.ID, true, false}, {b.ID, true, true}, {b.ID, false, true}, {b.ID, false, false},
	} {
		got, err := s.SetFlag(ctx(t), st.id, surveys.FlagExcluded, st.on)
		if err != nil || got != st.want {
			t.Fatalf("SetFlag(%s, %v) = %v, %v; want %v", st.id, st.on, got, err, st.want)
		}
	}
	if _, err := s.SetFlag(ctx(t), g.UUID(), surveys.FlagExcluded, true); !surveys.IsNotFound(err) {
		t.Errorf("unknown id: %v, want not found", err)
	}
	got, _ := s.Response(ctx(t), a.ID)
	if !slices.Equal(got.Flags, []string{"burst", surveys.FlagExcluded}) {
		t.Errorf("flags of a: %v", got.Flags)
	}
	if got, _ := s.Response(ctx(t), b.ID); len(got.Flags) != 0 {
		t.Errorf("flags of b after on and off: %v", got.Flags)
	}
	// The flag filter finds exactly the flagged responses.
	for _, tt := range []struct {
		f    surveys.ResponseFilter
		want []string
	}{
		{surveys.ResponseFilter{Flag: surveys.FlagExcluded}, []string{a.ID}},
		{surveys.ResponseFilter{Flag: "burst"}, []string{a.ID}},
		{surveys.ResponseFilter{Flag: surveys.FlagExcluded, Counter: "mot-cua-02"}, nil},
		{surveys.ResponseFilter{Flag: surveys.FlagExcluded, From: at.Add(time.Minute)}, nil},
	} {
		var ids []string
		for _, r := range all(t, s, tt.f) {
			ids = append(ids, r.ID)
		}
		if !slices.Equal(ids, tt.want) {
			t.Errorf("EachResponse(%+v) = %v, want %v", tt.f, ids, tt.want)
		}
	}
	if after := mergeRollups(t, s, g.Def, surveys.DayFilter{}); !after.Equal(before) {
		t.Error("flagging changed the rollups")
	}
}
