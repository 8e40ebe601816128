package mongostore

import (
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// healWriter is the writer of the correction documents HealRollups
// writes.
const healWriter = "heal"

// rollupDoc is one writer's tally of one rollup key. Only that writer
// ever writes the document, replacing it whole, so no update is lost even
// without transactions or atomic increments; the key's tally is the sum
// over its writers.
type rollupDoc struct {
	ID          string    `bson:"_id"`
	Survey      string    `bson:"survey"`
	Version     int       `bson:"version"`
	Day         string    `bson:"day"`
	Counter     string    `bson:"counter"`
	Channel     string    `bson:"channel"`
	Writer      string    `bson:"writer"`
	Respondents int64     `bson:"respondents"`
	Tally       []byte    `bson:"tally"` // scoring.Tally.MarshalBinary
	UpdatedAt   time.Time `bson:"updated_at"`
}

// rollupID is the _id of writer's document for key k. The writer comes
// first so that one writer's documents never collide with another's.
func rollupID(writer string, k scoring.Key) string {
	return strings.Join([]string{writer, k.Survey, strconv.Itoa(k.Version), k.Day, k.Counter, k.Channel}, "|")
}

// toRollupDoc encodes writer's tally t of key k.
func toRollupDoc(writer string, k scoring.Key, t *scoring.Tally, now time.Time) (rollupDoc, error) {
	b, err := t.MarshalBinary()
	if err != nil {
		return rollupDoc{}, err
	}
	return rollupDoc{
		ID:          rollupID(writer, k),
		Survey:      k.Survey,
		Version:     k.Version,
		Day:         k.Day,
		Counter:     k.Counter,
		Channel:     k.Channel,
		Writer:      writer,
		Respondents: t.Respondents,
		Tally:       b,
		UpdatedAt:   now.UTC().Truncate(time.Millisecond),
	}, nil
}

// toRollup decodes a stored document.
func toRollup(d *rollupDoc) (scoring.Rollup, error) {
	t := new(scoring.Tally)
	if err := t.UnmarshalBinary(d.Tally); err != nil {
		return scoring.Rollup{}, err
	}
	return scoring.Rollup{
		Survey:  d.Survey,
		Version: d.Version,
		Day:     d.Day,
		Counter: d.Counter,
		Channel: d.Channel,
		Tally:   t,
	}, nil
}

func (d *rollupDoc) key() scoring.Key {
	return scoring.Key{Survey: d.Survey, Version: d.Version, Day: d.Day, Counter: d.Counter, Channel: d.Channel}
}

// rollupKeyOf is the rollup a response belongs to.
func rollupKeyOf(r *surveys.Response) scoring.Key {
	return scoring.Key{
		Survey:  r.Survey,
		Version: r.Version,
		Day:     surveys.Day(r.SubmittedAt),
		Counter: r.Counter,
		Channel: string(r.Channel),
	}
}

// dayFilter turns f into a query on rollups; zero fields select
// everything.
func dayFilter(f surveys.DayFilter) bson.D {
	q := bson.D{}
	if f.Survey != "" {
		q = append(q, bson.E{Key: "survey", Value: f.Survey})
	}
	if f.FromDay != "" || f.ToDay != "" {
		r := bson.D{}
		if f.FromDay != "" {
			r = append(r, bson.E{Key: "$gte", Value: f.FromDay})
		}
		if f.ToDay != "" {
			r = append(r, bson.E{Key: "$lt", Value: f.ToDay})
		}
		q = append(q, bson.E{Key: "day", Value: r})
	}
	if f.Counter != "" {
		q = append(q, bson.E{Key: "counter", Value: f.Counter})
	}
	if f.Channel != "" {
		q = append(q, bson.E{Key: "channel", Value: string(f.Channel)})
	}
	return q
}

// newTally returns an empty tally shaped for d.
func newTally(d *surveys.Definition) *scoring.Tally {
	return scoring.NewTally(len(d.Items()), d.Scale.Max(), d.Scale.SatisfiedMin)
}

// subtract returns a − b, which may hold negative counts: a correction
// takes back what the writers' documents count too much (a response
// removed by hand, or one counted twice in a race with a heal).
// scoring.Tally.Sub refuses to go below zero, so this negates b and
// merges; tallies of different shapes are an error.
func subtract(a, b *scoring.Tally) (*scoring.Tally, error) {
	neg := b.Clone()
	neg.Respondents = -neg.Respondents
	for _, s := range [][]int64{neg.Counts, neg.SS, neg.SV, neg.VV} {
		for i := range s {
			s[i] = -s[i]
		}
	}
	out := a.Clone()
	if err := out.Merge(neg); err != nil {
		return nil, err
	}
	return out, nil
}

// isZero reports whether t counts nothing at all.
func isZero(t *scoring.Tally) bool {
	if t.Respondents != 0 {
		return false
	}
	for _, s := range [][]int64{t.Counts, t.SS, t.SV, t.VV} {
		for _, v := range s {
			if v != 0 {
				return false
			}
		}
	}
	return true
}
