package e2e

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/internal/browsertest"
	"github.com/sipas/sipas/internal/demo"
	"github.com/sipas/sipas/internal/httpserver"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

// Desktop is the analyst's screen.
var Desktop = browsertest.Screen{Width: 1366, Height: 900, Scale: 1}

const (
	analystName = "phan-tich"
	analystPass = "mật-khẩu-thử-nghiệm-dài"
)

// dashboardCharts are the chart containers of /dashboard.
var dashboardCharts = []string{"chart_indices", "chart_trend_A", "chart_trend_B", "chart_trend_C", "chart_trend_D", "chart_trend_E",
	"chart_trend_service", "chart_heatmap", "chart_distribution", "chart_daily"}

// startStaffServer serves the whole application, staff side included, on
// the demo organisation and data, with one analyst account.
func startStaffServer(t *testing.T) *server {
	t.Helper()
	browsertest.Need(t)
	ctx := context.Background()
	lw := &tLogWriter{t: t}
	logger := slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "e2e.db"), reg, logger)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := reg.Get(surveys.Default)
	if _, err := demo.Seed(ctx, st, def, demo.Options{Months: 14, PerDay: 8}, logger); err != nil {
		st.Close()
		t.Fatal(err)
	}
	hash, err := auth.HashPasswordWith(analystPass, auth.Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour)
	if err := st.PutUser(ctx, surveys.User{Name: analystName, DisplayName: "Chuyên viên", Role: surveys.RoleAnalyst,
		PasswordHash: hash, CreatedAt: past, PasswordChangedAt: past}); err != nil {
		st.Close()
		t.Fatal(err)
	}
	cat := i18n.New()
	app, err := httpserver.New(httpserver.Config{}, httpserver.Deps{
		Store: st, Staff: st, Scores: scores.New(st, reg), Surveys: reg, Catalog: cat, Logger: logger,
	})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	srv := serveApp(t, app, st, cat, lw)
	return srv
}

// signIn signs in through the form and waits for the dashboard.
func signIn(t *testing.T, b *browsertest.Browser, s *server) {
	t.Helper()
	b.Do(t,
		chromedp.Navigate(s.base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), analystName),
		chromedp.SendKeys(chromedp.ID("password"), analystPass),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("chart_indices")),
	)
}

// waitCharts waits until every chart container holds a canvas.
func waitCharts(t *testing.T, b *browsertest.Browser, ids []string) {
	t.Helper()
	for _, id := range ids {
		b.Do(t, chromedp.WaitReady(chromedp.CSS("#"+id+" canvas")))
	}
	for _, id := range ids {
		ok := browsertest.Run(t, b, chromedp.Evaluate[bool](`(() => {
			const c = document.querySelector("#`+id+` canvas");
			return c !== null && c.width > 100 && c.height > 100;
		})()`))
		if !ok {
			t.Errorf("chart %s has no canvas of a sensible size", id)
		}
	}
}

// TestDashboardDesktop signs in, opens the dashboard on demo data and
// checks that every chart renders, nothing leaves the server and the
// console stays clean; then the same for the periodic report.
func TestDashboardDesktop(t *testing.T) {
	s := startStaffServer(t)
	b := browsertest.New(t)
	b.Do(t, browsertest.Emulate(Desktop))
	signIn(t, b, s)
	waitCharts(t, b, dashboardCharts)
	title := browsertest.Run(t, b, chromedp.Text(chromedp.CSS("h1")))
	if want := s.cat.T("vi", "dash.title"); title != want {
		t.Errorf("h1 = %q, want %q", title, want)
	}
	shots := os.Getenv("SIPAS_SCREENSHOTS") == "1"
	if shots {
		b.Do(t, chromedp.Sleep(time.Second)) // let ECharts' entry animation finish
		b.Screenshot(t, filepath.Join("..", "..", "docs", "screenshots", "dashboard.png"))
	}

	b.Do(t,
		chromedp.Navigate(s.base+"/dashboard/report"),
		chromedp.WaitVisible(chromedp.ID("report_indices")),
	)
	waitCharts(t, b, []string{"report_indices", "report_trend_A", "report_trend_E", "report_trend_service"})
	if shots {
		b.Do(t, chromedp.Sleep(time.Second))
		b.Screenshot(t, filepath.Join("..", "..", "docs", "screenshots", "report.png"))
	}

	// A filtered view, shared by its URL, renders too.
	b.Do(t,
		chromedp.Navigate(s.base+"/dashboard?period=quarter&division=qltm&channel=qr"),
		chromedp.WaitVisible(chromedp.ID("chart_indices")),
	)
	waitCharts(t, b, dashboardCharts)
	checkClean(t, b, s)
}
