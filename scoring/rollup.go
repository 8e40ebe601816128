package scoring

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
