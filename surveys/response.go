package surveys

import (
	"time"
)

// Channel is how a response reached us.
type Channel string

// Channels.
const (
	ChannelQR    Channel = "qr"
	ChannelKiosk Channel = "kiosk"
	ChannelPaper Channel = "paper"
	ChannelAPI   Channel = "api"
)

// Channels lists every channel in display order.
var Channels = []Channel{ChannelQR, ChannelKiosk, ChannelPaper, ChannelAPI}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	switch c {
	case ChannelQR, ChannelKiosk, ChannelPaper, ChannelAPI:
		return true
	}
	return false
}

// Response is one person's answers to one survey version. It carries no
// personal data: no name, phone, ID number or IP address.
type Response struct {
	ID      string // client-generated UUID, canonical lower-case form
	Survey  string // definition id
	Version int    // definition version answered
	Counter string // counter code; "" when unknown
	Channel Channel
	Lang    string // "vi" or "en"

	// Answers maps item code to a value on the scale. An item answered
	// "no opinion", or not answered, is absent: never stored as 0.
	Answers map[string]int

	// Extra holds the optional answers by question code: a choice
	// question's option code, a scale question's value as decimal text,
	// a text question's text ("comment").
	Extra map[string]string

	Device string // enrolled tablet id, "" otherwise
	// Flags mark a response for review (misuse signals such as "burst");
	// flagged responses are kept and counted unless an analyst excludes
	// them.
	Flags       []string
	SubmittedAt time.Time // when the person answered (server time, or the imported time)
	ReceivedAt  time.Time // when the server stored it
}

// Comment returns the free-text comment, if any.
func (r *Response) Comment() string { return r.Extra["comment"] }

// Vector returns the answers as values aligned with d.Items(); 0 means no
// opinion or not answered.
func (r *Response) Vector(d *Definition) []int8 {
	v := make([]int8, len(d.items))
	for code, val := range r.Answers {
		if i, ok := d.itemIndex[code]; ok {
			v[i] = int8(val)
		}
	}
	return v
}

// Location is the time zone days are counted in: Asia/Ho_Chi_Minh, a fixed
// UTC+7 (Vietnam has no daylight saving time), so no tzdata is needed.
var Location = time.FixedZone("ICT", 7*60*60)

// Day returns the calendar day of t in Asia/Ho_Chi_Minh as YYYY-MM-DD.
func Day(t time.Time) string { return t.In(Location).Format(time.DateOnly) }
