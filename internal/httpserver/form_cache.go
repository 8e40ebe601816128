package httpserver

import (
	"bytes"
	"crypto/sha256"
	"sync"

	"github.com/sipas/sipas/surveys"
)

// formCache keeps the rendered empty form of each counter and language,
// split around the response id, so that GET /s/:counter costs a copy and
// not a template execution (the form has some 130 radio buttons). An entry
// is keyed by a hash of everything the page shows, so an edited counter
// or division renders afresh.
type formCache struct {
	mu      sync.RWMutex
	entries map[[32]byte]formParts
}

type formParts struct{ before, after []byte }

// idPlaceholder stands for the response id in a cached form; it is plain
// text that html/template leaves as it is.
const idPlaceholder = "00000000-0000-4000-8000-00000000feed"

// maxFormCache bounds the cache: counters × languages of a whole province
// fit many times over.
const maxFormCache = 4096

// formKey identifies what a rendered empty form shows: the language, the
// counter (names, location, procedures) and its division's name.
func formKey(lang string, ct surveys.Counter, division string) [32]byte {
	h := sha256.New()
	w := func(ss ...string) {
		for _, s := range ss {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
	}
	w(lang, ct.Code, ct.Name.VI, ct.Name.EN, ct.Division, ct.Location.VI, ct.Location.EN, division)
	for _, p := range ct.Procedures {
		w(p.Code, p.Name.VI, p.Name.EN)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func (fc *formCache) get(key [32]byte) (formParts, bool) {
	fc.mu.RLock()
	defer fc.mu.RUnlock()
	p, ok := fc.entries[key]
	return p, ok
}

func (fc *formCache) put(key [32]byte, page []byte) (formParts, bool) {
	i := bytes.Index(page, []byte(idPlaceholder))
	if i < 0 || bytes.Count(page, []byte(idPlaceholder)) != 1 {
		return formParts{}, false
	}
	p := formParts{before: page[:i:i], after: page[i+len(idPlaceholder):]}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.entries == nil || len(fc.entries) >= maxFormCache {
		fc.entries = map[[32]byte]formParts{}
	}
	fc.entries[key] = p
	return p, true
}

// assemble returns the page with id in place of the placeholder.
func (p formParts) assemble(id string) []byte {
	out := make([]byte, 0, len(p.before)+len(id)+len(p.after))
	out = append(out, p.before...)
	out = append(out, id...)
	return append(out, p.after...)
}
