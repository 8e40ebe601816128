package httpserver

import (
	"sync"
	"time"
)

// dayCountTTL is how long a past day's response count is reused. Past days
// still change (a tablet's offline queue delivers late, an import adds old
// paper forms), so the count is not kept for ever; today's is never
// cached.
const dayCountTTL = 5 * time.Minute

// dayCountCache keeps the responses per day of the dashboard's filters:
// a year of days is a few hundred store reads, the one part of the page
// that the month summary rows do not cover.
type dayCountCache struct {
	mu sync.Mutex
	m  map[dayCountKey]dayCount
}

type dayCountKey struct {
	survey, division, counter, channel, day string
}

type dayCount struct {
	n  int64
	at time.Time
}

// get returns the count of k if it was stored less than dayCountTTL
// before now.
func (c *dayCountCache) get(k dayCountKey, now time.Time) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || now.Sub(e.at) >= dayCountTTL || now.Before(e.at) {
		return 0, false
	}
	return e.n, true
}

// put stores the count of k, dropping expired entries when the map grows.
func (c *dayCountCache) put(k dayCountKey, n int64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[dayCountKey]dayCount{}
	}
	if len(c.m) > 50_000 {
		for key, e := range c.m {
			if now.Sub(e.at) >= dayCountTTL {
				delete(c.m, key)
			}
		}
	}
	c.m[k] = dayCount{n: n, at: now}
}
