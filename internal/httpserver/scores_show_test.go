package httpserver

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

type fakeScorer struct{ got scores.Query }

func (f *fakeScorer) Score(_ context.Context, q scores.Query) (scoring.Score, error) {
	f.got = q
	if q.Survey == "nope" {
		return scoring.Score{}, &surveys.Error{Code: surveys.EINVALID, Fields: map[string]string{"survey": surveys.MsgUnknownSurvey}}
	}
	return scoring.Score{Survey: "sipas-2022", From: q.From, To: q.To, Respondents: 42}, nil
}

func TestScoresLoopbackOnly(t *testing.T) {
	env := newTestEnv(t, Config{})
	reg, _ := surveys.LoadEmbedded()
	sc := &fakeScorer{}
	app, err := New(Config{}, Deps{Store: env.store, Surveys: reg, Catalog: i18n.New(), Logger: slog.New(slog.DiscardHandler), Scores: sc})
	if err != nil {
		t.Fatal(err)
	}
	// app.Test's connection comes from 0.0.0.0, not loopback.
	req, _ := http.NewRequest(http.MethodGet, "/api/v1/scores", nil)
	resp, err := app.Test(req, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("non-loopback client without a session: got %d, want 401", resp.StatusCode)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	defer app.Shutdown()
	base := "http://" + ln.Addr().String()
	for _, tt := range []struct {
		query  string
		status int
	}{
		{"?from=2025-01-01&to=2025-04-01&counter=q1&channel=qr&baseline_year=2022", 200},
		{"?survey=nope", 422},
		{"?baseline_year=abc", 422},
	} {
		r, err := http.Get(base + "/api/v1/scores" + tt.query)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != tt.status {
			t.Errorf("%s: got %d, want %d (%s)", tt.query, r.StatusCode, tt.status, body)
			continue
		}
		if tt.status == 200 {
			var doc map[string]any
			if err := json.Unmarshal(body, &doc); err != nil || doc["respondents"] != float64(42) {
				t.Errorf("body %s", body)
			}
			want := scores.Query{From: "2025-01-01", To: "2025-04-01", Counter: "q1", Channel: "qr", BaselineYear: 2022}
			if sc.got != want {
				t.Errorf("query passed %+v, want %+v", sc.got, want)
			}
		}
	}
}

// TestScoresForSignedInStaff: a signed-in analyst reads the score document
// from anywhere; without the session the same request is refused.
func TestScoresForSignedInStaff(t *testing.T) {
	env := newDashEnv(t, "", true)
	body := env.mustGet(t, "/api/v1/scores?from=2025-01-01&to=2026-01-01")
	var doc struct {
		Respondents int64 `json:"respondents"`
		Factors     []struct {
			Baseline float64 `json:"baseline"`
		} `json:"factors"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Respondents == 0 || len(doc.Factors) != 5 || doc.Factors[0].Baseline != 83.99 {
		t.Errorf("scores for a signed-in analyst: %v %.300s", err, body)
	}
	env.token = ""
	if resp, _ := env.get(t, "/api/v1/scores"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a session: %d, want 401", resp.StatusCode)
	}
}
