package surveys

// Text is a piece of wording in Vietnamese and English.
type Text struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// In returns the wording in lang ("vi" or "en"), Vietnamese by default.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.VI
}

// Point is one value of the answer scale.
type Point struct {
	Value int  `json:"value"`
	Label Text `json:"label"`
}

// Scale is the answer scale shared by every item of a definition.
type Scale struct {
	Points       []Point `json:"points"`
	SatisfiedMin int     `json:"satisfied_min"`
	NoOpinion    Text    `json:"no_opinion"`
}

// Max is the largest value on the scale.
func (s Scale) Max() int {
	if len(s.Points) == 0 {
		return 0
	}
	return s.Points[len(s.Points)-1].Value
}

// Min is the smallest value on the scale.
func (s Scale) Min() int {
	if len(s.Points) == 0 {
		return 0
	}
	return s.Points[0].Value
}

// Item is one criterion, answered on the scale.
type Item struct {
	Code string `json:"code"`
	Text Text   `json:"text"`
}

// Factor is a group of items whose index is one sub-index.
type Factor struct {
	Code        string  `json:"code"`
	Name        Text    `json:"name"`
	Short       Text    `json:"short"`
	TargetDelta float64 `json:"target_delta"`
	Items       []Item  `json:"items"`
}

// Option is one choice of an optional choice question.
type Option struct {
	Code  string `json:"code"`
	Label Text   `json:"label"`
}

// Question kinds for optional questions.
const (
	KindChoice = "choice" // one of Options
	KindScale  = "scale"  // a value on the definition's scale
	KindText   = "text"   // free text up to MaxLen characters
)

// Question is an optional question: never required, never blocking.
type Question struct {
	Code    string   `json:"code"`
	Kind    string   `json:"kind"`
	Label   Text     `json:"label"`
	Options []Option `json:"options,omitempty"`
	MaxLen  int      `json:"max_len,omitempty"`
}

// Method holds the named options of the scoring method (SPEC 4).
type Method struct {
	FactorMethod   string `json:"factor_method"`   // "mean" or "pooled"
	ServiceRule    string `json:"service_rule"`    // "mean_of_factors" or "pooled"
	TargetRule     string `json:"target_rule"`     // "points" or "relative"
	MinRespondents int    `json:"min_respondents"` // below it a verdict is "insufficient"
}

// Baseline is a set of factor values for one year and unit.
type Baseline struct {
	Year    int                `json:"year"`
	Unit    string             `json:"unit"`
	Values  map[string]float64 `json:"values"`
	Overall float64            `json:"overall,omitempty"`
	// Targets overrides the target rule per factor when set.
	Targets map[string]float64 `json:"targets,omitempty"`
}

// Reference is a reference line for charts (a national average, say).
type Reference struct {
	Label Text    `json:"label"`
	Year  int     `json:"year"`
	Value float64 `json:"value"`
}

// Definition is one version of a questionnaire.
type Definition struct {
	ID         string      `json:"id"`
	Version    int         `json:"version"`
	Title      Text        `json:"title"`
	Intro      Text        `json:"intro"`
	Scale      Scale       `json:"scale"`
	Factors    []Factor    `json:"factors"`
	Optional   []Question  `json:"optional"`
	Scoring    Method      `json:"scoring"`
	Baselines  []Baseline  `json:"baselines"`
	References []Reference `json:"references"`

	items     []Item
	itemIndex map[string]int
	itemOf    []int // item position -> factor position
}

// Items returns every item in factor order. The position of an item in
// this list is its index in tallies and answer vectors.
func (d *Definition) Items() []Item { return d.items }

// ItemIndex returns the position of the item with code, or -1.
func (d *Definition) ItemIndex(code string) int {
	i, ok := d.itemIndex[code]
	if !ok {
		return -1
	}
	return i
}

// FactorOfItem returns the factor position of the item at position i.
func (d *Definition) FactorOfItem(i int) int { return d.itemOf[i] }

// Question returns the optional question with code.
func (d *Definition) Question(code string) (Question, bool) {
	for _, q := range d.Optional {
		if q.Code == code {
			return q, true
		}
	}
	return Question{}, false
}

// Baseline returns the baseline of year for unit ("" matches any unit).
func (d *Definition) Baseline(year int, unit string) (Baseline, bool) {
	for _, b := range d.Baselines {
		if b.Year == year && (unit == "" || b.Unit == unit) {
			return b, true
		}
	}
	return Baseline{}, false
}

// index builds the lookup tables; Validate calls it.
func (d *Definition) index() {
	d.items = d.items[:0]
	d.itemIndex = make(map[string]int)
	d.itemOf = d.itemOf[:0]
	for fi, f := range d.Factors {
		for _, it := range f.Items {
			d.itemIndex[it.Code] = len(d.items)
			d.items = append(d.items, it)
			d.itemOf = append(d.itemOf, fi)
		}
	}
}
