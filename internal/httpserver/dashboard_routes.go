package httpserver

import "github.com/gofiber/fiber/v2"

// dashboardRoutes mounts the dashboard, exports and reports on r, which
// already requires a signed-in user.
func (s *server) dashboardRoutes(r fiber.Router) {
	r.Get("/", s.handleDashboard)
	r.Get("/report", s.handleReport)
	r.Get("/export/responses.csv", s.handleExportResponsesCSV)
	r.Get("/export/responses.xlsx", s.handleExportResponsesXLSX)
	r.Get("/export/indices.csv", s.handleExportIndicesCSV)
	r.Get("/export/indices.xlsx", s.handleExportIndicesXLSX)
}
