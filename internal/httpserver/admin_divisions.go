package httpserver

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// divisionListView is GET /admin/divisions.
type divisionListView struct {
	staffPage
	Divisions []surveys.Division
}

// divisionFormView is the create and edit form of a division.
type divisionFormView struct {
	staffPage
	New    bool
	Action string
	Code   string
	NameVI string
	NameEN string
	Errors fieldErrors
}

func (s *server) handleDivisionList(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	ctx, cancel := s.storeCtx()
	defer cancel()
	ds, err := s.deps.Staff.Divisions(ctx)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "staff/admin_divisions.html", divisionListView{
		staffPage: s.newStaffPage(c, s.cat.T(lang, "admin.divisions"), navAdmin), Divisions: ds,
	})
}

func (s *server) divisionForm(c *fiber.Ctx, status int, v divisionFormView) error {
	lang := s.staffLang(c)
	title := "admin.division_edit"
	v.Action = "/admin/divisions/" + v.Code
	if v.New {
		title, v.Action = "admin.division_new", "/admin/divisions"
	}
	v.staffPage = s.newStaffPage(c, s.cat.T(lang, title), navAdmin)
	return s.render(c, status, "staff/admin_division_form.html", v)
}

func (s *server) handleDivisionNew(c *fiber.Ctx) error {
	return s.divisionForm(c, fiber.StatusOK, divisionFormView{New: true})
}

func (s *server) handleDivisionEdit(c *fiber.Ctx) error {
	d, err := s.findDivision(c.Params("code"))
	if err != nil {
		return err
	}
	return s.divisionForm(c, fiber.StatusOK, divisionFormView{Code: d.Code, NameVI: d.Name.VI, NameEN: d.Name.EN})
}

// findDivision finds one division, or ENOTFOUND.
func (s *server) findDivision(code string) (surveys.Division, error) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	ds, err := s.deps.Staff.Divisions(ctx)
	if err != nil {
		return surveys.Division{}, err
	}
	for _, d := range ds {
		if d.Code == code {
			return d, nil
		}
	}
	return surveys.Division{}, surveys.Errorf(surveys.ENOTFOUND, "no division %q", code)
}

func (s *server) handleDivisionCreate(c *fiber.Ctx) error { return s.saveDivision(c, true) }
func (s *server) handleDivisionUpdate(c *fiber.Ctx) error { return s.saveDivision(c, false) }

// saveDivision validates and stores the posted division.
func (s *server) saveDivision(c *fiber.Ctx, isNew bool) error {
	lang := s.staffLang(c)
	v := divisionFormView{New: isNew, NameVI: formText(c, "name_vi"), NameEN: formText(c, "name_en"), Errors: fieldErrors{}}
	if isNew {
		v.Code = formText(c, "code")
	} else {
		d, err := s.findDivision(c.Params("code"))
		if err != nil {
			return err
		}
		v.Code = d.Code
	}
	if !codePattern.MatchString(v.Code) {
		v.Errors["code"] = s.cat.T(lang, "admin.err.code")
	} else if isNew {
		if _, err := s.findDivision(v.Code); err == nil {
			v.Errors["code"] = s.cat.T(lang, "admin.err.code_taken")
		} else if !surveys.IsNotFound(err) {
			return err
		}
	}
	checkName(s, lang, v.Errors, "name_vi", v.NameVI, true)
	checkName(s, lang, v.Errors, "name_en", v.NameEN, false)
	if len(v.Errors) > 0 {
		return s.divisionForm(c, fiber.StatusUnprocessableEntity, v)
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	d := surveys.Division{Code: v.Code, Name: surveys.Text{VI: v.NameVI, EN: v.NameEN}}
	if err := s.deps.Staff.PutDivision(ctx, d); err != nil {
		return err
	}
	// The public form and list read a cache; show the change at once.
	s.org.invalidate()
	action := "division.update"
	if isNew {
		action = "division.create"
	}
	s.audit(s.actor(c), action, d.Code, d.Name.VI+" / "+d.Name.EN)
	return c.Redirect("/admin/divisions", fiber.StatusSeeOther)
}

// checkName adds a message for a missing or too long one-line text.
func checkName(s *server, lang string, errs fieldErrors, field, value string, required bool) {
	switch {
	case required && value == "":
		errs[field] = s.cat.T(lang, "admin.err.required")
	case utf8.RuneCountInString(value) > maxNameLen || !utf8.ValidString(value):
		errs[field] = s.cat.T(lang, "admin.err.too_long")
	}
}
