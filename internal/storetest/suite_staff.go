package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

// at returns a time of the suite's staff records: whole milliseconds, as
// stores keep them.
func at(min int) time.Time {
	return time.Date(2025, 3, 1, 8, 0, 0, 0, surveys.Location).Add(time.Duration(min) * time.Minute)
}

// sameTime compares instants; zero stays zero.
func sameTime(a, b time.Time) bool { return a.IsZero() == b.IsZero() && a.Equal(b) }

func diffUser(got, want surveys.User) string {
	if got.Name != want.Name || got.DisplayName != want.DisplayName || got.Role != want.Role ||
		got.PasswordHash != want.PasswordHash || got.Disabled != want.Disabled ||
		!sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.PasswordChangedAt, want.PasswordChangedAt) {
		return fmt.Sprintf("user = %+v, want %+v", got, want)
	}
	return ""
}

func testUsers(t *testing.T, h Harness) {
	s := open(t, h).s
	users := []surveys.User{
		{Name: "lan", DisplayName: "Nguyễn Thị Lan", Role: surveys.RoleAnalyst, PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", CreatedAt: at(1)},
		{Name: "admin", DisplayName: "Quản trị", Role: surveys.RoleAdmin, PasswordHash: "$argon2id$x", CreatedAt: at(0), PasswordChangedAt: at(5)},
		{Name: "minh", DisplayName: "Trần Minh", Role: surveys.RoleAnalyst, PasswordHash: "$argon2id$y", Disabled: true, CreatedAt: at(2)},
	}
	for _, u := range users {
		if err := s.PutUser(ctx(t), u); err != nil {
			t.Fatalf("PutUser(%s): %v", u.Name, err)
		}
	}
	got, err := s.User(ctx(t), "lan")
	if err != nil {
		t.Fatalf("User(lan): %v", err)
	}
	if d := diffUser(got, users[0]); d != "" {
		t.Error(d)
	}
	// Replace: a password change and a new role.
	users[0].Role, users[0].PasswordHash, users[0].PasswordChangedAt = surveys.RoleAdmin, "$argon2id$z", at(9)
	if err := s.PutUser(ctx(t), users[0]); err != nil {
		t.Fatalf("PutUser(lan) again: %v", err)
	}
	list, err := s.Users(ctx(t))
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	want := []surveys.User{users[1], users[0], users[2]} // by name
	if len(list) != len(want) {
		t.Fatalf("Users returned %d users, want %d: %+v", len(list), len(want), list)
	}
	for i := range want {
		if d := diffUser(list[i], want[i]); d != "" {
			t.Errorf("Users[%d]: %s", i, d)
		}
	}
	if _, err := s.User(ctx(t), "nobody"); !surveys.IsNotFound(err) {
		t.Errorf("User(nobody) error %v, want ENOTFOUND", err)
	}
}

func testSessions(t *testing.T, h Harness) {
	s := open(t, h).s
	sess := []surveys.Session{
		{ID: "h1", User: "lan", CSRF: "c1", CreatedAt: at(0), SeenAt: at(1), ExpiresAt: at(60)},
		{ID: "h2", User: "lan", CSRF: "c2", CreatedAt: at(2), SeenAt: at(2), ExpiresAt: at(62)},
		{ID: "h3", User: "admin", CSRF: "c3", CreatedAt: at(3), SeenAt: at(3), ExpiresAt: at(63)},
	}
	for _, se := range sess {
		if err := s.PutSession(ctx(t), se); err != nil {
			t.Fatalf("PutSession(%s): %v", se.ID, err)
		}
	}
	sess[0].SeenAt = at(30) // replace: the session was used again
	if err := s.PutSession(ctx(t), sess[0]); err != nil {
		t.Fatalf("PutSession again: %v", err)
	}
	check := func(want surveys.Session) {
		t.Helper()
		got, err := s.Session(ctx(t), want.ID)
		if err != nil {
			t.Fatalf("Session(%s): %v", want.ID, err)
		}
		if got.ID != want.ID || got.User != want.User || got.CSRF != want.CSRF || !sameTime(got.CreatedAt, want.CreatedAt) ||
			!sameTime(got.SeenAt, want.SeenAt) || !sameTime(got.ExpiresAt, want.ExpiresAt) {
			t.Errorf("Session(%s) = %+v, want %+v", want.ID, got, want)
		}
	}
	check(sess[0])
	check(sess[2])
	if err := s.DeleteSession(ctx(t), "h2"); err != nil {
		t.Fatalf("DeleteSession(h2): %v", err)
	}
	if _, err := s.Session(ctx(t), "h2"); !surveys.IsNotFound(err) {
		t.Errorf("Session(h2) after delete: error %v, want ENOTFOUND", err)
	}
	if err := s.DeleteSession(ctx(t), "h2"); err != nil {
		t.Errorf("DeleteSession of an absent session: %v, want no error", err)
	}
	if err := s.PutSession(ctx(t), surveys.Session{ID: "h4", User: "lan", CreatedAt: at(4), SeenAt: at(4), ExpiresAt: at(64)}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteUserSessions(ctx(t), "lan"); err != nil || n != 2 {
		t.Errorf("DeleteUserSessions(lan) = %d, %v; want 2", n, err)
	}
	for _, id := range []string{"h1", "h4"} {
		if _, err := s.Session(ctx(t), id); !surveys.IsNotFound(err) {
			t.Errorf("Session(%s) after DeleteUserSessions: error %v, want ENOTFOUND", id, err)
		}
	}
	check(sess[2])
	if n, err := s.DeleteUserSessions(ctx(t), "nobody"); err != nil || n != 0 {
		t.Errorf("DeleteUserSessions(nobody) = %d, %v; want 0", n, err)
	}
}

func diffDevice(got, want surveys.Device) string {
	if got.ID != want.ID || got.Name != want.Name || got.Counter != want.Counter ||
		got.EnrolHash != want.EnrolHash || got.TokenHash != want.TokenHash || got.Revoked != want.Revoked ||
		!sameTime(got.EnrolExpiry, want.EnrolExpiry) || !sameTime(got.CreatedAt, want.CreatedAt) ||
		!sameTime(got.EnrolledAt, want.EnrolledAt) || !sameTime(got.LastSeen, want.LastSeen) {
		return fmt.Sprintf("device = %+v, want %+v", got, want)
	}
	return ""
}

func testDevices(t *testing.T, h Harness) {
	s := open(t, h).s
	devs := []surveys.Device{
		// Pending enrolment.
		{ID: "d-1", Name: "Máy tính bảng 2", Counter: "mot-cua-02", EnrolHash: "enrol-1", EnrolExpiry: at(30), CreatedAt: at(0)},
		// Enrolled.
		{ID: "d-2", Name: "Máy tính bảng 1", Counter: "mot-cua-02", TokenHash: "token-2", CreatedAt: at(1), EnrolledAt: at(3), LastSeen: at(4)},
		{ID: "d-3", Name: "Máy tính bảng 9", Counter: "mot-cua-01", TokenHash: "token-3", CreatedAt: at(2), EnrolledAt: at(5), Revoked: true},
	}
	for _, d := range devs {
		if err := s.PutDevice(ctx(t), d); err != nil {
			t.Fatalf("PutDevice(%s): %v", d.ID, err)
		}
	}
	lookups := []struct {
		name string
		get  func() (surveys.Device, error)
		want surveys.Device
	}{
		{"Device", func() (surveys.Device, error) { return s.Device(ctx(t), "d-1") }, devs[0]},
		{"DeviceByToken", func() (surveys.Device, error) { return s.DeviceByToken(ctx(t), "token-2") }, devs[1]},
		{"DeviceByEnrolHash", func() (surveys.Device, error) { return s.DeviceByEnrolHash(ctx(t), "enrol-1") }, devs[0]},
	}
	for _, l := range lookups {
		got, err := l.get()
		if err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		if d := diffDevice(got, l.want); d != "" {
			t.Errorf("%s: %s", l.name, d)
		}
	}
	notFound := []struct {
		name string
		err  func() error
	}{
		{"Device(no-such)", func() error { _, err := s.Device(ctx(t), "no-such"); return err }},
		{"DeviceByToken(no-such)", func() error { _, err := s.DeviceByToken(ctx(t), "no-such"); return err }},
		{"DeviceByEnrolHash(no-such)", func() error { _, err := s.DeviceByEnrolHash(ctx(t), "no-such"); return err }},
		// An enrolled tablet has no enrolment hash: "" finds nothing.
		{"DeviceByEnrolHash(\"\")", func() error { _, err := s.DeviceByEnrolHash(ctx(t), ""); return err }},
		{"DeviceByToken(\"\")", func() error { _, err := s.DeviceByToken(ctx(t), ""); return err }},
		{"TouchDevice(no-such)", func() error { return s.TouchDevice(ctx(t), "no-such", at(9)) }},
	}
	for _, nf := range notFound {
		if err := nf.err(); !surveys.IsNotFound(err) {
			t.Errorf("%s: error %v, want ENOTFOUND", nf.name, err)
		}
	}

	// Enrolment replaces the pending tablet: its code is spent.
	devs[0].EnrolHash, devs[0].EnrolExpiry, devs[0].TokenHash, devs[0].EnrolledAt = "", time.Time{}, "token-1", at(10)
	if err := s.PutDevice(ctx(t), devs[0]); err != nil {
		t.Fatalf("PutDevice(enrolled): %v", err)
	}
	if _, err := s.DeviceByEnrolHash(ctx(t), "enrol-1"); !surveys.IsNotFound(err) {
		t.Errorf("DeviceByEnrolHash of a spent code: error %v, want ENOTFOUND", err)
	}
	if got, err := s.DeviceByToken(ctx(t), "token-1"); err != nil {
		t.Errorf("DeviceByToken(token-1): %v", err)
	} else if d := diffDevice(got, devs[0]); d != "" {
		t.Errorf("DeviceByToken(token-1): %s", d)
	}
	if err := s.TouchDevice(ctx(t), "d-2", at(20)); err != nil {
		t.Fatalf("TouchDevice: %v", err)
	}
	devs[1].LastSeen = at(20)

	list, err := s.Devices(ctx(t))
	if err != nil {
		t.Fatalf("Devices: %v", err)
	}
	want := []surveys.Device{devs[2], devs[1], devs[0]} // by counter, then name
	if len(list) != len(want) {
		t.Fatalf("Devices returned %d tablets, want %d", len(list), len(want))
	}
	for i := range want {
		if d := diffDevice(list[i], want[i]); d != "" {
			t.Errorf("Devices[%d]: %s", i, d)
		}
	}
}

func testAudit(t *testing.T, h Harness) {
	s := open(t, h).s
	if got, err := s.Audit(ctx(t), time.Time{}, 10); err != nil || len(got) != 0 {
		t.Errorf("Audit of an empty log = %v, %v; want none", got, err)
	}
	var entries []surveys.AuditEntry
	for i, a := range []string{"signin.ok", "user.create", "export.csv", "device.enrol", "signin.fail"} {
		e := surveys.AuditEntry{At: at(i), Actor: "admin", Action: a, Target: fmt.Sprintf("t%d", i), Detail: "chi tiết " + a}
		if i == 3 {
			e.Actor = "device:d-1"
		}
		entries = append(entries, e)
		if err := s.AppendAudit(ctx(t), e); err != nil {
			t.Fatalf("AppendAudit(%s): %v", a, err)
		}
	}
	check := func(name string, got []surveys.AuditEntry, want ...int) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s returned %d entries, want %d: %+v", name, len(got), len(want), got)
			return
		}
		for i, w := range want {
			e := entries[w]
			if g := got[i]; !g.At.Equal(e.At) || g.Actor != e.Actor || g.Action != e.Action || g.Target != e.Target || g.Detail != e.Detail {
				t.Errorf("%s[%d] = %+v, want %+v", name, i, g, e)
			}
		}
	}
	got, err := s.Audit(ctx(t), time.Time{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	check("Audit(newest, 10)", got, 4, 3, 2, 1, 0)
	got, err = s.Audit(ctx(t), time.Time{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	check("Audit(newest, 2)", got, 4, 3)
	// The next page starts before the last entry seen.
	got, err = s.Audit(ctx(t), got[len(got)-1].At, 2)
	if err != nil {
		t.Fatal(err)
	}
	check("Audit(page 2)", got, 2, 1)
	got, err = s.Audit(ctx(t), entries[1].At.Add(time.Second), 10)
	if err != nil {
		t.Fatal(err)
	}
	check("Audit(before 1)", got, 1, 0)
}

// testFlags: a response's flags come back as stored; none and an empty
// list are alike.
func testFlags(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 31)
	first := day(2025, 4, 2).Add(9 * time.Hour)
	var rs []surveys.Response
	for i, flags := range [][]string{nil, {}, {"burst"}, {"burst", "duplicate-device"}} {
		r := g.Response(first.Add(time.Duration(i)*time.Minute), "mot-cua-01", surveys.ChannelKiosk)
		r.Flags = flags
		rs = append(rs, r)
	}
	insert(t, s, rs...)
	for _, want := range rs {
		got, err := s.Response(ctx(t), want.ID)
		if err != nil {
			t.Fatalf("Response(%s): %v", want.ID, err)
		}
		if fmt.Sprint(got.Flags) != fmt.Sprint(want.Flags) {
			t.Errorf("Response(%s).Flags = %q, want %q", want.ID, got.Flags, want.Flags)
		}
	}
	for i, got := range all(t, s, surveys.ResponseFilter{}) {
		if fmt.Sprint(got.Flags) != fmt.Sprint(rs[i].Flags) {
			t.Errorf("EachResponse #%d Flags = %q, want %q", i, got.Flags, rs[i].Flags)
		}
	}
}
