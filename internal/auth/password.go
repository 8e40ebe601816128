package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters of a hash.
type Params struct {
	Time    uint32 // passes over memory
	Memory  uint32 // KiB
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are the costs of new hashes: 64 MiB and two passes, about
// 100 ms on the department's server, the OWASP-recommended range.
var DefaultParams = Params{Time: 2, Memory: 64 * 1024, Threads: 2, SaltLen: 16, KeyLen: 32}

// Bounds on the parameters VerifyPassword accepts, so that a tampered or
// corrupt hash cannot make a sign-in allocate gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 20 // 1 GiB, in KiB
	maxTime    = 16
	maxKeyLen  = 128
	maxSaltLen = 64
	minSaltLen = 8
	minKeyLen  = 16
)

// ErrMalformedHash is returned by VerifyPassword for a hash that is not a
// PHC argon2id string this package can check.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// b64 is the PHC encoding: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// HashPassword hashes pw with argon2id and DefaultParams and returns the
// PHC string $argon2id$v=19$m=65536,t=2,p=2$<salt>$<hash>.
func HashPassword(pw string) (string, error) { return HashPasswordWith(pw, DefaultParams) }

// HashPasswordWith is HashPassword with explicit costs (tests use cheap
// ones; VerifyPassword reads the costs from the hash).
func HashPasswordWith(pw string, p Params) (string, error) {
	if p.SaltLen < minSaltLen || p.KeyLen < minKeyLen || p.Time == 0 || p.Memory == 0 || p.Threads == 0 {
		return "", errors.New("auth: invalid argon2 parameters")
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches hash, comparing in constant
// time. A malformed hash is an error (ErrMalformedHash), never a match.
func VerifyPassword(hash, pw string) (bool, error) {
	p, salt, key, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// parseHash splits a PHC argon2id string and checks its parameters.
func parseHash(hash string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(hash, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformedHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, ErrMalformedHash
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, ErrMalformedHash
	}
	var seen [3]bool
	for _, f := range kv {
		name, val, ok := strings.Cut(f, "=")
		if !ok {
			return p, nil, nil, ErrMalformedHash
		}
		n, err := strconv.ParseUint(val, 10, 32)
		if err != nil {
			return p, nil, nil, ErrMalformedHash
		}
		switch name {
		case "m":
			p.Memory, seen[0] = uint32(n), true
		case "t":
			p.Time, seen[1] = uint32(n), true
		case "p":
			if n > 255 {
				return p, nil, nil, ErrMalformedHash
			}
			p.Threads, seen[2] = uint8(n), true
		default:
			return p, nil, nil, ErrMalformedHash
		}
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return p, nil, nil, ErrMalformedHash
	}
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > maxTime || p.Threads == 0 ||
		p.Memory < 8*uint32(p.Threads) {
		return p, nil, nil, ErrMalformedHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return p, nil, nil, ErrMalformedHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return p, nil, nil, ErrMalformedHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
