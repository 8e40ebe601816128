package httpserver

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/surveys"
)

// fuzzEnv builds the app once per fuzz target: the fake store keeps what
// the fuzzer gets stored, so every stored response can be checked.
func fuzzEnv(f *testing.F) (*testEnv, *surveys.Definition) {
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		f.Fatal(err)
	}
	env := &testEnv{store: newFakeStore()}
	app, err := New(Config{}, Deps{Store: env.store, Surveys: reg, Catalog: i18n.New(),
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return testNow }})
	if err != nil {
		f.Fatal(err)
	}
	env.app = app
	def, _ := reg.Get(surveys.Default)
	return env, def
}

// checkStored: whatever the fuzzer got stored is a valid response.
func checkStored(t *testing.T, env *testEnv, def *surveys.Definition) {
	env.store.mu.Lock()
	defer env.store.mu.Unlock()
	for id, r := range env.store.responses {
		if err := surveys.ValidateResponse(def, &r, nil); err != nil && surveys.ErrorCodeOf(err) == surveys.EINVALID {
			// The procedure of a counter is checked against the counter;
			// without it only that field may complain.
			e := err.(*surveys.Error)
			if len(e.Fields) != 1 || e.Fields["procedure"] == "" {
				t.Fatalf("stored an invalid response %s: %v %v", id, err, e.Fields)
			}
		}
		for k, v := range r.Extra {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				t.Fatalf("stored invalid UTF-8 in %s", id)
			}
		}
	}
}

func FuzzAPIResponse(f *testing.F) {
	for _, seed := range []string{
		`{"id": "0b9f6a3e-4c1d-4e2a-9b7c-2f1e0d3c4b5a", "survey": "sipas-2022", "channel": "qr", "answers": {"A1": 5, "A2": null}, "comment": "Tốt"}`,
		`{"id": "0b9f6a3e-4c1d-4e2a-9b7c-2f1e0d3c4b5b", "counter": "mot-cua-01", "answers": {"E3": 1}, "extra": {"procedure": "dkkd", "gender": "f"}}`,
		`{"answers": {"A1": "5"}}`,
		`{"id": 1}`,
		`[]`,
		`null`,
		`{"answers": {"A1": 5.5, "ZZ": 1}, "submitted_at": "2025-01-01T00:00:00Z"}`,
		"{\"comment\": \"\xff\"}",
	} {
		f.Add([]byte(seed))
	}
	env, def := fuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/responses", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		resp, err := env.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case 200, 201, 400, 413, 422:
		default:
			t.Fatalf("status %d for %q: %s", resp.StatusCode, body, b)
		}
		if !utf8.Valid(b) {
			t.Fatalf("response body is not UTF-8")
		}
		checkStored(t, env, def)
	})
}

func FuzzFormSubmit(f *testing.F) {
	for _, seed := range []string{
		"id=0b9f6a3e-4c1d-4e2a-9b7c-2f1e0d3c4b5a&lang=vi&A1=5&A2=na&comment=T%E1%BB%91t",
		"A1=7&B2=x",
		"lang=en&procedure=dkkd&overall=4&C1=3",
		"comment=%3Cscript%3E&A1=1",
		"%ff=%fe&A1=5",
		"",
	} {
		f.Add(seed)
	}
	env, def := fuzzEnv(f)
	f.Fuzz(func(t *testing.T, form string) {
		req := httptest.NewRequest(http.MethodPost, "/s/mot-cua-01", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := env.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case 303, 400, 413, 422:
		default:
			t.Fatalf("status %d for %q: %s", resp.StatusCode, form, b)
		}
		if strings.Contains(string(b), "<script>") {
			t.Fatalf("unescaped markup echoed back for %q", form)
		}
		checkStored(t, env, def)
	})
}
