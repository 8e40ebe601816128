package httpserver

import (
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// adminRoutes mounts the administration on r, which already requires an
// admin (and checks the CSRF token of every POST).
func (s *server) adminRoutes(r fiber.Router) {
	r.Get("/", s.handleAdminHome)

	r.Get("/divisions", s.handleDivisionList)
	r.Get("/divisions/new", s.handleDivisionNew)
	r.Post("/divisions", s.handleDivisionCreate)
	r.Get("/divisions/:code/edit", s.handleDivisionEdit)
	r.Post("/divisions/:code", s.handleDivisionUpdate)

	r.Get("/counters", s.handleCounterAdminList)
	r.Get("/counters/new", s.handleCounterNew)
	r.Post("/counters", s.handleCounterCreate)
	r.Get("/counters/:code/edit", s.handleCounterEdit)
	r.Post("/counters/:code", s.handleCounterUpdate)

	r.Get("/users", s.handleUserList)
	r.Get("/users/new", s.handleUserNew)
	r.Post("/users", s.handleUserCreate)
	r.Get("/users/:name/password", s.handleUserPasswordForm)
	r.Post("/users/:name/password", s.handleUserPasswordReset)
	r.Post("/users/:name/disable", s.handleUserDisable)
	r.Post("/users/:name/enable", s.handleUserEnable)
	r.Post("/users/:name/signout", s.handleUserSignout)

	r.Get("/baselines", s.handleBaselineList)
	r.Post("/baselines", s.handleBaselinePut)

	r.Get("/audit", s.handleAuditList)
	// Tablets: deviceAdminRoutes (device_admin.go), mounted by staffRoutes.
}

// adminHomeView is the administration's landing page.
type adminHomeView struct {
	staffPage
}

func (s *server) handleAdminHome(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	return s.render(c, fiber.StatusOK, "staff/admin.html",
		adminHomeView{s.newStaffPage(c, s.cat.T(lang, "admin.title"), navAdmin)})
}

// fieldErrors maps a form field to its translated message.
type fieldErrors map[string]string

// actor is the audit actor of c: the signed-in user's name.
func (s *server) actor(c *fiber.Ctx) string { return s.currentUser(c).User.Name }

// codePattern is what division and procedure codes look like (the counter
// code rule: they appear in URLs and breakdown keys).
var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// formText is a trimmed form value.
func formText(c *fiber.Ctx, key string) string { return strings.TrimSpace(c.FormValue(key)) }

// maxNameLen bounds names and other one-line texts of the admin forms.
const maxNameLen = 200
