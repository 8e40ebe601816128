package surveys

import "regexp"

// Division is a division (phòng) of the department.
type Division struct {
	Code string
	Name Text
}

// Procedure is an administrative procedure handled at a counter.
type Procedure struct {
	Code string
	Name Text
}

// Counter is a one-stop counter where people are served and rate the
// service. Its code appears in the QR code's URL.
type Counter struct {
	Code       string
	Name       Text
	Division   string // division code
	Location   Text   // where it is, for posters
	Procedures []Procedure
	Active     bool
}

var counterCodePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// ValidCounterCode reports whether s can be a counter code: lower-case
// letters, digits and hyphens, at most 40 characters (it is part of URLs).
func ValidCounterCode(s string) bool { return counterCodePattern.MatchString(s) }

// Validate checks a counter.
func (c *Counter) Validate() error {
	fields := map[string]string{}
	if !ValidCounterCode(c.Code) {
		fields["code"] = "field.bad_code"
	}
	if c.Name.VI == "" {
		fields["name"] = MsgRequired
	}
	seen := map[string]bool{}
	for _, p := range c.Procedures {
		if p.Code == "" || seen[p.Code] || p.Code == "other" || p.Code == "none" {
			fields["procedures"] = "field.bad_code"
		}
		seen[p.Code] = true
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "the counter has invalid fields", Fields: fields}
	}
	return nil
}
