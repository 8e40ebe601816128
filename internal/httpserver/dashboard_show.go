package httpserver

import (
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/charts"
	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/surveys"
)

// dashboardView is the dashboard page.
type dashboardView struct {
	staffPage
	F          dashFilter
	Query      string // the filter as a query string, for export links
	Errors     []string
	Periods    []option
	Divisions  []option
	Counters   []option
	Channels   []option
	Surveys    []option
	Window     string // the period, inclusive, as people read it
	Survey     string
	Respondent string

	Indices    []indexRow
	IndexChart charts.Snippet

	Factors     []string // factor codes, for breakdown columns
	Trend       seriesTable
	TrendCharts []charts.Snippet

	Heat      seriesTable
	HeatChart charts.Snippet
	Weakest   []itemRow
	Strongest []itemRow

	Answers   []string
	Dist      []distRow
	DistChart charts.Snippet

	Breakdowns []breakdownTable

	Daily      []dayRow
	DailyTotal string
	DailyChart charts.Snippet

	// Charts are the chart scripts, run after ECharts is loaded.
	Charts []charts.Snippet
}

// handleDashboard shows GET /dashboard.
func (s *server) handleDashboard(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	f := s.parseDashFilter(c, s.deps.Now())
	ctx, cancel := s.storeCtx()
	defer cancel()
	d, err := s.loadDash(ctx, f, dashParts{breakdowns: true, daily: true})
	if err != nil {
		return err
	}
	v := dashboardView{staffPage: s.newStaffPage(c, s.cat.T(lang, "dash.title"), navDashboard), F: f, Query: f.query()}
	fm := fmtr{lang: lang, cat: s.cat}
	nonce := v.Nonce
	v.fillFilters(s, fm, d, f)
	v.Window = fm.date(f.From) + " – " + fm.date(f.To)
	v.Survey = d.def.Title.In(lang)
	v.Respondent = fm.n(d.score.Respondents)

	v.Indices = fm.indexRows(d.def, d.score)
	v.IndexChart = fm.indexChart("chart_indices", nonce, d.def, d.score, scores.DefaultBaselineYear)
	for _, fac := range d.def.Factors {
		v.Factors = append(v.Factors, fac.Code)
	}
	v.Trend, v.TrendCharts = fm.trend("chart_trend", nonce, d)
	v.Heat, v.HeatChart = fm.heat("chart_heatmap", nonce, d)
	v.Weakest, v.Strongest = fm.extremes(d.def, d.score, 3)
	v.Answers, v.Dist, v.DistChart = fm.distribution("chart_distribution", nonce, d.def, d.tally)

	nm := names{f: fm, d: d}
	v.Breakdowns = []breakdownTable{
		{ID: "by-division", Title: s.cat.T(lang, "dash.by_division"), Rows: fm.breakdownRows(d.byDivision, nm.division)},
		{ID: "by-counter", Title: s.cat.T(lang, "dash.by_counter"), Rows: fm.breakdownRows(d.byCounter, nm.counter)},
		{ID: "by-procedure", Title: s.cat.T(lang, "dash.by_procedure"), Rows: fm.breakdownRows(d.byProcedure, nm.procedure)},
		{ID: "by-channel", Title: s.cat.T(lang, "dash.by_channel"), Rows: fm.breakdownRows(d.byChannel, nm.channel)},
	}

	days := make([]string, len(d.days))
	var total int64
	for i, day := range d.days {
		days[i] = fm.date(day)
		total += d.dayCounts[i]
		v.Daily = append(v.Daily, dayRow{Day: days[i], N: fm.n(d.dayCounts[i])})
	}
	v.DailyTotal = fm.n(total)
	v.DailyChart = charts.Daily(charts.Options{ID: "chart_daily", Nonce: nonce, Lang: lang, Label: s.cat.T(lang, "dash.chart.daily"), Height: "short"},
		s.cat.T(lang, "dash.respondents"), days, d.dayCounts)

	v.Charts = append(append([]charts.Snippet{v.IndexChart}, v.TrendCharts...), v.HeatChart, v.DistChart, v.DailyChart)
	return s.render(c, fiber.StatusOK, "staff/dashboard.html", v)
}

// fillFilters builds the filter form's choices and its error messages.
func (v *dashboardView) fillFilters(s *server, fm fmtr, d *dashData, f dashFilter) {
	t := func(k string) string { return s.cat.T(fm.lang, k) }
	for _, p := range []string{periodMonth, periodQuarter, periodYear, periodCustom} {
		v.Periods = append(v.Periods, option{Value: p, Label: t("dash.period." + p), Selected: f.Period == p})
	}
	v.Divisions = []option{{Value: "", Label: t("dash.all")}}
	divs := make([]surveys.Division, 0, len(d.divs))
	for _, x := range d.divs {
		divs = append(divs, x)
	}
	sort.Slice(divs, func(i, j int) bool { return divs[i].Code < divs[j].Code })
	for _, x := range divs {
		v.Divisions = append(v.Divisions, option{Value: x.Code, Label: x.Name.In(fm.lang), Selected: f.Division == x.Code})
	}
	v.Counters = []option{{Value: "", Label: t("dash.all")}}
	cs := make([]surveys.Counter, 0, len(d.counters))
	for _, x := range d.counters {
		cs = append(cs, x)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Code < cs[j].Code })
	for _, x := range cs {
		v.Counters = append(v.Counters, option{Value: x.Code, Label: x.Name.In(fm.lang), Selected: f.Counter == x.Code})
	}
	v.Channels = []option{{Value: "", Label: t("dash.all")}}
	for _, ch := range surveys.Channels {
		v.Channels = append(v.Channels, option{Value: string(ch), Label: t("dash.channel." + string(ch)), Selected: f.Channel == ch})
	}
	for _, id := range s.deps.Surveys.IDs() {
		def, _ := s.deps.Surveys.Get(id)
		v.Surveys = append(v.Surveys, option{Value: id, Label: id + " (v" + strconv.Itoa(def.Version) + ")", Selected: f.Survey == id})
	}
	keys := make([]string, 0, len(f.Errors))
	for k := range f.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v.Errors = append(v.Errors, t("dash.filter."+k)+": "+t(f.Errors[k]))
	}
}
