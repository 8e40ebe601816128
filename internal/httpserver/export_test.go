package httpserver

import (
	"bytes"
	"context"
	"encoding/csv"
	"maps"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/internal/csvimport"
	"github.com/sipas/sipas/internal/demo"
	"github.com/sipas/sipas/internal/export"
	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

// everything is a window holding every demo response.
const everything = "?period=custom&from=2024-01-01&to=2026-12-31"

// readCSV parses an exported CSV, checking the BOM.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(export.BOM)) {
		t.Fatalf("CSV does not start with the UTF-8 BOM: % x", b[:min(8, len(b))])
	}
	recs, err := csv.NewReader(bytes.NewReader(b[len(export.BOM):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func readXLSX(t *testing.T, b []byte, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func allResponses(t *testing.T, st *sqlitestore.Store) []surveys.Response {
	t.Helper()
	var out []surveys.Response
	err := st.EachResponse(context.Background(), surveys.ResponseFilter{}, func(r *surveys.Response) error {
		out = append(out, *r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The CSV of the responses imports into a fresh store with `sipas
// import`'s importer and gives the same responses, twice without
// duplicates.
func TestExportResponsesCSVRoundTrip(t *testing.T) {
	env := newDashEnv(t, "", true)
	resp, b := env.get(t, "/dashboard/export/responses.csv"+everything)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %.300s", resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `attachment; filename="sipas-responses-sipas-2022-2024-01-01-2026-12-31.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	recs := readCSV(t, b)
	want := allResponses(t, env.st)
	if len(recs) != len(want)+1 {
		t.Fatalf("%d CSV records, want header + %d", len(recs), len(want))
	}
	head := strings.Join(recs[0], ",")
	if !strings.HasPrefix(head, "id,submitted_at,counter,channel,lang,A1,A2,A3,B1,") || !strings.HasSuffix(head, ",comment") {
		t.Errorf("header %q", head)
	}

	ctx := context.Background()
	fresh, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "fresh.db"), env.reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	for _, c := range demo.Counters {
		if err := fresh.PutCounter(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	def, _ := env.reg.Get(surveys.Default)
	for round, wantNew := range []int{len(want), 0} {
		res, err := csvimport.Import(ctx, fresh, def, bytes.NewReader(b), csvimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != wantNew || res.Rejected != 0 || res.Imported+res.Duplicates != len(want) {
			t.Fatalf("import %d: %+v, want %d new, none rejected", round+1, res, wantNew)
		}
	}
	got := allResponses(t, fresh)
	if len(got) != len(want) {
		t.Fatalf("%d responses after import, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || !g.SubmittedAt.Equal(w.SubmittedAt) || g.Counter != w.Counter || g.Channel != w.Channel ||
			g.Lang != w.Lang || g.Survey != w.Survey || g.Version != w.Version ||
			!maps.Equal(g.Answers, w.Answers) || !maps.Equal(g.Extra, w.Extra) {
			t.Fatalf("response %d after the round trip:\n got %+v\nwant %+v", i, g, w)
		}
	}
	// The audit log names the export.
	entries, err := env.st.Audit(ctx, time.Time{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "export.csv" || entries[0].Actor != "an" || !strings.Contains(entries[0].Target, "from=2024-01-01") {
		t.Errorf("audit = %+v, want an export.csv entry by an", entries)
	}
}

// Text that a spreadsheet would run as a formula gets an apostrophe, in
// CSV and XLSX alike; flags come out in the XLSX.
func TestExportNeutralisesFormulas(t *testing.T) {
	env := newDashEnv(t, "", false)
	ctx := context.Background()
	evil := []string{"=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)", "\tcmd", "\rcmd", "bình thường"}
	var rs []surveys.Response
	for i, text := range evil {
		at := dashNow.Add(-time.Duration(len(evil)-i) * time.Hour)
		rs = append(rs, surveys.Response{
			ID: surveys.NewUUID(), Survey: surveys.Default, Version: 1, Channel: surveys.ChannelAPI, Lang: "vi",
			Answers: map[string]int{"A1": 4}, Extra: map[string]string{"comment": text},
			Flags: []string{"burst"}, SubmittedAt: at, ReceivedAt: at,
		})
	}
	if _, err := env.st.InsertResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	wantCell := func(text string) string {
		if text == "bình thường" {
			return text
		}
		return "'" + text
	}
	check := func(kind string, rows [][]string, wantFlags bool) {
		t.Helper()
		if len(rows) != len(evil)+1 {
			t.Fatalf("%s: %d rows, want %d", kind, len(rows), len(evil)+1)
		}
		col, flags := -1, -1
		for i, h := range rows[0] {
			switch h {
			case "comment":
				col = i
			case "flags":
				flags = i
			}
		}
		if col < 0 || (flags >= 0) != wantFlags {
			t.Fatalf("%s header %q", kind, rows[0])
		}
		for i, text := range evil {
			row := rows[i+1]
			if got := row[col]; got != wantCell(text) && !(kind == "xlsx" && strings.TrimRight(got, "\r") == strings.TrimRight(wantCell(text), "\r")) {
				t.Errorf("%s comment %q exported as %q", kind, text, got)
			}
			if wantFlags && row[flags] != "burst" {
				t.Errorf("%s flags %q", kind, row[flags])
			}
		}
	}
	check("csv", readCSV(t, env.mustGet(t, "/dashboard/export/responses.csv?period=month")), false)
	check("csv+flags", readCSV(t, env.mustGet(t, "/dashboard/export/responses.csv?period=month&flags=1")), true)
	resp, b := env.get(t, "/dashboard/export/responses.xlsx?period=month")
	if ct := resp.Header.Get("Content-Type"); ct != mimeXLSX {
		t.Errorf("Content-Type %q", ct)
	}
	check("xlsx", readXLSX(t, b, "responses"), true)
}

func TestExportResponsesXLSXReadsBack(t *testing.T) {
	env := newDashEnv(t, "", true)
	resp, b := env.get(t, "/dashboard/export/responses.xlsx"+everything+"&counter=sct-thuongmai")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("status %d, disposition %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	rows := readXLSX(t, b, "responses")
	var want []surveys.Response
	for _, r := range allResponses(t, env.st) {
		if r.Counter == "sct-thuongmai" {
			want = append(want, r)
		}
	}
	if len(want) == 0 || len(rows) != len(want)+1 {
		t.Fatalf("%d rows, want header + %d", len(rows), len(want))
	}
	def, _ := env.reg.Get(surveys.Default)
	a1 := 5
	for i, r := range want {
		row := rows[i+1]
		if row[0] != r.ID || row[2] != "sct-thuongmai" {
			t.Fatalf("row %d = %q, want id %s", i+1, row[:3], r.ID)
		}
		if v, ok := r.Answers[def.Items()[0].Code]; ok && (len(row) <= a1 || row[a1] != string(rune('0'+v))) {
			t.Errorf("row %d A1 = %q, want %d", i+1, row[a1], v)
		}
	}
}

func TestExportIndices(t *testing.T) {
	env := newDashEnv(t, "", true)
	ctx := context.Background()
	sc, err := env.scores.Score(ctx, scoresQuery("2026-01-01", "2027-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	check := func(kind string, rows [][]string) {
		t.Helper()
		if len(rows) != 1+1+5+16 {
			t.Fatalf("%s: %d rows, want header, service, 5 factors, 16 items", kind, len(rows))
		}
		if strings.Join(rows[0][:4], ",") != "level,code,name,index" || rows[1][0] != "service" || rows[2][1] != "A" || rows[3][1] != "A1" {
			t.Errorf("%s: rows start %q %q %q %q", kind, rows[0], rows[1][:2], rows[2][:2], rows[3][:2])
		}
		if got, want := parseF(t, rows[2][3]), *sc.Factors[0].Index; abs(got-want) > 1e-9 {
			t.Errorf("%s: A index %v, want %v", kind, got, want)
		}
		if got, want := parseF(t, rows[1][3]), *sc.ServiceIndex; abs(got-want) > 1e-9 {
			t.Errorf("%s: service index %v, want %v", kind, got, want)
		}
	}
	check("csv", readCSV(t, env.mustGet(t, "/dashboard/export/indices.csv?period=year")))
	check("xlsx", readXLSX(t, env.mustGet(t, "/dashboard/export/indices.xlsx?period=year"), "indices"))
}

func TestExportStreamsLargeTablesInConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	// A large export is streamed: the handler returns before the body is
	// written, and rows are never collected in memory. This test only
	// checks that a body of many rows arrives complete.
	env := newDashEnv(t, "", true)
	b := env.mustGet(t, "/dashboard/export/responses.xlsx"+everything)
	rows := readXLSX(t, b, "responses")
	if n := len(allResponses(t, env.st)); len(rows) != n+1 {
		t.Errorf("%d rows, want %d", len(rows), n+1)
	}
}

func scoresQuery(from, to string) scores.Query { return scores.Query{From: from, To: to} }

func parseF(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
