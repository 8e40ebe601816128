// Package i18n holds the wording people read on the public pages and in
// API errors, in Vietnamese (the default) and English.
package i18n

import (
	"fmt"
	"sort"
	"strings"
)

// Languages, Vietnamese first: it is the default everywhere.
const (
	VI = "vi"
	EN = "en"
)

// Langs lists the supported languages, the default first.
var Langs = []string{VI, EN}

// Catalog translates message keys. It is read-only after New and safe for
// concurrent use.
type Catalog struct {
	msgs map[string]map[string]string // lang -> key -> text
}

// New returns the built-in catalogue.
func New() *Catalog {
	return &Catalog{msgs: map[string]map[string]string{VI: vi, EN: en}}
}

// Lang returns lang when it is supported and Vietnamese otherwise.
func Lang(lang string) string {
	if lang == EN {
		return EN
	}
	return VI
}

// FromAcceptLanguage picks English when the header's first language is
// English and Vietnamese for anything else.
func FromAcceptLanguage(h string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(h)), "en") {
		return EN
	}
	return VI
}

// T returns the text of key in lang, formatted with args when given. A key
// missing in lang falls back to Vietnamese, then to the key itself, so a
// missing translation shows up as a key rather than as nothing.
func (c *Catalog) T(lang, key string, args ...any) string {
	s, ok := c.msgs[Lang(lang)][key]
	if !ok {
		if s, ok = c.msgs[VI][key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key exists in lang.
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.msgs[lang][key]
	return ok
}

// Keys returns every key of lang, sorted.
func (c *Catalog) Keys(lang string) []string {
	keys := make([]string, 0, len(c.msgs[lang]))
	for k := range c.msgs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
