package loadtest

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// Histogram layout: latencies in nanoseconds below 2^subBits are counted
// exactly; above, each power of two is split into 2^(subBits-1) equal
// buckets, so a bucket is at most 1/128 of its lower bound wide and its
// midpoint is within 0.4% of any sample in it. The whole range of int64
// takes under 7,300 counters (58 KB) whatever the number of samples.
const (
	subBits    = 8
	subCount   = 1 << subBits // exact buckets 0..255 ns
	halfCount  = subCount / 2 // buckets per power of two above that
	maxShift   = 63 - subBits // largest shift of a positive int64
	numBuckets = subCount + maxShift*halfCount
)

// histogram counts latencies in log-linear buckets. It is safe for
// concurrent use: workers record into one shared histogram with atomic
// adds, so memory stays bounded by the layout, not by the run's length or
// concurrency.
type histogram struct {
	counts [numBuckets]atomic.Int64
	n      atomic.Int64
	min    atomic.Int64
	max    atomic.Int64
}

func newHistogram() *histogram {
	h := &histogram{}
	h.min.Store(math.MaxInt64)
	return h
}

// bucketOf returns the bucket of v nanoseconds (v >= 0).
func bucketOf(v int64) int {
	if v < subCount {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - subBits // >= 1
	m := int(v >> shift)                     // in [halfCount, subCount)
	return subCount + (shift-1)*halfCount + (m - halfCount)
}

// bucketRange returns the lowest value of bucket i and its width.
func bucketRange(i int) (lo, width int64) {
	if i < subCount {
		return int64(i), 1
	}
	j := i - subCount
	shift := j/halfCount + 1
	m := int64(j%halfCount + halfCount)
	return m << shift, int64(1) << shift
}

// record adds one latency.
func (h *histogram) record(d time.Duration) {
	v := int64(d)
	if v < 0 {
		v = 0
	}
	h.counts[bucketOf(v)].Add(1)
	h.n.Add(1)
	for {
		cur := h.min.Load()
		if v >= cur || h.min.CompareAndSwap(cur, v) {
			break
		}
	}
	for {
		cur := h.max.Load()
		if v <= cur || h.max.CompareAndSwap(cur, v) {
			break
		}
	}
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 100): the
// smallest recorded value with at least ceil(p/100 * n) values at or below
// it. Below 256 ns it is exact; above, it is the midpoint of that value's
// bucket, clamped to the smallest and largest values recorded (so the
// extremes are exact), within 0.4% of the true value. It is 0 when nothing
// was recorded. Call it once recording has stopped.
func (h *histogram) percentile(p float64) time.Duration {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	rank := int64(math.Ceil(p / 100 * float64(n)))
	rank = min(max(rank, 1), n)
	var seen int64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			lo, width := bucketRange(i)
			v := lo + (width-1)/2
			v = min(max(v, h.min.Load()), h.max.Load())
			return time.Duration(v)
		}
	}
	return time.Duration(h.max.Load()) // unreachable while counts sum to n
}
