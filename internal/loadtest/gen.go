package loadtest

import (
	"encoding/json"
	"math/rand/v2"
	"time"

	"github.com/sipas/sipas/surveys"
)

// comments are the kind of remarks people leave at a one-stop counter.
var comments = []string{
	"Cán bộ hướng dẫn nhiệt tình, chu đáo.",
	"Phòng chờ hơi nóng, nên lắp thêm quạt.",
	"Thời gian chờ lấy số quá lâu vào buổi sáng.",
	"Thủ tục nhanh gọn, tôi rất hài lòng.",
	"Đề nghị niêm yết rõ hơn các khoản phí.",
	"Nên có thêm chỗ để xe cho người dân.",
	"Máy tra cứu không hoạt động.",
	"Cảm ơn các anh chị cán bộ một cửa.",
}

// gen makes plausible SIPAS answers: each respondent has a mood that most
// answers stay near, about one item in ten is "no opinion", more so for
// the result (D) and feedback (E) items that many people have not reached,
// and a few leave a comment in Vietnamese. One gen per goroutine.
type gen struct {
	def     *surveys.Definition
	counter string
	rng     *rand.Rand
}

func newGen(def *surveys.Definition, counter string, seed uint64) *gen {
	return &gen{def: def, counter: counter, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// noOpinionRate is the chance that an item of a factor is left "no opinion".
func noOpinionRate(factor string) float64 {
	switch factor {
	case "D":
		return 0.15
	case "E":
		return 0.30
	}
	return 0.06
}

// response returns a fresh response as the server would store it after a
// submission through the API at now.
func (g *gen) response(now time.Time) surveys.Response {
	lo, hi := g.def.Scale.Min(), g.def.Scale.Max()
	// Most people are satisfied: moods lean to the top of the scale.
	mood := hi - min(int(g.rng.ExpFloat64()*0.9), hi-lo)
	r := surveys.Response{
		ID:          surveys.NewUUID(),
		Survey:      g.def.ID,
		Version:     g.def.Version,
		Counter:     g.counter,
		Channel:     surveys.ChannelAPI,
		Lang:        "vi",
		Answers:     make(map[string]int, len(g.def.Items())),
		Extra:       map[string]string{},
		SubmittedAt: now,
		ReceivedAt:  now,
	}
	if g.rng.IntN(10) == 0 {
		r.Lang = "en"
	}
	for _, f := range g.def.Factors {
		for _, it := range f.Items {
			if g.rng.Float64() < noOpinionRate(f.Code) {
				continue
			}
			v := mood
			switch p := g.rng.IntN(10); {
			case p < 2:
				v--
			case p < 3:
				v++
			}
			r.Answers[it.Code] = min(max(v, lo), hi)
		}
	}
	if len(r.Answers) == 0 { // an empty form is refused; nobody sends one
		r.Answers[g.def.Items()[0].Code] = mood
	}
	if g.rng.IntN(12) == 0 {
		r.Extra["comment"] = comments[g.rng.IntN(len(comments))]
	}
	return r
}

// apiBody is the JSON of POST /api/v1/responses (SPEC 5.3).
type apiBody struct {
	ID      string          `json:"id"`
	Survey  string          `json:"survey"`
	Counter string          `json:"counter,omitempty"`
	Channel surveys.Channel `json:"channel"`
	Lang    string          `json:"lang"`
	Answers map[string]*int `json:"answers"`
	Comment string          `json:"comment,omitempty"`
}

// toAPIBody converts r to the API's JSON, sending "no opinion" as an
// explicit null the way the citizen's client does.
func toAPIBody(def *surveys.Definition, r *surveys.Response) ([]byte, error) {
	b := apiBody{
		ID: r.ID, Survey: r.Survey, Counter: r.Counter, Channel: r.Channel, Lang: r.Lang,
		Answers: make(map[string]*int, len(def.Items())),
		Comment: r.Comment(),
	}
	for _, it := range def.Items() {
		if v, ok := r.Answers[it.Code]; ok {
			b.Answers[it.Code] = &v
		} else {
			b.Answers[it.Code] = nil
		}
	}
	return json.Marshal(b)
}
