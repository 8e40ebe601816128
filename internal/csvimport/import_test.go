package csvimport_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/csvimport"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

func open(t *testing.T) (*sqlitestore.Store, *surveys.Definition) {
	t.Helper()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), reg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.PutCounter(context.Background(), surveys.Counter{Code: "q1", Name: surveys.Text{VI: "Quầy 1"}, Active: true}); err != nil {
		t.Fatal(err)
	}
	def, _ := reg.Get(surveys.Default)
	return s, def
}

var now = func() time.Time { return time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC) }

const goodFile = "\ufeffid,submitted_at,counter,channel,A1,A2,A3,B1,B2,B3,B4,C1,C2,C3,D1,D2,D3,E1,E2,E3,comment\n" +
	"6f1c2b8e-1d2a-4b3c-8d4e-5f6a7b8c9d0e,2025-03-04T09:15:00+07:00,q1,paper,5,4,4,3,4,5,4,5,5,4,NA,NA,,,,,\"Cán bộ nhiệt tình, chu đáo\"\n" +
	",2025-03-04 10:00:00,,,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,\n" +
	",2025-03-04 10:00:00,,,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,\n" +
	",2025-03-05 08:00:00,q1,kiosk,1,2,3,,,,,,,,,,,,,,\"=HYPERLINK(\"\"x\"\")\"\n"

func TestImportAndReimport(t *testing.T) {
	s, def := open(t)
	ctx := context.Background()
	res, err := csvimport.Import(ctx, s, def, strings.NewReader(goodFile), csvimport.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 4 || res.Duplicates != 0 || res.Rejected != 0 {
		t.Fatalf("first import: got %+v, want 4 imported (two identical id-less lines count twice)", res)
	}
	r, err := s.Response(ctx, "6f1c2b8e-1d2a-4b3c-8d4e-5f6a7b8c9d0e")
	if err != nil {
		t.Fatal(err)
	}
	if r.Answers["A1"] != 5 || r.Counter != "q1" || r.Channel != surveys.ChannelPaper {
		t.Errorf("stored %+v", r)
	}
	if _, has := r.Answers["D1"]; has {
		t.Errorf("NA stored as an answer: %v", r.Answers)
	}
	if want := time.Date(2025, 3, 4, 2, 15, 0, 0, time.UTC); !r.SubmittedAt.Equal(want) {
		t.Errorf("submitted_at = %v, want %v", r.SubmittedAt, want)
	}
	if r.Comment() != "Cán bộ nhiệt tình, chu đáo" {
		t.Errorf("comment = %q", r.Comment())
	}
	res, err = csvimport.Import(ctx, s, def, strings.NewReader(goodFile), csvimport.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 0 || res.Duplicates != 4 {
		t.Fatalf("second import: got %+v, want nothing imported and 4 duplicates", res)
	}
	n, _ := s.CountResponses(ctx, surveys.ResponseFilter{})
	if n != 4 {
		t.Errorf("stored %d responses, want 4", n)
	}
}

func TestImportRejectsBadLinesAndKeepsGoodOnes(t *testing.T) {
	s, def := open(t)
	file := "submitted_at,counter,A1,A2,comment\n" +
		"2025-01-02 09:00:00,q1,5,4,ok\n" + // line 2 good
		"2025-01-02 09:00:00,q1,7,4,\n" + // line 3 out of range
		"yesterday,q1,5,,\n" + // line 4 bad time
		"2025-01-02 09:00:00,nowhere,5,,\n" + // line 5 unknown counter
		"2025-01-02 09:00:00,q1,NA,,\n" + // line 6 no answers
		"2025-01-02 09:00:00,q1,5\n" + // line 7 too few fields
		"2099-01-02 09:00:00,q1,5,,\n" + // line 8 future
		"\"2025-01-03 09:00:00\",q1,4,4,\"multi\nline\"\n" + // lines 9-10 good
		"2025-01-02 09:00:00,q1,x,,\n" // line 11 not a number
	res, err := csvimport.Import(context.Background(), s, def, strings.NewReader(file), csvimport.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Rejected != 7 {
		t.Fatalf("got %+v, want 2 imported, 7 rejected", res)
	}
	wantLines := []int{3, 4, 5, 6, 7, 8, 11}
	for i, rj := range res.Rejections {
		if rj.Line != wantLines[i] {
			t.Errorf("rejection %d at line %d, want %d (%s)", i, rj.Line, wantLines[i], rj.Reason)
		}
		if rj.Reason == "" {
			t.Errorf("rejection at line %d has no reason", rj.Line)
		}
	}
	if !strings.Contains(res.Rejections[0].Reason, "A1") {
		t.Errorf("reason %q should name the column", res.Rejections[0].Reason)
	}
}

func TestImportHeaderErrors(t *testing.T) {
	s, def := open(t)
	for _, tt := range []struct{ header, want string }{
		{"submitted_at,A1,phone\n", `unknown column "phone"`},
		{"A1,A2\n", "no submitted_at"},
		{"submitted_at,A1,A1\n", "twice"},
	} {
		_, err := csvimport.Import(context.Background(), s, def, strings.NewReader(tt.header+"2025-01-01 08:00:00,5,5\n"), csvimport.Options{Now: now})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("header %q: got %v, want error containing %q", tt.header, err, tt.want)
		}
	}
	n, _ := s.CountResponses(context.Background(), surveys.ResponseFilter{})
	if n != 0 {
		t.Errorf("a bad header stored %d responses", n)
	}
}
