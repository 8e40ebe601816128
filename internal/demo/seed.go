package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/sipas/sipas/surveys"
)

// Store is what seeding needs of a store.
type Store interface {
	PutDivision(ctx context.Context, d surveys.Division) error
	PutCounter(ctx context.Context, c surveys.Counter) error
	PutBaseline(ctx context.Context, survey string, b surveys.Baseline) error
	InsertResponses(ctx context.Context, rs []surveys.Response) ([]bool, error)
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
}

// MetaKey records that the demo data were seeded, so a restart with
// --demo seeds nothing again.
const MetaKey = "demo_seeded"

// Options tune the synthetic data.
type Options struct {
	Months   int       // how far back the responses go (default 18)
	PerDay   float64   // mean responses per working day over all counters (default 12)
	Seed     uint64    // random seed (fixed by default, so data are reproducible)
	Now      time.Time // end of the period (default time.Now())
	Baseline int       // baseline year whose values centre the data (default 2022)
}

func (o *Options) defaults() {
	if o.Months == 0 {
		o.Months = 18
	}
	if o.PerDay == 0 {
		o.PerDay = 12
	}
	if o.Seed == 0 {
		o.Seed = 20220101
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Baseline == 0 {
		o.Baseline = 2022
	}
}

// Seed writes the organisation, the definition's baselines and the
// synthetic responses, once: it does nothing when the store says the demo
// was seeded already. It returns how many responses it stored.
func Seed(ctx context.Context, s Store, def *surveys.Definition, opt Options, log *slog.Logger) (int, error) {
	opt.defaults()
	if v, err := s.Meta(ctx, MetaKey); err == nil {
		log.Info("demo data already seeded", "at", v)
		return 0, nil
	} else if !surveys.IsNotFound(err) {
		return 0, err
	}
	for _, d := range Divisions {
		if err := s.PutDivision(ctx, d); err != nil {
			return 0, fmt.Errorf("seed division %s: %w", d.Code, err)
		}
	}
	for _, c := range Counters {
		if err := s.PutCounter(ctx, c); err != nil {
			return 0, fmt.Errorf("seed counter %s: %w", c.Code, err)
		}
	}
	for _, b := range def.Baselines {
		if err := s.PutBaseline(ctx, def.ID, b); err != nil {
			return 0, fmt.Errorf("seed baseline %d: %w", b.Year, err)
		}
	}
	n := 0
	batch := make([]surveys.Response, 0, 500)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := s.InsertResponses(ctx, batch); err != nil {
			return fmt.Errorf("seed responses: %w", err)
		}
		n += len(batch)
		batch = batch[:0]
		return nil
	}
	err := Generate(def, opt, func(r surveys.Response) error {
		batch = append(batch, r)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := flush(); err != nil {
		return n, err
	}
	if err := s.SetMeta(ctx, MetaKey, opt.Now.UTC().Format(time.RFC3339)); err != nil {
		return n, err
	}
	log.Info("demo data seeded", "responses", n, "counters", len(Counters))
	return n, nil
}

// spread scales a level's logit so that, averaged over the respondents'
// moods (variance 0.9² + 0.5²), the share satisfied is the level itself
// (the probit approximation of the logistic-normal mean).
var spread = math.Sqrt(1 + math.Pi*(0.81+0.25)/8)

// noOpinion is the share of "no opinion" answers per factor: results not
// yet received (D) and feedback never filed (E) are common.
var noOpinion = map[string]float64{"A": 0.03, "B": 0.05, "C": 0.03, "D": 0.22, "E": 0.48}

// Generate produces the synthetic responses in time order and calls emit
// for each. Levels start near the baseline year's values, 1.5 points
// below, and rise gently (about 3 points over the period), with a latent
// per-respondent mood so that answers of one person are correlated, as
// real ones are.
func Generate(def *surveys.Definition, opt Options, emit func(surveys.Response) error) error {
	opt.defaults()
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	base, _ := def.Baseline(opt.Baseline, "")
	end := opt.Now.In(surveys.Location)
	start := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, surveys.Location).AddDate(0, -opt.Months, 0)
	totalDays := end.Sub(start).Hours() / 24
	weights := []float64{0.35, 0.2, 0.15, 0.3} // counters' share of visits
	for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		progress := day.Sub(start).Hours() / 24 / totalDays
		count := poisson(rng, opt.PerDay)
		times := make([]time.Time, count)
		for i := range times {
			// Office hours: 7:30–11:30 and 13:30–17:00.
			m := 30 + rng.IntN(4*60)
			if rng.Float64() < 0.45 {
				m = 6*60 + rng.IntN(3*60+30)
			}
			times[i] = day.Add(7*time.Hour + time.Duration(m)*time.Minute + time.Duration(rng.IntN(60))*time.Second)
		}
		sortTimes(times)
		for _, at := range times {
			if at.After(end) {
				break
			}
			r := respondent(rng, def, base, progress, weights)
			r.SubmittedAt = at.UTC()
			r.ReceivedAt = at.UTC()
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func respondent(rng *rand.Rand, def *surveys.Definition, base surveys.Baseline, progress float64, weights []float64) surveys.Response {
	c := Counters[pick(rng, weights)]
	r := surveys.Response{
		ID:      uuidFrom(rng),
		Survey:  def.ID,
		Version: def.Version,
		Counter: c.Code,
		Channel: []surveys.Channel{surveys.ChannelQR, surveys.ChannelKiosk, surveys.ChannelPaper}[pick(rng, []float64{0.5, 0.35, 0.15})],
		Lang:    "vi",
		Answers: map[string]int{},
		Extra:   map[string]string{},
	}
	if rng.Float64() < 0.03 {
		r.Lang = "en"
	}
	mood := rng.NormFloat64() * 0.9
	for _, f := range def.Factors {
		level := base.Values[f.Code]
		if level == 0 {
			level = 80
		}
		p := (level - 1.5 + 3.5*progress) / 100
		for _, it := range f.Items {
			if rng.Float64() < noOpinion[f.Code] {
				continue
			}
			q := logistic(logit(p)*spread + mood + rng.NormFloat64()*0.5)
			r.Answers[it.Code] = value(rng, rng.Float64() < q)
		}
	}
	if len(r.Answers) == 0 {
		r.Answers["C1"] = value(rng, rng.Float64() < 0.85)
	}
	if rng.Float64() < 0.6 {
		r.Extra["overall"] = strconv.Itoa(value(rng, rng.Float64() < logistic(logit(0.83)+mood)))
	}
	if rng.Float64() < 0.7 && len(c.Procedures) > 0 {
		r.Extra["procedure"] = c.Procedures[rng.IntN(len(c.Procedures))].Code
	}
	if rng.Float64() < 0.4 {
		for _, code := range []string{"age", "gender", "ethnicity", "education", "occupation", "preferred_channel"} {
			q, _ := def.Question(code)
			if rng.Float64() < 0.8 && len(q.Options) > 0 {
				r.Extra[code] = q.Options[rng.IntN(len(q.Options))].Code
			}
		}
	}
	if rng.Float64() < 0.12 {
		r.Extra["comment"] = comments[rng.IntN(len(comments))]
	}
	return r
}

var comments = []string{
	"Cán bộ hướng dẫn nhiệt tình, chu đáo.",
	"Nên bố trí thêm ghế ngồi chờ vào buổi sáng.",
	"Máy lấy số thứ tự hay bị lỗi.",
	"Thời gian trả kết quả đúng hẹn, rất hài lòng.",
	"Mong được hướng dẫn nộp hồ sơ trực tuyến.",
	"Phòng chờ hơi nóng, cần thêm quạt.",
	"Thủ tục còn nhiều giấy tờ, đề nghị đơn giản hóa.",
	"Chưa biết gửi phản ánh ở đâu.",
	"Very helpful staff, thank you.",
}

// value draws a scale value: 4 or 5 when satisfied, 1–3 otherwise.
func value(rng *rand.Rand, satisfied bool) int {
	if satisfied {
		if rng.Float64() < 0.4 {
			return 5
		}
		return 4
	}
	return []int{3, 3, 3, 3, 3, 3, 2, 2, 2, 1}[rng.IntN(10)]
}

func logit(p float64) float64 {
	p = math.Min(math.Max(p, 0.001), 0.999)
	return math.Log(p / (1 - p))
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func pick(rng *rand.Rand, w []float64) int {
	x := rng.Float64()
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

func poisson(rng *rand.Rand, mean float64) int {
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// uuidFrom draws a version-4 UUID from rng, so that the demo data are the
// same on every machine.
func uuidFrom(rng *rand.Rand) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := rng.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	const hexd = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexd[x>>4], hexd[x&0xf])
	}
	return string(out)
}
