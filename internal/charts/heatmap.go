package charts

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Heatmap draws values[item][period] (item indices, nil when no valid
// answer) as a grid of coloured cells, items top to bottom, red for the
// weakest and green for the strongest.
func Heatmap(o Options, name string, periods, items []string, values [][]*float64) Snippet {
	var data []opts.HeatMapData
	lowest := 100.0
	for y, row := range values {
		for x, v := range row {
			if v == nil {
				continue
			}
			lowest = math.Min(lowest, *v)
			data = append(data, opts.HeatMapData{Value: []any{x, y, round(*v, 2)}})
		}
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(
		initOpts(o),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: opts.FuncOpts(`function (p) {
			return p.marker + p.name + ' · ' + p.seriesName + ': ' + (` + string(jsNumber(o, 2, "%")) + `)(p.value[2]); }`)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Bottom: "60", Top: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: periods, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: items, Inverse: opts.Bool(true), SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Calculable: opts.Bool(true),
			Min:        float32(math.Max(0, math.Floor(lowest/5)*5)),
			Max:        100,
			Orient:     "horizontal",
			Left:       "center",
			Bottom:     "0",
			InRange:    &opts.VisualMapInRange{Color: []string{"#d73027", "#fee08b", "#1a9850"}},
		}),
	)
	hm.SetXAxis(periods)
	hm.AddSeries(name, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 10,
		Formatter: jsFormat(`function (p) { return (+p.value[2]).toFixed(0); }`)}))
	return snippet(o, hm)
}
