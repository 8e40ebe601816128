package scoring

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sipas/sipas/surveys"
)

var update = flag.Bool("update", false, "rewrite the golden score documents in testdata/")

// TestGolden scores each small data set of testdata/ and compares the
// document with testdata/<case>.golden.json. After an intended change, run
// go test ./scoring -run TestGolden -update and review the diff.
func TestGolden(t *testing.T) {
	d := sipas2022(t)
	b := baseline2022(t, d)
	withTargets := b
	withTargets.Targets = map[string]float64{"A": 97, "E": 50}
	cases := []struct {
		name, data string
		opt        Options
	}{
		{"small", "small", Options{From: "2025-01-01", To: "2025-02-01", Baseline: b}},
		{"small-pooled", "small", Options{Baseline: b, Method: surveys.Method{
			FactorMethod: FactorPooled, ServiceRule: ServicePooled, TargetRule: TargetRelative, MinRespondents: 1}}},
		{"small-nobaseline", "small", Options{}},
		{"single", "single", Options{Baseline: b, Method: surveys.Method{MinRespondents: 1}}},
		{"full", "full", Options{Baseline: b, Method: surveys.Method{MinRespondents: 1}}},
		{"empty", "empty", Options{Baseline: b}},
		{"medium", "medium", Options{From: "2025-01-01", To: "2026-01-01", Baseline: b}},
		{"medium-targets", "medium", Options{Baseline: withTargets}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl := tallyOf(d, readVectors(t, d, filepath.Join("testdata", c.data+".csv")))
			got, err := json.MarshalIndent(Compute(d, tl, c.opt), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", c.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("score document differs from %s (run with -update and review the diff): %s", path, firstDiff(got, want))
			}
		})
	}
}

// firstDiff describes the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, bytes.TrimSpace(gl), bytes.TrimSpace(wl))
		}
	}
	return "no difference"
}
