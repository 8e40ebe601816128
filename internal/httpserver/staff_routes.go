package httpserver

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/surveys"
)

// staffRoutes mounts sign-in and, behind it, the dashboard (with exports
// and reports, for analysts and admins) and the administration (admins).
func (s *server) staffRoutes(app *fiber.App) {
	s.authRoutes(app)
	dash := app.Group("/dashboard", s.requireUser, s.csrfProtect)
	s.dashboardRoutes(dash)
	s.paperRoutes(dash)
	admin := app.Group("/admin", s.requireUser, s.requireRole(surveys.RoleAdmin), s.csrfProtect)
	s.adminRoutes(admin)
	s.deviceAdminRoutes(admin)
}

// Nav items of the staff layout.
const (
	navDashboard = "dashboard"
	navReport    = "report"
	navAdmin     = "admin"
	navPaper     = "paper"
	navFlags     = "flags"
)

// staffPage is what web/templates/staff/layout.html reads; every staff
// view model embeds it (build it with newStaffPage).
type staffPage struct {
	page
	User    *surveys.User // nil on the sign-in page: no navigation
	CSRF    string        // the session's token, for the sign-out form
	IsAdmin bool
	Nav     string // navDashboard, navReport or navAdmin: the current item
	// Nonce is this response's nonce for <script nonce=...>: the
	// Content-Security-Policy will allow only scripts that carry it.
	Nonce string
}

// newStaffPage fills the layout fields for the signed-in user of c (if
// any). nav names the current navigation item.
func (s *server) newStaffPage(c *fiber.Ctx, title, nav string) staffPage {
	lang := s.staffLang(c)
	p := staffPage{page: s.newPage(lang, title, c.Path()), Nav: nav, Nonce: s.nonce(c)}
	if sc := s.currentUser(c); sc.User.Name != "" {
		u := sc.User
		p.User = &u
		p.CSRF = sc.CSRF
		p.IsAdmin = u.Role == surveys.RoleAdmin
	}
	return p
}

// staffLang is the language of staff pages: ?lang= when given (and then
// remembered in a cookie, so that links and redirects need not carry it),
// else the remembered one, else Vietnamese.
func (s *server) staffLang(c *fiber.Ctx) string {
	if q := c.Query("lang"); q != "" {
		lang := i18n.Lang(q)
		s.setCookie(c, langCookie, lang, "/", 365*24*60*60*1e9, fiber.CookieSameSiteLaxMode)
		return lang
	}
	return i18n.Lang(c.Cookies(langCookie))
}

// nonceKey is the Locals key of the response's script nonce.
const nonceKey = "sipas.nonce"

// nonce returns the script nonce of c's response, made on first use.
func (s *server) nonce(c *fiber.Ctx) string {
	if n, ok := c.Locals(nonceKey).(string); ok {
		return n
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	n := base64.RawURLEncoding.EncodeToString(b) // no + or /, which html/template escapes in attributes
	c.Locals(nonceKey, n)
	return n
}
