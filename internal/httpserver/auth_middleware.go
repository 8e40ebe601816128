package httpserver

import (
	"crypto/subtle"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// requireUser lets signed-in users through and stores them for
// currentUser; anyone else gets EUNAUTHORIZED (a redirect to /login for
// pages).
func (s *server) requireUser(c *fiber.Ctx) error {
	sc, ok, err := s.authenticate(c)
	if err != nil {
		return err
	}
	if !ok {
		if c.Cookies(sessionCookie) != "" {
			s.clearSessionCookie(c)
		}
		if (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) && !strings.HasPrefix(c.Path(), "/api/") {
			return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
		}
		return &surveys.Error{Code: surveys.EUNAUTHORIZED, Message: "sign in first"}
	}
	c.Locals(staffKey, sc)
	return c.Next()
}

// requireRole refuses users without role with EFORBIDDEN. An admin may do
// everything; an analyst only what needs RoleAnalyst.
func (s *server) requireRole(role surveys.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		sc := s.currentUser(c)
		switch {
		case sc.User.Name == "":
			return &surveys.Error{Code: surveys.EUNAUTHORIZED, Message: "sign in first"}
		case sc.User.Role == surveys.RoleAdmin, sc.User.Role == role:
			return c.Next()
		}
		return &surveys.Error{Code: surveys.EFORBIDDEN, Message: "not allowed"}
	}
}

// csrfProtect refuses unsafe methods (POST, PUT, PATCH, DELETE) whose
// form field "csrf" (or header X-CSRF-Token) does not match the session's.
func (s *server) csrfProtect(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete:
	default:
		return c.Next()
	}
	want := s.currentUser(c).CSRF
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = c.FormValue("csrf")
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return &surveys.Error{Code: surveys.EFORBIDDEN, Message: "bad or missing CSRF token"}
	}
	return c.Next()
}

// staffContext is what a staff handler knows about its caller.
type staffContext struct {
	User surveys.User
	// CSRF is the token every form of the page must carry as field "csrf".
	CSRF string
	// sessionID is the stored session's ID (the hash of the cookie).
	sessionID string
}

// currentUser returns the signed-in user of c; requireUser ran before.
func (s *server) currentUser(c *fiber.Ctx) staffContext {
	sc, _ := c.Locals(staffKey).(staffContext)
	return sc
}

// staffKey is the Locals key of staffContext.
const staffKey = "sipas.staff"
