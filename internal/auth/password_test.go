package auth

import (
	"errors"
	"strings"
	"testing"
)

// cheap keeps the tests fast; VerifyPassword reads costs from the hash.
var cheap = Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashVerifyRoundTrip(t *testing.T) {
	h, err := HashPassword("đúng-mật-khẩu-2025")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Fatalf("hash = %q, want the PHC argon2id prefix with the default costs", h)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"đúng-mật-khẩu-2025", true},
		{"đúng-mật-khẩu-2026", false},
		{"", false},
		{"ĐÚNG-MẬT-KHẨU-2025", false},
	} {
		got, err := VerifyPassword(h, tc.pw)
		if err != nil || got != tc.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v, nil", tc.pw, got, err, tc.want)
		}
	}
}

func TestHashesAreSalted(t *testing.T) {
	a, _ := HashPasswordWith("same password", cheap)
	b, _ := HashPasswordWith("same password", cheap)
	if a == b {
		t.Fatal("two hashes of one password are equal: no salt")
	}
}

func TestVerifyMalformed(t *testing.T) {
	good, err := HashPasswordWith("pw-pw-pw-pw", cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuuJ5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
		"argon2i":        strings.Replace(good, "argon2id", "argon2i", 1),
		"old version":    strings.Replace(good, "v=19", "v=16", 1),
		"missing part":   strings.Join(parts[:5], "$"),
		"extra part":     good + "$x",
		"bad salt":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"short key":      strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"huge memory":    strings.Replace(good, "m=64,", "m=4294967295,", 1),
		"zero time":      strings.Replace(good, "t=1,", "t=0,", 1),
		"zero threads":   strings.Replace(good, "p=1$", "p=0$", 1),
		"missing param":  strings.Replace(good, "m=64,t=1,p=1", "m=64,t=1,x=1", 1),
		"repeated param": strings.Replace(good, "m=64,t=1,p=1", "m=64,m=64,p=1", 1),
		"negative":       strings.Replace(good, "t=1,", "t=-1,", 1),
	} {
		ok, err := VerifyPassword(h, "pw-pw-pw-pw")
		if ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("%s: VerifyPassword = %v, %v; want false, ErrMalformedHash", name, ok, err)
		}
	}
	if ok, err := VerifyPassword(good, "pw-pw-pw-pw"); !ok || err != nil {
		t.Fatalf("the unmodified hash: %v, %v", ok, err)
	}
}

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		name, pw, want string
	}{
		{"lan", "short", MsgPasswordTooShort},
		{"lan", "123456789", MsgPasswordTooShort},
		{"lan", "mậtkhẩu12", MsgPasswordTooShort}, // 9 characters, 12 bytes
		{"lan", "aaaaaaaaaaaa", MsgPasswordRepeated},
		{"lan", "ááááááááááá", MsgPasswordRepeated},
		{"nguyenvanlan", "nguyenvanlan", MsgPasswordIsName},
		{"nguyenvanlan", "NguyenVanLan", MsgPasswordIsName},
		{"lan", strings.Repeat("ab", 200), MsgPasswordTooLong},
		{"lan", "correct horse", ""},
		{"lan", "mậtkhẩu123", ""},
		{"", "0123456789", ""},
	} {
		if got := CheckPassword(tc.name, tc.pw); got != tc.want {
			t.Errorf("CheckPassword(%q, %q) = %q, want %q", tc.name, tc.pw, got, tc.want)
		}
	}
}

func TestToken(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) != 43 || strings.ContainsAny(a, "+/=") {
		t.Fatalf("tokens %q, %q: want two different 43-character base64url strings", a, b)
	}
	id := TokenID(a)
	if len(id) != 64 || id == a || TokenID(a) != id || TokenID(b) == id {
		t.Fatalf("TokenID(%q) = %q: want a stable 64-hex-digit hash", a, id)
	}
}
