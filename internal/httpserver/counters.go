package httpserver

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// counterListView is GET /.
type counterListView struct {
	page
	Counters []counterLink
}

type counterLink struct {
	Name     string
	Division string
	URL      string
}

// handleCounterList lists the active counters with links to their forms.
func (s *server) handleCounterList(c *fiber.Ctx) error {
	lang := langOf(c)
	ctx, cancel := s.storeCtx()
	defer cancel()
	counters, err := s.deps.Store.Counters(ctx)
	if err != nil {
		return err
	}
	divisions, err := s.divisionNames(ctx)
	if err != nil {
		return err
	}
	v := counterListView{page: s.newPage(lang, s.cat.T(lang, "counters.title"), "/")}
	for _, ct := range counters {
		if !ct.Active {
			continue
		}
		link := counterLink{Name: ct.Name.In(lang), URL: formURL(ct.Code, lang)}
		if d, ok := divisions[ct.Division]; ok {
			link.Division = d.In(lang)
		}
		v.Counters = append(v.Counters, link)
	}
	return s.render(c, fiber.StatusOK, "counters.html", v)
}

// divisionNames maps division code to name.
func (s *server) divisionNames(ctx context.Context) (map[string]surveys.Text, error) {
	snap, err := s.org.snapshot(ctx, s.deps.Store, s.cfg.OrgTTL, s.deps.Now())
	if err != nil {
		return nil, err
	}
	return snap.divisions, nil
}

// divisionName returns the name of a counter's division in lang, or "".
func (s *server) divisionName(ctx context.Context, ct surveys.Counter, lang string) (string, error) {
	if ct.Division == "" {
		return "", nil
	}
	m, err := s.divisionNames(ctx)
	if err != nil {
		return "", err
	}
	return m[ct.Division].In(lang), nil
}

// formURL is the path of a counter's form in lang.
func formURL(code, lang string) string {
	if lang == "en" {
		return "/s/" + code + "?lang=en"
	}
	return "/s/" + code
}
