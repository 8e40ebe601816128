package httpserver

import "github.com/gofiber/fiber/v2"

// dashboardRoutes mounts the dashboard, exports and reports on r, which
// already requires a signed-in user.
func (s *server) dashboardRoutes(r fiber.Router) {}
