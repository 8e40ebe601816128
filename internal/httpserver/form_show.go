package httpserver

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// counterParam returns the counter named by the :counter parameter, or an
// ENOTFOUND error. With activeOnly, a closed counter is not found either.
func (s *server) counterParam(c *fiber.Ctx, activeOnly bool) (surveys.Counter, error) {
	code := c.Params("counter")
	if !surveys.ValidCounterCode(code) {
		return surveys.Counter{}, surveys.Errorf(surveys.ENOTFOUND, "no such counter")
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	ct, err := s.counter(ctx, code)
	if err != nil {
		return surveys.Counter{}, err
	}
	if activeOnly && !ct.Active {
		return surveys.Counter{}, surveys.Errorf(surveys.ENOTFOUND, "counter %s is closed", code)
	}
	return ct, nil
}

// division returns the name of ct's division in lang, or "".
func (s *server) division(ct surveys.Counter, lang string) (string, error) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	return s.divisionName(ctx, ct, lang)
}

// handleFormShow renders an empty form with a fresh response id.
func (s *server) handleFormShow(c *fiber.Ctx) error {
	ct, err := s.counterParam(c, true)
	if err != nil {
		return err
	}
	lang := langOf(c)
	division, err := s.division(ct, lang)
	if err != nil {
		return err
	}
	// Never cached: each render carries its own response id, and a shared
	// device must not show a previous page.
	c.Set(fiber.HeaderCacheControl, "no-store")
	key := formKey(lang, ct, division)
	parts, ok := s.forms.get(key)
	if !ok {
		v := s.formView(lang, ct, division, formState{ID: idPlaceholder})
		var b bytes.Buffer
		if err := s.pages.byName["form.html"].Execute(&b, v); err != nil {
			return fmt.Errorf("render form.html: %w", err)
		}
		if parts, ok = s.forms.put(key, b.Bytes()); !ok {
			return fmt.Errorf("render form.html: the id placeholder is not in the page exactly once")
		}
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(fiber.StatusOK).Send(parts.assemble(surveys.NewUUID()))
}
