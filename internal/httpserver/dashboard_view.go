package httpserver

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sipas/sipas/internal/charts"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// indexRow is one line of the indices table: a sub-index or the service
// index, formatted for display.
type indexRow struct {
	Code, Name       string
	Index, CI        string
	Baseline, Target string
	Verdict          string // in words
	VerdictClass     string // the verdict code, for colour
	N, Needed        string
	Service          bool
}

// seriesTable is a table of values per period (rows × columns).
type seriesTable struct {
	Columns []string
	Rows    []seriesRow
}

type seriesRow struct {
	Code, Name string
	Cells      []string
}

// itemRow is one criterion with its index, for the weakest and strongest
// lists.
type itemRow struct {
	Code, Text, Index, CI, N string
}

// distRow is one criterion's answer shares.
type distRow struct {
	Code   string
	Shares []string // per answer, then no opinion
	N      string
}

// breakdownTable is one breakdown: every row, sorted by index.
type breakdownTable struct {
	ID, Title string
	Rows      []breakdownRow
}

type breakdownRow struct {
	Name, Index, CI, N string
	Factors            []string
	Verdict            string
	VerdictClass       string
}

// dayRow is the responses of one day.
type dayRow struct{ Day, N string }

// fmtr formats numbers and dates in one language.
type fmtr struct {
	lang string
	cat  *i18n.Catalog
}

func (f fmtr) pct(p *float64) string {
	if p == nil {
		return "–"
	}
	return i18n.Percent(f.lang, *p)
}

func (f fmtr) num(p *float64, digits int) string {
	if p == nil {
		return "–"
	}
	return i18n.Decimal(f.lang, *p, digits)
}

func (f fmtr) ci(ci *scoring.Interval) string {
	if ci == nil {
		return "–"
	}
	return i18n.Decimal(f.lang, ci[0], 2) + " – " + i18n.Decimal(f.lang, ci[1], 2)
}

func (f fmtr) n(n int64) string { return i18n.Int(f.lang, n) }

func (f fmtr) verdict(v scoring.Verdict) string {
	if v == "" {
		return "–"
	}
	return f.cat.T(f.lang, "dash.verdict."+string(v))
}

// date shows a day as 31/12/2026 (Vietnamese) or 2026-12-31.
func (f fmtr) date(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil || f.lang == i18n.EN {
		return day
	}
	return t.Format("02/01/2006")
}

// month shows YYYY-MM as 07/2026 (Vietnamese).
func (f fmtr) month(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil || f.lang == i18n.EN {
		return m
	}
	return t.Format("01/2006")
}

// indexRows are the five sub-indices and the service index of sc.
func (f fmtr) indexRows(def *surveys.Definition, sc scoring.Score) []indexRow {
	rows := make([]indexRow, 0, len(sc.Factors)+1)
	for i, fs := range sc.Factors {
		rows = append(rows, indexRow{
			Code: fs.Code, Name: def.Factors[i].Name.In(f.lang),
			Index: f.pct(fs.Index), CI: f.ci(fs.CI95),
			Baseline: f.pct(fs.Baseline), Target: f.pct(fs.Target),
			Verdict: f.verdict(fs.Verdict), VerdictClass: string(fs.Verdict),
			N: f.n(fs.Respondents), Needed: f.n(fs.Needed),
		})
	}
	rows = append(rows, indexRow{
		Code: "", Name: f.cat.T(f.lang, "dash.service_index"), Service: true,
		Index: f.pct(sc.ServiceIndex), CI: f.ci(sc.ServiceCI95),
		Baseline: f.pct(sc.ServiceBaseline), Target: f.pct(sc.ServiceTarget),
		Verdict: f.verdict(sc.ServiceVerdict), VerdictClass: string(sc.ServiceVerdict),
		N: f.n(sc.ServiceRespondents), Needed: f.n(sc.ServiceNeeded),
	})
	return rows
}

// factorLabel is a factor's short name for charts.
func factorLabel(f surveys.Factor, lang string) string {
	if s := f.Short.In(lang); s != "" {
		return f.Code + ". " + s
	}
	return f.Code + ". " + f.Name.In(lang)
}

// indexChart is the grouped bars of the indices.
func (f fmtr) indexChart(id, nonce string, def *surveys.Definition, sc scoring.Score, baseYear int) charts.Snippet {
	xs := make([]charts.Index, 0, len(sc.Factors)+1)
	for i, fs := range sc.Factors {
		x := charts.Index{Label: factorLabel(def.Factors[i], f.lang), Now: fs.Index, Baseline: fs.Baseline, Target: fs.Target}
		if fs.CI95 != nil {
			x.Lo, x.Hi = &fs.CI95[0], &fs.CI95[1]
		}
		xs = append(xs, x)
	}
	svc := charts.Index{Label: f.cat.T(f.lang, "dash.service_index"), Now: sc.ServiceIndex, Baseline: sc.ServiceBaseline, Target: sc.ServiceTarget}
	if sc.ServiceCI95 != nil {
		svc.Lo, svc.Hi = &sc.ServiceCI95[0], &sc.ServiceCI95[1]
	}
	xs = append(xs, svc)
	return charts.Indices(charts.Options{ID: id, Nonce: nonce, Lang: f.lang, Label: f.cat.T(f.lang, "dash.chart.indices")},
		charts.IndexLabels{
			Now:      f.cat.T(f.lang, "dash.now"),
			Baseline: f.cat.T(f.lang, "dash.baseline_year", baseYear),
			Target:   f.cat.T(f.lang, "dash.target"),
			Interval: f.cat.T(f.lang, "dash.ci95"),
		}, xs)
}

// trend returns the monthly trend table and chart.
func (f fmtr) trend(id, nonce string, d *dashData) (seriesTable, []charts.Snippet) {
	tab := seriesTable{}
	for _, m := range d.months {
		tab.Columns = append(tab.Columns, f.month(m))
	}
	var lines []charts.Line
	for i, fac := range d.def.Factors {
		row := seriesRow{Code: fac.Code, Name: fac.Name.In(f.lang)}
		l := charts.Line{Name: factorLabel(fac, f.lang)}
		for _, ms := range d.monthScores {
			fs := ms.Factors[i]
			row.Cells = append(row.Cells, f.num(fs.Index, 2))
			l.Values = append(l.Values, fs.Index)
		}
		if len(d.monthScores) > 0 {
			l.Baseline, l.Target = d.score.Factors[i].Baseline, d.score.Factors[i].Target
		}
		tab.Rows = append(tab.Rows, row)
		lines = append(lines, l)
	}
	svcRow := seriesRow{Name: f.cat.T(f.lang, "dash.service_index")}
	nRow := seriesRow{Name: f.cat.T(f.lang, "dash.respondents")}
	svc := charts.Line{Name: f.cat.T(f.lang, "dash.service_index"), Baseline: d.score.ServiceBaseline, Target: d.score.ServiceTarget}
	for _, ms := range d.monthScores {
		svcRow.Cells = append(svcRow.Cells, f.num(ms.ServiceIndex, 2))
		nRow.Cells = append(nRow.Cells, f.n(ms.Respondents))
		svc.Values = append(svc.Values, ms.ServiceIndex)
	}
	// Only the latest reference line (the newest national average): the
	// others sit within a point of the baseline and target and their
	// labels would cover each other; every reference is in the method
	// notes and the definition.
	latest := -1
	for i, r := range d.def.References {
		if latest < 0 || r.Year > d.def.References[latest].Year {
			latest = i
		}
	}
	if latest >= 0 {
		r := d.def.References[latest]
		svc.Refs = append(svc.Refs, charts.Ref{Name: r.Label.In(f.lang), Value: r.Value})
	}
	tab.Rows = append(tab.Rows, svcRow, nRow)
	lines = append(lines, svc)
	months := make([]string, len(d.months))
	copy(months, tab.Columns)
	// Small multiples: one chart per sub-index (and the service index),
	// each with its own baseline and target, on the same scale, so that
	// no line hides another and every mark line is readable.
	lowest := 100.0
	for _, l := range lines {
		for _, v := range append(append([]*float64{}, l.Values...), l.Baseline, l.Target) {
			if v != nil && *v < lowest {
				lowest = *v
			}
		}
	}
	labels := charts.TrendLabels{Baseline: f.cat.T(f.lang, "dash.baseline"), Target: f.cat.T(f.lang, "dash.target"), Min: lowest}
	chs := make([]charts.Snippet, len(lines))
	for i, l := range lines {
		code := "service"
		if i < len(d.def.Factors) {
			code = d.def.Factors[i].Code
		}
		chs[i] = charts.Trend(charts.Options{ID: id + "_" + code, Nonce: nonce, Lang: f.lang, ColorIndex: i,
			Label: f.cat.T(f.lang, "dash.chart.trend") + ": " + l.Name, Height: "small"},
			labels, months, []charts.Line{l})
	}
	return tab, chs
}

// heat returns the criteria × months table and heat-map.
func (f fmtr) heat(id, nonce string, d *dashData) (seriesTable, charts.Snippet) {
	tab := seriesTable{}
	for _, m := range d.months {
		tab.Columns = append(tab.Columns, f.month(m))
	}
	items := d.def.Items()
	codes := make([]string, len(items))
	values := make([][]*float64, len(items))
	for i, it := range items {
		codes[i] = it.Code
		row := seriesRow{Code: it.Code, Name: it.Text.In(f.lang)}
		fi := d.def.FactorOfItem(i)
		first := d.def.ItemIndex(d.def.Factors[fi].Items[0].Code)
		for _, ms := range d.monthScores {
			v := ms.Factors[fi].Items[i-first].Index
			values[i] = append(values[i], v)
			row.Cells = append(row.Cells, f.num(v, 1))
		}
		tab.Rows = append(tab.Rows, row)
	}
	ch := charts.Heatmap(charts.Options{ID: id, Nonce: nonce, Lang: f.lang, Label: f.cat.T(f.lang, "dash.chart.heatmap"), Height: "tall"},
		f.cat.T(f.lang, "dash.item_index"), tab.Columns, codes, values)
	return tab, ch
}

// extremes returns the n weakest and n strongest criteria of sc (those
// with a valid answer), weakest first and strongest first.
func (f fmtr) extremes(def *surveys.Definition, sc scoring.Score, n int) (weak, strong []itemRow) {
	type it struct {
		row   itemRow
		index float64
	}
	var all []it
	for fi, fs := range sc.Factors {
		for ii, is := range fs.Items {
			if is.Index == nil {
				continue
			}
			all = append(all, it{itemRow{
				Code: is.Code, Text: def.Factors[fi].Items[ii].Text.In(f.lang),
				Index: f.pct(is.Index), CI: f.ci(is.CI95), N: f.n(is.Valid),
			}, *is.Index})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].index < all[j].index })
	for i := 0; i < n && i < len(all); i++ {
		weak = append(weak, all[i].row)
		strong = append(strong, all[len(all)-1-i].row)
	}
	if len(all) < 2*n {
		// Too few criteria to keep the lists apart: show each once.
		strong = nil
		for i := len(all) - 1; i >= len(weak); i-- {
			strong = append(strong, all[i].row)
		}
	}
	return weak, strong
}

// distribution returns the answer shares table and chart of tally t.
func (f fmtr) distribution(id, nonce string, def *surveys.Definition, t *scoring.Tally) ([]string, []distRow, charts.Snippet) {
	var answers []string
	for _, p := range def.Scale.Points {
		answers = append(answers, strconv.Itoa(p.Value)+" · "+p.Label.In(f.lang))
	}
	answers = append(answers, def.Scale.NoOpinion.In(f.lang))
	items := def.Items()
	codes := make([]string, len(items))
	counts := make([][]int64, len(items))
	rows := make([]distRow, len(items))
	for i, it := range items {
		codes[i] = it.Code
		var total int64
		for _, p := range def.Scale.Points {
			c := t.Count(i, p.Value)
			counts[i] = append(counts[i], c)
			total += c
		}
		no := t.Count(i, 0)
		counts[i] = append(counts[i], no)
		total += no
		rows[i] = distRow{Code: it.Code, N: f.n(total)}
		for _, c := range counts[i] {
			share := math.NaN()
			if total > 0 {
				share = float64(c) * 100 / float64(total)
			}
			rows[i].Shares = append(rows[i].Shares, i18n.Decimal(f.lang, share, 1))
		}
	}
	ch := charts.Distribution(charts.Options{ID: id, Nonce: nonce, Lang: f.lang, Label: f.cat.T(f.lang, "dash.chart.distribution"), Height: "tall"},
		codes, answers, counts)
	return answers, rows, ch
}

// breakdownRows formats breakdown rows, naming each key with name.
func (f fmtr) breakdownRows(bs []breakdown, name func(string) string) []breakdownRow {
	out := make([]breakdownRow, len(bs))
	for i, b := range bs {
		r := breakdownRow{
			Name: name(b.Key), Index: f.pct(b.Score.ServiceIndex), CI: f.ci(b.Score.ServiceCI95),
			N: f.n(b.Score.Respondents), Verdict: f.verdict(b.Score.ServiceVerdict), VerdictClass: string(b.Score.ServiceVerdict),
		}
		for _, fs := range b.Score.Factors {
			r.Factors = append(r.Factors, f.num(fs.Index, 1))
		}
		out[i] = r
	}
	return out
}

// names turns breakdown keys into display names.
type names struct {
	f fmtr
	d *dashData
}

func (n names) counter(code string) string {
	if code == "" {
		return n.f.cat.T(n.f.lang, "dash.no_counter")
	}
	if c, ok := n.d.counters[code]; ok {
		return c.Name.In(n.f.lang)
	}
	return code
}

func (n names) division(code string) string {
	if code == "" {
		return n.f.cat.T(n.f.lang, "dash.no_division")
	}
	if d, ok := n.d.divs[code]; ok {
		return d.Name.In(n.f.lang)
	}
	return code
}

func (n names) procedure(key string) string {
	counter, proc := splitProcedure(key)
	pname := proc
	switch proc {
	case "":
		pname = n.f.cat.T(n.f.lang, "dash.no_procedure")
	case "other", "none":
		if q, ok := n.d.def.Question("procedure"); ok {
			for _, o := range q.Options {
				if o.Code == proc {
					pname = o.Label.In(n.f.lang)
				}
			}
		}
	default:
		for _, p := range n.d.counters[counter].Procedures {
			if p.Code == proc {
				pname = p.Name.In(n.f.lang)
			}
		}
	}
	return pname + " (" + n.counter(counter) + ")"
}

func (n names) channel(code string) string {
	return n.f.cat.T(n.f.lang, "dash.channel."+code)
}

// option is one choice of a filter's select.
type option struct {
	Value, Label string
	Selected     bool
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
