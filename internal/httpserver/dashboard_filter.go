package httpserver

import (
	"fmt"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// Periods of the dashboard's filter.
const (
	periodMonth   = "month"
	periodQuarter = "quarter"
	periodYear    = "year"
	periodCustom  = "custom"
)

// dashFilter is the dashboard's filter, read from the query string so
// that a view can be shared as a link. Dates are days in
// Asia/Ho_Chi_Minh. People see and type an inclusive range (from 1 July
// to 30 September); internally the end is exclusive (ToDay is the day
// after To), as in the score document and the store.
type dashFilter struct {
	Period   string
	From, To string // inclusive, YYYY-MM-DD, as shown
	FromDay  string // inclusive
	ToDay    string // exclusive
	Division string
	Counter  string
	Channel  surveys.Channel
	Survey   string
	// Errors maps a field to a message key; the dashboard shows it and
	// falls back to the default for that field.
	Errors map[string]string
}

// parseDashFilter reads the filter of c; now fixes "this month".
func (s *server) parseDashFilter(c *fiber.Ctx, now time.Time) dashFilter {
	f := dashFilter{
		Period:   c.Query("period", periodYear),
		Division: c.Query("division"),
		Counter:  c.Query("counter"),
		Channel:  surveys.Channel(c.Query("channel")),
		Survey:   c.Query("survey", s.cfg.Survey),
		Errors:   map[string]string{},
	}
	if _, ok := s.deps.Surveys.Get(f.Survey); !ok {
		f.Errors["survey"] = surveys.MsgUnknownSurvey
		f.Survey = s.cfg.Survey
	}
	if f.Channel != "" && !f.Channel.Valid() {
		f.Errors["channel"] = surveys.MsgBadChannel
		f.Channel = ""
	}
	today := dayStart(now)
	switch f.Period {
	case periodMonth:
		from := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, surveys.Location)
		f.setRange(from, from.AddDate(0, 1, 0))
	case periodQuarter:
		q := (int(today.Month()) - 1) / 3
		from := time.Date(today.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, surveys.Location)
		f.setRange(from, from.AddDate(0, 3, 0))
	case periodCustom:
		from, err1 := time.ParseInLocation(time.DateOnly, c.Query("from"), surveys.Location)
		to, err2 := time.ParseInLocation(time.DateOnly, c.Query("to"), surveys.Location)
		switch {
		case err1 != nil:
			f.Errors["from"] = surveys.MsgBadTime
		case err2 != nil:
			f.Errors["to"] = surveys.MsgBadTime
		case to.Before(from):
			f.Errors["to"] = "dash.to_before_from"
		case to.Sub(from) > 5*366*24*time.Hour:
			f.Errors["to"] = "dash.too_long"
		default:
			f.setRange(from, to.AddDate(0, 0, 1))
			return f
		}
		f.From, f.To = c.Query("from"), c.Query("to") // kept for the form
		fallthrough
	default:
		if f.Period != periodYear && f.Period != periodCustom {
			f.Errors["period"] = "dash.bad_period"
		}
		from := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, surveys.Location)
		keepFrom, keepTo := f.From, f.To
		f.setRange(from, from.AddDate(1, 0, 0))
		if f.Period == periodCustom {
			f.From, f.To = keepFrom, keepTo
		} else {
			f.Period = periodYear
		}
	}
	return f
}

// setRange sets the window [from, end) and its inclusive display.
func (f *dashFilter) setRange(from, end time.Time) {
	f.FromDay, f.ToDay = from.Format(time.DateOnly), end.Format(time.DateOnly)
	f.From, f.To = f.FromDay, end.AddDate(0, 0, -1).Format(time.DateOnly)
}

// dayFilter is the store filter of f (without the division, which the
// store does not know: see dashData).
func (f dashFilter) dayFilter() surveys.DayFilter {
	return surveys.DayFilter{Survey: f.Survey, FromDay: f.FromDay, ToDay: f.ToDay, Counter: f.Counter, Channel: f.Channel}
}

// query returns f as a query string, for links that keep the view.
func (f dashFilter) query() string {
	v := url.Values{}
	v.Set("period", f.Period)
	if f.Period == periodCustom {
		v.Set("from", f.From)
		v.Set("to", f.To)
	}
	for k, x := range map[string]string{"division": f.Division, "counter": f.Counter, "channel": string(f.Channel)} {
		if x != "" {
			v.Set(k, x)
		}
	}
	v.Set("survey", f.Survey)
	return v.Encode()
}

// describe is the filter as one line for audit entries.
func (f dashFilter) describe() string {
	return fmt.Sprintf("survey=%s from=%s to=%s division=%s counter=%s channel=%s",
		f.Survey, f.FromDay, f.ToDay, f.Division, f.Counter, f.Channel)
}

// dayStart is midnight of t's day in Asia/Ho_Chi_Minh.
func dayStart(t time.Time) time.Time {
	t = t.In(surveys.Location)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, surveys.Location)
}
