package ratelimit

import (
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLimiter(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}
	l := New(60, 3, c.now) // one a second, bursts of 3
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("4th request: ok=%v wait=%v, want refused with a wait of at most 1 s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key shares the bucket")
	}
	c.t = c.t.Add(wait)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("still refused after the announced wait")
	}
	// After a long idle time the bucket is full again, no more than burst.
	c.t = c.t.Add(time.Hour)
	n := 0
	for {
		if ok, _ := l.Allow("a"); !ok {
			break
		}
		n++
	}
	if n != 3 {
		t.Errorf("after an hour idle: %d allowed, want the burst of 3", n)
	}
	// Full buckets are dropped by the sweep.
	c.t = c.t.Add(2 * time.Hour)
	l.Allow("c")
	if got := l.Len(); got != 1 {
		t.Errorf("buckets kept after sweep: %d, want 1 (the new one)", got)
	}
}

func TestHasher(t *testing.T) {
	h := NewHasher([]byte("secret"))
	day1 := time.Date(2026, 3, 4, 16, 59, 0, 0, time.UTC) // 23:59 in Vietnam
	day2 := day1.Add(2 * time.Minute)                     // 00:01 the next day
	a1, a2 := h.Key("203.0.113.7", day1), h.Key("203.0.113.7", day2)
	if a1 == a2 {
		t.Error("the key does not rotate at midnight in Asia/Ho_Chi_Minh")
	}
	if a1 != h.Key("203.0.113.7", day1.Add(-time.Hour)) {
		t.Error("the key changes within a day")
	}
	if a1 == h.Key("203.0.113.8", day1) {
		t.Error("two addresses share a key")
	}
	if NewHasher(nil).Key("203.0.113.7", day1) == a1 {
		t.Error("a random secret gives the same key as a known one")
	}
	if len(a1) != 32 || a1 == "203.0.113.7" {
		t.Errorf("key %q", a1)
	}
}
