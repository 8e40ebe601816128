package loadtest

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

var discard = slog.New(slog.DiscardHandler)

const (
	testDuration    = 300 * time.Millisecond
	testConcurrency = 4
)

func checkSane(t *testing.T, name string, r Result) {
	t.Helper()
	if r.OK <= 0 || r.Errors != 0 || r.Requests != r.OK+r.Errors {
		t.Errorf("%s: %+v; want ok > 0, no errors, requests = ok + errors", name, r)
	}
	if r.RPS <= 0 {
		t.Errorf("%s: rps %v, want > 0", name, r.RPS)
	}
	if !(0 < r.P50ms && r.P50ms <= r.P95ms && r.P95ms <= r.P99ms) {
		t.Errorf("%s: percentiles %v, %v, %v; want 0 < p50 <= p95 <= p99", name, r.P50ms, r.P95ms, r.P99ms)
	}
}

func TestRun(t *testing.T) {
	srv, st := startAPI(t)
	res, err := Run(t.Context(), Options{Target: srv.url, Duration: testDuration, Concurrency: testConcurrency})
	if err != nil {
		t.Fatal(err)
	}
	checkSane(t, "run", res)
	if n := countAll(t, st); n != res.OK {
		t.Errorf("%d responses stored, want ok = %d", n, res.OK)
	}
}

func TestRunWithCounter(t *testing.T) {
	srv, st := startAPI(t)
	if err := ensureCounter(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), Options{Target: srv.url, Duration: 100 * time.Millisecond, Concurrency: 2, Counter: FormCounter})
	if err != nil {
		t.Fatal(err)
	}
	checkSane(t, "run", res)
	n, err := st.CountResponses(t.Context(), surveys.ResponseFilter{Counter: FormCounter})
	if err != nil {
		t.Fatal(err)
	}
	if n != res.OK {
		t.Errorf("%d responses stored for %s, want %d", n, FormCounter, res.OK)
	}
}

// TestRunCountsRefusals: a status other than 201 and 200 is an error.
func TestRunCountsRefusals(t *testing.T) {
	srv, _ := startAPI(t)
	res, err := Run(t.Context(), Options{Target: srv.url, Duration: 100 * time.Millisecond, Concurrency: 2, Counter: "no-such-counter"})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 0 || res.Errors == 0 {
		t.Errorf("%+v; want every submission to an unknown counter counted as an error", res)
	}
}

func TestRunEndsWithContext(t *testing.T) {
	srv, _ := startAPI(t)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Run(ctx, Options{Target: srv.url, Duration: time.Hour, Concurrency: 2})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("ran %v after its context ended", d)
	}
}

func TestCheckTarget(t *testing.T) {
	for _, c := range []struct {
		target string
		ok     bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.3.2.1:8080/", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://192.0.2.1", false},
		{"https://[2001:db8::1]:443", false},
		{"http://0.0.0.0:8080", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
	} {
		_, err := checkTarget(t.Context(), c.target, false)
		if (err == nil) != c.ok {
			t.Errorf("checkTarget(%q) = %v, want ok %v", c.target, err, c.ok)
		}
	}
	if _, err := checkTarget(t.Context(), "http://192.0.2.1", true); err != nil {
		t.Errorf("with AllowRemote: %v", err)
	}
}

func TestRunRefusesRemoteTarget(t *testing.T) {
	// 192.0.2.0/24 is reserved for documentation: nothing answers there,
	// and the refusal comes before any packet is sent.
	_, err := Run(t.Context(), Options{Target: "http://192.0.2.1:8080", Duration: time.Second, Concurrency: 1})
	if !errors.Is(err, errRemote) {
		t.Errorf("err = %v, want the remote target refused", err)
	}
}

// TestClientDialsOnlyLoopback: the default client refuses a non-loopback
// address before connecting, whatever URL it is given.
func TestClientDialsOnlyLoopback(t *testing.T) {
	c := newClient(1, time.Second, false)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://192.0.2.1:9/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, errRemote) {
		t.Errorf("err = %v, want the dial refused", err)
	}
}

func TestOptionsChecked(t *testing.T) {
	for _, o := range []Options{
		{Target: "http://127.0.0.1:1", Duration: 0, Concurrency: 1},
		{Target: "http://127.0.0.1:1", Duration: time.Second, Concurrency: 0},
		{Target: "http://127.0.0.1:1", Duration: time.Second, Concurrency: MaxConcurrency + 1},
		{Target: "http://127.0.0.1:1", Duration: time.Second, Concurrency: 1, Counter: "Not A Code"},
	} {
		if _, err := Run(t.Context(), o); err == nil {
			t.Errorf("Run(%+v) accepted", o)
		}
	}
}
