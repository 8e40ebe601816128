package httpserver

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// baselineListView is GET /admin/baselines: the stored baselines of the
// default survey, those its definition ships with, and the edit form.
type baselineListView struct {
	staffPage
	Survey  string
	Factors []factorCol
	Rows    []baselineRow
	Form    baselineForm
}

type factorCol struct{ Code, Name string }

type baselineRow struct {
	Year     int
	Unit     string
	Values   []string // per factor, in Factors order: "baseline → target"
	Overall  string
	Built    bool // from the survey definition, not the store
	EditLink string
}

// baselineForm is the posted form, kept as typed.
type baselineForm struct {
	Year    string
	Unit    string
	Overall string
	Fields  []baselineField
	Errors  fieldErrors
}

type baselineField struct {
	Code, Name          string
	Value, Target       string
	ValueErr, TargetErr string
}

func (s *server) handleBaselineList(c *fiber.Ctx) error {
	f := baselineForm{Year: c.Query("year"), Unit: c.Query("unit")}
	stored, err := s.storedBaselines()
	if err != nil {
		return err
	}
	// Prefill from the chosen year, stored first, else the definition's.
	if y, err := strconv.Atoi(f.Year); err == nil {
		for _, b := range append(stored, s.def.Baselines...) {
			if b.Year == y && (f.Unit == "" || b.Unit == f.Unit) {
				f = formOfBaseline(b)
				break
			}
		}
	}
	return s.baselinePage(c, fiber.StatusOK, f, stored)
}

func (s *server) storedBaselines() ([]surveys.Baseline, error) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	return s.deps.Staff.Baselines(ctx, s.def.ID)
}

// defaultUnit is the unit of the definition's baselines (the province).
func (s *server) defaultUnit() string {
	if len(s.def.Baselines) > 0 {
		return s.def.Baselines[0].Unit
	}
	return ""
}

func formOfBaseline(b surveys.Baseline) baselineForm {
	f := baselineForm{Year: strconv.Itoa(b.Year), Unit: b.Unit}
	if b.Overall != 0 {
		f.Overall = fmtNum(b.Overall)
	}
	f.Fields = nil
	for code, v := range b.Values {
		f.Fields = append(f.Fields, baselineField{Code: code, Value: fmtNum(v)})
	}
	for code, v := range b.Targets {
		f.Fields = append(f.Fields, baselineField{Code: code, Target: fmtNum(v)})
	}
	return f
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// baselinePage renders the list and the form; f's fields are matched to
// the survey's factors by code.
func (s *server) baselinePage(c *fiber.Ctx, status int, f baselineForm, stored []surveys.Baseline) error {
	lang := s.staffLang(c)
	v := baselineListView{staffPage: s.newStaffPage(c, s.cat.T(lang, "admin.baselines"), navAdmin),
		Survey: s.def.Title.In(lang) + " (" + s.def.ID + ")"}
	byCode := map[string]baselineField{}
	for _, fl := range f.Fields {
		old := byCode[fl.Code]
		if fl.Value == "" {
			fl.Value, fl.ValueErr = old.Value, old.ValueErr
		}
		if fl.Target == "" {
			fl.Target, fl.TargetErr = old.Target, old.TargetErr
		}
		byCode[fl.Code] = fl
	}
	f.Fields = nil
	for _, fa := range s.def.Factors {
		v.Factors = append(v.Factors, factorCol{Code: fa.Code, Name: fa.Name.In(lang)})
		fl := byCode[fa.Code]
		fl.Code, fl.Name = fa.Code, fa.Name.In(lang)
		f.Fields = append(f.Fields, fl)
	}
	if f.Unit == "" {
		f.Unit = s.defaultUnit()
	}
	v.Form = f
	row := func(b surveys.Baseline, built bool) baselineRow {
		r := baselineRow{Year: b.Year, Unit: b.Unit, Built: built,
			EditLink: fmt.Sprintf("/admin/baselines?year=%d&unit=%s", b.Year, b.Unit)}
		for _, fa := range s.def.Factors {
			cell := optNum(b.Values, fa.Code)
			if t := optNum(b.Targets, fa.Code); t != "" {
				cell += " → " + t
			}
			r.Values = append(r.Values, cell)
		}
		if b.Overall != 0 {
			r.Overall = fmtNum(b.Overall)
		}
		return r
	}
	for _, b := range stored {
		v.Rows = append(v.Rows, row(b, false))
	}
	for _, b := range s.def.Baselines {
		v.Rows = append(v.Rows, row(b, true))
	}
	sort.SliceStable(v.Rows, func(i, j int) bool { return v.Rows[i].Year > v.Rows[j].Year })
	return s.render(c, status, "staff/admin_baselines.html", v)
}

func optNum(m map[string]float64, k string) string {
	if v, ok := m[k]; ok {
		return fmtNum(v)
	}
	return ""
}

// handleBaselinePut validates and stores the baseline of one year and
// unit for the default survey.
func (s *server) handleBaselinePut(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	f := baselineForm{Year: formText(c, "year"), Unit: strings.ToLower(formText(c, "unit")),
		Overall: formText(c, "overall"), Errors: fieldErrors{}}
	b := surveys.Baseline{Unit: f.Unit, Values: map[string]float64{}}
	bad := false
	year, err := strconv.Atoi(f.Year)
	if err != nil || year < 2000 || year > 2100 {
		f.Errors["year"] = s.cat.T(lang, "admin.err.year")
		bad = true
	}
	b.Year = year
	if f.Unit != "" && !codePattern.MatchString(f.Unit) {
		f.Errors["unit"] = s.cat.T(lang, "admin.err.code")
		bad = true
	}
	if f.Overall != "" {
		if x, ok := parsePercent(f.Overall); ok {
			b.Overall = x
		} else {
			f.Errors["overall"] = s.cat.T(lang, "admin.err.percent")
			bad = true
		}
	}
	for _, fa := range s.def.Factors {
		fl := baselineField{Code: fa.Code, Value: formText(c, "value_"+fa.Code), Target: formText(c, "target_"+fa.Code)}
		if x, ok := parsePercent(fl.Value); ok {
			b.Values[fa.Code] = x
		} else {
			fl.ValueErr = s.cat.T(lang, "admin.err.percent")
			bad = true
		}
		if fl.Target != "" {
			if x, ok := parsePercent(fl.Target); ok {
				if b.Targets == nil {
					b.Targets = map[string]float64{}
				}
				b.Targets[fa.Code] = x
			} else {
				fl.TargetErr = s.cat.T(lang, "admin.err.percent")
				bad = true
			}
		}
		f.Fields = append(f.Fields, fl)
	}
	if bad {
		stored, err := s.storedBaselines()
		if err != nil {
			return err
		}
		return s.baselinePage(c, fiber.StatusUnprocessableEntity, f, stored)
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	if err := s.deps.Staff.PutBaseline(ctx, s.def.ID, b); err != nil {
		return err
	}
	s.audit(s.actor(c), "baseline.put", fmt.Sprintf("%s/%d/%s", s.def.ID, b.Year, b.Unit), baselineSummary(s.def, b))
	return c.Redirect("/admin/baselines", fiber.StatusSeeOther)
}

// parsePercent reads a percentage 0–100, with a decimal point or comma.
func parsePercent(s string) (float64, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	x, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	if err != nil || math.IsNaN(x) || x < 0 || x > 100 {
		return 0, false
	}
	return x, true
}

func baselineSummary(def *surveys.Definition, b surveys.Baseline) string {
	var parts []string
	for _, fa := range def.Factors {
		p := fa.Code + "=" + optNum(b.Values, fa.Code)
		if t := optNum(b.Targets, fa.Code); t != "" {
			p += " (target " + t + ")"
		}
		parts = append(parts, p)
	}
	if b.Overall != 0 {
		parts = append(parts, "overall="+fmtNum(b.Overall))
	}
	return strings.Join(parts, "; ")
}
