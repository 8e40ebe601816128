package csvimport

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sipas/sipas/surveys"
)

// columns maps the header to what each column holds.
type columns struct {
	names []string
	kind  []colKind
	idCol int
}

type colKind int

const (
	colID colKind = iota
	colSubmittedAt
	colCounter
	colChannel
	colLang
	colItem
	colExtra // an optional question, "comment" included
)

func parseHeader(def *surveys.Definition, header []string) (columns, error) {
	c := columns{idCol: -1}
	seen := map[string]bool{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		h = strings.TrimSpace(h)
		if seen[h] {
			return c, fmt.Errorf("column %q appears twice in the header", h)
		}
		seen[h] = true
		var k colKind
		switch {
		case h == "id":
			k = colID
			c.idCol = i
		case h == "submitted_at":
			k = colSubmittedAt
		case h == "counter":
			k = colCounter
		case h == "channel":
			k = colChannel
		case h == "lang":
			k = colLang
		case def.ItemIndex(h) >= 0:
			k = colItem
		default:
			if _, ok := def.Question(h); ok {
				k = colExtra
				break
			}
			return c, fmt.Errorf("unknown column %q in the header (column %d)", h, i+1)
		}
		c.names = append(c.names, h)
		c.kind = append(c.kind, k)
	}
	if !seen["submitted_at"] {
		return c, fmt.Errorf("the header has no submitted_at column")
	}
	return c, nil
}

// parseLine turns one record into a validated response, or names the
// field and the reason it cannot be imported.
func parseLine(def *surveys.Definition, cols columns, rec []string, counters map[string]*surveys.Counter, now time.Time, derive func() string) (surveys.Response, string, string) {
	r := surveys.Response{
		Survey: def.ID, Version: def.Version, Channel: surveys.ChannelPaper, Lang: "vi",
		Answers: map[string]int{}, Extra: map[string]string{},
	}
	var counter *surveys.Counter
	for i, raw := range rec {
		name := cols.names[i]
		if !utf8.ValidString(raw) {
			return r, name, "not valid UTF-8"
		}
		v := strings.TrimSpace(raw)
		switch cols.kind[i] {
		case colID:
			if v == "" {
				continue
			}
			id, err := surveys.ParseUUID(v)
			if err != nil {
				return r, name, fmt.Sprintf("%q is not a UUID", v)
			}
			r.ID = id
		case colSubmittedAt:
			t, err := parseTime(v)
			if err != nil {
				return r, name, err.Error()
			}
			if t.After(now.Add(5 * time.Minute)) {
				return r, name, fmt.Sprintf("%q is in the future", v)
			}
			r.SubmittedAt, r.ReceivedAt = t, now
		case colCounter:
			if v == "" {
				continue
			}
			c, ok := counters[v]
			if !ok {
				return r, name, fmt.Sprintf("unknown counter %q", v)
			}
			r.Counter, counter = v, c
		case colChannel:
			if v == "" {
				continue
			}
			r.Channel = surveys.Channel(v)
			if !r.Channel.Valid() {
				return r, name, fmt.Sprintf("channel %q is not qr, kiosk, paper or api", v)
			}
		case colLang:
			if v != "" {
				r.Lang = v
			}
		case colItem:
			if v == "" || strings.EqualFold(v, "NA") {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < def.Scale.Min() || n > def.Scale.Max() {
				return r, name, fmt.Sprintf("value %q is not %d–%d, empty or NA", v, def.Scale.Min(), def.Scale.Max())
			}
			r.Answers[name] = n
		case colExtra:
			if name == "comment" {
				v = surveys.CleanText(raw)
			}
			if v != "" {
				r.Extra[name] = v
			}
		}
	}
	if r.SubmittedAt.IsZero() {
		return r, "submitted_at", "missing"
	}
	if r.ID == "" {
		r.ID = derive()
	}
	if err := surveys.ValidateResponse(def, &r, counter); err != nil {
		if e, ok := err.(*surveys.Error); ok {
			for _, f := range sortedKeys(e.Fields) {
				return r, f, reasons[e.Fields[f]]
			}
		}
		return r, "", err.Error()
	}
	return r, "", ""
}

var reasons = map[string]string{
	surveys.MsgNoAnswers:     "no item answered (every item empty or NA)",
	surveys.MsgOutOfRange:    "value outside the scale",
	surveys.MsgNotANumber:    "not a number",
	surveys.MsgTooLong:       "longer than allowed",
	surveys.MsgBadUTF8:       "not valid UTF-8",
	surveys.MsgUnknownOption: "not one of the allowed options",
	surveys.MsgUnknownItem:   "unknown field",
	surveys.MsgBadChannel:    "unknown channel",
	surveys.MsgBadUUID:       "not a UUID",
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// parseTime accepts RFC 3339 or "YYYY-MM-DD HH:MM:SS" in Asia/Ho_Chi_Minh.
func parseTime(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, fmt.Errorf("missing")
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.ParseInLocation(time.DateTime, v, surveys.Location); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD HH:MM:SS", v)
}
