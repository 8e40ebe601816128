package httpserver

import (
	"github.com/gofiber/fiber/v2"
)

// thanksView is the page after a stored response.
type thanksView struct {
	page
	CounterName string
	FormURL     string
}

// handleThanks says clearly that the answers were received.
func (s *server) handleThanks(c *fiber.Ctx) error {
	ct, err := s.counterParam(c, false)
	if err != nil {
		return err
	}
	lang := langOf(c)
	return s.render(c, fiber.StatusOK, "thanks.html", thanksView{
		page:        s.newPage(lang, s.cat.T(lang, "thanks.title"), "/s/"+ct.Code+"/thanks"),
		CounterName: ct.Name.In(lang),
		FormURL:     formURL(ct.Code, lang),
	})
}
