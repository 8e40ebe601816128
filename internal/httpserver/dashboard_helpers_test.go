package httpserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/internal/demo"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/surveys"
)

var _ DashboardStore = storetest.Store(nil)

// dashNow is the clock of the dashboard tests: mid-August 2026, so that
// "this year" has seven and a half months of demo data.
var dashNow = time.Date(2026, 8, 14, 10, 0, 0, 0, surveys.Location)

// dashEnv is the server on a real SQLite store seeded with the demo
// organisation and synthetic responses, and a signed-in analyst.
type dashEnv struct {
	app    *fiber.App
	st     *sqlitestore.Store
	reg    *surveys.Registry
	scores *scores.Service
	token  string // the analyst's session cookie
}

func newDashEnv(t testing.TB, path string, seed bool) *dashEnv {
	t.Helper()
	ctx := context.Background()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if path == "" {
		path = filepath.Join(t.TempDir(), "sipas.db")
	}
	st, err := sqlitestore.Open(ctx, path, reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if seed {
		def, _ := reg.Get(surveys.Default)
		if _, err := demo.Seed(ctx, st, def, demo.Options{Months: 20, PerDay: 10, Now: dashNow}, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
	}
	env := &dashEnv{st: st, reg: reg, scores: scores.New(st, reg)}
	env.app, err = New(Config{}, Deps{
		Store: st, Staff: st, Surveys: reg, Catalog: i18n.New(), Scores: env.scores,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return dashNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	env.token = signInDirect(t, st, "an", surveys.RoleAnalyst)
	return env
}

// signInDirect creates a user and a session in the store, as sign-in
// would, and returns the session cookie's value.
func signInDirect(t testing.TB, st *sqlitestore.Store, name string, role surveys.Role) string {
	t.Helper()
	ctx := context.Background()
	at := dashNow.Add(-time.Minute)
	if err := st.PutUser(ctx, surveys.User{Name: name, DisplayName: "Chị " + name, Role: role,
		PasswordHash: "unused", CreatedAt: at.Add(-time.Hour), PasswordChangedAt: at.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	token := auth.NewToken()
	if err := st.PutSession(ctx, surveys.Session{ID: auth.TokenID(token), User: name, CSRF: auth.NewToken(),
		CreatedAt: at, SeenAt: at, ExpiresAt: dashNow.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return token
}

// get sends a signed-in GET and returns the response and body.
func (e *dashEnv) get(t testing.TB, target string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if e.token != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.token})
	}
	resp, err := e.app.Test(req, 60_000)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func (e *dashEnv) mustGet(t testing.TB, target string) []byte {
	t.Helper()
	resp, b := e.get(t, target)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %.500s", target, resp.StatusCode, b)
	}
	return b
}
