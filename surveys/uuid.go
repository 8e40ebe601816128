package surveys

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// ParseUUID checks that s is a UUID in the 8-4-4-4-12 hex form and returns
// its canonical lower-case form. The standard library has no UUID type and
// this package stays free of dependencies, so it checks the text itself.
func ParseUUID(s string) (string, error) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return "", fmt.Errorf("not a UUID: %q", s)
	}
	hexPart := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	if _, err := hex.DecodeString(hexPart); err != nil {
		return "", fmt.Errorf("not a UUID: %q", s)
	}
	return strings.ToLower(s), nil
}

// NewUUID returns a random (version 4) UUID.
func NewUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
