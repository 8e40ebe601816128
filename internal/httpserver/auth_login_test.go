package httpserver

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoginPage(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	for _, tc := range []struct {
		target string
		want   []string
	}{
		{"/login", []string{`lang="vi"`, `<label for="username">Tên đăng nhập</label>`, `<label for="password">Mật khẩu</label>`,
			`name="next" value="/dashboard"`, `href="/login?lang=en"`}},
		{"/login?lang=en", []string{`lang="en"`, `<label for="username">User name</label>`, `href="/login?lang=vi"`}},
		{"/login?next=/admin/users", []string{`name="next" value="/admin/users"`}},
		{"/login?next=//evil.example/x", []string{`name="next" value="/dashboard"`}},
		{"/login?next=https://evil.example/", []string{`name="next" value="/dashboard"`}},
	} {
		resp, body := b.get(t, tc.target)
		wantStatus(t, resp, body, http.StatusOK)
		wantContains(t, body, tc.want...)
		if strings.Contains(body, "style=") || strings.Contains(body, "<style") || strings.Contains(body, "onclick") {
			t.Errorf("%s: inline style or handler in a staff page", tc.target)
		}
		var ck *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == loginCookie {
				ck = c
			}
		}
		if ck == nil || !ck.HttpOnly || ck.Value == "" || !strings.Contains(body, `name="csrf" value="`+ck.Value+`"`) {
			t.Errorf("%s: want an HttpOnly %s cookie echoed in the csrf field; got %+v", tc.target, loginCookie, ck)
		}
	}
}

func TestSignIn(t *testing.T) {
	for _, tc := range []struct {
		name       string
		user, pw   string
		next       string
		csrf       string // "": the form's; "-": none
		status     int
		location   string
		wantInBody string
		audit      string
	}{
		{name: "admin", user: adminName, pw: adminPass, status: 303, location: "/dashboard", audit: "signin.ok"},
		{name: "analyst, upper case name", user: " MINH ", pw: analystPass, status: 303, location: "/dashboard", audit: "signin.ok"},
		{name: "next", user: adminName, pw: adminPass, next: "/admin/users?x=1", status: 303, location: "/admin/users?x=1", audit: "signin.ok"},
		{name: "foreign next", user: adminName, pw: adminPass, next: "//evil.example/", status: 303, location: "/dashboard", audit: "signin.ok"},
		{name: "wrong password", user: adminName, pw: "sai-mật-khẩu-123", status: 401, wantInBody: "Tên đăng nhập hoặc mật khẩu không đúng", audit: "signin.fail"},
		{name: "unknown user", user: "khong-co", pw: adminPass, status: 401, wantInBody: "Tên đăng nhập hoặc mật khẩu không đúng", audit: "signin.fail"},
		{name: "disabled", user: disabledName, pw: disabledPass, status: 401, wantInBody: "Tên đăng nhập hoặc mật khẩu không đúng", audit: "signin.fail"},
		{name: "empty", user: "", pw: "", status: 401, audit: "signin.fail"},
		{name: "no form token", user: adminName, pw: adminPass, csrf: "-", status: 403},
		{name: "wrong form token", user: adminName, pw: adminPass, csrf: "forged", status: 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newStaffEnv(t)
			b := env.browser()
			_, page := b.get(t, "/login")
			form := url.Values{"username": {tc.user}, "password": {tc.pw}}
			switch tc.csrf {
			case "":
				form.Set("csrf", hiddenCSRF(t, page))
			case "-":
			default:
				form.Set("csrf", tc.csrf)
			}
			if tc.next != "" {
				form.Set("next", tc.next)
			}
			resp, body := b.post(t, "/login", form)
			wantStatus(t, resp, body, tc.status)
			if tc.location != "" {
				if got := resp.Header.Get("Location"); got != tc.location {
					t.Errorf("Location = %q, want %q", got, tc.location)
				}
				var ck *http.Cookie
				for _, c := range resp.Cookies() {
					if c.Name == sessionCookie {
						ck = c
					}
				}
				if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure {
					t.Errorf("session cookie = %+v; want HttpOnly, SameSite=Lax, Path=/, not Secure over http", ck)
				}
				// The store keeps the token's hash only.
				if _, err := env.st.Session(context.Background(), ck.Value); err == nil {
					t.Error("the store holds a session under the raw cookie token")
				}
			} else if b.cookies[sessionCookie] != "" {
				t.Error("a failed sign-in set a session cookie")
			}
			if tc.wantInBody != "" {
				wantContains(t, body, tc.wantInBody)
			}
			if strings.Contains(body, tc.pw) && tc.pw != "" {
				t.Error("the page echoes the password")
			}
			got := env.auditActions(t)
			if tc.audit == "" && len(got) != 0 || tc.audit != "" && !slices.Equal(got, []string{tc.audit}) {
				t.Errorf("audit = %v, want [%s]", got, tc.audit)
			}
		})
	}
}

func TestSignInAuditHasNoPassword(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	b.signIn(t, adminName, "bí-mật-sai-999", "")
	es, _ := env.st.Audit(context.Background(), time.Time{}, 10)
	for _, e := range es {
		if strings.Contains(e.Target+e.Detail+e.Actor, "bí-mật-sai-999") {
			t.Fatalf("audit entry holds the password: %+v", e)
		}
	}
}

func TestSecureCookies(t *testing.T) {
	env := newStaffEnv(t)
	env.app = mustNew(t, env, Config{SecureCookies: true})
	b := env.browser()
	resp, body := b.signIn(t, adminName, adminPass, "")
	wantStatus(t, resp, body, http.StatusSeeOther)
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && !c.Secure {
			t.Fatal("SecureCookies: the session cookie is not Secure")
		}
	}
}

func TestSignInThrottled(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	for i := range 5 {
		resp, body := b.signIn(t, adminName, "sai-mật-khẩu-123", "")
		wantStatus(t, resp, body, http.StatusUnauthorized)
		_ = i
	}
	// Now even the right password waits: the account is backing off.
	resp, body := b.signIn(t, adminName, adminPass, "")
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	if got := resp.Header.Get("Retry-After"); got != "30" {
		t.Errorf("Retry-After = %q, want 30", got)
	}
	wantContains(t, body, `<form method="post" action="/login"`, "Đăng nhập sai quá nhiều lần")
	// Another account from the same client is not held back.
	resp, body = b.signIn(t, analystName, analystPass, "")
	wantStatus(t, resp, body, http.StatusSeeOther)
	// The wait ends; it is never permanent.
	env.clock.advance(31 * time.Second)
	resp, body = b.signIn(t, adminName, adminPass, "")
	wantStatus(t, resp, body, http.StatusSeeOther)
}

func TestSignInThrottledPerClient(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	// 20 guesses spread over accounts from one client exhaust its budget.
	for i := range 20 {
		resp, body := b.signIn(t, "nguoi-"+strings.Repeat("x", i%7)+string(rune('a'+i)), "sai-mật-khẩu-123", "")
		wantStatus(t, resp, body, http.StatusUnauthorized)
	}
	resp, body := b.signIn(t, adminName, adminPass, "")
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	if ra := resp.Header.Get("Retry-After"); ra != "900" {
		t.Errorf("Retry-After = %q, want 900", ra)
	}
	env.clock.advance(15*time.Minute + time.Second)
	resp, body = b.signIn(t, adminName, adminPass, "")
	wantStatus(t, resp, body, http.StatusSeeOther)
}

func TestSessionRotation(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	b.mustSignIn(t, adminName, adminPass)
	old := b.cookies[sessionCookie]
	// Sign in again with the old cookie: a new session replaces it.
	b.mustSignIn(t, adminName, adminPass)
	if b.cookies[sessionCookie] == old {
		t.Fatal("the session token did not change at sign-in")
	}
	resp, body := b.get(t, "/admin")
	wantStatus(t, resp, body, http.StatusOK)
	stale := env.browser()
	stale.cookies[sessionCookie] = old
	resp, body = stale.get(t, "/admin")
	wantStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/login?next=%2Fadmin" {
		t.Errorf("Location = %q", loc)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Run("idle", func(t *testing.T) {
		env := newStaffEnv(t)
		b := env.browser()
		b.mustSignIn(t, adminName, adminPass)
		env.clock.advance(sessionIdle - time.Minute)
		resp, body := b.get(t, "/admin")
		wantStatus(t, resp, body, http.StatusOK) // and SeenAt moves on
		env.clock.advance(sessionIdle - time.Minute)
		resp, body = b.get(t, "/admin")
		wantStatus(t, resp, body, http.StatusOK)
		env.clock.advance(sessionIdle)
		resp, body = b.get(t, "/admin")
		wantStatus(t, resp, body, http.StatusSeeOther)
	})
	t.Run("absolute", func(t *testing.T) {
		env := newStaffEnv(t)
		b := env.browser()
		b.mustSignIn(t, adminName, adminPass)
		for range 6 {
			env.clock.advance(119 * time.Minute)
			resp, body := b.get(t, "/admin")
			wantStatus(t, resp, body, http.StatusOK)
		}
		env.clock.advance(sessionTTL - 6*119*time.Minute)
		resp, body := b.get(t, "/admin")
		wantStatus(t, resp, body, http.StatusSeeOther)
	})
	t.Run("password changed", func(t *testing.T) {
		env := newStaffEnv(t)
		b := env.browser()
		b.mustSignIn(t, analystName, analystPass)
		env.clock.advance(time.Minute)
		u, _ := env.st.User(context.Background(), analystName)
		u.PasswordChangedAt = env.clock.now()
		env.st.PutUser(context.Background(), u)
		resp, body := b.post(t, "/logout", url.Values{"csrf": {"x"}})
		wantStatus(t, resp, body, http.StatusUnauthorized)
	})
	t.Run("disabled", func(t *testing.T) {
		env := newStaffEnv(t)
		b := env.browser()
		b.mustSignIn(t, adminName, adminPass)
		u, _ := env.st.User(context.Background(), adminName)
		u.Disabled = true
		env.st.PutUser(context.Background(), u)
		resp, body := b.get(t, "/admin")
		wantStatus(t, resp, body, http.StatusSeeOther)
	})
}

func TestLogout(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	token := b.cookies[sessionCookie]

	for _, bad := range []url.Values{{}, {"csrf": {"wrong"}}} {
		resp, body := b.post(t, "/logout", bad)
		wantStatus(t, resp, body, http.StatusForbidden)
	}
	resp, body := b.post(t, "/logout", url.Values{"csrf": {csrf}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/login" {
		t.Errorf("Location = %q, want /login", loc)
	}
	if _, ok := b.cookies[sessionCookie]; ok {
		t.Error("the session cookie was not cleared")
	}
	replay := env.browser()
	replay.cookies[sessionCookie] = token
	resp, body = replay.get(t, "/admin")
	wantStatus(t, resp, body, http.StatusSeeOther)
	if got := env.auditActions(t); !slices.Equal(got, []string{"signin.ok", "signout"}) {
		t.Errorf("audit = %v", got)
	}
}

func TestLogoutAll(t *testing.T) {
	env := newStaffEnv(t)
	office, home := env.browser(), env.browser()
	csrf := office.mustSignIn(t, adminName, adminPass)
	home.mustSignIn(t, adminName, adminPass)
	other := env.browser()
	other.mustSignIn(t, analystName, analystPass)

	resp, body := office.post(t, "/logout/all", url.Values{"csrf": {csrf}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	for name, b := range map[string]*browser{"office": office, "home": home} {
		if b.cookies[sessionCookie] == "" {
			continue
		}
		resp, body := b.get(t, "/admin")
		wantStatus(t, resp, body, http.StatusSeeOther)
		_ = name
	}
	// Another user's session is untouched.
	resp, body = other.post(t, "/logout", url.Values{"csrf": {other.csrf(t)}})
	wantStatus(t, resp, body, http.StatusSeeOther)
}

func TestCSRFProtect(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	form := url.Values{"code": {"ktat"}, "name_vi": {"Phòng Kỹ thuật an toàn"}}
	for _, tc := range []struct {
		name   string
		field  string
		header string
		want   int
	}{
		{"none", "", "", http.StatusForbidden},
		{"wrong field", "wrong", "", http.StatusForbidden},
		{"another session's", otherCSRF(t, env), "", http.StatusForbidden},
		{"wrong header", "", "wrong", http.StatusForbidden},
		{"header", "", csrf, http.StatusSeeOther},
		{"field", csrf, "", http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("code", "ktat-"+strings.ReplaceAll(strings.ToLower(tc.name), " ", "-"))
			if tc.field != "" {
				f.Set("csrf", tc.field)
			}
			req := newFormRequest("/admin/divisions", f)
			if tc.header != "" {
				req.Header.Set("X-CSRF-Token", tc.header)
			}
			resp, body := b.do(t, req)
			wantStatus(t, resp, body, tc.want)
		})
	}
}

// otherCSRF is the CSRF token of another signed-in session.
func otherCSRF(t *testing.T, env *staffEnv) string {
	t.Helper()
	return env.browser().mustSignIn(t, analystName, analystPass)
}
