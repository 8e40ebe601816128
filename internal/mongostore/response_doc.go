package mongostore

import (
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/sipas/sipas/surveys"
)

// responseDoc is a response as stored. The _id is the client's UUID, so a
// replay of the same response is a duplicate key, and day (in
// Asia/Ho_Chi_Minh) lets healing walk the responses a day at a time.
type responseDoc struct {
	ID          string            `bson:"_id"`
	Survey      string            `bson:"survey"`
	Version     int               `bson:"version"`
	Counter     string            `bson:"counter"`
	Channel     string            `bson:"channel"`
	Lang        string            `bson:"lang,omitempty"`
	Day         string            `bson:"day"`
	SubmittedAt time.Time         `bson:"submitted_at"`
	ReceivedAt  time.Time         `bson:"received_at"`
	Device      string            `bson:"device,omitempty"`
	Answers     map[string]int    `bson:"answers"`
	Extra       map[string]string `bson:"extra,omitempty"`
	Flags       []string          `bson:"flags,omitempty"`
}

// toResponseDoc converts a response for storage. BSON dates hold
// milliseconds, so the times are truncated here, where it is visible.
func toResponseDoc(r *surveys.Response) responseDoc {
	answers := r.Answers
	if answers == nil {
		answers = map[string]int{}
	}
	return responseDoc{
		ID:          r.ID,
		Survey:      r.Survey,
		Version:     r.Version,
		Counter:     r.Counter,
		Channel:     string(r.Channel),
		Lang:        r.Lang,
		Day:         surveys.Day(r.SubmittedAt),
		SubmittedAt: r.SubmittedAt.UTC().Truncate(time.Millisecond),
		ReceivedAt:  r.ReceivedAt.UTC().Truncate(time.Millisecond),
		Device:      r.Device,
		Answers:     answers,
		Extra:       r.Extra,
		Flags:       r.Flags,
	}
}

// toResponse converts a stored response back; times come back in UTC.
func toResponse(d *responseDoc) surveys.Response {
	r := surveys.Response{
		ID:          d.ID,
		Survey:      d.Survey,
		Version:     d.Version,
		Counter:     d.Counter,
		Channel:     surveys.Channel(d.Channel),
		Lang:        d.Lang,
		Answers:     d.Answers,
		Extra:       d.Extra,
		Device:      d.Device,
		Flags:       d.Flags,
		SubmittedAt: d.SubmittedAt.UTC(),
		ReceivedAt:  d.ReceivedAt.UTC(),
	}
	if r.Answers == nil {
		r.Answers = map[string]int{}
	}
	if len(r.Flags) == 0 {
		r.Flags = nil
	}
	return r
}

// responseFilter turns f into a query; zero fields select everything.
func responseFilter(f surveys.ResponseFilter) bson.D {
	q := bson.D{}
	if f.Survey != "" {
		q = append(q, bson.E{Key: "survey", Value: f.Survey})
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		r := bson.D{}
		if !f.From.IsZero() {
			r = append(r, bson.E{Key: "$gte", Value: f.From.UTC()})
		}
		if !f.To.IsZero() {
			r = append(r, bson.E{Key: "$lt", Value: f.To.UTC()})
		}
		q = append(q, bson.E{Key: "submitted_at", Value: r})
	}
	if f.Counter != "" {
		q = append(q, bson.E{Key: "counter", Value: f.Counter})
	}
	if f.Channel != "" {
		q = append(q, bson.E{Key: "channel", Value: string(f.Channel)})
	}
	if f.Flag != "" {
		q = append(q, bson.E{Key: "flags", Value: f.Flag}) // the array holds it
	}
	return q
}
