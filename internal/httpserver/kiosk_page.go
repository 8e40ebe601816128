package httpserver

import (
	"fmt"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/surveys"
	"github.com/sipas/sipas/web"
)

// Kiosk timing defaults; the page takes ?idle=SECONDS (10-600) to change
// the inactivity timeout of one tablet (bookmark the URL on it).
const (
	kioskIdleSeconds   = 60
	kioskThanksSeconds = 6
)

// kioskPageFiles are the tablet's pages: standalone (no layout), every
// word of both languages in the page, since the kiosk switches language
// and runs with no network.
var kioskPageFiles = []string{"kiosk.html", "kiosk_enrol.html"}

func (s *server) loadKioskPages() error {
	for _, name := range kioskPageFiles {
		t, err := template.New(name).Funcs(template.FuncMap{"t": s.cat.T}).ParseFS(web.Templates, "templates/"+name)
		if err != nil {
			return fmt.Errorf("httpserver: parse %s: %w", name, err)
		}
		s.pages.byName[name] = t
	}
	return nil
}

// kioskView is the kiosk page and the enrolment page.
type kioskView struct {
	Lang  string
	Title string
	Data  kioskData // JSON in a <script type="application/json">
}

// kioskData is what the kiosk script reads: the questionnaire and its
// wording in both languages. Nothing in it depends on the tablet, so the
// service worker can cache the page.
type kioskData struct {
	Survey    string                  `json:"survey"`
	Scale     []kioskPoint            `json:"scale"`
	NoOpinion surveys.Text            `json:"no_opinion"`
	Factors   []kioskFactor           `json:"factors"`
	Overall   *kioskQuestion          `json:"overall,omitempty"`
	Comment   *kioskQuestion          `json:"comment,omitempty"`
	Text      map[string]surveys.Text `json:"text"`
	Idle      int                     `json:"idle"`
	Thanks    int                     `json:"thanks"`
}

type kioskPoint struct {
	Value int          `json:"value"`
	Label surveys.Text `json:"label"`
}

type kioskFactor struct {
	Code  string       `json:"code"`
	Name  surveys.Text `json:"name"`
	Items []kioskItem  `json:"items"`
}

type kioskItem struct {
	Code string       `json:"code"`
	Text surveys.Text `json:"text"`
}

type kioskQuestion struct {
	Code   string       `json:"code"`
	Label  surveys.Text `json:"label"`
	MaxLen int          `json:"max_len,omitempty"`
}

// kioskTextKeys are the catalogue keys the kiosk script shows, by the
// short name it uses.
var kioskTextKeys = []string{
	"title", "welcome", "welcome_body", "start", "next", "back", "submit", "step",
	"optional", "thanks", "thanks_body", "done", "idle", "staff", "waiting", "today",
	"rejected", "send_now", "close", "revoked", "not_enrolled", "storage_full", "retry",
	"offline", "last_sent", "no_answers", "enrol_title", "enrol_code", "enrol_button",
	"enrol_failed", "enrol_ok", "device", "fullscreen", "lang_switch", "privacy",
}

// kioskData builds the page data of the configured survey.
func (s *server) kioskData() kioskData {
	d := s.def
	kd := kioskData{Survey: d.ID, NoOpinion: d.Scale.NoOpinion, Text: map[string]surveys.Text{},
		Idle: kioskIdleSeconds, Thanks: kioskThanksSeconds}
	for _, p := range d.Scale.Points {
		kd.Scale = append(kd.Scale, kioskPoint{Value: p.Value, Label: p.Label})
	}
	for _, f := range d.Factors {
		kf := kioskFactor{Code: f.Code, Name: f.Name}
		for _, it := range f.Items {
			kf.Items = append(kf.Items, kioskItem{Code: it.Code, Text: it.Text})
		}
		kd.Factors = append(kd.Factors, kf)
	}
	// The kiosk asks the short optional part only: the overall question
	// and a comment. The rest (procedure, age...) is for the QR form.
	for _, q := range d.Optional {
		switch {
		case q.Kind == surveys.KindScale && kd.Overall == nil:
			kd.Overall = &kioskQuestion{Code: q.Code, Label: q.Label}
		case q.Kind == surveys.KindText && q.Code == "comment":
			kd.Comment = &kioskQuestion{Code: q.Code, Label: q.Label, MaxLen: min(q.MaxLen, 500)}
		}
	}
	for _, k := range kioskTextKeys {
		kd.Text[k] = surveys.Text{VI: s.cat.T(i18n.VI, "kiosk."+k), EN: s.cat.T(i18n.EN, "kiosk."+k)}
	}
	return kd
}

// setKioskHeaders marks a kiosk page: strict CSP, never framed, and not
// kept by the HTTP cache (the service worker keeps the shell).
func setKioskHeaders(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", kioskCSP)
	c.Set(fiber.HeaderCacheControl, "no-cache")
}

func (k *kiosk) handlePage(c *fiber.Ctx) error {
	setKioskHeaders(c)
	s := k.s
	return s.render(c, fiber.StatusOK, "kiosk.html", kioskView{
		Lang: i18n.VI, Title: s.cat.T(i18n.VI, "kiosk.title"), Data: s.kioskData()})
}

func (k *kiosk) handleEnrolPage(c *fiber.Ctx) error {
	setKioskHeaders(c)
	// The code is in the URL: do not leak it to anything the page links.
	c.Set("Referrer-Policy", "no-referrer")
	s := k.s
	return s.render(c, fiber.StatusOK, "kiosk_enrol.html", kioskView{
		Lang: i18n.VI, Title: s.cat.T(i18n.VI, "kiosk.enrol_title"), Data: s.kioskData()})
}
