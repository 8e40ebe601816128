package httpserver

import (
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// noScanStore fails the test when the dashboard walks the responses.
type noScanStore struct {
	*sqlitestore.Store
	t testing.TB
}

func (s noScanStore) EachResponse(ctx context.Context, f surveys.ResponseFilter, fn func(*surveys.Response) error) error {
	s.t.Errorf("the dashboard walked the responses (%+v)", f)
	return s.Store.EachResponse(ctx, f, fn)
}

// TestDashboardProcedureByChannelFromRollups: with a channel filter the
// procedure breakdown comes from the rollups, not the responses, and its
// rows add up to the window's respondents of that channel.
func TestDashboardProcedureByChannelFromRollups(t *testing.T) {
	env := newDashEnv(t, "", true)
	app, err := New(Config{}, Deps{
		Store: env.st, Staff: noScanStore{env.st, t}, Surveys: env.reg, Catalog: i18n.New(), Scores: env.scores,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return dashNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	env.app = app
	def, _ := env.reg.Get(surveys.Default)
	for _, q := range []string{"?period=year&channel=qr", "?period=year&channel=kiosk&division=qltm"} {
		body := string(env.mustGet(t, "/dashboard"+q))
		procs := body[strings.Index(body, `id="by-procedure"`):]
		procs = procs[:strings.Index(procs, "</table>")]
		rows := regexp.MustCompile(`<tr><th scope="row">[^<]*</th><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>`).FindAllStringSubmatch(procs, -1)
		if len(rows) == 0 {
			t.Errorf("%s: no procedure rows", q)
			continue
		}
		var n int64
		for _, r := range rows {
			v, err := strconv.ParseInt(strings.Map(func(c rune) rune {
				if c >= '0' && c <= '9' {
					return c
				}
				return -1
			}, r[1]), 10, 64)
			if err != nil {
				t.Fatalf("%s: n %q: %v", q, r[1], err)
			}
			n += v
		}
		total := scoring.NewTallyFor(def)
		f := surveys.DayFilter{Survey: def.ID, FromDay: "2026-01-01", ToDay: "2027-01-01", Channel: surveys.Channel(strings.Split(strings.Split(q, "channel=")[1], "&")[0])}
		var scope []string // counters of the division; none: every response
		if strings.Contains(q, "division=") {
			counters, err := env.st.Counters(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range counters {
				if c.Division == "qltm" {
					scope = append(scope, c.Code)
				}
			}
		} else {
			scope = []string{""}
		}
		for _, c := range scope {
			f.Counter = c
			if err := env.st.MergeRollups(context.Background(), f, total); err != nil {
				t.Fatal(err)
			}
		}
		if total.Respondents == 0 || n != total.Respondents {
			t.Errorf("%s: procedure rows add up to %d respondents, want %d", q, n, total.Respondents)
		}
	}
}
