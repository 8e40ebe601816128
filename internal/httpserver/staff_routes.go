package httpserver

import (
	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// staffRoutes mounts sign-in and, behind it, the dashboard (with exports
// and reports, for analysts and admins) and the administration (admins).
func (s *server) staffRoutes(app *fiber.App) {
	s.authRoutes(app)
	dash := app.Group("/dashboard", s.requireUser, s.csrfProtect)
	s.dashboardRoutes(dash)
	admin := app.Group("/admin", s.requireUser, s.requireRole(surveys.RoleAdmin), s.csrfProtect)
	s.adminRoutes(admin)
}
