package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Daily draws counts[i], the responses of days[i], as bars.
func Daily(o Options, name string, days []string, counts []int64) Snippet {
	data := make([]opts.BarData, len(counts))
	for i, c := range counts {
		data[i] = opts.BarData{Value: c}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		initOpts(o),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", ValueFormatter: jsNumber(o, 0, "")}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Bottom: "8", Top: "16", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: 1}),
	)
	bar.SetXAxis(days).AddSeries(name, data, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorNow}))
	return snippet(o, bar)
}
