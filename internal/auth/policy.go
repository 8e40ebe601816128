package auth

import (
	"strings"
	"unicode/utf8"
)

// MinPasswordLen is the shortest password accepted, in characters.
const MinPasswordLen = 10

// MaxPasswordLen bounds the work a sign-in does on attacker input.
const MaxPasswordLen = 256

// Message keys of the web catalogue (internal/i18n) returned by
// CheckPassword; the CLI may print the key or look it up.
const (
	MsgPasswordTooShort = "password.too_short"
	MsgPasswordTooLong  = "password.too_long"
	MsgPasswordRepeated = "password.repeated"
	MsgPasswordIsName   = "password.is_name"
)

// CheckPassword applies the password policy to pw for the account name:
// at least MinPasswordLen characters, not one character repeated, not the
// account name. It returns "" when pw is acceptable, else a message key.
func CheckPassword(name, pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return MsgPasswordTooShort
	case n > MaxPasswordLen:
		return MsgPasswordTooLong
	case allSame(pw):
		return MsgPasswordRepeated
	case name != "" && strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(name)):
		return MsgPasswordIsName
	}
	return ""
}

func allSame(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}
