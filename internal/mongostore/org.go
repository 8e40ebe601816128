package mongostore

import (
	"context"
	"errors"
	"strconv"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/sipas/sipas/surveys"
)

type textDoc struct {
	VI string `bson:"vi"`
	EN string `bson:"en,omitempty"`
}

func toTextDoc(t surveys.Text) textDoc { return textDoc{VI: t.VI, EN: t.EN} }
func toText(d textDoc) surveys.Text    { return surveys.Text{VI: d.VI, EN: d.EN} }
func byCode() *options.FindOptions     { return options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}) }
func idFilter(id string) bson.D        { return bson.D{{Key: "_id", Value: id}} }
func upsert() *options.ReplaceOptions  { return options.Replace().SetUpsert(true) }

type divisionDoc struct {
	Code string  `bson:"_id"`
	Name textDoc `bson:"name"`
}

func toDivisionDoc(d surveys.Division) divisionDoc {
	return divisionDoc{Code: d.Code, Name: toTextDoc(d.Name)}
}

func toDivision(d divisionDoc) surveys.Division {
	return surveys.Division{Code: d.Code, Name: toText(d.Name)}
}

// PutDivision stores (replaces) a division.
func (s *Store) PutDivision(ctx context.Context, d surveys.Division) error {
	_, err := s.coll(collDivisions).ReplaceOne(ctx, idFilter(d.Code), toDivisionDoc(d), upsert())
	return storeErr(err, "put division")
}

// Divisions returns every division by code.
func (s *Store) Divisions(ctx context.Context) ([]surveys.Division, error) {
	var docs []divisionDoc
	if err := s.findAll(ctx, collDivisions, bson.D{}, byCode(), &docs); err != nil {
		return nil, err
	}
	out := make([]surveys.Division, len(docs))
	for i, d := range docs {
		out[i] = toDivision(d)
	}
	return out, nil
}

type procedureDoc struct {
	Code string  `bson:"code"`
	Name textDoc `bson:"name"`
}

type counterDoc struct {
	Code       string         `bson:"_id"`
	Name       textDoc        `bson:"name"`
	Division   string         `bson:"division"`
	Location   textDoc        `bson:"location"`
	Procedures []procedureDoc `bson:"procedures"`
	Active     bool           `bson:"active"`
}

func toCounterDoc(c surveys.Counter) counterDoc {
	d := counterDoc{
		Code:       c.Code,
		Name:       toTextDoc(c.Name),
		Division:   c.Division,
		Location:   toTextDoc(c.Location),
		Procedures: make([]procedureDoc, len(c.Procedures)),
		Active:     c.Active,
	}
	for i, p := range c.Procedures {
		d.Procedures[i] = procedureDoc{Code: p.Code, Name: toTextDoc(p.Name)}
	}
	return d
}

func toCounter(d counterDoc) surveys.Counter {
	c := surveys.Counter{
		Code:     d.Code,
		Name:     toText(d.Name),
		Division: d.Division,
		Location: toText(d.Location),
		Active:   d.Active,
	}
	for _, p := range d.Procedures {
		c.Procedures = append(c.Procedures, surveys.Procedure{Code: p.Code, Name: toText(p.Name)})
	}
	return c
}

// PutCounter stores (replaces) a counter with its procedures.
func (s *Store) PutCounter(ctx context.Context, c surveys.Counter) error {
	_, err := s.coll(collCounters).ReplaceOne(ctx, idFilter(c.Code), toCounterDoc(c), upsert())
	return storeErr(err, "put counter")
}

// Counter returns one counter, or an ENOTFOUND error.
func (s *Store) Counter(ctx context.Context, code string) (surveys.Counter, error) {
	var d counterDoc
	err := s.coll(collCounters).FindOne(ctx, idFilter(code)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return surveys.Counter{}, surveys.Wrap(surveys.ENOTFOUND, err, "no such counter")
	}
	if err != nil {
		return surveys.Counter{}, storeErr(err, "find counter")
	}
	return toCounter(d), nil
}

// Counters returns every counter by code.
func (s *Store) Counters(ctx context.Context) ([]surveys.Counter, error) {
	var docs []counterDoc
	if err := s.findAll(ctx, collCounters, bson.D{}, byCode(), &docs); err != nil {
		return nil, err
	}
	out := make([]surveys.Counter, len(docs))
	for i, d := range docs {
		out[i] = toCounter(d)
	}
	return out, nil
}

type baselineDoc struct {
	ID      string             `bson:"_id"` // survey|year|unit
	Survey  string             `bson:"survey"`
	Year    int                `bson:"year"`
	Unit    string             `bson:"unit"`
	Values  map[string]float64 `bson:"values"`
	Overall float64            `bson:"overall"`
	Targets map[string]float64 `bson:"targets,omitempty"`
}

func toBaselineDoc(survey string, b surveys.Baseline) baselineDoc {
	return baselineDoc{
		ID:      survey + "|" + strconv.Itoa(b.Year) + "|" + b.Unit,
		Survey:  survey,
		Year:    b.Year,
		Unit:    b.Unit,
		Values:  b.Values,
		Overall: b.Overall,
		Targets: b.Targets,
	}
}

func toBaseline(d baselineDoc) surveys.Baseline {
	return surveys.Baseline{Year: d.Year, Unit: d.Unit, Values: d.Values, Overall: d.Overall, Targets: d.Targets}
}

// PutBaseline stores (replaces) the baseline of b.Year and b.Unit for
// survey.
func (s *Store) PutBaseline(ctx context.Context, survey string, b surveys.Baseline) error {
	d := toBaselineDoc(survey, b)
	_, err := s.coll(collBaselines).ReplaceOne(ctx, idFilter(d.ID), d, upsert())
	return storeErr(err, "put baseline")
}

// Baselines returns a survey's baselines by year then unit.
func (s *Store) Baselines(ctx context.Context, survey string) ([]surveys.Baseline, error) {
	var docs []baselineDoc
	opts := options.Find().SetSort(bson.D{{Key: "year", Value: 1}, {Key: "unit", Value: 1}})
	if err := s.findAll(ctx, collBaselines, bson.D{{Key: "survey", Value: survey}}, opts, &docs); err != nil {
		return nil, err
	}
	out := make([]surveys.Baseline, len(docs))
	for i, d := range docs {
		out[i] = toBaseline(d)
	}
	return out, nil
}

type metaDoc struct {
	Key   string `bson:"_id"`
	Value string `bson:"value"`
}

// Meta returns the value of key, or an ENOTFOUND error.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var d metaDoc
	err := s.coll(collMeta).FindOne(ctx, idFilter(key)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return "", surveys.Wrap(surveys.ENOTFOUND, err, "no such setting")
	}
	if err != nil {
		return "", storeErr(err, "find meta")
	}
	return d.Value, nil
}

// SetMeta stores (replaces) the value of key.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.coll(collMeta).ReplaceOne(ctx, idFilter(key), metaDoc{Key: key, Value: value}, upsert())
	return storeErr(err, "set meta")
}

// findAll decodes every document of coll matching filter into out, a
// pointer to a slice. For the organisation's small collections only.
func (s *Store) findAll(ctx context.Context, coll string, filter bson.D, opts *options.FindOptions, out any) error {
	cur, err := s.coll(coll).Find(ctx, filter, opts)
	if err != nil {
		return storeErr(err, "find "+coll)
	}
	return storeErr(cur.All(ctx, out), "read "+coll)
}
