package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/internal/browsertest"
	"github.com/sipas/sipas/surveys"
)

func TestZZShots(t *testing.T) {
	if os.Getenv("ZZ_SHOTS") == "" {
		t.Skip()
	}
	s := startStaffServer(t)
	hash, _ := auth.HashPasswordWith(analystPass, auth.Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32})
	past := time.Now().Add(-time.Hour)
	s.store.PutUser(context.Background(), surveys.User{Name: "boss", DisplayName: "Quản trị", Role: surveys.RoleAdmin, PasswordHash: hash, CreatedAt: past, PasswordChangedAt: past})
	b := browsertest.New(t)
	b.Do(t, browsertest.Emulate(Desktop))
	b.Do(t, chromedp.Navigate(s.base+"/login"), chromedp.WaitVisible(chromedp.ID("username")))
	b.Screenshot(t, "/tmp/shots/login.png")
	b.Do(t,
		chromedp.SendKeys(chromedp.ID("username"), "boss"),
		chromedp.SendKeys(chromedp.ID("password"), analystPass),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("chart_indices")),
	)
	for name, path := range map[string]string{"admin": "/admin", "counters": "/admin/counters", "devices": "/admin/devices", "paper": "/dashboard/paper", "home": "/", "form-desktop": "/s/sct-thuongmai", "poster": "/s/sct-thuongmai/poster", "users": "/admin/users", "baselines": "/admin/baselines", "audit": "/admin/audit", "flags": "/dashboard/flags"} {
		b.Do(t, chromedp.Navigate(s.base+path), chromedp.Sleep(300*time.Millisecond))
		b.FullScreenshot(t, "/tmp/shots/"+name+".png")
	}
}
