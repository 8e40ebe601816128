package loadtest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

// TestGenPlausible: generated responses are valid, mostly satisfied, leave
// about one item in ten as "no opinion" (more on D and E), sometimes carry
// a comment, and go over the wire with explicit nulls.
func TestGenPlausible(t *testing.T) {
	_, def, err := registry()
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(def, "", 42)
	const n = 5000
	ids := map[string]bool{}
	var blank, asked, comments, high, answered int
	blankBy := map[string]int{}
	for range n {
		r := g.response(time.Now())
		if err := surveys.ValidateResponse(def, &r, nil); err != nil {
			t.Fatalf("invalid response %+v: %v", r, err)
		}
		if ids[r.ID] {
			t.Fatalf("id %s repeated", r.ID)
		}
		ids[r.ID] = true
		if r.Channel != surveys.ChannelAPI {
			t.Fatalf("channel %q, want api", r.Channel)
		}
		if r.Comment() != "" {
			comments++
		}
		for _, f := range def.Factors {
			for _, it := range f.Items {
				asked++
				v, ok := r.Answers[it.Code]
				if !ok {
					blank++
					blankBy[f.Code]++
					continue
				}
				answered++
				if v >= def.Scale.SatisfiedMin {
					high++
				}
			}
		}
	}
	if share := float64(blank) / float64(asked); share < 0.07 || share > 0.16 {
		t.Errorf("no-opinion share %.3f, want about 0.1", share)
	}
	if blankBy["D"]/3 <= blankBy["A"]/3 || blankBy["E"]/3 <= blankBy["D"]/3 {
		t.Errorf("no-opinion by factor %v: want more on D and most on E", blankBy)
	}
	if share := float64(high) / float64(answered); share < 0.6 || share > 0.95 {
		t.Errorf("satisfied share %.3f, want most but not all", share)
	}
	if comments < n/25 || comments > n/5 {
		t.Errorf("%d comments in %d responses, want occasional", comments, n)
	}

	r := g.response(time.Now())
	body, err := toAPIBody(def, &r)
	if err != nil {
		t.Fatal(err)
	}
	var wire struct {
		Answers map[string]*int `json:"answers"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		t.Fatal(err)
	}
	if len(wire.Answers) != len(def.Items()) {
		t.Errorf("%d answers on the wire, want every item (%d), null for no opinion", len(wire.Answers), len(def.Items()))
	}
	for code, v := range wire.Answers {
		if got, ok := r.Answers[code]; ok != (v != nil) || ok && got != *v {
			t.Errorf("%s: wire %v, response %v (present %v)", code, v, got, ok)
		}
	}
}
