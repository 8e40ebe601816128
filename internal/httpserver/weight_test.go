package httpserver

import (
	"io/fs"
	"net/http"
	"testing"

	"github.com/sipas/sipas/web"
)

// formBudget is the most the form page may weigh (HTML plus CSS): it must
// load at once on slow 3G.
const formBudget = 30 * 1024

// TestFormPageWeight renders the sipas-2022 form for a counter with five
// procedures, in both languages, with and without error messages. The CSS
// is inlined, so the HTML already carries it; it is counted once more as
// if it were a separate file, to keep a margin either way.
func TestFormPageWeight(t *testing.T) {
	env := newTestEnv(t, Config{})
	css, err := fs.ReadFile(web.Static, "static/sipas.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/s/mot-cua-01", "/s/mot-cua-01?lang=en"} {
		resp, html := env.get(t, path)
		wantStatus(t, resp, html, http.StatusOK)
		total := len(html) + len(css)
		t.Logf("%s: html %d bytes (css %d inlined) + css %d = %d bytes", path, len(html), len(css), len(css), total)
		if total >= formBudget {
			t.Errorf("%s weighs %d bytes, budget %d", path, total, formBudget)
		}
	}
}

func TestStatic(t *testing.T) {
	env := newTestEnv(t, Config{})
	resp, body := env.get(t, "/static/sipas.css")
	wantStatus(t, resp, body, http.StatusOK)
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000" {
		t.Errorf("Cache-Control = %q", cc)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no security headers on static files")
	}
	resp, body = env.get(t, "/static/nope.css")
	wantStatus(t, resp, body, http.StatusNotFound)
}
