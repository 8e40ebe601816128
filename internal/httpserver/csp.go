package httpserver

import (
	"crypto/sha256"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy returns the policy of a response whose scripts and
// styles carry nonce. No 'unsafe-inline' anywhere: the public pages'
// inlined stylesheet is allowed by its hash (it is the same bytes on every
// page, and a cached form keeps it), the staff pages' chart scripts and
// the poster's style by the response's nonce; everything else comes from
// our own origin. The kiosk pages set a stricter policy of their own.
func (s *server) contentSecurityPolicy(nonce string) string {
	return "default-src 'self'; " +
		"script-src 'self' 'nonce-" + nonce + "'; " +
		"style-src 'self' 'nonce-" + nonce + "' '" + s.pages.cssHash + "'; " +
		"img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
		"worker-src 'self'; manifest-src 'self'; object-src 'none'; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// cspHash is the CSP source expression of an inline element's content.
func cspHash(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// securityHeaders sets the headers every response carries, the policy
// with this response's nonce included. The error handler sets them again
// because errors raised by the HTTP server itself (413) never pass
// through middleware.
func (s *server) securityHeaders(c *fiber.Ctx) error {
	s.setSecurityHeaders(c)
	return c.Next()
}

func (s *server) setSecurityHeaders(c *fiber.Ctx) {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Content-Security-Policy", s.contentSecurityPolicy(s.nonce(c)))
}
