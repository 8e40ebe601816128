package httpserver

import "github.com/gofiber/fiber/v2"

// adminRoutes mounts the administration on r, which already requires an
// admin.
func (s *server) adminRoutes(r fiber.Router) {}
