// Package loadtest measures SIPAS under load: it submits realistic
// responses through the HTTP API of a running server (Run), compares that
// with inserts straight into the embedded store (Compare), and compares
// the citizen form with a bare Fiber handler (CompareForm).
//
// Load goes only to loopback addresses unless a caller explicitly allows
// another target: these tools must not be pointed at someone else's server
// by accident.
package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/sipas/sipas/surveys"
)

// Limits of Options.
const (
	MaxConcurrency = 10000
	MaxDuration    = 24 * time.Hour
	// requestTimeout bounds one request, so a worker's loop ends at most
	// this long after the phase's duration even if the server hangs.
	requestTimeout = 10 * time.Second
)

// Options configures Run.
type Options struct {
	// Target is the server's base URL, such as http://127.0.0.1:8080.
	Target string
	// Duration is how long workers start new requests; requests in flight
	// at the end are waited for.
	Duration time.Duration
	// Concurrency is the number of workers, each with one request in
	// flight at a time.
	Concurrency int
	// Counter, when set, is the counter code every response names.
	Counter string
	// Client sends the requests. Nil: a client with one kept-alive
	// connection per worker that can only dial loopback addresses.
	Client *http.Client
	// AllowRemote permits a Target that is not a loopback address.
	AllowRemote bool
}

func checkLoad(d time.Duration, c int) error {
	if d <= 0 || d > MaxDuration {
		return fmt.Errorf("loadtest: duration %v out of range (0, %v]", d, MaxDuration)
	}
	if c < 1 || c > MaxConcurrency {
		return fmt.Errorf("loadtest: concurrency %d out of range [1, %d]", c, MaxConcurrency)
	}
	return nil
}

// Run submits freshly generated responses to Target's
// POST /api/v1/responses from Concurrency workers for Duration. A 201 or
// 200 counts as ok; any other status or a transport error as an error.
// When ctx ends early it returns what was measured and ctx's error.
func Run(ctx context.Context, opt Options) (Result, error) {
	if err := checkLoad(opt.Duration, opt.Concurrency); err != nil {
		return Result{}, err
	}
	if opt.Counter != "" && !surveys.ValidCounterCode(opt.Counter) {
		return Result{}, fmt.Errorf("loadtest: %q is not a counter code", opt.Counter)
	}
	u, err := checkTarget(ctx, opt.Target, opt.AllowRemote)
	if err != nil {
		return Result{}, err
	}
	_, def, err := registry()
	if err != nil {
		return Result{}, err
	}
	client := opt.Client
	if client == nil {
		client = newClient(opt.Concurrency, requestTimeout, opt.AllowRemote)
		defer client.CloseIdleConnections()
	}
	endpoint := u.JoinPath("api", "v1", "responses").String()
	seed := rand.Uint64()
	return hammer(ctx, opt.Concurrency, opt.Duration, func(i int) shot {
		return postShot(client, endpoint, def, newGen(def, opt.Counter, seed+uint64(i)))
	})
}

// A shot is one request of a worker. It returns the request's latency,
// whether it succeeded, and whether it got an answer at all: a request
// that got none has no latency worth recording.
type shot func(ctx context.Context) (lat time.Duration, ok, answered bool)

// hammer runs conc workers, each firing its shot (made by newShot) one
// after another until dur has passed or ctx ends, and summarises them.
func hammer(ctx context.Context, conc int, dur time.Duration, newShot func(worker int) shot) (Result, error) {
	t := newTally()
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for i := range conc {
		fire := newShot(i)
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				lat, ok, answered := fire(ctx)
				if answered {
					t.lat.record(lat)
				}
				if ok {
					t.ok.Add(1)
				} else {
					t.bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return t.result(time.Since(start)), ctx.Err()
}

// postShot submits one generated response per call to endpoint.
func postShot(client *http.Client, endpoint string, def *surveys.Definition, g *gen) shot {
	return func(ctx context.Context) (time.Duration, bool, bool) {
		r := g.response(time.Now())
		body, err := toAPIBody(def, &r)
		if err != nil {
			return 0, false, false
		}
		return send(ctx, client, http.MethodPost, endpoint, body, http.StatusCreated, http.StatusOK)
	}
}

// getShot fetches url once per call; 200 is ok.
func getShot(client *http.Client, url string) shot {
	return func(ctx context.Context) (time.Duration, bool, bool) {
		return send(ctx, client, http.MethodGet, url, nil, http.StatusOK)
	}
}

// send makes one request, reads the whole answer and reports its latency
// and whether the status was one of okStatus.
func send(ctx context.Context, client *http.Client, method, url string, body []byte, okStatus ...int) (time.Duration, bool, bool) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, false, false
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return time.Since(start), false, false
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	lat := time.Since(start)
	if err != nil {
		return lat, false, true
	}
	for _, s := range okStatus {
		if resp.StatusCode == s {
			return lat, true, true
		}
	}
	return lat, false, true
}
