package surveys

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestEveryEmbeddedDefinitionLoads(t *testing.T) {
	reg, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range reg.IDs() {
		d, _ := reg.Get(id)
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
	d, ok := reg.Get(Default)
	if !ok {
		t.Fatalf("default definition %s missing", Default)
	}
	var codes []string
	for _, it := range d.Items() {
		codes = append(codes, it.Code)
	}
	if got, want := strings.Join(codes, " "), "A1 A2 A3 B1 B2 B3 B4 C1 C2 C3 D1 D2 D3 E1 E2 E3"; got != want {
		t.Errorf("items = %s, want %s", got, want)
	}
	base, ok := d.Baseline(2022, "gia-lai")
	if !ok {
		t.Fatal("2022 baseline missing")
	}
	want := map[string]float64{"A": 83.99, "B": 84.04, "C": 85.39, "D": 80.90, "E": 77.89}
	for f, v := range want {
		if base.Values[f] != v {
			t.Errorf("baseline %s = %v, want %v", f, base.Values[f], v)
		}
	}
	deltas := map[string]float64{"A": 2, "B": 2, "C": 2, "D": 2, "E": 4}
	for _, f := range d.Factors {
		if f.TargetDelta != deltas[f.Code] {
			t.Errorf("target delta %s = %v, want %v", f.Code, f.TargetDelta, deltas[f.Code])
		}
	}
	for _, q := range []string{"overall", "comment", "procedure", "age", "gender", "ethnicity", "education", "occupation", "preferred_channel"} {
		if _, ok := d.Question(q); !ok {
			t.Errorf("optional question %s missing", q)
		}
	}
}

func TestValidateRejects(t *testing.T) {
	good, err := embedded.ReadFile("definitions/sipas-2022.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to, wantErr string
	}{
		{"duplicate item code", `"code": "A2"`, `"code": "A1"`, `already used`},
		{"missing English", `"en": "Clear signage and directions to the one-stop desk"`, `"en": ""`, "needs both vi and en"},
		{"unknown field", `"target_delta": 2,`, `"target_delta": 2, "weight": 1,`, "unknown field"},
		{"bad factor method", `"factor_method": "mean"`, `"factor_method": "median"`, "factor_method"},
		{"satisfied_min outside scale", `"satisfied_min": 4`, `"satisfied_min": 9`, "satisfied_min"},
		{"no opinion label missing", `"no_opinion": {"vi": "Không có ý kiến / chưa trải nghiệm", "en": "No opinion / not experienced"}`, `"no_opinion": {"vi": "", "en": ""}`, "no_opinion"},
		{"baseline of unknown factor", `"E": 77.89}`, `"E": 77.89, "Z": 1}`, `"Z" is not a factor`},
		{"empty factor", `"items": [
        {"code": "E1"`, `"items": [], "x": [
        {"code": "E1"`, "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(string(good), tt.from, tt.to, 1)
			if src == string(good) {
				t.Fatalf("test edit %q not applied", tt.from)
			}
			_, err := LoadFS(fstest.MapFS{"d/sipas-2022.json": {Data: []byte(src)}}, "d")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	t.Run("file name must match id", func(t *testing.T) {
		_, err := LoadFS(fstest.MapFS{"d/other.json": {Data: good}}, "d")
		if err == nil || !strings.Contains(err.Error(), "does not match") {
			t.Errorf("got %v", err)
		}
	})
}

// TestCentreImportsOnlyStandardLibrary keeps the domain free of web
// frameworks and database drivers.
func TestCentreImportsOnlyStandardLibrary(t *testing.T) {
	for _, dir := range []string{".", "../scoring"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range af.Imports {
				p := strings.Trim(imp.Path.Value, `"`)
				first := strings.Split(p, "/")[0]
				if strings.Contains(first, ".") && p != "github.com/sipas/sipas/surveys" {
					t.Errorf("%s imports %s: the centre must use only the standard library", f, p)
				}
			}
		}
	}
	if _, err := os.Stat("../scoring"); err != nil {
		t.Fatal(err)
	}
}
