package httpserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/surveys"
)

// The staff side asks for subsets of the store contract.
var (
	_ AuthStore  = storetest.Store(nil)
	_ AdminStore = storetest.Store(nil)
)

// Accounts of staffEnv.
const (
	adminName    = "lan"
	adminPass    = "mật-khẩu-quản-trị-1"
	analystName  = "minh"
	analystPass  = "mật-khẩu-phân-tích-2"
	disabledName = "cu"
	disabledPass = "mật-khẩu-cũ-đã-khóa"
)

// clock is a settable Deps.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// staffEnv is the server on a real SQLite store with three accounts.
type staffEnv struct {
	app   *fiber.App
	st    *sqlitestore.Store
	clock *clock
}

func newStaffEnv(t *testing.T) *staffEnv {
	t.Helper()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "sipas.db"), reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: testNow}
	app, err := New(Config{}, Deps{
		Store: st, Staff: st, Surveys: reg, Catalog: i18n.New(),
		Logger: slog.New(slog.DiscardHandler), Now: clk.now,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Cheap hashes keep the tests fast; VerifyPassword reads the costs
	// from each hash.
	cheap := auth.Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32}
	for _, u := range []struct {
		name, pw string
		role     surveys.Role
		disabled bool
	}{
		{adminName, adminPass, surveys.RoleAdmin, false},
		{analystName, analystPass, surveys.RoleAnalyst, false},
		{disabledName, disabledPass, surveys.RoleAnalyst, true},
	} {
		h, err := auth.HashPasswordWith(u.pw, cheap)
		if err != nil {
			t.Fatal(err)
		}
		err = st.PutUser(context.Background(), surveys.User{Name: u.name, DisplayName: "Người " + u.name, Role: u.role,
			PasswordHash: h, Disabled: u.disabled, CreatedAt: testNow.Add(-time.Hour), PasswordChangedAt: testNow.Add(-time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutDivision(context.Background(), surveys.Division{Code: "vp", Name: surveys.Text{VI: "Văn phòng Sở", EN: "Office"}}); err != nil {
		t.Fatal(err)
	}
	return &staffEnv{app: app, st: st, clock: clk}
}

// browser keeps cookies between requests, as a browser would.
type browser struct {
	env     *staffEnv
	cookies map[string]string
}

func (e *staffEnv) browser() *browser { return &browser{env: e, cookies: map[string]string{}} }

func (b *browser) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := b.env.app.Test(req, 10000)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(b.cookies, ck.Name)
		} else {
			b.cookies[ck.Name] = ck.Value
		}
	}
	return resp, string(body)
}

func (b *browser) get(t *testing.T, target string) (*http.Response, string) {
	t.Helper()
	return b.do(t, httptest.NewRequest(http.MethodGet, target, nil))
}

func (b *browser) post(t *testing.T, target string, form url.Values) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// hiddenCSRF returns the first csrf field of an HTML page.
func hiddenCSRF(t *testing.T, body string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf field in page:\n%.1500s", body)
	}
	return m[1]
}

// signIn opens the sign-in form and posts name and password with its
// token (next may be "").
func (b *browser) signIn(t *testing.T, name, pw, next string) (*http.Response, string) {
	t.Helper()
	_, page := b.get(t, "/login")
	form := url.Values{"username": {name}, "password": {pw}, "csrf": {hiddenCSRF(t, page)}}
	if next != "" {
		form.Set("next", next)
	}
	return b.post(t, "/login", form)
}

// mustSignIn signs in and returns the session's CSRF token.
func (b *browser) mustSignIn(t *testing.T, name, pw string) string {
	t.Helper()
	resp, body := b.signIn(t, name, pw, "")
	wantStatus(t, resp, body, http.StatusSeeOther)
	return b.csrf(t)
}

// csrf is the session's CSRF token, read from the store by the cookie.
func (b *browser) csrf(t *testing.T) string {
	t.Helper()
	se, err := b.env.st.Session(context.Background(), auth.TokenID(b.cookies[sessionCookie]))
	if err != nil {
		t.Fatalf("session of the browser: %v", err)
	}
	return se.CSRF
}

// auditActions lists the actions of the audit log, oldest first.
func (e *staffEnv) auditActions(t *testing.T) []string {
	t.Helper()
	es, err := e.st.Audit(context.Background(), time.Time{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(es))
	for i, en := range es {
		out[len(es)-1-i] = en.Action
	}
	return out
}

func newFormRequest(target string, form url.Values) *http.Request {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// mustNew builds another app on env's store and clock.
func mustNew(t *testing.T, env *staffEnv, cfg Config) *fiber.App {
	t.Helper()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	app, err := New(cfg, Deps{Store: env.st, Staff: env.st, Surveys: reg, Catalog: i18n.New(),
		Logger: slog.New(slog.DiscardHandler), Now: env.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	return app
}
