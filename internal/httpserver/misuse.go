package httpserver

import (
	"context"
	"sync"
	"time"

	"github.com/sipas/sipas/surveys"
)

// FlagBurst marks a response that arrived within a burst: more than the
// allowed number of responses from one source within the window.
const FlagBurst = "burst"

// FlagUnverifiedChannel marks a response that names the kiosk or paper
// channel but was sent without an enrolled tablet's token.
const FlagUnverifiedChannel = "unverified_channel"

// MisuseConfig sets the burst thresholds. A source is one tablet (kiosk
// responses, timed by when the person answered, so that a queue flushed
// after an outage is not a burst) or one counter's public channel (QR
// form and API, timed by arrival). The zero value takes the defaults.
type MisuseConfig struct {
	DeviceMax    int           // default 5: more than 5 answers in...
	DeviceWindow time.Duration // ...60 s from one tablet is not a queue of people
	PublicMax    int           // default 20 answers in...
	PublicWindow time.Duration // ...60 s from one counter's QR code
}

// DefaultMisuse is the configuration used when none is given.
var DefaultMisuse = MisuseConfig{DeviceMax: 5, DeviceWindow: time.Minute, PublicMax: 20, PublicWindow: time.Minute}

func (c MisuseConfig) withDefaults() MisuseConfig {
	if c.DeviceMax <= 0 {
		c.DeviceMax = DefaultMisuse.DeviceMax
	}
	if c.DeviceWindow <= 0 {
		c.DeviceWindow = DefaultMisuse.DeviceWindow
	}
	if c.PublicMax <= 0 {
		c.PublicMax = DefaultMisuse.PublicMax
	}
	if c.PublicWindow <= 0 {
		c.PublicWindow = DefaultMisuse.PublicWindow
	}
	return c
}

// misuseStore flags bursts on the responses it inserts: every path into
// the store (the citizen form, the API, the kiosk) goes through it, and a
// flagged response is stored like any other, never dropped. Paper forms
// are typed in batches by staff and are not rated.
//
// The rates are kept in memory, per process: with several servers behind
// a load balancer each sees its share, so a burst spread over servers is
// seen late or not at all. A restart forgets them. Both are acceptable for
// a signal an analyst reviews; nothing is refused on it.
type misuseStore struct {
	Store
	cfg    MisuseConfig
	device *rateWindows
	public *rateWindows
}

func newMisuseStore(st Store, cfg MisuseConfig) *misuseStore {
	cfg = cfg.withDefaults()
	return &misuseStore{Store: st, cfg: cfg,
		device: newRateWindows(cfg.DeviceWindow), public: newRateWindows(cfg.PublicWindow)}
}

// source returns the rate window and key of r, or nil when r is not rated.
func (m *misuseStore) source(r *surveys.Response) (*rateWindows, string, int, time.Time) {
	switch {
	case r.Device != "":
		return m.device, r.Device, m.cfg.DeviceMax, r.SubmittedAt
	case r.Channel == surveys.ChannelPaper:
		return nil, "", 0, time.Time{}
	default:
		return m.public, string(r.Channel) + "/" + r.Counter, m.cfg.PublicMax, r.ReceivedAt
	}
}

// InsertResponses flags the responses that would exceed their source's
// rate, inserts them all, then counts the new ones (a replay of an
// already stored response is not an event).
func (m *misuseStore) InsertResponses(ctx context.Context, rs []surveys.Response) ([]bool, error) {
	for i := range rs {
		w, key, max, at := m.source(&rs[i])
		if w != nil && w.count(key, at)+m.countBatch(rs[:i], w, key) >= max && !hasFlag(rs[i].Flags, FlagBurst) {
			rs[i].Flags = append(rs[i].Flags, FlagBurst)
		}
	}
	fresh, err := m.Store.InsertResponses(ctx, rs)
	if err != nil {
		return fresh, err
	}
	for i := range rs {
		if i < len(fresh) && fresh[i] {
			if w, key, _, at := m.source(&rs[i]); w != nil {
				w.add(key, at)
			}
		}
	}
	return fresh, nil
}

// countBatch counts the responses of rs from the source (w, key): those
// earlier in the same batch.
func (m *misuseStore) countBatch(rs []surveys.Response, w *rateWindows, key string) int {
	n := 0
	for i := range rs {
		if w2, k, _, _ := m.source(&rs[i]); w2 == w && k == key {
			n++
		}
	}
	return n
}

func hasFlag(flags []string, f string) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}

// rateWindows counts events per key over a sliding window. Memory is
// bounded by the number of live sources: a key's times older than the
// window are dropped on every call, and empty keys every window.
type rateWindows struct {
	mu     sync.Mutex
	window time.Duration
	times  map[string][]time.Time
	swept  time.Time
}

func newRateWindows(window time.Duration) *rateWindows {
	return &rateWindows{window: window, times: map[string][]time.Time{}}
}

// count returns how many events of key fall within the window before at.
func (w *rateWindows) count(key string, at time.Time) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, t := range w.times[key] {
		// Kiosk times are when people answered, replayed in any order.
		if d := at.Sub(t); d < w.window && d > -w.window {
			n++
		}
	}
	return n
}

// add records an event of key at at.
func (w *rateWindows) add(key string, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	live := w.times[key][:0]
	for _, t := range w.times[key] {
		if at.Sub(t) < w.window {
			live = append(live, t)
		}
	}
	w.times[key] = append(live, at)
	if at.Sub(w.swept) >= w.window {
		w.swept = at
		for k, ts := range w.times {
			if len(ts) == 0 || at.Sub(ts[len(ts)-1]) >= w.window {
				delete(w.times, k)
			}
		}
	}
}

var _ Store = (*misuseStore)(nil)
