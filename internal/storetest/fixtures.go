package storetest

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// Definition returns the embedded sipas-2022 definition the suite's
// responses answer.
func Definition(t testing.TB) *surveys.Definition {
	t.Helper()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatalf("LoadEmbedded: %v", err)
	}
	def, ok := reg.Get(surveys.Default)
	if !ok {
		t.Fatalf("no %s definition", surveys.Default)
	}
	return def
}

// Gen makes valid, random responses from a seeded source, so that a
// failure can be replayed.
type Gen struct {
	Def *surveys.Definition
	Rng *rand.Rand
}

// NewGen returns a generator seeded with seed.
func NewGen(t testing.TB, seed int64) *Gen {
	return &Gen{Def: Definition(t), Rng: rand.New(rand.NewSource(seed))}
}

// UUID returns a random version-4 UUID drawn from the generator's source.
func (g *Gen) UUID() string {
	var b [16]byte
	g.Rng.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Procedures, Langs and Devices are the values Gen.Response draws from
// for Extra["procedure"], Lang and Device; "" is among them (no
// procedure named, no tablet), so that breakdowns meet empty values.
var (
	Procedures = []string{"", "cap-phep-xay-dung", "dang-ky-khai-sinh"}
	Langs      = []string{"vi", "en"}
	Devices    = []string{"", "tablet-01", "tablet-02"}
)

// Response returns a response submitted at at, through channel at
// counter, with random answers of which about one in five is "no
// opinion" (absent), and at least one answered. Its procedure, language
// and tablet are drawn from Procedures, Langs and Devices.
func (g *Gen) Response(at time.Time, counter string, channel surveys.Channel) surveys.Response {
	items := g.Def.Items()
	answers := map[string]int{}
	for _, it := range items {
		if g.Rng.Intn(5) == 0 {
			continue
		}
		answers[it.Code] = 1 + g.Rng.Intn(g.Def.Scale.Max())
	}
	if len(answers) == 0 {
		answers[items[0].Code] = 4
	}
	var extra map[string]string
	if p := Procedures[g.Rng.Intn(len(Procedures))]; p != "" {
		extra = map[string]string{"procedure": p}
	}
	return surveys.Response{
		ID: g.UUID(), Survey: g.Def.ID, Version: g.Def.Version,
		Counter: counter, Channel: channel, Lang: Langs[g.Rng.Intn(len(Langs))],
		Answers:     answers,
		Extra:       extra,
		Device:      Devices[g.Rng.Intn(len(Devices))],
		SubmittedAt: at.Truncate(time.Millisecond),
		ReceivedAt:  at.Add(time.Duration(g.Rng.Intn(5000)) * time.Millisecond).Truncate(time.Millisecond),
	}
}

// Tally returns the tally of rs, built directly from their answers.
func Tally(def *surveys.Definition, rs []surveys.Response) *scoring.Tally {
	t := scoring.NewTally(len(def.Items()), def.Scale.Max(), def.Scale.SatisfiedMin)
	for i := range rs {
		t.Add(rs[i].Vector(def))
	}
	return t
}

// day returns midnight of a calendar day in Asia/Ho_Chi_Minh.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, surveys.Location)
}
