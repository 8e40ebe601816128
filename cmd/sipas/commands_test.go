package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipas/sipas/internal/ferretrun"
	"github.com/sipas/sipas/surveys"
)

// scoreDoc is the part of the score document (SPEC 5.4) the tests read.
type scoreDoc struct {
	Survey       string   `json:"survey"`
	Respondents  int64    `json:"respondents"`
	ServiceIndex *float64 `json:"service_index"`
	Factors      []struct {
		Code     string      `json:"code"`
		Index    *float64    `json:"index"`
		CI95     *[2]float64 `json:"ci95"`
		Baseline float64     `json:"baseline"`
		Target   float64     `json:"target"`
		Verdict  string      `json:"verdict"`
		Items    []struct {
			Code      string   `json:"code"`
			Index     *float64 `json:"index"`
			Valid     int64    `json:"valid"`
			Satisfied int64    `json:"satisfied"`
		} `json:"items"`
	} `json:"factors"`
}

// TestServeSubmitAndScore goes through the promised interfaces only: a
// form post and API posts to a running server, the scores API, SIGTERM,
// then the score command on the same data.
func TestServeSubmitAndScore(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, dir, "--demo")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	before := getScore(t, srv.base+"/api/v1/scores?from=2099-01-01")
	if before.Respondents != 0 {
		t.Fatalf("future window has %d respondents", before.Respondents)
	}
	// The demo seeded thousands of responses.
	all := getScore(t, srv.base+"/api/v1/scores")
	if all.Respondents < 3000 || len(all.Factors) != 5 || all.Factors[0].Baseline != 83.99 || all.Factors[4].Target != 81.89 {
		t.Fatalf("demo scores: %+v", all)
	}

	// A citizen's form post.
	form := url.Values{"id": {surveys.NewUUID()}, "lang": {"vi"}, "A1": {"5"}, "A2": {"2"}, "B1": {"na"}, "comment": {"Rất tốt"}}
	resp, err := client.PostForm(srv.base+"/s/sct-thuongmai", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/thanks") {
		t.Fatalf("form post: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Two API posts and a replay.
	id := surveys.NewUUID()
	for i, want := range []int{201, 200} {
		code, body, err := postJSON(client, srv.base+"/api/v1/responses", map[string]any{
			"id": id, "survey": "sipas-2022", "counter": "sct-nangluong", "channel": "api",
			"answers": map[string]any{"A1": 4, "A2": nil, "E1": 1},
		})
		if err != nil || code != want {
			t.Fatalf("post %d: %d %s %v, want %d", i, code, body, err, want)
		}
	}
	after := getScore(t, srv.base+"/api/v1/scores")
	if after.Respondents != all.Respondents+2 {
		t.Errorf("respondents %d after two new responses, want %d", after.Respondents, all.Respondents+2)
	}
	srv.stop(t)

	out, stderr, code := runCmd(t, "", "score", "--data", dir, "--json")
	if code != 0 {
		t.Fatalf("score exit %d: %s", code, stderr)
	}
	var cli scoreDoc
	if err := json.Unmarshal([]byte(out), &cli); err != nil {
		t.Fatalf("score --json output: %v\n%s", err, out)
	}
	if cli.Respondents != after.Respondents || *cli.ServiceIndex != *after.ServiceIndex {
		t.Errorf("score command %d / %v, API %d / %v", cli.Respondents, *cli.ServiceIndex, after.Respondents, *after.ServiceIndex)
	}
	// Restarting with --demo seeds nothing twice.
	srv = startServer(t, dir, "--demo")
	if again := getScore(t, srv.base+"/api/v1/scores"); again.Respondents != after.Respondents {
		t.Errorf("restart with --demo: %d respondents, want %d", again.Respondents, after.Respondents)
	}
	srv.stop(t)

	// The readable table is Vietnamese first.
	out, _, code = runCmd(t, "", "score", "--data", dir, "--counter", "sct-nangluong")
	if code != 0 || !strings.Contains(out, "Tiếp cận dịch vụ") || !strings.Contains(out, "Năm gốc") {
		t.Errorf("score table (exit %d):\n%s", code, out)
	}
	if _, stderr, code := runCmd(t, "", "score", "--data", dir, "--from", "2025-13-01"); code != exitUsage || !strings.Contains(stderr, "from") {
		t.Errorf("bad --from: exit %d, %s", code, stderr)
	}
}

func getScore(t *testing.T, u string) scoreDoc {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	var d scoreDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return d
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "paper.csv")
	csv := "\ufeffsubmitted_at,A1,A2,B1,comment\n" +
		"2025-03-04 09:00:00,5,4,NA,Tốt\n" +
		"2025-03-04 09:05:00,9,4,,\n" +
		"2025-03-04 09:05:00,3,,,\n" +
		"2025-03-04 09:05:00,3,,,\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCmd(t, "", "import", "--data", dir, "--file", file)
	if code != 1 {
		t.Errorf("import with a rejected line: exit %d, want 1 (%s)", code, stderr)
	}
	for _, want := range []string{"line 3", "A1", "imported): 3", "duplicates): 0", "rejected): 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runCmd(t, "", "import", "--data", dir, "--file", file, "--json")
	var res struct{ Imported, Duplicates, Rejected int }
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Imported != 0 || res.Duplicates != 3 || res.Rejected != 1 {
		t.Errorf("re-import: %+v %v\n%s", res, err, out)
	}
	out, _, code = runCmd(t, "", "score", "--data", dir, "--json", "--from", "2025-03-04", "--to", "2025-03-05")
	var d scoreDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != 0 || d.Respondents != 3 {
		t.Errorf("score after import: %+v %v (exit %d)", d, err, code)
	}
	if d.Factors[0].Items[0].Valid != 3 || d.Factors[0].Items[0].Satisfied != 1 {
		t.Errorf("A1: %+v", d.Factors[0].Items[0])
	}
	// A file that is fine imports with exit 0.
	good := filepath.Join(t.TempDir(), "good.csv")
	os.WriteFile(good, []byte("submitted_at,C1\n2025-03-05T08:00:00+07:00,4\n"), 0o600)
	if _, stderr, code := runCmd(t, "", "import", "--data", dir, "--file", good); code != 0 {
		t.Errorf("good file: exit %d %s", code, stderr)
	}
	if _, stderr, code := runCmd(t, "", "import", "--data", dir, "--file", good, "--survey", "nope"); code == 0 || !strings.Contains(stderr, "nope") {
		t.Errorf("unknown survey: exit %d %s", code, stderr)
	}
}

// TestServeOnMongo runs the server against a MongoDB-compatible server
// (an in-process FerretDB, or SIPAS_TEST_MONGO_URI).
func TestServeOnMongo(t *testing.T) {
	uri := ferretrun.ForTest(t)
	u, _ := url.Parse(uri)
	u.Path = "/" + ferretrun.DBName(t)
	srv := startServer(t, t.TempDir(), "--mongo-uri", u.String())
	client := &http.Client{}
	id := surveys.NewUUID()
	for _, want := range []int{201, 200} {
		code, body, err := postJSON(client, srv.base+"/api/v1/responses", map[string]any{
			"id": id, "answers": map[string]any{"A1": 5, "C2": 4},
		})
		if err != nil || code != want {
			t.Fatalf("post: %d %s %v, want %d", code, body, err, want)
		}
	}
	d := getScore(t, srv.base+"/api/v1/scores")
	if d.Respondents != 1 || d.Factors[0].Items[0].Satisfied != 1 {
		t.Errorf("scores on MongoDB: %+v", d)
	}
	srv.stop(t)
	out, stderr, code := runCmd(t, "", "score", "--data", t.TempDir(), "--mongo-uri", u.String(), "--json")
	var cli scoreDoc
	if code != 0 || json.Unmarshal([]byte(out), &cli) != nil || cli.Respondents != 1 {
		t.Errorf("score on MongoDB: exit %d %s %s", code, out, stderr)
	}
}

// TestTwoServersOneDatabase runs two server processes on one
// MongoDB-compatible server and checks that idempotency, rollups and
// scores stay exact across both.
func TestTwoServersOneDatabase(t *testing.T) {
	uri := ferretrun.ForTest(t)
	u, _ := url.Parse(uri)
	u.Path = "/" + ferretrun.DBName(t)
	a := startServer(t, t.TempDir(), "--mongo-uri", u.String(), "--rate-public", "0")
	b := startServer(t, t.TempDir(), "--mongo-uri", u.String(), "--rate-public", "0")
	client := &http.Client{}
	const n = 40
	ids := make([]string, n)
	for i := range ids {
		ids[i] = surveys.NewUUID()
	}
	type result struct{ created, dup int }
	results := make(chan result, 2)
	for _, srv := range []*server{a, b} {
		go func(srv *server) {
			var r result
			// Both servers get every id: each response is sent twice.
			for i, id := range ids {
				code, _, err := postJSON(client, srv.base+"/api/v1/responses", map[string]any{
					"id": id, "answers": map[string]any{"A1": 1 + i%5, "E2": 4},
				})
				switch {
				case err != nil:
				case code == 201:
					r.created++
				case code == 200:
					r.dup++
				}
			}
			results <- r
		}(srv)
	}
	r1, r2 := <-results, <-results
	if r1.created+r2.created != n || r1.dup+r2.dup != n {
		t.Errorf("created %d+%d, duplicates %d+%d; want %d created and %d duplicates in all",
			r1.created, r2.created, r1.dup, r2.dup, n, n)
	}
	sa := getScore(t, a.base+"/api/v1/scores")
	sb := getScore(t, b.base+"/api/v1/scores")
	if sa.Respondents != n || sb.Respondents != n {
		t.Errorf("respondents: server A %d, server B %d, want %d", sa.Respondents, sb.Respondents, n)
	}
	// A1 values cycle 1..5: satisfied (4, 5) are 2 of every 5.
	if got := sa.Factors[0].Items[0]; got.Valid != n || got.Satisfied != 2*n/5 {
		t.Errorf("A1: %+v", got)
	}
	a.stop(t)
	b.stop(t)
	// After both stopped, a restart heals nothing and still counts n.
	c := startServer(t, t.TempDir(), "--mongo-uri", u.String())
	if sc := getScore(t, c.base+"/api/v1/scores"); sc.Respondents != n {
		t.Errorf("after restart: %d respondents, want %d", sc.Respondents, n)
	}
	c.stop(t)
}

// TestServeRateLimits: the server limits public submissions per client
// address by default, with a 429 and Retry-After.
func TestServeRateLimits(t *testing.T) {
	srv := startServer(t, t.TempDir(), "--rate-public", "6")
	client := &http.Client{}
	limited := 0
	for i := 0; i < 20; i++ {
		code, _, err := postJSON(client, srv.base+"/api/v1/responses", map[string]any{
			"id": surveys.NewUUID(), "answers": map[string]any{"A1": 4},
		})
		if err != nil {
			t.Fatal(err)
		}
		if code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 || limited > 17 {
		t.Errorf("%d of 20 quick submissions limited at 6 a minute, want most of them", limited)
	}
	srv.stop(t)
}
