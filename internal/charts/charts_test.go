package charts

import (
	"strings"
	"testing"
)

func p(v float64) *float64 { return &v }

// check asserts what every snippet must be: our container, a script with
// the nonce, nothing loaded from elsewhere, the markers of go-echarts'
// JavaScript functions removed.
func check(t *testing.T, s Snippet, id string, want ...string) {
	t.Helper()
	if !strings.Contains(string(s.Element), `id="`+id+`"`) || !strings.Contains(string(s.Element), `role="img"`) {
		t.Errorf("element = %s", s.Element)
	}
	if strings.Contains(string(s.Element), "style=") {
		t.Errorf("element has an inline style (CSP): %s", s.Element)
	}
	script := string(s.Script)
	if !strings.HasPrefix(script, `<script nonce="n0nce">`) {
		t.Errorf("script does not start with the nonce: %.80s", script)
	}
	if !strings.Contains(script, "echarts.init(document.getElementById('"+id+"')") {
		t.Errorf("script does not init %s", id)
	}
	for _, bad := range []string{"http://", "https://", "__f__", "onclick"} {
		if strings.Contains(script, bad) {
			t.Errorf("script contains %q", bad)
		}
	}
	for _, w := range want {
		if !strings.Contains(script, w) {
			t.Errorf("script lacks %q", w)
		}
	}
}

func opt(id string) Options {
	return Options{ID: id, Nonce: "n0nce", Lang: "vi", Label: "biểu đồ"}
}

func TestIndices(t *testing.T) {
	s := Indices(opt("idx"), IndexLabels{Now: "Hiện tại", Baseline: "Năm 2022", Target: "Mục tiêu", Interval: "Khoảng tin cậy 95%"},
		[]Index{
			{Label: "Tiếp cận dịch vụ", Now: p(85.1), Lo: p(83.2), Hi: p(87.0), Baseline: p(83.99), Target: p(85.99)},
			{Label: "Chỉ số chung", Now: nil, Baseline: p(82.4), Target: p(84.8)},
		})
	check(t, s, "idx", `"name":"Hiện tại"`, `"name":"Năm 2022"`, `"name":"Mục tiêu"`, `"name":"Khoảng tin cậy 95%"`,
		`"type":"custom"`, `[0,83.2,87]`, `[0,85.99]`, `85.1`, `83.99`, `"-"`, `replace('.', ',')`)
}

func TestTrend(t *testing.T) {
	s := Trend(opt("trend"), TrendLabels{Baseline: "Năm 2022", Target: "Mục tiêu"}, []string{"2026-01", "2026-02"}, []Line{
		{Name: "A", Values: []*float64{p(84), nil}, Baseline: p(83.99), Target: p(85.99)},
		{Name: "Chỉ số chung", Values: []*float64{p(83), p(84)}, Refs: []Ref{{Name: "TB cả nước 2024", Value: 83.94}}},
	})
	check(t, s, "trend", `"type":"line"`, `"2026-02"`, `"yAxis":83.99`, `"yAxis":85.99`, `"yAxis":83.94`, `TB cả nước 2024`, `"markLine"`)
}

func TestHeatmap(t *testing.T) {
	s := Heatmap(opt("heat"), "Chỉ số", []string{"2026-01", "2026-02"}, []string{"A1", "A2"},
		[][]*float64{{p(80), p(81.5)}, {nil, p(90)}})
	check(t, s, "heat", `"type":"heatmap"`, `[0,0,80]`, `[1,0,81.5]`, `[1,1,90]`, `"visualMap"`)
	if strings.Contains(string(s.Script), "[0,1,") {
		t.Error("a missing value was drawn")
	}
}

func TestDistribution(t *testing.T) {
	s := Distribution(opt("dist"), []string{"A1"}, []string{"1", "2", "3", "4", "5", "Không có ý kiến"},
		[][]int64{{1, 1, 2, 4, 2, 0}})
	check(t, s, "dist", `"stack":"total"`, `"name":"Không có ý kiến"`, `40`, `"value":20`)
}

func TestDaily(t *testing.T) {
	s := Daily(opt("daily"), "Số phiếu", []string{"2026-07-01", "2026-07-02"}, []int64{12, 7})
	check(t, s, "daily", `"type":"bar"`, `"2026-07-02"`, `"value":12`, `"value":7`)
}

func TestNonceIsEscaped(t *testing.T) {
	o := opt("x")
	o.Nonce = `"><script>`
	s := Daily(o, "n", nil, nil)
	if strings.Contains(string(s.Script), `"><script>`) {
		t.Errorf("nonce not escaped: %.80s", s.Script)
	}
}
