package httpserver

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// handleFlagExclude serves POST /dashboard/flags/exclude: an analyst
// excludes a reviewed response from the indices (on=1), or takes it back
// (on=0). The response stays stored and exported; scores subtract it.
// The change is audited.
func (s *server) handleFlagExclude(c *fiber.Ctx) error {
	id, err := surveys.ParseUUID(c.FormValue("id"))
	if err != nil {
		return &surveys.Error{Code: surveys.EINVALID, Message: "bad response id", Fields: map[string]string{"id": surveys.MsgBadUUID}}
	}
	on := c.FormValue("on") == "1"
	ctx, cancel := s.storeCtx()
	defer cancel()
	changed, err := s.deps.Staff.SetFlag(ctx, id, surveys.FlagExcluded, on)
	if err != nil {
		return err
	}
	if changed {
		action := "response.include"
		if on {
			action = "response.exclude"
		}
		s.audit(s.currentUser(c).User.Name, action, id, "")
	}
	back := "/dashboard/flags"
	if d, err := strconv.Atoi(c.FormValue("days")); err == nil && d > 0 {
		back += "?" + url.Values{"days": {strconv.Itoa(d)}}.Encode()
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
