package charts

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Line is one series of the trend chart: a value per period and, drawn
// as horizontal lines in the series' colour, its baseline and target.
type Line struct {
	Name             string
	Values           []*float64
	Baseline, Target *float64
	// Refs are reference lines (national averages) drawn with this
	// series.
	Refs []Ref
}

// Ref is a labelled horizontal reference line.
type Ref struct {
	Name  string
	Value float64
}

// TrendLabels names the mark lines; Min, when not zero, is the lowest
// value the charts of one page must show, so that small multiples share a
// scale.
type TrendLabels struct {
	Baseline, Target string
	Min              float64
}

// Trend draws one line per series over periods, with each series' baseline
// (dotted) and target (dashed) as mark lines and its reference lines.
func Trend(o Options, l TrendLabels, periods []string, lines []Line) Snippet {
	line := charts.NewLine()
	lowest := 100.0
	if l.Min > 0 {
		lowest = l.Min
	}
	for _, s := range lines {
		for _, p := range append(append([]*float64{}, s.Values...), s.Baseline, s.Target) {
			if p != nil {
				lowest = math.Min(lowest, *p)
			}
		}
		for _, r := range s.Refs {
			lowest = math.Min(lowest, r.Value)
		}
	}
	line.SetGlobalOptions(
		initOpts(o),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", ValueFormatter: jsNumber(o, 2, "%")}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Type: "scroll", SelectedMode: "false"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "110", Bottom: "8", Top: "34", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: math.Max(0, math.Floor(lowest/5)*5-5), Max: 100,
			AxisLabel: &opts.AxisLabel{Formatter: jsNumber(o, 0, "%")}}),
	)
	line.SetXAxis(periods)
	for i, s := range lines {
		color := Palette[(o.ColorIndex+i)%len(Palette)]
		data := make([]opts.LineData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.LineData{Value: val(v)}
		}
		var marks []opts.MarkLineNameYAxisItem
		if s.Baseline != nil {
			marks = append(marks, opts.MarkLineNameYAxisItem{Name: s.Name + " · " + l.Baseline, YAxis: round(*s.Baseline, 4)})
		}
		if s.Target != nil {
			marks = append(marks, opts.MarkLineNameYAxisItem{Name: s.Name + " · " + l.Target, YAxis: round(*s.Target, 4)})
		}
		for _, r := range s.Refs {
			marks = append(marks, opts.MarkLineNameYAxisItem{Name: r.Name, YAxis: round(r.Value, 4)})
		}
		sopts := []charts.SeriesOpts{
			charts.WithItemStyleOpts(opts.ItemStyle{Color: color}),
			charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(true)}),
		}
		if len(marks) > 0 {
			sopts = append(sopts,
				charts.WithMarkLineNameYAxisItemOpts(marks...),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol:    []string{"none", "none"},
					LineStyle: &opts.LineStyle{Color: color, Type: "dashed", Width: 1},
					Label: &opts.Label{Show: opts.Bool(true), Position: "end",
						Formatter: jsFormat(`function (p) { return p.name.split(' · ').pop() + ' ' + ` + string(jsNumber(o, 1, "%")) + `(p.value); }`)},
				}))
		}
		line.AddSeries(s.Name, data, sopts...)
	}
	return snippet(o, line)
}
