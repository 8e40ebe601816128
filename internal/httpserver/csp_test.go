package httpserver

import (
	"regexp"
	"strings"
	"testing"
)

func TestContentSecurityPolicy(t *testing.T) {
	env := newTestEnv(t, Config{})
	nonceRe := regexp.MustCompile(`'nonce-([A-Za-z0-9_-]+)'`)
	seen := map[string]bool{}
	for _, path := range []string{"/", "/s/mot-cua-01", "/s/mot-cua-01?lang=en", "/s/mot-cua-01/poster", "/s/nowhere", "/healthz"} {
		resp, body := env.get(t, path)
		csp := resp.Header.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: policy %q", path, csp)
			continue
		}
		for _, d := range []string{"default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: policy lacks %q", path, d)
			}
		}
		m := nonceRe.FindStringSubmatch(csp)
		if m == nil {
			t.Fatalf("%s: no nonce in %q", path, csp)
		}
		if seen[m[1]] {
			t.Errorf("%s: nonce %s reused", path, m[1])
		}
		seen[m[1]] = true
		// Every inline <style> is allowed: by the stylesheet's hash or by
		// this response's nonce.
		for _, st := range regexp.MustCompile(`(?s)<style([^>]*)>(.*?)</style>`).FindAllStringSubmatch(body, -1) {
			byHash := strings.Contains(csp, "'"+cspHash(st[2])+"'")
			byNonce := strings.Contains(st[1], `nonce="`+m[1]+`"`)
			if !byHash && !byNonce {
				t.Errorf("%s: an inline style is allowed neither by hash nor by nonce", path)
			}
		}
		for _, tag := range regexp.MustCompile(`(?i)<script[^>]*>`).FindAllString(body, -1) {
			if !strings.Contains(tag, " src=") {
				t.Errorf("%s: inline script %s on a public page", path, tag)
			}
		}
		if strings.Contains(body, ` style="`) || regexp.MustCompile(`\son[a-z]+="`).MatchString(body) {
			t.Errorf("%s: inline style attribute or event handler", path)
		}
	}
}
