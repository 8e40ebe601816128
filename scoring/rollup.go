package scoring

import "cmp"

// Rollup is the tally of the responses to one survey version on one day
// (Asia/Ho_Chi_Minh) at one counter through one channel. Stores keep
// rollups current as responses arrive; scores for any window read them.
type Rollup struct {
	Survey  string
	Version int
	Day     string // YYYY-MM-DD
	Counter string // "" when the response named no counter
	Channel string
	Tally   *Tally
}

// Key identifies the rollup a response belongs to.
type Key struct {
	Survey  string
	Version int
	Day     string
	Counter string
	Channel string
}

// Key returns r's key.
func (r *Rollup) Key() Key {
	return Key{r.Survey, r.Version, r.Day, r.Counter, r.Channel}
}

// DimKey identifies a breakdown rollup: the tally of the responses to one
// survey version on one day (or month) at one counter through one channel
// with one value of a breakdown dimension (surveys.Dim*).
type DimKey struct {
	Survey  string
	Version int
	Day     string // YYYY-MM-DD, or YYYY-MM for month summaries
	Counter string
	Channel string
	Dim     string
	Value   string
}

// CompareDimKeys orders breakdown keys field by field.
func CompareDimKeys(a, b DimKey) int {
	return cmp.Or(
		cmp.Compare(a.Survey, b.Survey),
		cmp.Compare(a.Version, b.Version),
		cmp.Compare(a.Day, b.Day),
		cmp.Compare(a.Counter, b.Counter),
		cmp.Compare(a.Channel, b.Channel),
		cmp.Compare(a.Dim, b.Dim),
		cmp.Compare(a.Value, b.Value),
	)
}
