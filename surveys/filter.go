package surveys

import "time"

// ResponseFilter selects stored responses. Zero fields select everything.
type ResponseFilter struct {
	Survey  string
	From    time.Time // inclusive, on SubmittedAt
	To      time.Time // exclusive, on SubmittedAt
	Counter string
	Channel Channel
	// Flag, when set, selects only the responses carrying that flag.
	Flag string
}

// DayFilter selects rollups by day. Days are YYYY-MM-DD in
// Asia/Ho_Chi_Minh; FromDay is inclusive, ToDay exclusive; "" is unbounded.
type DayFilter struct {
	Survey  string
	FromDay string
	ToDay   string
	Counter string
	Channel Channel
}

// Breakdown dimensions of rollups.
const (
	DimCounter   = "counter"
	DimChannel   = "channel"
	DimProcedure = "procedure" // value "counter/procedure"
	DimLang      = "lang"
	DimDevice    = "device"
)

// FlagExcluded marks a response an analyst excluded from the indices after
// review. The response stays stored (and in exports); scores subtract it.
const FlagExcluded = "excluded"

// DimValue is r's value in a breakdown by dim, as stores key their
// breakdown rollups: a procedure is "counter/procedure"; empty values are
// values too, so that a breakdown adds up to the total.
func DimValue(r *Response, dim string) string {
	switch dim {
	case DimCounter:
		return r.Counter
	case DimChannel:
		return string(r.Channel)
	case DimProcedure:
		return r.Counter + "/" + r.Extra["procedure"]
	case DimLang:
		return r.Lang
	case DimDevice:
		return r.Device
	}
	return ""
}

// HasFlag reports whether r carries flag.
func (r *Response) HasFlag(flag string) bool {
	for _, f := range r.Flags {
		if f == flag {
			return true
		}
	}
	return false
}
