package surveys

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Field message keys. The web catalogue translates them; they are stable
// identifiers, not wording.
const (
	MsgRequired       = "field.required"
	MsgUnknownItem    = "field.unknown"
	MsgOutOfRange     = "field.out_of_range"
	MsgNotANumber     = "field.not_a_number"
	MsgBadUUID        = "field.bad_uuid"
	MsgTooLong        = "field.too_long"
	MsgBadUTF8        = "field.bad_utf8"
	MsgUnknownOption  = "field.unknown_option"
	MsgUnknownSurvey  = "field.unknown_survey"
	MsgUnknownCounter = "field.unknown_counter"
	MsgBadChannel     = "field.bad_channel"
	MsgNoAnswers      = "field.no_answers"
	MsgBadTime        = "field.bad_time"
)

// MaxCommentRunes is the longest comment accepted, in characters.
const MaxCommentRunes = 2000

// ValidateResponse checks r against d and returns an EINVALID *Error with
// a message key per bad field, or nil. counter, when not nil, is the
// counter the response is for (its procedures bound the procedure answer).
// A response must answer at least one item: an empty form carries nothing.
func ValidateResponse(d *Definition, r *Response, counter *Counter) error {
	fields := map[string]string{}
	if _, err := ParseUUID(r.ID); err != nil {
		fields["id"] = MsgBadUUID
	}
	if !r.Channel.Valid() {
		fields["channel"] = MsgBadChannel
	}
	for code, v := range r.Answers {
		if d.ItemIndex(code) < 0 {
			fields[code] = MsgUnknownItem
			continue
		}
		if v < d.Scale.Min() || v > d.Scale.Max() {
			fields[code] = MsgOutOfRange
		}
	}
	if len(r.Answers) == 0 && len(fields) == 0 {
		fields["answers"] = MsgNoAnswers
	}
	for code, val := range r.Extra {
		q, ok := d.Question(code)
		if !ok {
			fields[code] = MsgUnknownItem
			continue
		}
		if !utf8.ValidString(val) {
			fields[code] = MsgBadUTF8
			continue
		}
		switch q.Kind {
		case KindText:
			if utf8.RuneCountInString(val) > q.MaxLen {
				fields[code] = MsgTooLong
			}
		case KindScale:
			n, err := strconv.Atoi(val)
			if err != nil {
				fields[code] = MsgNotANumber
			} else if n < d.Scale.Min() || n > d.Scale.Max() {
				fields[code] = MsgOutOfRange
			}
		case KindChoice:
			if !optionAllowed(q, val, code, counter) {
				fields[code] = MsgUnknownOption
			}
		}
	}
	if r.Lang != "" && r.Lang != "vi" && r.Lang != "en" {
		fields["lang"] = MsgUnknownOption
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "the response has invalid fields", Fields: fields}
	}
	return nil
}

func optionAllowed(q Question, val, code string, counter *Counter) bool {
	for _, o := range q.Options {
		if o.Code == val {
			return true
		}
	}
	if code == "procedure" && counter != nil {
		for _, p := range counter.Procedures {
			if p.Code == val {
				return true
			}
		}
	}
	return false
}

// CleanText trims a free-text answer and normalises its line breaks.
func CleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(s)
}
