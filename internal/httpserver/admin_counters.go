package httpserver

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// counterAdminListView is GET /admin/counters.
type counterAdminListView struct {
	staffPage
	Counters []counterRow
}

type counterRow struct {
	Code       string
	Name       string
	Division   string
	Active     bool
	Procedures int
}

// counterFormView is the create and edit form of a counter.
type counterFormView struct {
	staffPage
	New        bool
	Action     string
	Code       string
	NameVI     string
	NameEN     string
	Division   string
	LocationVI string
	LocationEN string
	Active     bool
	Procedures string // one "code | tên | name" per line
	Divisions  []divisionOption
	Errors     fieldErrors
}

type divisionOption struct {
	Code, Name string
}

// maxProcedures bounds a counter's procedure list.
const maxProcedures = 200

func (s *server) handleCounterAdminList(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	ctx, cancel := s.storeCtx()
	defer cancel()
	cs, err := s.deps.Staff.Counters(ctx)
	if err != nil {
		return err
	}
	names, err := s.divisionNames(ctx)
	if err != nil {
		return err
	}
	v := counterAdminListView{staffPage: s.newStaffPage(c, s.cat.T(lang, "admin.counters"), navAdmin)}
	for _, ct := range cs {
		v.Counters = append(v.Counters, counterRow{Code: ct.Code, Name: ct.Name.In(lang),
			Division: names[ct.Division].In(lang), Active: ct.Active, Procedures: len(ct.Procedures)})
	}
	return s.render(c, fiber.StatusOK, "staff/admin_counters.html", v)
}

func (s *server) counterForm(c *fiber.Ctx, status int, v counterFormView) error {
	lang := s.staffLang(c)
	title := "admin.counter_edit"
	v.Action = "/admin/counters/" + v.Code
	if v.New {
		title, v.Action = "admin.counter_new", "/admin/counters"
	}
	v.staffPage = s.newStaffPage(c, s.cat.T(lang, title), navAdmin)
	ctx, cancel := s.storeCtx()
	defer cancel()
	ds, err := s.deps.Staff.Divisions(ctx)
	if err != nil {
		return err
	}
	for _, d := range ds {
		v.Divisions = append(v.Divisions, divisionOption{Code: d.Code, Name: d.Name.In(lang)})
	}
	return s.render(c, status, "staff/admin_counter_form.html", v)
}

func (s *server) handleCounterNew(c *fiber.Ctx) error {
	return s.counterForm(c, fiber.StatusOK, counterFormView{New: true, Active: true})
}

func (s *server) handleCounterEdit(c *fiber.Ctx) error {
	ctx, cancel := s.storeCtx()
	defer cancel()
	ct, err := s.deps.Staff.Counter(ctx, c.Params("code"))
	if err != nil {
		return err
	}
	return s.counterForm(c, fiber.StatusOK, counterFormView{
		Code: ct.Code, NameVI: ct.Name.VI, NameEN: ct.Name.EN, Division: ct.Division,
		LocationVI: ct.Location.VI, LocationEN: ct.Location.EN, Active: ct.Active,
		Procedures: formatProcedures(ct.Procedures),
	})
}

func (s *server) handleCounterCreate(c *fiber.Ctx) error { return s.saveCounter(c, true) }
func (s *server) handleCounterUpdate(c *fiber.Ctx) error { return s.saveCounter(c, false) }

// saveCounter validates and stores the posted counter.
func (s *server) saveCounter(c *fiber.Ctx, isNew bool) error {
	lang := s.staffLang(c)
	ctx, cancel := s.storeCtx()
	defer cancel()
	v := counterFormView{
		New: isNew, NameVI: formText(c, "name_vi"), NameEN: formText(c, "name_en"),
		Division: formText(c, "division"), LocationVI: formText(c, "location_vi"),
		LocationEN: formText(c, "location_en"), Active: c.FormValue("active") != "",
		Procedures: c.FormValue("procedures"), Errors: fieldErrors{},
	}
	if isNew {
		v.Code = strings.ToLower(formText(c, "code"))
		if !surveys.ValidCounterCode(v.Code) {
			v.Errors["code"] = s.cat.T(lang, "admin.err.code")
		} else if _, err := s.deps.Staff.Counter(ctx, v.Code); err == nil {
			v.Errors["code"] = s.cat.T(lang, "admin.err.code_taken")
		} else if !surveys.IsNotFound(err) {
			return err
		}
	} else {
		old, err := s.deps.Staff.Counter(ctx, c.Params("code"))
		if err != nil {
			return err
		}
		v.Code = old.Code
	}
	checkName(s, lang, v.Errors, "name_vi", v.NameVI, true)
	checkName(s, lang, v.Errors, "name_en", v.NameEN, false)
	checkName(s, lang, v.Errors, "location_vi", v.LocationVI, false)
	checkName(s, lang, v.Errors, "location_en", v.LocationEN, false)
	if v.Division != "" {
		names, err := s.divisionNames(ctx)
		if err != nil {
			return err
		}
		if _, ok := names[v.Division]; !ok {
			v.Errors["division"] = s.cat.T(lang, "admin.err.unknown_division")
		}
	}
	procs, line, key := parseProcedures(v.Procedures)
	if key != "" {
		v.Errors["procedures"] = s.cat.T(lang, key, line)
	}
	ct := surveys.Counter{
		Code: v.Code, Name: surveys.Text{VI: v.NameVI, EN: v.NameEN}, Division: v.Division,
		Location: surveys.Text{VI: v.LocationVI, EN: v.LocationEN}, Procedures: procs, Active: v.Active,
	}
	if len(v.Errors) == 0 {
		// The domain's own rules, as a backstop.
		if err := ct.Validate(); err != nil {
			v.Errors["form"] = s.cat.T(lang, "admin.err.invalid")
		}
	}
	if len(v.Errors) > 0 {
		return s.counterForm(c, fiber.StatusUnprocessableEntity, v)
	}
	if err := s.deps.Staff.PutCounter(ctx, ct); err != nil {
		return err
	}
	// The public form and list read a cache; show the change at once.
	s.org.invalidate()
	action := "counter.update"
	if isNew {
		action = "counter.create"
	}
	s.audit(s.actor(c), action, ct.Code, counterSummary(ct))
	return c.Redirect("/admin/counters", fiber.StatusSeeOther)
}

// counterSummary is the audit detail of a counter change.
func counterSummary(ct surveys.Counter) string {
	var b strings.Builder
	b.WriteString(ct.Name.VI)
	b.WriteString("; division=" + ct.Division)
	if ct.Active {
		b.WriteString("; active")
	} else {
		b.WriteString("; inactive")
	}
	codes := make([]string, len(ct.Procedures))
	for i, p := range ct.Procedures {
		codes[i] = p.Code
	}
	b.WriteString("; procedures=" + strings.Join(codes, ","))
	return b.String()
}

// parseProcedures reads one "code | tên | name" per line (blank lines
// skipped). On error it returns the 1-based line and a message key whose
// argument is the line.
func parseProcedures(text string) ([]surveys.Procedure, int, string) {
	var out []surveys.Procedure
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, i + 1, "admin.err.procedure_line"
		}
		p := surveys.Procedure{Code: strings.ToLower(strings.TrimSpace(parts[0])), Name: surveys.Text{VI: strings.TrimSpace(parts[1])}}
		if len(parts) == 3 {
			p.Name.EN = strings.TrimSpace(parts[2])
		}
		switch {
		case !codePattern.MatchString(p.Code) || p.Code == "other" || p.Code == "none":
			return nil, i + 1, "admin.err.procedure_code"
		case seen[p.Code]:
			return nil, i + 1, "admin.err.procedure_dup"
		case p.Name.VI == "" || utf8.RuneCountInString(p.Name.VI) > maxNameLen || utf8.RuneCountInString(p.Name.EN) > maxNameLen:
			return nil, i + 1, "admin.err.procedure_line"
		}
		seen[p.Code] = true
		out = append(out, p)
		if len(out) > maxProcedures {
			return nil, i + 1, "admin.err.procedure_many"
		}
	}
	return out, 0, ""
}

// formatProcedures is parseProcedures' inverse, for the edit form.
func formatProcedures(ps []surveys.Procedure) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Code + " | " + p.Name.VI)
		if p.Name.EN != "" {
			b.WriteString(" | " + p.Name.EN)
		}
		b.WriteString("\n")
	}
	return b.String()
}
