package sqlitestore

import (
	"encoding/json"
	"testing"
)

func TestEncodeAnswersMatchesJSON(t *testing.T) {
	for _, m := range []map[string]int{nil, {}, {"A1": 5}, {"E3": 1, "A1": 4, "B2": 3, "C1": 2}, {"overall_x": 10}} {
		want := "{}"
		if len(m) > 0 {
			b, _ := json.Marshal(m)
			want = string(b)
		}
		if got := string(encodeAnswers(m)); got != want {
			t.Errorf("encodeAnswers(%v) = %s, want %s", m, got, want)
		}
	}
}
