package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
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

// TestExcludedResponsesLeaveTheIndices: a response an analyst excludes
// after review disappears from the scores (API and command) and returns
// when taken back; it stays stored.
func TestExcludedResponsesLeaveTheIndices(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := runCmd(t, "Mật-khẩu-đủ-dài-2026\n", "user", "add", "--data", dir, "--name", "lan", "--role", "analyst"); code != 0 {
		t.Fatal(stderr)
	}
	srv := startServer(t, dir, "--rate-public", "0")
	ids := []string{surveys.NewUUID(), surveys.NewUUID(), surveys.NewUUID()}
	for i, id := range ids {
		code, body, err := postJSON(&http.Client{}, srv.base+"/api/v1/responses", map[string]any{
			"id": id, "channel": "kiosk", "answers": map[string]any{"A1": 1 + 2*i},
		})
		if err != nil || code != 201 {
			t.Fatalf("post: %d %s %v", code, body, err)
		}
	}
	client := signIn(t, srv.base, "lan", "Mật-khẩu-đủ-dài-2026")
	resp, err := client.Get(srv.base + "/dashboard/flags")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(page))
	if m == nil || !strings.Contains(string(page), ids[0]) {
		t.Fatalf("the review page lacks the flagged responses or a CSRF token")
	}
	exclude := func(id, on string) {
		resp, err := client.PostForm(srv.base+"/dashboard/flags/exclude", url.Values{"id": {id}, "on": {on}, "csrf": {m[1]}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 { // followed the 303 back to the review page
			t.Fatalf("exclude %s on=%s: %d", id, on, resp.StatusCode)
		}
	}
	exclude(ids[2], "1") // the only satisfied answer (A1 = 5)
	d := getScore(t, srv.base+"/api/v1/scores")
	if d.Respondents != 2 || d.Factors[0].Items[0].Satisfied != 0 {
		t.Errorf("after excluding: %d respondents, %d satisfied on A1; want 2 and 0", d.Respondents, d.Factors[0].Items[0].Satisfied)
	}
	exclude(ids[2], "0")
	if d := getScore(t, srv.base+"/api/v1/scores"); d.Respondents != 3 {
		t.Errorf("after taking it back: %d respondents, want 3", d.Respondents)
	}
	exclude(ids[0], "1")
	srv.stop(t)
	out, _, code := runCmd(t, "", "score", "--data", dir, "--json")
	var cli scoreDoc
	if code != 0 || json.Unmarshal([]byte(out), &cli) != nil || cli.Respondents != 2 {
		t.Errorf("score command after excluding one of three: %s", out)
	}
}
