package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// signIn signs in through /login like a browser and returns the client.
func signIn(t *testing.T, base, user, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	form := url.Values{"username": {user}, "password": {password}}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)"`).FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], m[2])
	}
	resp, err = client.PostForm(base+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasSuffix(resp.Request.URL.Path, "/dashboard") {
		t.Fatalf("sign-in as %s ended at %s with %d:\n%.400s", user, resp.Request.URL, resp.StatusCode, body)
	}
	return client
}

// TestDemoSignIn: the first run with --demo prints a one-time admin
// password that signs in to the dashboard; a second run creates none.
func TestDemoSignIn(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, dir, "--demo")
	// The output reaches us through a pipe: poll for it, bounded.
	var m []string
	for deadline := time.Now().Add(10 * time.Second); m == nil && time.Now().Before(deadline); {
		m = regexp.MustCompile(`mật khẩu \(password\): (\S+)`).FindStringSubmatch(srv.log.String())
		if m == nil {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if m == nil {
		t.Fatalf("no demo password printed:\n%s", srv.log.String())
	}
	client := signIn(t, srv.base, "admin", m[1])
	resp, err := client.Get(srv.base + "/dashboard?period=year")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Tiếp cận dịch vụ") {
		t.Errorf("dashboard: %d", resp.StatusCode)
	}
	srv.stop(t)
	srv = startServer(t, dir, "--demo")
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(srv.log.String(), "Đăng nhập (sign in)") && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(srv.log.String(), "Đăng nhập (sign in)") {
		t.Fatalf("no welcome printed:\n%s", srv.log.String())
	}
	if strings.Contains(srv.log.String(), "mật khẩu (password):") {
		t.Error("a second --demo run printed another password")
	}
	srv.stop(t)
}

// TestUserAdd: `sipas user add` reads the password from standard input,
// applies the policy, and the account signs in.
func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := runCmd(t, "short\n", "user", "add", "--data", dir, "--name", "lan", "--role", "analyst"); code == 0 || !strings.Contains(stderr, "password refused") {
		t.Errorf("short password: exit %d, %s", code, stderr)
	}
	if _, stderr, code := runCmd(t, "x\n", "user", "add", "--data", dir, "--name", "lan", "--role", "boss"); code != exitUsage {
		t.Errorf("bad role: exit %d, %s", code, stderr)
	}
	out, stderr, code := runCmd(t, "Mật-khẩu-đủ-dài-2026\n", "user", "add", "--data", dir, "--name", "lan", "--role", "analyst")
	if code != 0 || !strings.Contains(out, "lan") {
		t.Fatalf("user add: exit %d, %s %s", code, out, stderr)
	}
	if _, _, code := runCmd(t, "Mật-khẩu-đủ-dài-2026\n", "user", "add", "--data", dir, "--name", "lan", "--role", "analyst"); code == 0 {
		t.Error("adding an existing user again succeeded without --replace")
	}
	srv := startServer(t, dir)
	client := signIn(t, srv.base, "lan", "Mật-khẩu-đủ-dài-2026")
	resp, err := client.Get(srv.base + "/admin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("an analyst on /admin: %d, want 403", resp.StatusCode)
	}
	srv.stop(t)
}
