package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/internal/demo"
	"github.com/sipas/sipas/internal/httpserver"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/retention"
	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/surveys"
)

// cmdServe runs the server until SIGINT or SIGTERM, then drains requests
// and closes the store cleanly.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var c Config
	fs := commandFlags("serve", &c, stderr)
	fs.StringVar(&c.Addr, "addr", env("SIPAS_ADDR", "127.0.0.1:8080"), "address to listen on, HOST:PORT")
	fs.StringVar(&c.BaseURL, "base-url", env("SIPAS_BASE_URL", ""), "public base URL for QR codes (default: from each request)")
	fs.BoolVar(&c.Demo, "demo", env("SIPAS_DEMO", "") == "1", "seed demo data (once) on start")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long to drain requests on SIGTERM")
	fs.IntVar(&c.RatePublic, "rate-public", envInt("SIPAS_RATE_PUBLIC", httpserver.DefaultSubmitLimits.PublicPerMinute), "submissions a minute per client address (0: no limit)")
	fs.IntVar(&c.RateDevice, "rate-device", envInt("SIPAS_RATE_DEVICE", httpserver.DefaultSubmitLimits.DevicePerMinute), "submissions a minute per enrolled tablet (0: no limit)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("SIPAS_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is trusted")
	fs.IntVar(&c.CommentRetentionDays, "comment-retention-days", envInt("SIPAS_COMMENT_RETENTION_DAYS", 0), "remove free-text comments older than this many days (0: keep)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", env("SIPAS_SECURE_COOKIES", "") == "1", "mark staff cookies Secure (set when TLS ends at a proxy)")
	if !parseFlags(fs, args, &c, stderr) {
		return exitUsage
	}
	log := newLogger(stderr, c.level())
	log.Info("starting", "version", version, "addr", c.Addr, "data", c.Data, "mongo_uri", c.maskedMongoURI(), "base_url", c.BaseURL, "demo", c.Demo)

	reg, err := surveys.LoadEmbedded()
	if err != nil {
		log.Error("survey definitions invalid", "err", err)
		return exitRejected
	}
	s, err := openStore(ctx, &c, reg, log)
	if err != nil {
		log.Error("store unavailable", "err", err)
		return exitRejected
	}
	defer func() {
		if err := s.Close(); err != nil {
			log.Error("closing store", "err", err)
		} else {
			log.Info("store closed")
		}
	}()
	if c.Demo {
		def, _ := reg.Get(surveys.Default)
		seedCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		_, err := demo.Seed(seedCtx, s, def, demo.Options{}, log)
		cancel()
		if err != nil {
			log.Error("seeding demo data", "err", err)
			return exitRejected
		}
	}
	limits := httpserver.DefaultSubmitLimits
	limits.PublicPerMinute, limits.DevicePerMinute = c.RatePublic, c.RateDevice
	app, err := httpserver.New(httpserver.Config{
		BaseURL: c.BaseURL, Limits: limits, TrustedProxies: c.proxies, SecureCookies: c.SecureCookies,
	}, httpserver.Deps{
		Store: s, Surveys: reg, Catalog: i18n.New(), Logger: log,
		Scores: scores.New(excluding{s, reg}, reg), Staff: excluding{s, reg},
	})
	if err != nil {
		log.Error("building HTTP server", "err", err)
		return exitRejected
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		log.Error("listen", "addr", c.Addr, "err", err)
		return exitRejected
	}
	var demoAdmin string
	if c.Demo {
		if demoAdmin, err = ensureDemoAdmin(ctx, s); err != nil {
			log.Error("creating the demo account", "err", err)
			return exitRejected
		}
	}
	printWelcome(stdout, "http://"+ln.Addr().String(), s, ctx, demoAdmin)

	if c.CommentRetentionDays > 0 {
		go retention.Run(ctx, s, c.CommentRetentionDays, 6*time.Hour, log)
	}

	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		if err != nil {
			log.Error("server stopped", "err", err)
			return exitRejected
		}
		return exitOK
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests", "timeout", c.ShutdownTimeout)
	if err := app.ShutdownWithTimeout(c.ShutdownTimeout); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Error("shutdown", "err", err)
	}
	<-served
	return exitOK
}

// demoAdminName is the account --demo creates when there is none.
const demoAdminName = "admin"

// ensureDemoAdmin creates, on a store without any staff account, an admin
// account with a random password, and returns that password ("" when
// accounts exist). It is printed once; nothing else keeps it.
func ensureDemoAdmin(ctx context.Context, s store) (string, error) {
	us, err := s.Users(ctx)
	if err != nil || len(us) > 0 {
		return "", err
	}
	pw := auth.NewToken()[:16]
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return "", err
	}
	now := time.Now().UTC()
	u := surveys.User{Name: demoAdminName, DisplayName: "Quản trị (demo)", Role: surveys.RoleAdmin,
		PasswordHash: hash, CreatedAt: now, PasswordChangedAt: now}
	if err := s.PutUser(ctx, u); err != nil {
		return "", err
	}
	_ = s.AppendAudit(ctx, surveys.AuditEntry{At: now, Actor: "system", Action: "user.create", Target: demoAdminName, Detail: "demo account"})
	return pw, nil
}

// printWelcome tells a first-time user where to go and how to sign in.
func printWelcome(w io.Writer, base string, s store, ctx context.Context, demoPassword string) {
	fmt.Fprintf(w, "\nSIPAS đang chạy (is running) at %s\n\n", base)
	fmt.Fprintf(w, "  Danh sách quầy (counters):   %s/\n", base)
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if cs, err := s.Counters(cctx); err == nil && len(cs) > 0 {
		fmt.Fprintf(w, "  Phiếu khảo sát (form):       %s/s/%s\n", base, cs[0].Code)
		fmt.Fprintf(w, "  Áp phích QR (QR poster):     %s/s/%s/poster\n", base, cs[0].Code)
	} else {
		fmt.Fprintf(w, "  No counters yet: start with --demo to seed a demonstration organisation.\n")
	}
	fmt.Fprintf(w, "  Bảng điều khiển (dashboard): %s/dashboard\n", base)
	fmt.Fprintf(w, "  Máy tính bảng (kiosk):       %s/kiosk  (enrol tablets at %s/admin/devices)\n", base, base)
	fmt.Fprintf(w, "  Điểm số (scores, JSON):      %s/api/v1/scores\n", base)
	fmt.Fprintf(w, "  Sức khỏe (health):           %s/healthz  %s/readyz\n\n", base, base)
	if demoPassword != "" {
		fmt.Fprintf(w, "  Đăng nhập (sign in) at %s/login\n    tên (user): %s\n    mật khẩu (password): %s\n  (shown once; change it under Quản trị → Người dùng)\n\n", base, demoAdminName, demoPassword)
	} else {
		fmt.Fprintf(w, "  Đăng nhập (sign in) at %s/login with a staff account; create one with:\n    sipas user add --data DIR --name NAME --role admin  (password on standard input)\n\n", base)
	}
}
