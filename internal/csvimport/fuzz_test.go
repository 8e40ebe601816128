package csvimport_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sipas/sipas/internal/csvimport"
	"github.com/sipas/sipas/surveys"
)

// memStore keeps imported responses in memory: the fuzz target checks
// the importer's parsing, not storage (the store tests do that).
type memStore struct{ rs map[string]surveys.Response }

func (m *memStore) InsertResponses(_ context.Context, rs []surveys.Response) ([]bool, error) {
	out := make([]bool, len(rs))
	for i, r := range rs {
		if _, ok := m.rs[r.ID]; !ok {
			m.rs[r.ID] = r
			out[i] = true
		}
	}
	return out, nil
}

func (m *memStore) Counters(context.Context) ([]surveys.Counter, error) {
	return []surveys.Counter{{Code: "q1", Name: surveys.Text{VI: "Quầy 1"}, Active: true}}, nil
}

func FuzzImport(f *testing.F) {
	for _, seed := range []string{
		goodFile,
		"submitted_at,A1,comment\n2025-01-01 08:00:00,5,\"=1+1\"\n",
		"\ufeffid,submitted_at,counter,A1\n,2025-01-01T08:00:00+07:00,q1,NA\n",
		"submitted_at,A1\n\"2025-01-01 08:00:00,5\n",
		"submitted_at,phone\n",
		"submitted_at,A1,A2\n2025-01-01 08:00:00,5\n2025-01-01 08:00:00,5,4,3\n",
	} {
		f.Add(seed)
	}
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		f.Fatal(err)
	}
	def, _ := reg.Get(surveys.Default)
	f.Fuzz(func(t *testing.T, file string) {
		s := &memStore{rs: map[string]surveys.Response{}}
		res, err := csvimport.Import(context.Background(), s, def, strings.NewReader(file), csvimport.Options{Now: now})
		if err != nil {
			if res.Imported+res.Duplicates != 0 {
				t.Fatalf("a failed import stored %d responses", res.Imported+res.Duplicates)
			}
			return
		}
		if res.Imported != len(s.rs) {
			t.Fatalf("reported %d imported, stored %d", res.Imported, len(s.rs))
		}
		for _, rj := range res.Rejections {
			if rj.Line < 2 || rj.Reason == "" || !utf8.ValidString(rj.Reason) {
				t.Fatalf("rejection %+v", rj)
			}
		}
		for id, r := range s.rs {
			if err := surveys.ValidateResponse(def, &r, nil); err != nil {
				t.Fatalf("imported an invalid response %s: %v", id, err)
			}
		}
		// Importing the same file again adds nothing.
		again, err := csvimport.Import(context.Background(), s, def, strings.NewReader(file), csvimport.Options{Now: now})
		if err != nil || again.Imported != 0 {
			t.Fatalf("re-import imported %d (%v)", again.Imported, err)
		}
	})
}
