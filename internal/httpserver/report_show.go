package httpserver

import (
	"regexp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/charts"
	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/surveys"
)

// reportComments is how many recent comments the report quotes.
const reportComments = 10

// reportView is the periodic report: a print-ready A4 page.
type reportView struct {
	staffPage
	Heading    string // "Quý III/2026", "Năm 2026"
	Window     string
	Quarter    string // the form's values
	Year       string
	Survey     string
	Respondent string
	Generated  string
	Errors     []string

	Indices     []indexRow
	IndexChart  charts.Snippet
	Trend       seriesTable
	TrendCharts []charts.Snippet
	Weakest     []itemRow
	Strongest   []itemRow
	Channels    []breakdownRow
	Comments    []reportComment
	Method      string
	Charts      []charts.Snippet
}

// reportComment is one quoted comment (escaped by the template).
type reportComment struct {
	Day, Counter, Text string
}

var quarterPattern = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)

// handleReport shows GET /dashboard/report?quarter=2026-Q3 or ?year=2026
// (default: the current quarter).
func (s *server) handleReport(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	now := dayStart(s.deps.Now())
	fm := fmtr{lang: lang, cat: s.cat}
	f := dashFilter{Survey: s.cfg.Survey, Errors: map[string]string{}, Period: periodCustom}
	if id := c.Query("survey"); id != "" {
		if _, ok := s.deps.Surveys.Get(id); ok {
			f.Survey = id
		}
	}
	v := reportView{staffPage: s.newStaffPage(c, s.cat.T(lang, "report.title"), navReport)}
	q, y := c.Query("quarter"), c.Query("year")
	var from, end time.Time
	switch m := quarterPattern.FindStringSubmatch(q); {
	case q != "" && m != nil:
		year, _ := strconv.Atoi(m[1])
		qn, _ := strconv.Atoi(m[2])
		from = time.Date(year, time.Month(3*(qn-1)+1), 1, 0, 0, 0, 0, surveys.Location)
		end = from.AddDate(0, 3, 0)
		v.Heading = s.cat.T(lang, "report.quarter", romanQuarter(qn), year)
		v.Quarter = q
	case q == "" && y != "":
		year, err := strconv.Atoi(y)
		if err != nil || year < 2000 || year > 2100 {
			v.Errors = append(v.Errors, s.cat.T(lang, "report.bad_period"))
			break
		}
		from = time.Date(year, 1, 1, 0, 0, 0, 0, surveys.Location)
		end = from.AddDate(1, 0, 0)
		v.Heading = s.cat.T(lang, "report.year", year)
		v.Year = y
	case q != "":
		v.Errors = append(v.Errors, s.cat.T(lang, "report.bad_period"))
	}
	if from.IsZero() {
		qn := (int(now.Month())-1)/3 + 1
		from = time.Date(now.Year(), time.Month(3*(qn-1)+1), 1, 0, 0, 0, 0, surveys.Location)
		end = from.AddDate(0, 3, 0)
		v.Heading = s.cat.T(lang, "report.quarter", romanQuarter(qn), now.Year())
		v.Quarter = strconv.Itoa(now.Year()) + "-Q" + strconv.Itoa(qn)
	}
	f.setRange(from, end)

	ctx, cancel := s.storeCtx()
	defer cancel()
	d, err := s.loadDash(ctx, f, dashParts{channels: true, exactMonths: true})
	if err != nil {
		return err
	}
	nonce := v.Nonce
	v.Window = fm.date(f.From) + " – " + fm.date(f.To)
	v.Survey = d.def.Title.In(lang)
	v.Respondent = fm.n(d.score.Respondents)
	v.Generated = fm.date(now.Format(time.DateOnly))
	v.Indices = fm.indexRows(d.def, d.score)
	v.IndexChart = fm.indexChart("report_indices", nonce, d.def, d.score, scores.DefaultBaselineYear)
	v.Trend, v.TrendCharts = fm.trend("report_trend", nonce, d)
	v.Weakest, v.Strongest = fm.extremes(d.def, d.score, 3)
	v.Channels = fm.breakdownRows(d.byChannel, names{f: fm, d: d}.channel)
	v.Method = s.cat.T(lang, "report.method", fm.n(d.score.Respondents), scores.DefaultBaselineYear)
	v.Charts = append([]charts.Snippet{v.IndexChart}, v.TrendCharts...)

	// The latest comments of the period, newest first.
	recent, err := s.deps.Staff.RecentComments(ctx, f.responseFilter(), reportComments)
	if err != nil {
		return err
	}
	for _, r := range recent {
		v.Comments = append(v.Comments, reportComment{Day: fm.date(surveys.Day(r.SubmittedAt)),
			Counter: names{f: fm, d: d}.counter(r.Counter), Text: r.Comment()})
	}
	return s.render(c, fiber.StatusOK, "staff/report.html", v)
}

func romanQuarter(q int) string {
	return [...]string{"I", "II", "III", "IV"}[(q-1)%4]
}
