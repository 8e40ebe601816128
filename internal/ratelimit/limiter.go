// Package ratelimit holds the abuse controls of public submission: token
// buckets keyed by an opaque client key, and the keyed, daily-rotating
// hash that turns a client address into such a key, so that no raw IP
// address is kept even in memory longer than a request.
package ratelimit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"sync"
	"time"
)

// Limiter is a set of token buckets, one per key: each holds up to Burst
// tokens and refills at PerMinute tokens a minute. Safe for concurrent
// use. State is per process: behind a load balancer each server limits
// what reaches it.
type Limiter struct {
	perSecond float64
	burst     float64
	now       func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// New returns a limiter allowing perMinute requests a minute per key on
// average, and bursts of up to burst. now may be nil (time.Now).
func New(perMinute, burst int, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	if burst < 1 {
		burst = 1
	}
	return &Limiter{perSecond: float64(perMinute) / 60, burst: float64(burst), now: now, buckets: map[string]*bucket{}}
}

// Allow takes a token from key's bucket. When there is none it returns
// false and how long until there is one.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.tokens = math.Min(l.burst, b.tokens+dt*l.perSecond)
	}
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	if l.perSecond <= 0 {
		return false, time.Hour
	}
	wait := time.Duration((1 - b.tokens) / l.perSecond * float64(time.Second))
	return false, wait
}

// sweep drops, once a minute, the buckets that have refilled completely:
// they hold nothing a new bucket would not.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.perSecond >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// Len is the number of buckets held (for tests and metrics).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Hasher turns client addresses into opaque keys: an HMAC of the address
// under a secret and the day (Asia/Ho_Chi_Minh), so keys of one day cannot
// be linked to the next day's, and without the secret (random per process
// unless configured) they cannot be reversed by trying all addresses.
type Hasher struct {
	secret []byte
}

// NewHasher returns a Hasher; an empty secret draws a random one.
func NewHasher(secret []byte) *Hasher {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			panic(err)
		}
	}
	return &Hasher{secret: append([]byte(nil), secret...)}
}

var ict = time.FixedZone("ICT", 7*60*60)

// Key returns the abuse key of addr on the day of t.
func (h *Hasher) Key(addr string, t time.Time) string {
	m := hmac.New(sha256.New, h.secret)
	m.Write([]byte(t.In(ict).Format(time.DateOnly)))
	m.Write([]byte{0})
	m.Write([]byte(addr))
	return hex.EncodeToString(m.Sum(nil)[:16])
}
