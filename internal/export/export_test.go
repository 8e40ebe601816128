package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/surveys"
)

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"":             "",
		"=1+1":         "'=1+1",
		"+84 90":       "'+84 90",
		"-5":           "'-5",
		"@SUM(A1)":     "'@SUM(A1)",
		"\tx":          "'\tx",
		"\rx":          "'\rx",
		"Rất hài lòng": "Rất hài lòng",
		"a=b":          "a=b",
	} {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

func writeAll(t *testing.T, w RowWriter, rows [][]any) {
	t.Helper()
	for _, r := range rows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

var sample = [][]any{
	{"code", "text", "n", "index"},
	{"A1", "=cmd|' /C calc'!A0", int64(12), 84.25},
	{"A2", "Phòng chờ hơi nóng, \"cần\" thêm quạt", 3, nil},
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	w, err := NewCSV(&b)
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w, sample)
	if !strings.HasPrefix(b.String(), BOM) {
		t.Fatal("no BOM")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"code", "text", "n", "index"}, {"A1", "'=cmd|' /C calc'!A0", "12", "84.25"}, {"A2", "Phòng chờ hơi nóng, \"cần\" thêm quạt", "3", ""}}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
}

func TestXLSX(t *testing.T) {
	var b bytes.Buffer
	w, err := NewXLSX(&b, "data")
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w, sample)
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("data")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][1] != "'=cmd|' /C calc'!A0" || rows[1][3] != "84.25" || rows[2][1] != "Phòng chờ hơi nóng, \"cần\" thêm quạt" {
		t.Errorf("rows = %q", rows)
	}
	// Numbers are numbers, not text.
	if typ, err := f.GetCellType("data", "C2"); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("C2 type %v, %v: want a number", typ, err)
	}
	if formula, _ := f.GetCellFormula("data", "B2"); formula != "" {
		t.Errorf("B2 has formula %q", formula)
	}
}

func TestResponseRow(t *testing.T) {
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	def, _ := reg.Get(surveys.Default)
	r := &surveys.Response{ID: "id-1", Counter: "q1", Channel: surveys.ChannelPaper, Lang: "vi",
		Answers: map[string]int{"A1": 5, "E3": 1}, Extra: map[string]string{"overall": "4", "comment": "+tốt"},
		Flags: []string{"burst", "fast"}, SubmittedAt: time.Date(2026, 7, 1, 1, 2, 3, 0, time.UTC)}
	head := ResponseHeader(def, ResponseOptions{Flags: true})
	row := ResponseRow(def, r, ResponseOptions{Flags: true}, nil)
	if len(head) != len(row) {
		t.Fatalf("header %d cells, row %d", len(head), len(row))
	}
	cell := map[string]any{}
	for i, h := range head {
		cell[h.(string)] = row[i]
	}
	if cell["submitted_at"] != "2026-07-01T08:02:03+07:00" || cell["A1"] != 5 || cell["A2"] != nil || cell["E3"] != 1 ||
		cell["overall"] != 4 || cell["comment"] != "+tốt" || cell["flags"] != "burst|fast" {
		t.Errorf("row = %v", cell)
	}
	if cellText(cell["comment"]) != "'+tốt" {
		t.Error("comment not neutralised in CSV")
	}
}
