package httpserver

import (
	"context"
	"sync"
	"time"

	"github.com/sipas/sipas/surveys"
)

// orgCache holds the counters and divisions for a moment (Config.OrgTTL,
// 2 s by default), so that the form, which every QR scan opens, costs no
// database round trip. Changes made through this server's administration
// invalidate it at once; other servers see them within the TTL.
type orgCache struct {
	mu        sync.Mutex
	at        time.Time
	counters  map[string]surveys.Counter
	divisions map[string]surveys.Text
}

type orgSnapshot struct {
	counters  map[string]surveys.Counter
	divisions map[string]surveys.Text
}

// snapshot returns the cached organisation, loading it when older than ttl.
func (oc *orgCache) snapshot(ctx context.Context, st Store, ttl time.Duration, now time.Time) (orgSnapshot, error) {
	oc.mu.Lock()
	defer oc.mu.Unlock()
	if oc.counters != nil && now.Sub(oc.at) < ttl && now.Sub(oc.at) >= 0 {
		return orgSnapshot{oc.counters, oc.divisions}, nil
	}
	cs, err := st.Counters(ctx)
	if err != nil {
		return orgSnapshot{}, err
	}
	ds, err := st.Divisions(ctx)
	if err != nil {
		return orgSnapshot{}, err
	}
	oc.counters = make(map[string]surveys.Counter, len(cs))
	for _, c := range cs {
		oc.counters[c.Code] = c
	}
	oc.divisions = make(map[string]surveys.Text, len(ds))
	for _, d := range ds {
		oc.divisions[d.Code] = d.Name
	}
	oc.at = now
	return orgSnapshot{oc.counters, oc.divisions}, nil
}

// invalidate makes the next snapshot read the store.
func (oc *orgCache) invalidate() {
	oc.mu.Lock()
	oc.counters = nil
	oc.mu.Unlock()
}

// counter returns the counter with code from the cache, or ENOTFOUND.
func (s *server) counter(ctx context.Context, code string) (surveys.Counter, error) {
	snap, err := s.org.snapshot(ctx, s.deps.Store, s.cfg.OrgTTL, s.deps.Now())
	if err != nil {
		return surveys.Counter{}, err
	}
	c, ok := snap.counters[code]
	if !ok {
		return surveys.Counter{}, surveys.Errorf(surveys.ENOTFOUND, "no counter %s", code)
	}
	return c, nil
}
