package httpserver

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/surveys"
)

// handleFormSubmit stores a form-encoded response and redirects to the
// thank-you page (POST-redirect-GET); invalid input re-renders the form,
// status 422, with every answer kept and a message beside each bad field.
func (s *server) handleFormSubmit(c *fiber.Ctx) error {
	ct, err := s.counterParam(c, true)
	if err != nil {
		return err
	}
	lang := i18n.Lang(c.FormValue("lang", c.Query("lang")))
	resp, st := s.responseFromForm(c, ct, lang)
	if verr := surveys.ValidateResponse(s.def, &resp, &ct); verr != nil {
		var ve *surveys.Error
		if !errors.As(verr, &ve) || ve.Code != surveys.EINVALID {
			return verr
		}
		for f, key := range ve.Fields {
			if _, done := st.Fields[f]; !done {
				st.Fields[f] = key
			}
		}
	}
	if len(st.Fields) > 0 {
		if len(st.Fields) > 1 && st.Fields["answers"] == surveys.MsgNoAnswers {
			delete(st.Fields, "answers") // "no answer at all" is noise beside a bad answer
		}
		division, err := s.division(ct, lang)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return s.render(c, fiber.StatusUnprocessableEntity, "form.html", s.formView(lang, ct, division, st))
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	// A replay of the same id (a double tap, the back button) stores
	// nothing new and thanks the person all the same.
	if _, err := s.deps.Store.InsertResponses(ctx, []surveys.Response{resp}); err != nil {
		return err
	}
	return c.Redirect("/s/"+ct.Code+"/thanks?lang="+lang, fiber.StatusSeeOther)
}

// responseFromForm reads the form into a response for ct and the state a
// re-render needs. Values that are not numbers are flagged here; range,
// options and lengths are ValidateResponse's job.
func (s *server) responseFromForm(c *fiber.Ctx, ct surveys.Counter, lang string) (surveys.Response, formState) {
	now := s.deps.Now()
	st := formState{Values: map[string]string{}, Fields: map[string]string{}}
	// The page always carries an id; a client that dropped or mangled it
	// gets a fresh one rather than an error it cannot fix.
	st.ID = c.FormValue("id")
	if id, err := surveys.ParseUUID(st.ID); err == nil {
		st.ID = id
	} else {
		st.ID = surveys.NewUUID()
	}
	r := surveys.Response{
		ID:          st.ID,
		Survey:      s.def.ID,
		Version:     s.def.Version,
		Counter:     ct.Code,
		Channel:     surveys.ChannelQR,
		Lang:        lang,
		Answers:     map[string]int{},
		Extra:       map[string]string{},
		SubmittedAt: now,
		ReceivedAt:  now,
	}
	for _, it := range s.def.Items() {
		v := c.FormValue(it.Code)
		if v == "" {
			continue
		}
		st.Values[it.Code] = v
		if v == noOpinion || v == "0" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			st.Fields[it.Code] = surveys.MsgNotANumber
			continue
		}
		r.Answers[it.Code] = n
	}
	for _, q := range s.def.Optional {
		v := c.FormValue(q.Code)
		if q.Kind == surveys.KindText {
			v = surveys.CleanText(v)
		}
		if v == "" {
			continue
		}
		st.Values[q.Code] = v
		r.Extra[q.Code] = v
	}
	return r, st
}
