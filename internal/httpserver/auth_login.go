package httpserver

import (
	"crypto/subtle"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/surveys"
)

// authRoutes mounts /login and /logout.
func (s *server) authRoutes(app *fiber.App) {
	app.Get("/login", s.handleLoginShow)
	app.Post("/login", s.handleLoginSubmit)
	app.Post("/logout", s.requireUser, s.csrfProtect, s.handleLogout)
	app.Post("/logout/all", s.requireUser, s.csrfProtect, s.handleLogoutAll)
}

// loginView is the sign-in page.
type loginView struct {
	staffPage
	Next      string
	LoginCSRF string // echoes the sipas_login cookie (double submit)
	Username  string
	Error     string
}

// showLogin renders the sign-in form with a fresh form token.
func (s *server) showLogin(c *fiber.Ctx, status int, next, username, msg string) error {
	token := auth.NewToken()
	s.setCookie(c, loginCookie, token, "/login", loginFormTTL, fiber.CookieSameSiteStrictMode)
	lang := s.staffLang(c)
	p := s.newStaffPage(c, s.cat.T(lang, "login.title"), "")
	p.SwitchURL = "/login?lang=" + p.SwitchLang
	if next != "/dashboard" {
		p.SwitchURL += "&next=" + url.QueryEscape(next)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, status, "staff/login.html", loginView{
		staffPage: p, Next: next, LoginCSRF: token, Username: username, Error: msg,
	})
}

func (s *server) handleLoginShow(c *fiber.Ctx) error {
	return s.showLogin(c, fiber.StatusOK, safeNext(c.Query("next")), "", "")
}

// handleLoginSubmit signs a user in: form token, throttle, password, then
// a new session (the presented one, if any, is deleted: rotation).
func (s *server) handleLoginSubmit(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	next := safeNext(c.FormValue("next"))
	username := strings.ToLower(strings.TrimSpace(c.FormValue("username")))
	password := c.FormValue("password")

	ck, form := c.Cookies(loginCookie), c.FormValue("csrf")
	if ck == "" || subtle.ConstantTimeCompare([]byte(ck), []byte(form)) != 1 {
		return s.showLogin(c, fiber.StatusForbidden, next, username, s.cat.T(lang, "login.expired"))
	}

	client := s.clientKeyOf(c)
	if wait := s.throttle.Check(username, client); wait > 0 {
		return s.showThrottled(c, wait, next, username)
	}

	u, ok, reason, err := s.checkCredentials(username, password)
	if err != nil {
		return err
	}
	if !ok {
		s.throttle.Fail(username, client)
		s.audit("anonymous", "signin.fail", username, reason)
		return s.showLogin(c, fiber.StatusUnauthorized, next, username, s.cat.T(lang, "login.failed"))
	}
	s.throttle.Succeed(username, client)

	if old := c.Cookies(sessionCookie); old != "" {
		ctx, cancel := s.storeCtx()
		err := s.deps.Staff.DeleteSession(ctx, auth.TokenID(old))
		cancel()
		if err != nil {
			return err
		}
	}
	token, err := s.newSession(c, u.Name)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, token, "/", 0, fiber.CookieSameSiteLaxMode)
	s.setCookie(c, loginCookie, "", "/login", -1, fiber.CookieSameSiteStrictMode)
	s.audit(u.Name, "signin.ok", u.Name, "")
	return c.Redirect(next, fiber.StatusSeeOther)
}

// checkCredentials checks a name and password. reason, for the audit log
// only, says why a sign-in failed; the page never does.
func (s *server) checkCredentials(username, password string) (surveys.User, bool, string, error) {
	if username == "" || password == "" {
		return surveys.User{}, false, "empty", nil
	}
	if len(password) > 4*auth.MaxPasswordLen {
		return surveys.User{}, false, "too_long", nil
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	u, err := s.deps.Staff.User(ctx, username)
	if surveys.IsNotFound(err) {
		// Hash anyway, so that timing does not tell which names exist.
		_, _ = auth.VerifyPassword(s.dummyHash(), password)
		return surveys.User{}, false, "unknown_user", nil
	}
	if err != nil {
		return surveys.User{}, false, "", err
	}
	ok, err := auth.VerifyPassword(u.PasswordHash, password)
	if err != nil {
		s.log.Error("stored password hash is malformed", "user", u.Name)
		return surveys.User{}, false, "bad_hash", nil
	}
	if !ok {
		return surveys.User{}, false, "bad_password", nil
	}
	if u.Disabled {
		return surveys.User{}, false, "disabled", nil
	}
	return u, true, "", nil
}

var (
	dummyOnce sync.Once
	dummy     string
)

// dummyHash is a hash with the default costs, made once.
func (s *server) dummyHash() string {
	dummyOnce.Do(func() { dummy, _ = auth.HashPassword(auth.NewToken()) })
	return dummy
}

// showThrottled renders the sign-in page with 429 and Retry-After.
func (s *server) showThrottled(c *fiber.Ctx, wait time.Duration, next, username string) error {
	lang := s.staffLang(c)
	secs := int(math.Ceil(wait.Seconds()))
	mins := (secs + 59) / 60
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	return s.showLogin(c, fiber.StatusTooManyRequests, next, username, s.cat.T(lang, "login.throttled", mins))
}

// handleLogout ends this browser's session.
func (s *server) handleLogout(c *fiber.Ctx) error {
	sc := s.currentUser(c)
	ctx, cancel := s.storeCtx()
	defer cancel()
	if err := s.deps.Staff.DeleteSession(ctx, sc.sessionID); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	s.audit(sc.User.Name, "signout", sc.User.Name, "")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// handleLogoutAll ends every session of the user, on every device.
func (s *server) handleLogoutAll(c *fiber.Ctx) error {
	sc := s.currentUser(c)
	ctx, cancel := s.storeCtx()
	defer cancel()
	n, err := s.deps.Staff.DeleteUserSessions(ctx, sc.User.Name)
	if err != nil {
		return err
	}
	s.clearSessionCookie(c)
	s.audit(sc.User.Name, "signout.all", sc.User.Name, strconv.Itoa(n)+" sessions")
	return c.Redirect("/login", fiber.StatusSeeOther)
}
