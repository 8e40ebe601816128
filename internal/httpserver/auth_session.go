package httpserver

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/surveys"
)

// Session and cookie settings.
const (
	sessionCookie = "sipas_session"
	loginCookie   = "sipas_login"
	langCookie    = "sipas_lang"

	// sessionTTL is the absolute lifetime of a session (a working day).
	sessionTTL = 12 * time.Hour
	// sessionIdle ends a session nobody used for that long.
	sessionIdle = 2 * time.Hour
	// seenEvery bounds the writes that keep SeenAt fresh.
	seenEvery = time.Minute
	// loginFormTTL is how long a sign-in form may be left open.
	loginFormTTL = time.Hour
)

// secure reports whether cookies get the Secure attribute.
func (s *server) secure(c *fiber.Ctx) bool {
	return s.cfg.SecureCookies || c.Protocol() == "https"
}

// setCookie sets an HttpOnly cookie on path; maxAge 0 is a browser-session
// cookie, negative deletes it.
func (s *server) setCookie(c *fiber.Ctx, name, value, path string, maxAge time.Duration, sameSite string) {
	ck := &fiber.Cookie{
		Name:     name,
		Value:    value,
		Path:     path,
		HTTPOnly: true,
		Secure:   s.secure(c),
		SameSite: sameSite,
	}
	switch {
	case maxAge > 0:
		ck.MaxAge = int(maxAge / time.Second)
		ck.Expires = s.deps.Now().Add(maxAge)
	case maxAge < 0:
		ck.Value = ""
		ck.MaxAge = -1
		ck.Expires = time.Unix(0, 0)
	}
	c.Cookie(ck)
}

func (s *server) clearSessionCookie(c *fiber.Ctx) {
	s.setCookie(c, sessionCookie, "", "/", -1, fiber.CookieSameSiteLaxMode)
}

// newSession stores a fresh session for user and returns its cookie
// token: the store keeps only the token's hash.
func (s *server) newSession(c *fiber.Ctx, user string) (string, error) {
	now := s.deps.Now()
	token := auth.NewToken()
	se := surveys.Session{
		ID:        auth.TokenID(token),
		User:      user,
		CSRF:      auth.NewToken(),
		CreatedAt: now,
		SeenAt:    now,
		ExpiresAt: now.Add(sessionTTL),
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	if err := s.deps.Staff.PutSession(ctx, se); err != nil {
		return "", err
	}
	return token, nil
}

// authenticate finds the signed-in user of c. ok is false, with a nil
// error, for no cookie or an unknown, expired or invalidated session.
func (s *server) authenticate(c *fiber.Ctx) (staffContext, bool, error) {
	token := c.Cookies(sessionCookie)
	if token == "" || len(token) > 128 {
		return staffContext{}, false, nil
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	st := s.deps.Staff
	id := auth.TokenID(token)
	se, err := st.Session(ctx, id)
	if surveys.IsNotFound(err) {
		return staffContext{}, false, nil
	}
	if err != nil {
		return staffContext{}, false, err
	}
	now := s.deps.Now()
	end := func() (staffContext, bool, error) {
		// An ended session is deleted at once, not left to expire.
		if err := st.DeleteSession(ctx, id); err != nil {
			return staffContext{}, false, err
		}
		return staffContext{}, false, nil
	}
	if !now.Before(se.ExpiresAt) || now.Sub(se.SeenAt) >= sessionIdle {
		return end()
	}
	u, err := st.User(ctx, se.User)
	if surveys.IsNotFound(err) {
		return end()
	}
	if err != nil {
		return staffContext{}, false, err
	}
	// A password reset (or disabling the account) ends older sessions.
	if u.Disabled || se.CreatedAt.Before(u.PasswordChangedAt) {
		return end()
	}
	if now.Sub(se.SeenAt) >= seenEvery {
		se.SeenAt = now
		if err := st.PutSession(ctx, se); err != nil {
			// Not fatal: the session stays valid until its idle end.
			s.log.Warn("refresh session", "user", u.Name, "err", err)
		}
	}
	return staffContext{User: u, CSRF: se.CSRF, sessionID: id}, true, nil
}

// clientKeyOf is the throttling key of c's address: a keyed hash, so that
// not even the throttle's memory holds addresses (SPEC 7).
func (s *server) clientKeyOf(c *fiber.Ctx) string {
	m := hmac.New(sha256.New, s.clientSecret)
	m.Write([]byte(s.clientAddr(c)))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func newClientSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}

// safeNext returns next when it is a path on this site, else /dashboard:
// the sign-in form must not redirect anywhere else.
func safeNext(next string) string {
	const def = "/dashboard"
	if next == "" || len(next) > 512 || next[0] != '/' || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\\\r\n\t\x00") {
		return def
	}
	if strings.HasPrefix(next, "/login") || strings.HasPrefix(next, "/logout") {
		return def
	}
	return next
}

// audit records a staff action; a failure is logged, not returned: the
// action itself has happened.
func (s *server) audit(actor, action, target, detail string) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	e := surveys.AuditEntry{At: s.deps.Now(), Actor: actor, Action: action,
		Target: truncate(target, 200), Detail: truncate(detail, 1000)}
	if err := s.deps.Staff.AppendAudit(ctx, e); err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos] + "…"
		}
		i++
	}
	return s
}
