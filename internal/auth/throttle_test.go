package auth

import (
	"fmt"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestThrottleAccount(t *testing.T) {
	clk := &fakeClock{t: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	th := NewThrottle(ThrottleConfig{}, clk.now)
	// Each step: advance, then Fail from a fresh client (a distributed
	// guesser), and the wait Check reports afterwards.
	steps := []struct {
		advance time.Duration
		want    time.Duration
	}{
		{0, 0}, {0, 0}, {0, 0}, {0, 0},
		{0, 30 * time.Second}, // 5th failure
		{30 * time.Second, time.Minute},
		{time.Minute, 2 * time.Minute},
		{2 * time.Minute, 4 * time.Minute},
		{4 * time.Minute, 8 * time.Minute},
		{8 * time.Minute, 15 * time.Minute}, // capped
		{15 * time.Minute, 15 * time.Minute},
		{15 * time.Minute, 15 * time.Minute},
	}
	for i, st := range steps {
		clk.advance(st.advance)
		if w := th.Check("Lan", ""); w != 0 {
			t.Fatalf("step %d: Check before the attempt = %v, want 0", i, w)
		}
		client := fmt.Sprintf("c%d", i)
		if got := th.Fail("lan", client); got != st.want {
			t.Fatalf("step %d: Fail = %v, want %v", i, got, st.want)
		}
		if got := th.Check(" LAN ", "other"); got != st.want {
			t.Fatalf("step %d: Check = %v, want %v", i, got, st.want)
		}
	}
	// Never permanent: after the capped wait the account is usable.
	clk.advance(15 * time.Minute)
	if w := th.Check("lan", "x"); w != 0 {
		t.Fatalf("after the cap: wait %v, want 0", w)
	}
	// A quiet window forgets everything: the next failure is free again.
	clk.advance(15 * time.Minute)
	if w := th.Fail("lan", "x"); w != 0 {
		t.Fatalf("after a quiet window: Fail = %v, want 0", w)
	}
	// Other accounts are unaffected.
	if w := th.Check("minh", "y"); w != 0 {
		t.Fatalf("another account: wait %v", w)
	}
}

func TestThrottleSucceedResetsAccountOnly(t *testing.T) {
	clk := &fakeClock{t: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	th := NewThrottle(ThrottleConfig{AccountFree: 3, ClientMax: 4}, clk.now)
	for range 3 {
		th.Fail("lan", "c")
	}
	if th.Check("lan", "") == 0 {
		t.Fatal("3 failures with AccountFree 3: want a wait")
	}
	th.Succeed("lan", "c")
	if w := th.Check("lan", ""); w != 0 {
		t.Fatalf("after success: account wait %v, want 0", w)
	}
	if w := th.Fail("minh", "c"); w != 15*time.Minute {
		t.Fatalf("4th failure of the client: wait %v, want the client budget's 15m", w)
	}
}

func TestThrottleClientWindow(t *testing.T) {
	clk := &fakeClock{t: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	th := NewThrottle(ThrottleConfig{}, clk.now)
	// 20 different accounts, one a minute, from one client.
	for i := range 20 {
		if w := th.Check(fmt.Sprint("u", i), "ip"); w != 0 {
			t.Fatalf("attempt %d refused after %v", i, w)
		}
		// One a minute: the oldest failures leave the window before
		// there are 20 in it.
		if w := th.Fail(fmt.Sprint("u", i), "ip"); w != 0 {
			t.Fatalf("failure %d: wait %v, want 0", i, w)
		}
		clk.advance(time.Minute)
	}
	// The first failure was at 8:00, now is 8:20: it left the window at 8:15.
	if w := th.Check("new", "ip"); w != 0 {
		t.Fatalf("20 minutes later: wait %v, want 0", w)
	}
	// Burst: 20 failures at once refuse the client for the whole window,
	// for every account, and not other clients.
	th2 := NewThrottle(ThrottleConfig{}, clk.now)
	for i := range 20 {
		th2.Fail(fmt.Sprint("v", i), "ip")
	}
	if w := th2.Check("anyone", "ip"); w != 15*time.Minute {
		t.Fatalf("burst: wait %v, want 15m", w)
	}
	if w := th2.Check("anyone", "other-ip"); w != 0 {
		t.Fatalf("another client: wait %v, want 0", w)
	}
	clk.advance(15 * time.Minute)
	if w := th2.Check("anyone", "ip"); w != 0 {
		t.Fatalf("after the window: wait %v, want 0", w)
	}
}

func TestThrottleBoundedMemory(t *testing.T) {
	clk := &fakeClock{t: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	th := NewThrottle(ThrottleConfig{MaxKeys: 100}, clk.now)
	for i := range 1000 {
		th.Fail(fmt.Sprint("u", i), fmt.Sprint("c", i))
	}
	if len(th.accounts) > 100 || len(th.clients) > 100 {
		t.Fatalf("maps hold %d accounts, %d clients; want at most 100", len(th.accounts), len(th.clients))
	}
}
