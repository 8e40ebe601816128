package storetest

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

// comment is a free-text answer that must come back byte for byte:
// Vietnamese diacritics, markup and a spreadsheet formula.
const comment = "Cán bộ hướng dẫn tận tình, nhưng phải chờ lâu. <script>alert('x')</script> =1+1 \"ngoặc\" & dòng mới\nđ Đ ữ ỹ"

func testInsertAndRead(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 1)
	full := surveys.Response{
		ID: g.UUID(), Survey: g.Def.ID, Version: g.Def.Version,
		Counter: "mot-cua-01", Channel: surveys.ChannelKiosk, Lang: "vi",
		// A3 and E1..E3 answered "no opinion": absent.
		Answers: map[string]int{"A1": 5, "A2": 4, "B1": 3, "B2": 2, "B3": 1, "B4": 5,
			"C1": 4, "C2": 4, "C3": 5, "D1": 3, "D2": 4, "D3": 5},
		Extra: map[string]string{"comment": comment, "age": "25_39", "gender": "f",
			"ethnicity": "jrai", "overall": "4"},
		Device:      "tablet-07",
		SubmittedAt: time.Date(2024, 3, 15, 23, 59, 59, 123_000_000, surveys.Location),
		ReceivedAt:  time.Date(2024, 3, 16, 0, 0, 1, 7_000_000, surveys.Location),
	}
	minimal := surveys.Response{
		ID: g.UUID(), Survey: g.Def.ID, Version: g.Def.Version,
		Channel: surveys.ChannelQR, Lang: "en",
		Answers:     map[string]int{"E3": 1},
		SubmittedAt: time.Date(2024, 3, 16, 0, 0, 0, 0, surveys.Location),
		ReceivedAt:  time.Date(2024, 3, 15, 17, 0, 0, 1_000_000, time.UTC),
	}
	paper := g.Response(time.Date(2023, 12, 31, 16, 59, 59, 999_000_000, time.UTC), "mot-cua-02", surveys.ChannelPaper)

	rs := []surveys.Response{full, minimal, paper}
	if got := insert(t, s, rs...); !allTrue(got) {
		t.Fatalf("InsertResponses fresh = %v, want all true", got)
	}
	for _, want := range rs {
		t.Run(string(want.Channel), func(t *testing.T) {
			got, err := s.Response(ctx(t), want.ID)
			if err != nil {
				t.Fatalf("Response(%s): %v", want.ID, err)
			}
			for _, d := range diffResponse(got, want) {
				t.Error(d)
			}
			for code := range got.Answers {
				if _, ok := want.Answers[code]; !ok {
					t.Errorf("Answers[%s] = %d, want absent (no opinion)", code, got.Answers[code])
				}
			}
		})
	}
}

func allTrue(b []bool) bool {
	for _, v := range b {
		if !v {
			return false
		}
	}
	return true
}

// diffResponse lists the fields where got differs from want. Times are
// compared as instants (any zone) to the millisecond; an empty and a nil
// map are the same.
func diffResponse(got, want surveys.Response) []string {
	var d []string
	field := func(name string, g, w any) {
		if g != w {
			d = append(d, fmt.Sprintf("%s: %s = %#v, want %#v", want.ID, name, g, w))
		}
	}
	field("ID", got.ID, want.ID)
	field("Survey", got.Survey, want.Survey)
	field("Version", got.Version, want.Version)
	field("Counter", got.Counter, want.Counter)
	field("Channel", got.Channel, want.Channel)
	field("Lang", got.Lang, want.Lang)
	field("Device", got.Device, want.Device)
	field("Flags", fmt.Sprint(got.Flags), fmt.Sprint(want.Flags)) // nil and empty alike
	if !got.SubmittedAt.Equal(want.SubmittedAt.Truncate(time.Millisecond)) {
		d = append(d, fmt.Sprintf("%s: SubmittedAt = %s, want %s", want.ID,
			got.SubmittedAt.UTC().Format(time.RFC3339Nano), want.SubmittedAt.UTC().Format(time.RFC3339Nano)))
	}
	if !got.ReceivedAt.Equal(want.ReceivedAt.Truncate(time.Millisecond)) {
		d = append(d, fmt.Sprintf("%s: ReceivedAt = %s, want %s", want.ID,
			got.ReceivedAt.UTC().Format(time.RFC3339Nano), want.ReceivedAt.UTC().Format(time.RFC3339Nano)))
	}
	if len(got.Answers) != len(want.Answers) {
		d = append(d, fmt.Sprintf("%s: Answers = %v, want %v", want.ID, got.Answers, want.Answers))
	} else {
		for k, w := range want.Answers {
			if g, ok := got.Answers[k]; !ok || g != w {
				d = append(d, fmt.Sprintf("%s: Answers[%s] = %d (present %v), want %d", want.ID, k, g, ok, w))
			}
		}
	}
	if len(got.Extra) != len(want.Extra) {
		d = append(d, fmt.Sprintf("%s: Extra = %q, want %q", want.ID, got.Extra, want.Extra))
	} else {
		for k, w := range want.Extra {
			if g, ok := got.Extra[k]; !ok || g != w {
				d = append(d, fmt.Sprintf("%s: Extra[%s] = %q (present %v), want %q", want.ID, k, g, ok, w))
			}
		}
	}
	return d
}

func testReplay(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 2)
	orig := g.Response(time.Date(2024, 5, 2, 9, 30, 0, 0, surveys.Location), "mot-cua-01", surveys.ChannelQR)
	orig.Extra = map[string]string{"comment": "lần đầu"}
	replay := orig
	replay.Answers = map[string]int{"A1": 1, "A2": 1}
	replay.Extra = map[string]string{"comment": "lần hai"}
	replay.Counter = "mot-cua-02"
	replay.SubmittedAt = orig.SubmittedAt.Add(48 * time.Hour)

	if got := insert(t, s, orig); !got[0] {
		t.Fatalf("first insert fresh = false, want true")
	}
	for i, r := range []surveys.Response{orig, replay} {
		if got := insert(t, s, r); got[0] {
			t.Errorf("replay %d fresh = true, want false", i)
		}
	}
	if n := count(t, s, surveys.ResponseFilter{}); n != 1 {
		t.Errorf("CountResponses = %d, want 1", n)
	}
	got, err := s.Response(ctx(t), orig.ID)
	if err != nil {
		t.Fatalf("Response: %v", err)
	}
	for _, d := range diffResponse(got, orig) {
		t.Errorf("after replay: %s", d)
	}
	// A replay must not touch the rollups.
	checkRollups(t, s, g.Def, surveys.DayFilter{}, []surveys.Response{orig})
}

func testBatchDuplicate(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 3)
	at := time.Date(2024, 5, 3, 10, 0, 0, 0, surveys.Location)
	a := g.Response(at, "mot-cua-01", surveys.ChannelQR)
	b := g.Response(at.Add(time.Minute), "mot-cua-01", surveys.ChannelQR)
	a2 := a
	a2.Answers = map[string]int{"A1": 2}

	got := insert(t, s, a, b, a2)
	want := []bool{true, true, false}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("fresh = %v, want %v", got, want)
			break
		}
	}
	if n := count(t, s, surveys.ResponseFilter{}); n != 2 {
		t.Errorf("CountResponses = %d, want 2", n)
	}
	checkRollups(t, s, g.Def, surveys.DayFilter{}, []surveys.Response{a, b})
}

const workers = 16

func testConcurrentReplays(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 4)
	r := g.Response(time.Date(2024, 5, 4, 8, 0, 0, 0, surveys.Location), "mot-cua-01", surveys.ChannelKiosk)

	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		fresh int
		errs  []error
	)
	start := make(chan struct{})
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			got, err := s.InsertResponses(ctx(t), []surveys.Response{r})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			if len(got) == 1 && got[0] {
				fresh++
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		t.Errorf("InsertResponses: %v", err)
	}
	if fresh != 1 {
		t.Errorf("%d of %d concurrent inserts of one id reported new, want exactly 1", fresh, workers)
	}
	if n := count(t, s, surveys.ResponseFilter{}); n != 1 {
		t.Errorf("CountResponses = %d, want 1", n)
	}
	checkRollups(t, s, g.Def, surveys.DayFilter{}, []surveys.Response{r})
}

func testConcurrentInserts(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 5)
	const each = 5
	at := time.Date(2024, 5, 5, 16, 50, 0, 0, time.UTC) // ten minutes before midnight in Vietnam
	var rs []surveys.Response
	for i := range workers * each {
		counter := fmt.Sprintf("mot-cua-%02d", i%3)
		rs = append(rs, g.Response(at.Add(time.Duration(i)*7*time.Second), counter, surveys.Channels[i%len(surveys.Channels)]))
	}

	var wg sync.WaitGroup
	errs := make(chan error, len(rs))
	start := make(chan struct{})
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := w * each; i < (w+1)*each; i++ {
				got, err := s.InsertResponses(ctx(t), rs[i:i+1])
				if err != nil {
					errs <- err
					continue
				}
				if len(got) != 1 || !got[0] {
					errs <- fmt.Errorf("response %d: fresh = %v, want [true]", i, got)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := count(t, s, surveys.ResponseFilter{}); n != int64(len(rs)) {
		t.Errorf("CountResponses = %d, want %d", n, len(rs))
	}
	checkRollups(t, s, g.Def, surveys.DayFilter{}, rs)
}

func testResponseNotFound(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 6)
	insert(t, s, g.Response(time.Date(2024, 5, 6, 8, 0, 0, 0, surveys.Location), "", surveys.ChannelAPI))
	_, err := s.Response(ctx(t), g.UUID())
	if !surveys.IsNotFound(err) {
		t.Errorf("Response(unknown id) error = %v (code %q), want %q", err, surveys.ErrorCodeOf(err), surveys.ENOTFOUND)
	}
}

func testFilterAndOrder(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 7)
	base := time.Date(2024, 6, 1, 8, 0, 0, 0, surveys.Location)
	from, to := base.Add(2*time.Hour), base.Add(5*time.Hour)
	counters := []string{"mot-cua-01", "mot-cua-02", ""}
	var rs []surveys.Response
	// Responses every 30 minutes, one exactly on each bound, several
	// sharing a timestamp (the ID breaks the tie).
	for i := range 16 {
		at := base.Add(time.Duration(i) * 30 * time.Minute)
		rs = append(rs, g.Response(at, counters[i%3], surveys.Channels[i%4]))
		if i%5 == 0 {
			rs = append(rs, g.Response(at, counters[i%3], surveys.Channels[i%4]))
		}
	}
	rs = append(rs, g.Response(from.Add(-time.Millisecond), "mot-cua-01", surveys.ChannelQR))
	rs = append(rs, g.Response(to.Add(-time.Millisecond), "mot-cua-01", surveys.ChannelQR))
	shuffled := append([]surveys.Response(nil), rs...)
	g.Rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for i := 0; i < len(shuffled); i += 7 {
		insert(t, s, shuffled[i:min(i+7, len(shuffled))]...)
	}

	tests := []struct {
		name string
		f    surveys.ResponseFilter
		want int // expected count, checked against the filter below too
	}{
		{"all", surveys.ResponseFilter{}, len(rs)},
		{"survey", surveys.ResponseFilter{Survey: g.Def.ID}, len(rs)},
		{"other survey", surveys.ResponseFilter{Survey: "no-such-survey"}, 0},
		{"window", surveys.ResponseFilter{From: from, To: to}, -1},
		{"window in UTC", surveys.ResponseFilter{From: from.UTC(), To: to.UTC()}, -1},
		{"from only", surveys.ResponseFilter{From: from}, -1},
		{"to only", surveys.ResponseFilter{To: to}, -1},
		{"empty window", surveys.ResponseFilter{From: to, To: to}, 0},
		{"counter", surveys.ResponseFilter{Counter: "mot-cua-01"}, -1},
		{"channel", surveys.ResponseFilter{Channel: surveys.ChannelKiosk}, -1},
		{"everything", surveys.ResponseFilter{Survey: g.Def.ID, From: from, To: to, Counter: "mot-cua-02", Channel: surveys.ChannelKiosk}, -1},
		{"unknown counter", surveys.ResponseFilter{Counter: "no-such-counter"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := expect(rs, tt.f)
			if tt.want >= 0 && len(want) != tt.want {
				t.Fatalf("suite bug: %d responses match, want %d", len(want), tt.want)
			}
			if n := count(t, s, tt.f); n != int64(len(want)) {
				t.Errorf("CountResponses = %d, want %d", n, len(want))
			}
			got := all(t, s, tt.f)
			if len(got) != len(want) {
				t.Fatalf("EachResponse gave %d responses, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i].ID != want[i].ID {
					t.Errorf("EachResponse [%d] = %s at %s, want %s at %s", i,
						got[i].ID, got[i].SubmittedAt.UTC().Format(time.RFC3339Nano),
						want[i].ID, want[i].SubmittedAt.UTC().Format(time.RFC3339Nano))
				}
			}
			for i := range got {
				for _, d := range diffResponse(got[i], byID(rs, got[i].ID)) {
					t.Error(d)
				}
			}
		})
	}
	// The bounds themselves, spelled out: From is inclusive, To exclusive.
	got := all(t, s, surveys.ResponseFilter{From: from, To: to})
	if len(got) == 0 || !got[0].SubmittedAt.Equal(from) {
		t.Errorf("a response at From is not included")
	}
	for _, r := range got {
		if !r.SubmittedAt.Before(to) || r.SubmittedAt.Before(from) {
			t.Errorf("response at %s outside [%s, %s)", r.SubmittedAt, from, to)
		}
	}
}

// expect applies f to rs in Go and orders the result as stores must.
func expect(rs []surveys.Response, f surveys.ResponseFilter) []surveys.Response {
	var out []surveys.Response
	for _, r := range rs {
		if matches(r, f) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].SubmittedAt.Equal(out[j].SubmittedAt) {
			return out[i].SubmittedAt.Before(out[j].SubmittedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func matches(r surveys.Response, f surveys.ResponseFilter) bool {
	return (f.Survey == "" || r.Survey == f.Survey) &&
		(f.From.IsZero() || !r.SubmittedAt.Before(f.From)) &&
		(f.To.IsZero() || r.SubmittedAt.Before(f.To)) &&
		(f.Counter == "" || r.Counter == f.Counter) &&
		(f.Channel == "" || r.Channel == f.Channel)
}

func byID(rs []surveys.Response, id string) surveys.Response {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	return surveys.Response{ID: id}
}

func testEachResponseStops(t *testing.T, h Harness) {
	s := open(t, h).s
	g := NewGen(t, 8)
	var rs []surveys.Response
	for i := range 10 {
		rs = append(rs, g.Response(time.Date(2024, 6, 2, 8, i, 0, 0, surveys.Location), "mot-cua-01", surveys.ChannelQR))
	}
	insert(t, s, rs...)
	stop := errors.New("enough")
	calls := 0
	err := s.EachResponse(ctx(t), surveys.ResponseFilter{}, func(*surveys.Response) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Errorf("EachResponse error = %v, want fn's error %v", err, stop)
	}
	if calls != 3 {
		t.Errorf("fn called %d times, want 3 (the walk goes on after fn's error)", calls)
	}
}
