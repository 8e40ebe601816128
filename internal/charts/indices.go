package charts

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Index is one group of the indices chart: a sub-index or the service
// index now, its 95% interval, its baseline and target. Nil: not known.
type Index struct {
	Label            string
	Now              *float64
	Lo, Hi           *float64
	Baseline, Target *float64
}

// IndexLabels names the series of the indices chart.
type IndexLabels struct {
	Now, Baseline, Target, Interval string
}

// Geometry of the grouped bars: two bars (baseline, now) of 30% of the
// category each, no gap, so the "now" bar is centred 15% right of the
// category's centre; the whiskers and target marks are drawn there.
const (
	barWidth  = 0.30
	nowOffset = 0.15
)

// Indices draws, per index, the baseline and the current value as grouped
// bars, the 95% interval as whiskers on the current bar and the target as
// a mark across both bars.
func Indices(o Options, l IndexLabels, xs []Index) Snippet {
	cats := make([]string, len(xs))
	base := make([]opts.BarData, len(xs))
	now := make([]opts.BarData, len(xs))
	var whiskers, targets []opts.CustomData
	lowest := 100.0
	for i, x := range xs {
		cats[i] = x.Label
		base[i] = opts.BarData{Value: val(x.Baseline)}
		now[i] = opts.BarData{Value: val(x.Now)}
		for _, p := range []*float64{x.Now, x.Lo, x.Baseline, x.Target} {
			if p != nil {
				lowest = math.Min(lowest, *p)
			}
		}
		if x.Lo != nil && x.Hi != nil {
			whiskers = append(whiskers, opts.CustomData{Value: []any{i, round(*x.Lo, 4), round(*x.Hi, 4)}})
		}
		if x.Target != nil {
			targets = append(targets, opts.CustomData{Value: []any{i, round(*x.Target, 4)}})
		}
	}
	// The axis starts below the lowest value, at a multiple of 10: the
	// differences that matter are a few points; the table gives the
	// numbers.
	min := math.Max(0, math.Floor(lowest/10)*10-10)

	bar := charts.NewBar()
	bar.SetGlobalOptions(
		initOpts(o),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", Formatter: opts.FuncOpts(`function (ps) {
			var f = ` + string(jsNumber(o, 2, "%")) + `, e = echarts.format.encodeHTML, s = e(ps[0].name);
			ps.forEach(function (p) { var v = p.value;
				if (Array.isArray(v)) { v = v.length === 3 ? f(v[1]) + ' – ' + f(v[2]) : f(v[1]); } else { v = f(v); }
				s += '<br>' + p.marker + e(p.seriesName) + ': ' + v; });
			return s; }`)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Bottom: "8", Top: "40", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: min, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: jsNumber(o, 0, "%")}}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Width: 120, Overflow: "break"}}),
	)
	bar.SetXAxis(cats).
		AddSeries(l.Baseline, base,
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorBaseline}),
			charts.WithBarChartOpts(opts.BarChart{BarGap: "0%", BarWidth: "30%"})).
		AddSeries(l.Now, now,
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorNow}),
			charts.WithBarChartOpts(opts.BarChart{BarGap: "0%", BarWidth: "30%"}))

	custom := charts.NewCustom()
	custom.AddSeries(l.Interval, whiskers,
		charts.WithCustomChartOpts(opts.CustomChart{RenderItem: opts.FuncOpts(`function (params, api) {
			var bw = api.size([1, 0])[0], a = api.coord([api.value(0), api.value(1)]), b = api.coord([api.value(0), api.value(2)]);
			var x = a[0] + bw * ` + ftoa(nowOffset) + `, w = bw * 0.06, st = {stroke: '#222', lineWidth: 1.5};
			return {type: 'group', children: [
				{type: 'line', shape: {x1: x, y1: a[1], x2: x, y2: b[1]}, style: st},
				{type: 'line', shape: {x1: x - w, y1: a[1], x2: x + w, y2: a[1]}, style: st},
				{type: 'line', shape: {x1: x - w, y1: b[1], x2: x + w, y2: b[1]}, style: st}]};
		}`)}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#222"}),
	)
	custom.AddSeries(l.Target, targets,
		charts.WithCustomChartOpts(opts.CustomChart{RenderItem: opts.FuncOpts(`function (params, api) {
			var bw = api.size([1, 0])[0], p = api.coord([api.value(0), api.value(1)]);
			return {type: 'line', shape: {x1: p[0] - bw * ` + ftoa(barWidth) + `, y1: p[1], x2: p[0] + bw * ` + ftoa(barWidth) + `, y2: p[1]},
				style: {stroke: '` + colorTarget + `', lineWidth: 3, lineDash: [6, 3]}};
		}`)}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorTarget}),
	)
	bar.Overlap(custom)
	return snippet(o, bar)
}

func ftoa(v float64) string {
	// Two decimals are all the geometry needs.
	n := int(v*100 + 0.5)
	return itoa(n/100) + "." + itoa(n/10%10) + itoa(n%10)
}
