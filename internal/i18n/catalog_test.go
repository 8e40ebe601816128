package i18n

import (
	"strings"
	"testing"

	"github.com/sipas/sipas/surveys"
)

func TestEveryKeyInBothLanguages(t *testing.T) {
	c := New()
	for _, a := range Langs {
		for _, b := range Langs {
			for _, k := range c.Keys(a) {
				if !c.Has(b, k) {
					t.Errorf("key %q is in %s but not in %s", k, a, b)
				}
			}
		}
		for _, k := range c.Keys(a) {
			if strings.TrimSpace(c.T(a, k)) == "" {
				t.Errorf("%s: key %q is empty", a, k)
			}
		}
	}
}

// TestFieldMessages checks that every message key the surveys package
// can put in Error.Fields has wording.
func TestFieldMessages(t *testing.T) {
	c := New()
	keys := []string{
		surveys.MsgRequired, surveys.MsgUnknownItem, surveys.MsgOutOfRange,
		surveys.MsgNotANumber, surveys.MsgBadUUID, surveys.MsgTooLong,
		surveys.MsgBadUTF8, surveys.MsgUnknownOption, surveys.MsgUnknownSurvey,
		surveys.MsgUnknownCounter, surveys.MsgBadChannel, surveys.MsgNoAnswers,
		surveys.MsgBadTime, "field.bad_code",
	}
	for _, lang := range Langs {
		for _, k := range keys {
			if !c.Has(lang, k) {
				t.Errorf("%s: no wording for %q", lang, k)
			}
		}
	}
}

func TestT(t *testing.T) {
	c := New()
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"vi", "thanks.received", nil, "Cảm ơn ông/bà! Ý kiến đã được ghi nhận."},
		{"", "field.no_answers", nil, "Vui lòng trả lời ít nhất một câu hỏi."},
		{"fr", "notfound.title", nil, "Không tìm thấy trang"},
		{"en", "notfound.title", nil, "Page not found"},
		{"en", "poster.qr_alt", []any{"Quầy 1"}, "QR code to the survey form of Quầy 1"},
		{"en", "no.such.key", nil, "no.such.key"},
	}
	for _, tt := range tests {
		if got := c.T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for h, want := range map[string]string{"": VI, "en-US,en;q=0.9": EN, "EN": EN, "vi-VN,en;q=0.5": VI, "fr": VI} {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", h, got, want)
		}
	}
}
