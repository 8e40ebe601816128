package httpserver

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// Limits of the dashboard's series.
const (
	trendMinMonths = 12  // the trend shows at least a year...
	trendMaxMonths = 18  // ...and at most a year and a half
	dailyMaxDays   = 370 // responses per day: at most a year of days
	dashParallel   = 8   // store reads in flight per request
)

// dashData is everything the dashboard and the report show, computed from
// the rollups: the store's summary rows make each part one or a few
// indexed reads, whatever the number of responses.
type dashData struct {
	def      *surveys.Definition
	baseline surveys.Baseline
	counters map[string]surveys.Counter
	divs     map[string]surveys.Division

	score scoring.Score // the window
	tally *scoring.Tally

	months      []string // YYYY-MM, oldest first
	monthScores []scoring.Score

	byDivision, byCounter, byProcedure, byChannel []breakdown

	days      []string
	dayCounts []int64
}

// breakdown is one row of a breakdown: a division, counter, procedure or
// channel and its score.
type breakdown struct {
	Key   string
	Score scoring.Score
}

// dashLoader computes dashData for a filter.
type dashLoader struct {
	st   DashboardStore
	f    dashFilter
	def  *surveys.Definition
	base surveys.Baseline
	now  time.Time
	// scope lists the counters of the division filter; nil when there is
	// none (the store filters by one counter at most).
	scope []string
}

// loadDash reads what the dashboard shows. parts selects the optional
// parts (the report needs no breakdown by counter, say).
func (s *server) loadDash(ctx context.Context, f dashFilter, parts dashParts) (*dashData, error) {
	st := s.deps.Staff
	def, _ := s.deps.Surveys.Get(f.Survey)
	d := &dashData{def: def, counters: map[string]surveys.Counter{}, divs: map[string]surveys.Division{}}
	cs, err := st.Counters(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		d.counters[c.Code] = c
	}
	ds, err := st.Divisions(ctx)
	if err != nil {
		return nil, err
	}
	for _, x := range ds {
		d.divs[x.Code] = x
	}
	base, err := dashBaseline(ctx, st, def, scores.DefaultBaselineYear)
	if err != nil {
		return nil, err
	}
	d.baseline = base
	l := &dashLoader{st: st, f: f, def: def, base: base, now: s.deps.Now()}
	if f.Division != "" {
		l.scope = []string{}
		for _, c := range cs {
			if c.Division == f.Division && (f.Counter == "" || f.Counter == c.Code) {
				l.scope = append(l.scope, c.Code)
			}
		}
	}
	d.months = l.trendMonths(parts.exactMonths)
	d.monthScores = make([]scoring.Score, len(d.months))
	if parts.daily {
		d.days = l.days()
		d.dayCounts = make([]int64, len(d.days))
	}

	var jobs []func() error
	jobs = append(jobs, func() error {
		t, err := l.tally(ctx, f.dayFilter())
		if err != nil {
			return err
		}
		d.tally, d.score = t, l.compute(t)
		return nil
	})
	for i, m := range d.months {
		jobs = append(jobs, func() error {
			from, to := monthBounds(m)
			df := f.dayFilter()
			df.FromDay, df.ToDay = from, to
			t, err := l.tally(ctx, df)
			if err != nil {
				return err
			}
			d.monthScores[i] = l.compute(t)
			return nil
		})
	}
	today := dayStart(l.now).Format(time.DateOnly)
	for i, day := range d.days {
		key := dayCountKey{survey: f.Survey, division: f.Division, counter: f.Counter, channel: string(f.Channel), day: day}
		if n, ok := s.days.get(key, l.now); ok && day < today {
			d.dayCounts[i] = n
			continue
		}
		jobs = append(jobs, func() error {
			df := f.dayFilter()
			df.FromDay, df.ToDay = day, nextDay(day)
			t, err := l.tally(ctx, df)
			if err != nil {
				return err
			}
			d.dayCounts[i] = t.Respondents
			if day < today {
				s.days.put(key, t.Respondents, l.now)
			}
			return nil
		})
	}
	if parts.breakdowns {
		jobs = append(jobs, func() error {
			byCounter, err := l.by(ctx, surveys.DimCounter)
			if err != nil {
				return err
			}
			d.byCounter = l.rows(byCounter)
			d.byDivision = l.rows(mergeByDivision(byCounter, d.counters))
			return nil
		}, func() error {
			m, err := l.by(ctx, surveys.DimProcedure)
			if err != nil {
				return err
			}
			d.byProcedure = l.rows(m)
			return nil
		})
	}
	if parts.breakdowns || parts.channels {
		jobs = append(jobs, func() error {
			m, err := l.by(ctx, surveys.DimChannel)
			if err != nil {
				return err
			}
			d.byChannel = l.rows(m)
			return nil
		})
	}
	if err := parallel(dashParallel, jobs); err != nil {
		return nil, err
	}
	return d, nil
}

// dashParts selects the optional parts of dashData.
type dashParts struct {
	breakdowns bool // by division, counter, procedure and channel
	channels   bool // by channel only
	daily      bool // responses per day
	// exactMonths limits the trend to the window's months (the report)
	// instead of at least a year.
	exactMonths bool
}

// dashBaseline is the stored baseline of year for def (the first unit),
// else the one shipped in the definition: the rule of scores.Service.
func dashBaseline(ctx context.Context, st DashboardStore, def *surveys.Definition, year int) (surveys.Baseline, error) {
	bs, err := st.Baselines(ctx, def.ID)
	if err != nil {
		return surveys.Baseline{}, err
	}
	for _, b := range bs {
		if b.Year == year {
			return b, nil
		}
	}
	b, _ := def.Baseline(year, "")
	return b, nil
}

func (l *dashLoader) newTally() *scoring.Tally { return scoring.NewTallyFor(l.def) }

func (l *dashLoader) compute(t *scoring.Tally) scoring.Score {
	return scoring.Compute(l.def, t, scoring.Options{From: l.f.FromDay, To: l.f.ToDay, Baseline: l.base})
}

// tally merges the rollups of df, once per counter of the division scope.
func (l *dashLoader) tally(ctx context.Context, df surveys.DayFilter) (*scoring.Tally, error) {
	t := l.newTally()
	if l.scope == nil {
		return t, l.st.MergeRollups(ctx, df, t)
	}
	for _, c := range l.scope {
		df.Counter = c
		if err := l.st.MergeRollups(ctx, df, t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// by merges the window's rollups per value of dim.
func (l *dashLoader) by(ctx context.Context, dim string) (map[string]*scoring.Tally, error) {
	into := map[string]*scoring.Tally{}
	df := l.f.dayFilter()
	if l.scope == nil {
		return into, l.st.MergeRollupsBy(ctx, df, dim, into, l.newTally)
	}
	for _, c := range l.scope {
		df.Counter = c
		if err := l.st.MergeRollupsBy(ctx, df, dim, into, l.newTally); err != nil {
			return nil, err
		}
	}
	return into, nil
}

// responseFilter is the store's response filter of f (the division is
// checked by the caller).
func (f dashFilter) responseFilter() surveys.ResponseFilter {
	rf := surveys.ResponseFilter{Survey: f.Survey, Counter: f.Counter, Channel: f.Channel}
	rf.From, _ = time.ParseInLocation(time.DateOnly, f.FromDay, surveys.Location)
	rf.To, _ = time.ParseInLocation(time.DateOnly, f.ToDay, surveys.Location)
	return rf
}

// rows scores each tally and sorts the rows by service index, highest
// first, rows without an index last, then by key. No row is dropped.
func (l *dashLoader) rows(m map[string]*scoring.Tally) []breakdown {
	out := make([]breakdown, 0, len(m))
	for k, t := range m {
		if t.Respondents == 0 {
			continue
		}
		out = append(out, breakdown{Key: k, Score: l.compute(t)})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Score.ServiceIndex, out[j].Score.ServiceIndex
		switch {
		case a != nil && b != nil && *a != *b:
			return *a > *b
		case (a == nil) != (b == nil):
			return a != nil
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// mergeByDivision adds counter tallies up by the counters' divisions ("" for
// counters without one, or responses without a counter).
func mergeByDivision(byCounter map[string]*scoring.Tally, counters map[string]surveys.Counter) map[string]*scoring.Tally {
	out := map[string]*scoring.Tally{}
	for code, t := range byCounter {
		div := counters[code].Division
		if o := out[div]; o != nil {
			_ = o.Merge(t) // same definition: same shape
		} else {
			out[div] = t.Clone()
		}
	}
	return out
}

// trendMonths are the months of the trend: those of the window, extended
// back to a year when shorter, at most 18, none after this month.
func (l *dashLoader) trendMonths(exact bool) []string {
	start, _ := time.ParseInLocation(time.DateOnly, l.f.FromDay, surveys.Location)
	end, _ := time.ParseInLocation(time.DateOnly, l.f.ToDay, surveys.Location)
	last := end.AddDate(0, 0, -1)
	if now := dayStart(l.now); last.After(now) {
		last = now
	}
	lastM := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, surveys.Location)
	firstM := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, surveys.Location)
	if min := lastM.AddDate(0, -(trendMinMonths - 1), 0); firstM.After(min) && !exact {
		firstM = min
	}
	if max := lastM.AddDate(0, -(trendMaxMonths - 1), 0); firstM.Before(max) {
		firstM = max
	}
	var out []string
	for m := firstM; !m.After(lastM); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// days are the days of the window up to today, at most dailyMaxDays (the
// latest).
func (l *dashLoader) days() []string {
	start, _ := time.ParseInLocation(time.DateOnly, l.f.FromDay, surveys.Location)
	end, _ := time.ParseInLocation(time.DateOnly, l.f.ToDay, surveys.Location)
	if tomorrow := dayStart(l.now).AddDate(0, 0, 1); end.After(tomorrow) {
		end = tomorrow
	}
	if min := end.AddDate(0, 0, -dailyMaxDays); start.Before(min) {
		start = min
	}
	var out []string
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}

// monthBounds returns the first day of month m (YYYY-MM) and of the next.
func monthBounds(m string) (string, string) {
	t, _ := time.ParseInLocation("2006-01", m, surveys.Location)
	return t.Format(time.DateOnly), t.AddDate(0, 1, 0).Format(time.DateOnly)
}

func nextDay(day string) string {
	t, _ := time.ParseInLocation(time.DateOnly, day, surveys.Location)
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

// parallel runs jobs, at most n at a time, and returns the first error.
func parallel(n int, jobs []func() error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		sem   = make(chan struct{}, n)
	)
	for _, job := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := job(); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

// splitProcedure splits a procedure breakdown key "counter/procedure".
func splitProcedure(key string) (counter, procedure string) {
	counter, procedure, _ = strings.Cut(key, "/")
	return counter, procedure
}
