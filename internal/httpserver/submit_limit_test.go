package httpserver

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/surveys"
)

func submit(t *testing.T, env *testEnv, header ...string) *http.Response {
	t.Helper()
	body := `{"id": "` + surveys.NewUUID() + `", "answers": {"A1": 4}}`
	req := httptest.NewRequest(http.MethodPost, "/api/v1/responses", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, _ := env.do(t, req)
	return resp
}

func TestSubmitRateLimits(t *testing.T) {
	limits := SubmitLimits{PublicPerMinute: 6, PublicBurst: 3, DevicePerMinute: 6, DeviceBurst: 2}

	t.Run("public budget per address", func(t *testing.T) {
		env := newTestEnv(t, Config{Limits: limits})
		for i := 0; i < 3; i++ {
			if r := submit(t, env); r.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("request %d of the burst limited", i)
			}
		}
		r := submit(t, env)
		if r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("4th request: %d, want 429", r.StatusCode)
		}
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 10 {
			t.Errorf("Retry-After %q, want the limiter's wait (about 10 s)", r.Header.Get("Retry-After"))
		}
		// The form shares the budget.
		resp, _ := env.postForm(t, "/s/q1", map[string][]string{"A1": {"5"}})
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("form post after the budget: %d, want 429", resp.StatusCode)
		}
	})

	t.Run("tablets have their own budgets", func(t *testing.T) {
		env := newTestEnv(t, Config{Limits: limits})
		for i := 0; i < 3; i++ {
			submit(t, env) // the public budget of this address is spent
		}
		for _, tok := range []string{"tablet-one-token", "tablet-two-token"} {
			for i := 0; i < 2; i++ {
				if r := submit(t, env, "Authorization", "Bearer "+tok); r.StatusCode == http.StatusTooManyRequests {
					t.Errorf("%s request %d limited: tablets behind one address throttle each other", tok, i)
				}
			}
			if r := submit(t, env, "Authorization", "Bearer "+tok); r.StatusCode != http.StatusTooManyRequests {
				t.Errorf("%s over its burst: %d, want 429", tok, r.StatusCode)
			}
		}
	})

	t.Run("forwarded address only from trusted proxies", func(t *testing.T) {
		// app.Test connections come from 0.0.0.0.
		trusting := newTestEnv(t, Config{Limits: limits, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}})
		for i := 0; i < 3; i++ {
			submit(t, trusting, "X-Forwarded-For", "203.0.113.1")
		}
		if r := submit(t, trusting, "X-Forwarded-For", "203.0.113.2"); r.StatusCode == http.StatusTooManyRequests {
			t.Error("behind a trusted proxy, two clients share one budget")
		}
		if r := submit(t, trusting, "X-Forwarded-For", "198.51.100.9, 203.0.113.1"); r.StatusCode != http.StatusTooManyRequests {
			t.Error("the rightmost untrusted hop was not taken as the client (a spoofed leftmost hop escaped)")
		}
		untrusting := newTestEnv(t, Config{Limits: limits})
		for i := 0; i < 3; i++ {
			submit(t, untrusting, "X-Forwarded-For", "203.0.113."+strconv.Itoa(i))
		}
		if r := submit(t, untrusting, "X-Forwarded-For", "203.0.113.99"); r.StatusCode != http.StatusTooManyRequests {
			t.Error("a forwarded header from an untrusted peer chose the rate-limit key")
		}
	})

	t.Run("off by default", func(t *testing.T) {
		env := newTestEnv(t, Config{})
		for i := 0; i < 30; i++ {
			if r := submit(t, env); r.StatusCode == http.StatusTooManyRequests {
				t.Fatal("limited without limits configured")
			}
		}
	})
}
