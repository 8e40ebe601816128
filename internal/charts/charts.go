// Package charts builds the dashboard's and the report's charts with
// go-echarts as snippets embedded in our own server-rendered pages: a
// container element and an inline script carrying the page's CSP nonce.
// The page loads ECharts itself, once, from /static/echarts.min.js; nothing
// here refers to a CDN. Every builder takes plain numbers, so the pages keep
// the same numbers in tables beside the charts.
package charts

import (
	"html"
	"html/template"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
	"github.com/go-echarts/go-echarts/v2/types"
)

// Options are what every chart shares.
type Options struct {
	// ID is the container's element id: letters, digits and underscores
	// (it becomes part of JavaScript names).
	ID string
	// Nonce is the page's CSP nonce, put on the inline script.
	Nonce string
	// Lang is the language of number formats: "vi" (84,37) or "en".
	Lang string
	// Label is the accessible name of the chart (role="img"); the page
	// puts the chart's numbers in a table beside it as well.
	Label string
	// Height is the container's CSS class suffix: "" (normal), "tall"
	// "short" or "small"; sizes live in dashboard.css (no inline styles,
	// for the CSP).
	Height string
	// ColorIndex picks the first series' colour in Palette, so that a
	// factor keeps its colour across charts.
	ColorIndex int
}

// Snippet is a rendered chart: Element goes where the chart shows, Script
// anywhere after the ECharts script tag.
type Snippet struct {
	ID      string
	Element template.HTML
	Script  template.HTML
	// Option is the ECharts option as JSON-like text (functions inline);
	// tests read it.
	Option string
}

// Palette of the five factors and the service index, colour-blind safe
// (Okabe–Ito).
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"}

// Colours of the fixed roles.
const (
	colorNow      = "#0072B2"
	colorBaseline = "#9E9E9E"
	colorTarget   = "#D55E00"
	colorRef      = "#6A3D9A"
)

// snippet renders c (a go-echarts chart) with the nonce on its script and
// our own container element.
func snippet(o Options, r render.Renderer) Snippet {
	s := r.RenderSnippet()
	script := s.Script
	// go-echarts writes <script type="text/javascript">; ours carries the
	// nonce so that a strict CSP (script-src 'nonce-…') runs it.
	if i := strings.Index(script, ">"); strings.HasPrefix(strings.TrimSpace(script), "<script") && i >= 0 {
		script = `<script nonce="` + html.EscapeString(o.Nonce) + `">` + script[i+1:]
	}
	// Charts follow the width of their container.
	script = strings.Replace(script, "</script>",
		"window.addEventListener('resize', function () { goecharts_"+o.ID+".resize(); });\n</script>", 1)
	class := "chart"
	if o.Height != "" {
		class += " chart-" + o.Height
	}
	el := `<div id="` + html.EscapeString(o.ID) + `" class="` + class + `" role="img" aria-label="` + html.EscapeString(o.Label) + `"></div>`
	return Snippet{
		ID:      o.ID,
		Element: template.HTML(el),     // built from escaped parts above
		Script:  template.HTML(script), // go-echarts' output, JSON of our numbers and labels
		Option:  s.Option,
	}
}

// initOpts are the go-echarts initialisation options of o: the chart id,
// and an assets host of our own (unused: we render snippets only).
func initOpts(o Options) charts.GlobalOpts {
	return charts.WithInitializationOpts(opts.Initialization{
		ChartID:    o.ID,
		AssetsHost: "/static/",
		Width:      "100%",
		Height:     "100%",
	})
}

// jsNumber returns a JavaScript function(v) formatting a number with
// digits decimals in o's language (decimal comma in Vietnamese) and
// suffix.
func jsNumber(o Options, digits int, suffix string) types.FuncStr {
	point := ","
	if o.Lang == "en" {
		point = "."
	}
	return opts.FuncOpts(`function (v) { if (v === null || v === undefined || v === '-' || isNaN(v)) { return '–'; }
		return (+v).toFixed(` + itoa(digits) + `).replace('.', '` + point + `') + '` + suffix + `'; }`)
}

// jsFormat is the same formatter as a string for fields go-echarts types
// as string (series labels).
func jsFormat(body string) string { return string(opts.FuncOpts(body)) }

func itoa(n int) string {
	if n < 0 || n > 9 {
		return "2"
	}
	return string(rune('0' + n))
}

// val turns an optional value into chart data: ECharts draws "-" as a
// gap.
func val(p *float64) any {
	if p == nil {
		return "-"
	}
	return round(*p, 4)
}

func round(v float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	if v < 0 {
		return -float64(int64(-v*p+0.5)) / p
	}
	return float64(int64(v*p+0.5)) / p
}
