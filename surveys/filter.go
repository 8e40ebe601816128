package surveys

import "time"

// ResponseFilter selects stored responses. Zero fields select everything.
type ResponseFilter struct {
	Survey  string
	From    time.Time // inclusive, on SubmittedAt
	To      time.Time // exclusive, on SubmittedAt
	Counter string
	Channel Channel
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
