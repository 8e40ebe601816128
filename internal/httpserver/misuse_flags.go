package httpserver

import (
	"sort"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// Limits of the flagged-response review.
const (
	flagDaysDefault = 30
	flagDaysMax     = 366
	flagListMax     = 500
)

// flagListView is /dashboard/flags.
type flagListView struct {
	staffPage
	Days      int
	Total     int               // flagged responses in the period
	ByFlag    []flagCount       // how many carry each flag
	BySource  []flagCount       // per tablet or counter
	Responses []flaggedResponse // newest first, at most flagListMax
	Truncated bool
	Misuse    MisuseConfig
}

type flagCount struct {
	Label string
	N     int
}

type flaggedResponse struct {
	ID          string
	SubmittedAt time.Time
	ReceivedAt  time.Time
	Counter     string
	Channel     string
	Device      string // the tablet's name, "" for none
	Flags       []string
	Excluded    bool // left out of the indices after review
}

// handleFlagList lists the responses of the last ?days= days (default 30)
// that carry a flag. It walks the period's responses: the store has no
// index on flags, and a month at one department is small.
func (s *server) handleFlagList(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	days, err := strconv.Atoi(c.Query("days"))
	if err != nil || days <= 0 {
		days = flagDaysDefault
	}
	days = min(days, flagDaysMax)
	ctx, cancel := s.storeCtx()
	defer cancel()
	devices, err := s.deps.Staff.Devices(ctx)
	if err != nil {
		return err
	}
	deviceName := map[string]string{}
	for _, d := range devices {
		deviceName[d.ID] = d.Name
	}
	v := flagListView{Days: days, Misuse: DefaultMisuse}
	byFlag, bySource := map[string]int{}, map[string]int{}
	f := surveys.ResponseFilter{From: s.deps.Now().AddDate(0, 0, -days)}
	err = s.deps.Staff.EachResponse(ctx, f, func(r *surveys.Response) error {
		if len(r.Flags) == 0 {
			return nil
		}
		v.Total++
		for _, fl := range r.Flags {
			byFlag[s.cat.T(lang, "flag."+fl)]++
		}
		src := r.Counter + " · " + string(r.Channel)
		if r.Device != "" {
			src = r.Counter + " · " + deviceName[r.Device]
		}
		bySource[src]++
		v.Responses = append(v.Responses, flaggedResponse{ID: r.ID, SubmittedAt: r.SubmittedAt.In(surveys.Location),
			ReceivedAt: r.ReceivedAt.In(surveys.Location), Counter: r.Counter, Channel: string(r.Channel),
			Device: deviceName[r.Device], Flags: append([]string(nil), r.Flags...), Excluded: r.HasFlag(surveys.FlagExcluded)})
		return nil
	})
	if err != nil {
		return err
	}
	// EachResponse walks oldest first; the review reads newest first.
	sort.SliceStable(v.Responses, func(i, j int) bool { return v.Responses[i].SubmittedAt.After(v.Responses[j].SubmittedAt) })
	if len(v.Responses) > flagListMax {
		v.Responses, v.Truncated = v.Responses[:flagListMax], true
	}
	v.ByFlag, v.BySource = sortedCounts(byFlag), sortedCounts(bySource)
	v.staffPage = s.newStaffPage(c, s.cat.T(lang, "flags.title"), navFlags)
	return s.render(c, fiber.StatusOK, "staff/paper_flags.html", v)
}

// sortedCounts orders counts by size, then label.
func sortedCounts(m map[string]int) []flagCount {
	out := make([]flagCount, 0, len(m))
	for k, n := range m {
		out = append(out, flagCount{Label: k, N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Label < out[j].Label
	})
	return out
}
