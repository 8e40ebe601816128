package httpserver

import (
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// paperRoutes mounts, on r (/dashboard: any signed-in staff, CSRF checked
// on POST), the paper-form entry and the review of flagged responses.
// Paper entry is open to analysts as well as admins: the department's
// office staff type in the forms the postal staff collect.
//
//	GET  /dashboard/paper    the entry screen (?counter=&at=&n= keep a batch going)
//	POST /dashboard/paper    saves one form, channel paper, and redirects back
//	GET  /dashboard/flags    flagged responses, newest first
//	POST /dashboard/flags/exclude  exclude a reviewed response from the indices, or take it back
func (s *server) paperRoutes(r fiber.Router) {
	r.Get("/paper", s.handlePaperForm)
	r.Post("/paper", s.handlePaperSave)
	r.Get("/flags", s.handleFlagList)
	r.Post("/flags/exclude", s.handleFlagExclude)
}

// paperTimeLayout is the value of <input type="datetime-local">.
const paperTimeLayout = "2006-01-02T15:04"

// paperView is the entry screen.
type paperView struct {
	staffPage
	ID          string // the form's response id: a double POST stores it once
	Counters    []surveys.Counter
	Counter     string
	SubmittedAt string
	Factors     []paperFactor
	Overall     *paperItem
	Comment     string
	CommentMax  int
	Saved       int  // forms saved in this batch
	Duplicate   bool // the last POST was a repeat of a saved form
	Errors      fieldErrors
	First       string // the field to focus
}

type paperFactor struct {
	Code  string
	Name  string
	Items []paperItem
}

type paperItem struct {
	Code  string
	Text  string
	Value string
}

func (s *server) handlePaperForm(c *fiber.Ctx) error {
	n, _ := strconv.Atoi(c.Query("n"))
	v := paperView{Counter: c.Query("counter"), SubmittedAt: c.Query("at"), Saved: max(n, 0),
		Duplicate: c.Query("dup") == "1"}
	if _, err := time.ParseInLocation(paperTimeLayout, v.SubmittedAt, surveys.Location); err != nil {
		v.SubmittedAt = s.deps.Now().In(surveys.Location).Format(paperTimeLayout)
	}
	return s.renderPaper(c, fiber.StatusOK, v, nil)
}

// renderPaper fills the questionnaire with values (item code -> typed
// digit) and renders the screen with a fresh response id unless v has one.
func (s *server) renderPaper(c *fiber.Ctx, status int, v paperView, values map[string]string) error {
	lang := s.staffLang(c)
	ctx, cancel := s.storeCtx()
	defer cancel()
	counters, err := s.deps.Staff.Counters(ctx)
	if err != nil {
		return err
	}
	v.Counters = counters
	if v.ID == "" {
		v.ID = surveys.NewUUID()
	}
	for _, f := range s.def.Factors {
		pf := paperFactor{Code: f.Code, Name: f.Name.In(lang)}
		for _, it := range f.Items {
			pf.Items = append(pf.Items, paperItem{Code: it.Code, Text: it.Text.In(lang), Value: values[it.Code]})
		}
		v.Factors = append(v.Factors, pf)
	}
	if q, ok := s.overallQuestion(); ok {
		v.Overall = &paperItem{Code: q.Code, Text: q.Label.In(lang), Value: values[q.Code]}
	}
	if q, ok := s.def.Question("comment"); ok {
		v.CommentMax = q.MaxLen
	}
	if v.First == "" && len(v.Factors) > 0 && len(v.Factors[0].Items) > 0 {
		v.First = v.Factors[0].Items[0].Code
	}
	v.staffPage = s.newStaffPage(c, s.cat.T(lang, "paper.title"), navPaper)
	return s.render(c, status, "staff/paper.html", v)
}

// overallQuestion is the survey's optional overall-satisfaction question.
func (s *server) overallQuestion() (surveys.Question, bool) {
	for _, q := range s.def.Optional {
		if q.Kind == surveys.KindScale {
			return q, true
		}
	}
	return surveys.Question{}, false
}

// paperDigit reads one typed answer: "" or "0" is no opinion (absent).
func paperDigit(v string) (int, bool) {
	switch {
	case v == "" || v == "0":
		return 0, true
	case len(v) == 1 && v[0] >= '1' && v[0] <= '5':
		return int(v[0] - '0'), true
	}
	return 0, false
}

func (s *server) handlePaperSave(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	n, _ := strconv.Atoi(c.FormValue("n"))
	v := paperView{Counter: formText(c, "counter"), SubmittedAt: formText(c, "submitted_at"),
		Comment: c.FormValue("comment"), Saved: max(n, 0), Errors: fieldErrors{}}
	values := map[string]string{}
	now := s.deps.Now()
	r := surveys.Response{Survey: s.def.ID, Version: s.def.Version, Counter: v.Counter,
		Channel: surveys.ChannelPaper, Lang: "vi", Answers: map[string]int{}, Extra: map[string]string{}, ReceivedAt: now}
	if id, err := surveys.ParseUUID(c.FormValue("id")); err == nil {
		r.ID, v.ID = id, id
	} else {
		r.ID = surveys.NewUUID()
		v.ID = r.ID
	}

	ctx, cancel := s.storeCtx()
	defer cancel()
	var counter *surveys.Counter
	if ct, err := s.deps.Staff.Counter(ctx, v.Counter); err == nil && surveys.ValidCounterCode(v.Counter) {
		counter = &ct
	} else if err != nil && !surveys.IsNotFound(err) {
		return err
	} else {
		v.Errors["counter"] = s.cat.T(lang, surveys.MsgUnknownCounter)
	}
	if t, err := time.ParseInLocation(paperTimeLayout, v.SubmittedAt, surveys.Location); err != nil ||
		t.After(now.Add(maxFutureSkew)) || t.Year() < 2000 {
		v.Errors["submitted_at"] = s.cat.T(lang, surveys.MsgBadTime)
	} else {
		r.SubmittedAt = t.UTC()
	}
	for _, it := range s.def.Items() {
		raw := formText(c, it.Code)
		values[it.Code] = raw
		switch d, ok := paperDigit(raw); {
		case !ok:
			v.Errors[it.Code] = s.cat.T(lang, "paper.bad_digit")
		case d > 0:
			r.Answers[it.Code] = d
		}
	}
	if q, ok := s.overallQuestion(); ok {
		raw := formText(c, q.Code)
		values[q.Code] = raw
		switch d, ok := paperDigit(raw); {
		case !ok:
			v.Errors[q.Code] = s.cat.T(lang, "paper.bad_digit")
		case d > 0:
			r.Extra[q.Code] = strconv.Itoa(d)
		}
	}
	if cm := surveys.CleanText(v.Comment); cm != "" {
		r.Extra["comment"] = cm
	}
	if err := surveys.ValidateResponse(s.def, &r, counter); err != nil {
		var ve *surveys.Error
		if !errors.As(err, &ve) || ve.Code != surveys.EINVALID {
			return err
		}
		for f, key := range ve.Fields {
			if _, done := v.Errors[f]; !done && f != "id" {
				v.Errors[f] = s.cat.T(lang, key)
			}
		}
	}
	if len(v.Errors) > 0 {
		v.First = firstPaperError(s.def, v.Errors)
		return s.renderPaper(c, fiber.StatusUnprocessableEntity, v, values)
	}
	fresh, err := s.deps.Store.InsertResponses(ctx, []surveys.Response{r})
	if err != nil {
		return err
	}
	q := url.Values{"counter": {v.Counter}, "at": {v.SubmittedAt}}
	if len(fresh) == 1 && fresh[0] {
		s.audit(s.actor(c), "paper.create", r.ID, r.Counter)
		q.Set("n", strconv.Itoa(v.Saved+1))
	} else {
		q.Set("n", strconv.Itoa(v.Saved))
		q.Set("dup", "1")
	}
	return c.Redirect("/dashboard/paper?"+q.Encode(), fiber.StatusSeeOther)
}

// firstPaperError is the field to focus after a failed save, in the
// screen's order.
func firstPaperError(d *surveys.Definition, errs fieldErrors) string {
	for _, f := range []string{"counter", "submitted_at"} {
		if _, ok := errs[f]; ok {
			return f
		}
	}
	for _, it := range d.Items() {
		if _, ok := errs[it.Code]; ok {
			return it.Code
		}
	}
	if _, ok := errs["answers"]; ok && len(d.Items()) > 0 {
		return d.Items()[0].Code
	}
	return ""
}
