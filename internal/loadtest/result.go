package loadtest

import (
	"math"
	"sync/atomic"
	"time"
)

// Result is what one load phase measured. RPS is successful requests per
// second of wall time (errors are not throughput); the percentiles are of
// the latency of every request that got an answer, in milliseconds.
type Result struct {
	Requests int64   `json:"requests"`
	OK       int64   `json:"ok"`
	Errors   int64   `json:"errors"`
	RPS      float64 `json:"rps"`
	P50ms    float64 `json:"p50_ms"`
	P95ms    float64 `json:"p95_ms"`
	P99ms    float64 `json:"p99_ms"`
}

// tally accumulates one phase's outcomes; safe for concurrent use.
type tally struct {
	lat *histogram
	ok  atomic.Int64
	bad atomic.Int64
}

func newTally() *tally { return &tally{lat: newHistogram()} }

// result summarises the tally of a phase that ran for elapsed.
func (t *tally) result(elapsed time.Duration) Result {
	r := Result{
		OK:     t.ok.Load(),
		Errors: t.bad.Load(),
		P50ms:  millis(t.lat.percentile(50)),
		P95ms:  millis(t.lat.percentile(95)),
		P99ms:  millis(t.lat.percentile(99)),
	}
	r.Requests = r.OK + r.Errors
	if elapsed > 0 {
		r.RPS = round(float64(r.OK)/elapsed.Seconds(), 1)
	}
	return r
}

// millis converts d to milliseconds, to the microsecond.
func millis(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 3) }

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
