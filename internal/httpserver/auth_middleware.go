package httpserver

import (
	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// authRoutes mounts /login and /logout.
func (s *server) authRoutes(app *fiber.App) {}

// requireUser lets signed-in users through and stores them for
// currentUser; anyone else gets EUNAUTHORIZED (a redirect to /login for
// pages).
func (s *server) requireUser(c *fiber.Ctx) error {
	return &surveys.Error{Code: surveys.EUNAUTHORIZED, Message: "sign in first"}
}

// requireRole refuses users without role with EFORBIDDEN.
func (s *server) requireRole(role surveys.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return &surveys.Error{Code: surveys.EFORBIDDEN, Message: "not allowed"}
	}
}

// csrfProtect refuses unsafe methods (POST, PUT, PATCH, DELETE) whose
// form field "csrf" (or header X-CSRF-Token) does not match the session's.
func (s *server) csrfProtect(c *fiber.Ctx) error { return c.Next() }

// staffContext is what a staff handler knows about its caller.
type staffContext struct {
	User surveys.User
	// CSRF is the token every form of the page must carry as field "csrf".
	CSRF string
}

// currentUser returns the signed-in user of c; requireUser ran before.
func (s *server) currentUser(c *fiber.Ctx) staffContext {
	sc, _ := c.Locals(staffKey).(staffContext)
	return sc
}

// staffKey is the Locals key of staffContext.
const staffKey = "sipas.staff"
