package httpserver

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/surveys"
)

var testNow = time.Date(2025, 3, 14, 9, 30, 0, 0, surveys.Location)

type testEnv struct {
	app   *fiber.App
	store *fakeStore
	logs  *bytes.Buffer
}

func newTestEnv(t *testing.T, cfg Config) *testEnv {
	t.Helper()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{store: newFakeStore(), logs: &bytes.Buffer{}}
	app, err := New(cfg, Deps{
		Store:   env.store,
		Surveys: reg,
		Catalog: i18n.New(),
		Logger:  slog.New(slog.NewTextHandler(env.logs, nil)),
		Now:     func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	env.app = app
	return env
}

// do sends req and returns the response and its body.
func (e *testEnv) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := e.app.Test(req, 5000)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func (e *testEnv) get(t *testing.T, target string) (*http.Response, string) {
	t.Helper()
	return e.do(t, httptest.NewRequest(http.MethodGet, target, nil))
}

func (e *testEnv) postForm(t *testing.T, target string, form url.Values) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(t, req)
}

func (e *testEnv) postJSON(t *testing.T, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/responses", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.do(t, req)
}

func wantStatus(t *testing.T, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("status = %d, want %d; body:\n%.2000s", resp.StatusCode, want, body)
	}
}

func wantContains(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q", s)
		}
	}
}
