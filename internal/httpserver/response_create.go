package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// maxFutureSkew is how far ahead of the server clock submitted_at may be.
const maxFutureSkew = 5 * time.Minute

// How far back submitted_at may go: a day for public clients (a phone
// retrying after a dropped connection), 90 days for an enrolled tablet
// (an offline queue). Older answers come in through `sipas import`, by
// staff. Without the bound anyone could file answers into past periods.
const (
	maxPublicAge = 24 * time.Hour
	maxDeviceAge = 90 * 24 * time.Hour
)

// createdBody is the body of 201 and of 200 (a replay).
type createdBody struct {
	ID     string `json:"id"`
	Status string `json:"status"` // "created" or "duplicate"
}

// apiFields are the top-level fields of POST /api/v1/responses; any other
// is refused, naming it.
var apiFields = map[string]bool{
	"id": true, "survey": true, "counter": true, "channel": true, "answers": true,
	"comment": true, "lang": true, "extra": true, "submitted_at": true,
}

// jsonInteger is a JSON number with no fraction and no exponent.
var jsonInteger = regexp.MustCompile(`^-?(0|[1-9][0-9]{0,8})$`)

// handleResponseCreate takes one response as JSON (SPEC 5.3): 201 when
// stored, 200 when its id was already stored, 400 when the body is not a
// JSON object, 422 with a message per field when its content is invalid.
// A tablet signs with "Authorization: Bearer <device token>" (401 when
// unknown or revoked; see applyDevice for 403).
func (s *server) handleResponseCreate(c *fiber.Ctx) error {
	device, err := s.kioskDevice(c) // nil without a bearer token; 401 for a bad one
	if err != nil {
		return err
	}
	body := c.Body()
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD; refuse
	// it instead, as invalid content (422) rather than as malformed JSON.
	if !utf8.Valid(body) {
		return &surveys.Error{Code: surveys.EINVALID, Message: "body is not UTF-8",
			Fields: map[string]string{"body": surveys.MsgBadUTF8}}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return surveys.Wrap(surveys.EMALFORMED, err, "body is not a JSON object")
	}
	r, err := s.responseFromJSON(raw)
	if err != nil {
		return err
	}
	if err := applyDevice(device, &r); err != nil {
		return err
	}
	maxAge := maxPublicAge
	if device != nil {
		maxAge = maxDeviceAge
	}
	if r.SubmittedAt.Before(s.deps.Now().Add(-maxAge)) {
		return &surveys.Error{Code: surveys.EINVALID, Message: "submitted_at too far in the past",
			Fields: map[string]string{"submitted_at": surveys.MsgBadTime}}
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	fresh, err := s.deps.Store.InsertResponses(ctx, []surveys.Response{r})
	if err != nil {
		return err
	}
	if len(fresh) == 1 && !fresh[0] {
		return c.Status(http.StatusOK).JSON(createdBody{ID: r.ID, Status: "duplicate"})
	}
	return c.Status(http.StatusCreated).JSON(createdBody{ID: r.ID, Status: "created"})
}

// responseFromJSON converts the decoded object into a valid response, or
// returns an EINVALID error naming every bad field.
func (s *server) responseFromJSON(raw map[string]json.RawMessage) (surveys.Response, error) {
	fields := map[string]string{}
	invalid := func() error {
		return &surveys.Error{Code: surveys.EINVALID, Message: "the response has invalid fields", Fields: fields}
	}
	for name := range raw {
		if !apiFields[name] {
			fields[name] = surveys.MsgUnknownItem
		}
	}
	str := func(name, badKey string) string {
		m, ok := raw[name]
		if !ok || string(m) == "null" {
			return ""
		}
		var v string
		if err := json.Unmarshal(m, &v); err != nil {
			fields[name] = badKey
		}
		return v
	}
	now := s.deps.Now()
	r := surveys.Response{
		ID:          str("id", surveys.MsgBadUUID),
		Survey:      str("survey", surveys.MsgUnknownSurvey),
		Counter:     str("counter", surveys.MsgUnknownCounter),
		Channel:     surveys.Channel(str("channel", surveys.MsgBadChannel)),
		Lang:        str("lang", surveys.MsgUnknownOption),
		Answers:     map[string]int{},
		Extra:       map[string]string{},
		SubmittedAt: now,
		ReceivedAt:  now,
	}
	if id, err := surveys.ParseUUID(r.ID); err == nil {
		r.ID = id
	} else {
		fields["id"] = surveys.MsgBadUUID
	}
	if r.Survey == "" {
		r.Survey = surveys.Default
	}
	if r.Channel == "" {
		r.Channel = surveys.ChannelAPI
	}
	def, ok := s.deps.Surveys.Get(r.Survey)
	if !ok {
		fields["survey"] = surveys.MsgUnknownSurvey
		return r, invalid() // answers cannot be checked without it
	}
	r.Version = def.Version

	var counter *surveys.Counter
	if r.Counter != "" {
		ct, err := s.lookupCounter(r.Counter)
		switch {
		case err == nil:
			counter = &ct
		case surveys.IsNotFound(err):
			fields["counter"] = surveys.MsgUnknownCounter
		default:
			return r, err
		}
	}

	if m, ok := raw["answers"]; ok && string(m) != "null" {
		var answers map[string]json.RawMessage
		if err := json.Unmarshal(m, &answers); err != nil {
			fields["answers"] = "field.bad_type"
		}
		for code, v := range answers {
			if def.ItemIndex(code) < 0 {
				fields[code] = surveys.MsgUnknownItem
				continue
			}
			v = bytes.TrimSpace(v)
			if string(v) == "null" {
				continue // no opinion: absent, never 0
			}
			if !jsonInteger.Match(v) {
				fields[code] = surveys.MsgNotANumber
				continue
			}
			n, _ := strconv.Atoi(string(v))
			r.Answers[code] = n // the range is ValidateResponse's
		}
	}
	if m, ok := raw["extra"]; ok && string(m) != "null" {
		var extra map[string]string
		if err := json.Unmarshal(m, &extra); err != nil {
			fields["extra"] = "field.bad_type"
		}
		for code, v := range extra {
			if v = surveys.CleanText(v); v != "" {
				r.Extra[code] = v
			}
		}
	}
	if comment := surveys.CleanText(str("comment", "field.bad_type")); comment != "" {
		r.Extra["comment"] = comment
	}
	if ts := str("submitted_at", surveys.MsgBadTime); ts != "" {
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil || t.After(now.Add(maxFutureSkew)) {
			fields["submitted_at"] = surveys.MsgBadTime
		} else {
			r.SubmittedAt = t.UTC()
		}
	}

	if err := surveys.ValidateResponse(def, &r, counter); err != nil {
		var ve *surveys.Error
		if !errors.As(err, &ve) || ve.Code != surveys.EINVALID {
			return r, err
		}
		for f, key := range ve.Fields {
			if _, done := fields[f]; !done {
				fields[f] = key
			}
		}
	}
	if len(fields) > 1 && fields["answers"] == surveys.MsgNoAnswers {
		delete(fields, "answers") // "no answer at all" is noise beside a bad answer
	}
	if len(fields) > 0 {
		return r, invalid()
	}
	return r, nil
}

// lookupCounter returns the counter with code, or ENOTFOUND. Unlike the
// form, the API accepts a closed counter: a kiosk may replay answers
// collected before it closed.
func (s *server) lookupCounter(code string) (surveys.Counter, error) {
	if !surveys.ValidCounterCode(code) {
		return surveys.Counter{}, surveys.Errorf(surveys.ENOTFOUND, "no such counter")
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	return s.counter(ctx, code)
}
