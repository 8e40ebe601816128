package auth

import (
	"strings"
	"sync"
	"time"
)

// ThrottleConfig sets the sign-in budgets. The zero value of a field
// takes the default named beside it.
type ThrottleConfig struct {
	// Window is how long a failure counts (default 15 min).
	Window time.Duration
	// AccountFree failures per account within Window are free (default 5);
	// each further one doubles the wait, from AccountBase (default 30 s)
	// up to AccountMax (default 15 min).
	AccountFree int
	AccountBase time.Duration
	AccountMax  time.Duration
	// ClientMax failures per client within Window (default 20) refuse
	// that client until the oldest of them leaves the window.
	ClientMax int
	// MaxKeys bounds the memory held per kind of key (default 100,000).
	MaxKeys int
}

func (c *ThrottleConfig) defaults() {
	if c.Window <= 0 {
		c.Window = 15 * time.Minute
	}
	if c.AccountFree <= 0 {
		c.AccountFree = 5
	}
	if c.AccountBase <= 0 {
		c.AccountBase = 30 * time.Second
	}
	if c.AccountMax <= 0 {
		c.AccountMax = 15 * time.Minute
	}
	if c.ClientMax <= 0 {
		c.ClientMax = 20
	}
	if c.MaxKeys <= 0 {
		c.MaxKeys = 100_000
	}
}

// Throttle limits failed sign-ins per account and per client with sliding
// windows held in memory only (restarting the server forgets them).
//
// An account is never locked for good: after AccountFree failures each
// further one doubles its wait, capped at AccountMax, and the count starts
// again once the account has had no failure for a Window. So a real user
// waits at most AccountMax after the last failed attempt on the account,
// even under attack, and a correct password then signs in. Attempts that
// Check refused must not be passed to Fail, so they extend nothing.
//
// The client key is the caller's (the HTTP server passes a keyed hash of
// the address, never the address itself).
type Throttle struct {
	cfg ThrottleConfig
	now func() time.Time

	mu       sync.Mutex
	accounts map[string]*record
	clients  map[string]*record
	ops      int
}

// record is the failures of one key: for a client, those within the
// window, oldest first; for an account, a count and the last one.
type record struct {
	fails []time.Time
	count int
	last  time.Time
	until time.Time // refused until then
}

// NewThrottle returns a Throttle; now nil means time.Now.
func NewThrottle(cfg ThrottleConfig, now func() time.Time) *Throttle {
	cfg.defaults()
	if now == nil {
		now = time.Now
	}
	return &Throttle{cfg: cfg, now: now, accounts: map[string]*record{}, clients: map[string]*record{}}
}

// accountKey folds the spellings of one account name together.
func accountKey(account string) string { return strings.ToLower(strings.TrimSpace(account)) }

// Check returns how long account and client must wait before another
// attempt; zero allows it.
func (t *Throttle) Check(account, client string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	if r := t.accounts[accountKey(account)]; r != nil && r.until.After(now) {
		wait = r.until.Sub(now)
	}
	if r := t.clients[client]; client != "" && r != nil && r.until.After(now) {
		wait = max(wait, r.until.Sub(now))
	}
	return wait
}

// Fail records a failed attempt and returns the wait it causes (zero when
// the next attempt is still free).
func (t *Throttle) Fail(account, client string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.housekeep(now)

	var wait time.Duration
	if a := accountKey(account); a != "" {
		r := t.accounts[a]
		if r == nil {
			r = &record{}
			t.accounts[a] = r
		}
		// The count runs until the account has been quiet for a whole
		// window, so that a steady attack keeps meeting the longest wait.
		if now.Sub(r.last) > t.cfg.Window {
			r.count = 0
		}
		r.count++
		r.last = now
		if r.count >= t.cfg.AccountFree {
			d := t.cfg.AccountMax
			if shift := r.count - t.cfg.AccountFree; shift < 20 {
				d = min(t.cfg.AccountBase<<shift, t.cfg.AccountMax)
			}
			r.until = now.Add(d)
			wait = d
		}
	}
	if client != "" {
		r := t.record(t.clients, client, now)
		if n := len(r.fails); n >= t.cfg.ClientMax {
			r.until = r.fails[n-t.cfg.ClientMax].Add(t.cfg.Window)
			wait = max(wait, r.until.Sub(now))
		}
	}
	return wait
}

// Succeed forgets the account's failures after a successful sign-in. The
// client's stay: one valid account must not reset a guesser's budget.
func (t *Throttle) Succeed(account, client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.accounts, accountKey(account))
}

// record appends a failure at now to key's record, dropping failures
// older than the window, and returns it.
func (t *Throttle) record(m map[string]*record, key string, now time.Time) *record {
	r := m[key]
	if r == nil {
		r = &record{}
		m[key] = r
	}
	r.fails = append(t.live(r.fails, now), now)
	// Only the newest ClientMax failures matter.
	if keep := t.cfg.ClientMax; len(r.fails) > keep {
		r.fails = append(r.fails[:0], r.fails[len(r.fails)-keep:]...)
	}
	return r
}

// live drops the failures that left the window.
func (t *Throttle) live(fails []time.Time, now time.Time) []time.Time {
	cut := now.Add(-t.cfg.Window)
	i := 0
	for i < len(fails) && !fails[i].After(cut) {
		i++
	}
	return fails[i:]
}

// housekeep drops expired records now and then, and bounds the maps.
func (t *Throttle) housekeep(now time.Time) {
	t.ops++
	if t.ops%1024 != 0 && len(t.accounts) < t.cfg.MaxKeys && len(t.clients) < t.cfg.MaxKeys {
		return
	}
	for _, m := range []map[string]*record{t.accounts, t.clients} {
		for k, r := range m {
			if len(t.live(r.fails, now)) == 0 && now.Sub(r.last) > t.cfg.Window && !r.until.After(now) {
				delete(m, k)
			}
		}
		// Still full: forget everything rather than grow without bound;
		// the per-client budget still limits any one guesser.
		if len(m) >= t.cfg.MaxKeys {
			clear(m)
		}
	}
}
