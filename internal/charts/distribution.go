package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// answerColors go from "very dissatisfied" (red) to "very satisfied"
// (green), then grey for "no opinion".
var answerColors = []string{"#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850", "#bdbdbd"}

// Distribution draws, per item, the shares of each answer as a 100%
// stacked vertical bar, the items along the horizontal axis. counts[item][k] is the count of answer k+1 for
// k < len(answers)-1 and of "no opinion" last; answers names them.
func Distribution(o Options, items, answers []string, counts [][]int64) Snippet {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		initOpts(o),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", ValueFormatter: jsNumber(o, 1, "%")}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Bottom: "8", Top: "40", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: items}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: jsNumber(o, 0, "%")}}),
	)
	bar.SetXAxis(items)
	for k, name := range answers {
		data := make([]opts.BarData, len(items))
		for i := range items {
			var total int64
			for _, c := range counts[i] {
				total += c
			}
			v := 0.0
			if total > 0 && k < len(counts[i]) {
				v = float64(counts[i][k]) * 100 / float64(total)
			}
			data[i] = opts.BarData{Value: round(v, 2)}
		}
		bar.AddSeries(name, data,
			charts.WithBarChartOpts(opts.BarChart{Stack: "total", BarWidth: "60%"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: answerColors[k%len(answerColors)]}))
	}
	return snippet(o, bar)
}
