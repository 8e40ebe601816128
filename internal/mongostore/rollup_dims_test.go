package mongostore

import (
	"strconv"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// TestHealOldBreakdownDocs: breakdown documents written before they were
// kept per channel (no channel field, an _id without it) decode with
// channel ""; totals stay exact, and after HealRollups a breakdown
// filtered by channel is exact too (migration step 5).
func TestHealOldBreakdownDocs(t *testing.T) {
	uri, db := freshDB(t)
	s := openDB(t, uri, db)
	defer s.Close()
	ctx := t.Context()
	g := storetest.NewGen(t, 7)
	rs := someResponses(g, 24)
	if _, err := s.InsertResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}

	// Rewrite the breakdown documents as the previous release wrote them:
	// one per (writer, survey, version, day, counter, dim, value).
	type oldKey struct {
		writer string
		k      dimKey
	}
	old := map[oldKey]*scoring.Tally{}
	err := s.eachDimDoc(ctx, bson.D{}, func(d *dimDoc, tl *scoring.Tally) error {
		k := d.key()
		k.Channel = ""
		return mergeInto(old, oldKey{d.Writer, k}, tl)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.coll(collRollupDims).DeleteMany(ctx, bson.D{}); err != nil {
		t.Fatal(err)
	}
	for ok, tl := range old {
		b, err := tl.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		k := ok.k
		id := strings.Join([]string{ok.writer, k.Survey, strconv.Itoa(k.Version), k.Day, k.Counter, k.Dim, k.Value}, "|")
		doc := bson.D{
			{Key: "_id", Value: id}, {Key: "survey", Value: k.Survey}, {Key: "version", Value: k.Version},
			{Key: "day", Value: k.Day}, {Key: "counter", Value: k.Counter}, {Key: "dim", Value: k.Dim},
			{Key: "value", Value: k.Value}, {Key: "writer", Value: ok.writer},
			{Key: "respondents", Value: tl.Respondents}, {Key: "tally", Value: b},
		}
		if _, err := s.coll(collRollupDims).InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}

	check := func(f surveys.DayFilter, dim string) (ok bool) {
		t.Helper()
		got := map[string]*scoring.Tally{}
		if err := s.MergeRollupsBy(ctx, f, dim, got, func() *scoring.Tally { return newTally(g.Def) }); err != nil {
			t.Fatalf("MergeRollupsBy(%+v, %s): %v", f, dim, err)
		}
		want := map[string]int64{}
		for _, r := range rs {
			if f.Channel == "" || r.Channel == f.Channel {
				want[storetest.DimValue(&r, dim)]++
			}
		}
		for v, n := range want {
			if got[v] == nil || got[v].Respondents != n {
				return false
			}
		}
		for v, tl := range got {
			if tl.Respondents != want[v] {
				return false
			}
		}
		return true
	}
	dims := []string{surveys.DimProcedure, surveys.DimLang, surveys.DimDevice}
	for _, dim := range dims {
		if !check(surveys.DayFilter{}, dim) {
			t.Errorf("MergeRollupsBy(%s) over old documents: not exact without a channel filter", dim)
		}
	}
	if check(surveys.DayFilter{Channel: rs[0].Channel}, surveys.DimLang) {
		t.Errorf("MergeRollupsBy(lang, channel %s) exact before the heal: the old documents were not rewritten", rs[0].Channel)
	}

	days, err := s.HealRollups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(days) == 0 {
		t.Error("HealRollups found nothing to correct in the old documents")
	}
	for _, ch := range surveys.Channels {
		for _, dim := range dims {
			if !check(surveys.DayFilter{Channel: ch}, dim) {
				t.Errorf("MergeRollupsBy(%s, channel %s) after the heal: not exact", dim, ch)
			}
		}
	}
	for _, dim := range dims {
		if !check(surveys.DayFilter{}, dim) {
			t.Errorf("MergeRollupsBy(%s) after the heal: not exact without a channel filter", dim)
		}
	}
	if days, err := s.HealRollups(ctx); err != nil || len(days) != 0 {
		t.Errorf("second HealRollups = %v, %v; want no days", days, err)
	}
}
