package httpserver

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

func TestDashboardRequiresSignIn(t *testing.T) {
	env := newDashEnv(t, "", false)
	env.token = ""
	for _, path := range []string{"/dashboard", "/dashboard/report", "/dashboard/export/responses.csv", "/dashboard/export/indices.xlsx"} {
		resp, _ := env.get(t, path)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("GET %s signed out: %d %s, want 303 to /login", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

var scriptTag = regexp.MustCompile(`<script[^>]*>`)

func TestDashboardRendersWithEveryFilter(t *testing.T) {
	env := newDashEnv(t, "", true)
	for _, q := range []string{
		"", "?period=month", "?period=quarter", "?period=year",
		"?period=custom&from=2025-06-01&to=2025-12-31",
		"?division=qltm", "?counter=sct-thuongmai", "?division=qltm&counter=sct-thuongmai",
		"?channel=qr", "?channel=kiosk&division=qlcn", "?survey=sipas-2022", "?lang=en",
		// Bad values: the page says so and shows the defaults.
		"?period=custom&from=bad&to=2025-01-01", "?channel=fax", "?period=decade", "?survey=nope",
		"?period=custom&from=2026-03-01&to=2026-02-01",
	} {
		body := string(env.mustGet(t, "/dashboard"+q))
		for _, want := range []string{
			`id="chart_indices"`, `id="chart_trend_A"`, `id="chart_trend_service"`, `id="chart_heatmap"`, `id="chart_distribution"`, `id="chart_daily"`,
			`src="/static/echarts.min.js`, `id="by-division"`, `id="by-counter"`, `id="by-procedure"`, `id="by-channel"`,
			"echarts.init(document.getElementById('chart_indices')",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/dashboard%s lacks %s", q, want)
			}
		}
		for _, tag := range scriptTag.FindAllString(body, -1) {
			if !strings.Contains(tag, `nonce="`) {
				t.Errorf("/dashboard%s: script without nonce: %s", q, tag)
			}
		}
		if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
			t.Errorf("/dashboard%s refers to another site", q)
		}
		bad := strings.Contains(q, "bad") || strings.Contains(q, "fax") || strings.Contains(q, "decade") || strings.Contains(q, "nope") || strings.Contains(q, "2026-02-01")
		if got := strings.Contains(body, `class="errors"`); got != bad {
			t.Errorf("/dashboard%s: error box shown = %v, want %v", q, got, bad)
		}
	}
	// Vietnamese first, with Vietnamese numbers.
	body := string(env.mustGet(t, "/dashboard"))
	for _, want := range []string{`lang="vi"`, "Chỉ số chung", "Khoảng tin cậy 95%", "Theo quầy"} {
		if !strings.Contains(body, want) {
			t.Errorf("default dashboard lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<td>\d{2},\d{2}%</td>`).MatchString(body) {
		t.Error("no index in Vietnamese format (84,37%) in the page")
	}
}

// indexRow matches a row of the indices table: name, index, interval,
// baseline, target, verdict, n, needed.
var indexRowPattern = regexp.MustCompile(`<tr(?: class="total")?><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td><span class="verdict v-[a-z_]*">([^<]*)</span></td><td>([^<]*)</td><td>([^<]*)</td></tr>`)

func TestDashboardNumbersEqualScoresService(t *testing.T) {
	env := newDashEnv(t, "", true)
	ctx := context.Background()
	cat := i18n.New()
	for _, c := range []struct {
		query string
		q     scores.Query
	}{
		{"?period=year", scores.Query{From: "2026-01-01", To: "2027-01-01"}},
		{"?period=month", scores.Query{From: "2026-08-01", To: "2026-09-01"}},
		{"?period=custom&from=2025-03-01&to=2025-09-30&counter=sct-thuongmai", scores.Query{From: "2025-03-01", To: "2025-10-01", Counter: "sct-thuongmai"}},
		{"?period=quarter&channel=qr", scores.Query{From: "2026-07-01", To: "2026-10-01", Channel: surveys.ChannelQR}},
	} {
		sc, err := env.scores.Score(ctx, c.q)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Respondents == 0 {
			t.Fatalf("%s: no responses in the window: the test proves nothing", c.query)
		}
		body := string(env.mustGet(t, "/dashboard"+c.query))
		section := body[strings.Index(body, `id="indices"`):]
		section = section[:strings.Index(section, "</section>")]
		rows := indexRowPattern.FindAllStringSubmatch(section, -1)
		if len(rows) != len(sc.Factors)+1 {
			t.Fatalf("%s: %d rows in the indices table, want %d", c.query, len(rows), len(sc.Factors)+1)
		}
		f := fmtr{lang: i18n.VI, cat: cat}
		for i, fs := range sc.Factors {
			want := []string{f.pct(fs.Index), f.ci(fs.CI95), f.pct(fs.Baseline), f.pct(fs.Target), f.verdict(fs.Verdict), f.n(fs.Respondents), f.n(fs.Needed)}
			if got := rows[i][2:]; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s factor %s: got %q, want %q", c.query, fs.Code, got, want)
			}
		}
		want := []string{f.pct(sc.ServiceIndex), f.ci(sc.ServiceCI95), f.pct(sc.ServiceBaseline), f.pct(sc.ServiceTarget),
			f.verdict(sc.ServiceVerdict), f.n(sc.ServiceRespondents), f.n(sc.ServiceNeeded)}
		if got := rows[len(rows)-1][2:]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s service: got %q, want %q", c.query, got, want)
		}
		if !strings.Contains(body, "<b>"+f.n(sc.Respondents)+"</b>") {
			t.Errorf("%s: respondents %d not shown", c.query, sc.Respondents)
		}
	}
}

// The division filter merges the tallies of the division's counters; the
// counter breakdown's rows are those of scores.Service per counter.
func TestDashboardDivisionAndCounterRows(t *testing.T) {
	env := newDashEnv(t, "", true)
	ctx := context.Background()
	def, _ := env.reg.Get(surveys.Default)
	cs, err := env.st.Counters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sum := scoring.NewTallyFor(def)
	for _, c := range cs {
		if c.Division != "qltm" {
			continue
		}
		if err := env.st.MergeRollups(ctx, surveys.DayFilter{Survey: def.ID, FromDay: "2026-01-01", ToDay: "2027-01-01", Counter: c.Code}, sum); err != nil {
			t.Fatal(err)
		}
	}
	if sum.Respondents == 0 {
		t.Fatal("no responses in division qltm")
	}
	body := string(env.mustGet(t, "/dashboard?division=qltm"))
	if !strings.Contains(body, "<b>"+i18n.Int(i18n.VI, sum.Respondents)+"</b>") {
		t.Errorf("division qltm: respondents %d not shown", sum.Respondents)
	}
	body = string(env.mustGet(t, "/dashboard"))
	counters := body[strings.Index(body, `id="by-counter"`):]
	counters = counters[:strings.Index(counters, "</table>")]
	rows := regexp.MustCompile(`<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>`).FindAllStringSubmatch(counters, -1)
	if len(rows) < len(cs) {
		t.Errorf("%d counter rows, want every counter (%d): no top-N cut", len(rows), len(cs))
	}
	for _, c := range cs {
		sc, err := env.scores.Score(ctx, scores.Query{From: "2026-01-01", To: "2027-01-01", Counter: c.Code})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rows {
			if r[1] == c.Name.VI {
				found = true
				if r[2] != i18n.Percent(i18n.VI, *sc.ServiceIndex) || r[4] != i18n.Int(i18n.VI, sc.Respondents) {
					t.Errorf("counter %s: row %q, want index %v n %d", c.Code, r[1:], *sc.ServiceIndex, sc.Respondents)
				}
			}
		}
		if !found && sc.Respondents > 0 {
			t.Errorf("counter %s missing from the breakdown", c.Code)
		}
	}
}

func TestReportPrintsTheFiveSubIndices(t *testing.T) {
	env := newDashEnv(t, "", true)
	ctx := context.Background()
	// A comment with markup must come out escaped.
	r := surveys.Response{ID: "11111111-2222-4333-8444-555555555555", Survey: surveys.Default, Version: 1,
		Counter: "sct-thuongmai", Channel: surveys.ChannelQR, Lang: "vi", Answers: map[string]int{"A1": 5},
		Extra:       map[string]string{"comment": `<script>alert(1)</script> tốt`},
		SubmittedAt: dashNow.Add(-time.Hour), ReceivedAt: dashNow.Add(-time.Hour)}
	if _, err := env.st.InsertResponses(ctx, []surveys.Response{r}); err != nil {
		t.Fatal(err)
	}
	def, _ := env.reg.Get(surveys.Default)
	for _, q := range []string{"", "?quarter=2026-Q3", "?year=2025", "?quarter=2026-Q9", "?year=abc"} {
		body := string(env.mustGet(t, "/dashboard/report"+q))
		for _, f := range def.Factors {
			if !strings.Contains(body, f.Code+". "+f.Name.VI) {
				t.Errorf("report%s lacks sub-index %s", q, f.Code)
			}
		}
		for _, want := range []string{"Chỉ số chung", `id="report_indices"`, `id="report_trend_E"`, "Phương pháp", "Số phiếu theo kênh", "/static/dashboard.css"} {
			if !strings.Contains(body, want) {
				t.Errorf("report%s lacks %q", q, want)
			}
		}
		if strings.Contains(body, "<script>alert(1)") {
			t.Errorf("report%s shows a comment unescaped", q)
		}
	}
	body := string(env.mustGet(t, "/dashboard/report?quarter=2026-Q3"))
	if !strings.Contains(body, "Quý III/2026") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; tốt") {
		t.Error("report of 2026-Q3 lacks its heading or the recent comment")
	}
	if !strings.Contains(string(env.mustGet(t, "/dashboard/report?year=2025")), "Năm 2025") {
		t.Error("report of 2025 lacks its heading")
	}
	css := string(env.mustGet(t, "/static/dashboard.css"))
	for _, want := range []string{"@page", "size: A4", "@media print", "break-before: page"} {
		if !strings.Contains(css, want) {
			t.Errorf("dashboard.css lacks %q", want)
		}
	}
}
