package sqlitestore_test

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

var _ storetest.Store = (*sqlitestore.Store)(nil)

// paths remembers the file behind each open store, for Reopen.
var paths sync.Map // storetest.Store -> string

func openAt(t testing.TB, path string) *sqlitestore.Store {
	t.Helper()
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := sqlitestore.Open(context.Background(), path, reg, log)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	paths.Store(storetest.Store(s), path)
	return s
}

// testWriter sends the store's log to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

func harness() storetest.Harness {
	return storetest.Harness{
		Open: func(t *testing.T) storetest.Store {
			return openAt(t, filepath.Join(t.TempDir(), "sipas.db"))
		},
		Reopen: func(t *testing.T, old storetest.Store) storetest.Store {
			p, ok := paths.Load(old)
			if !ok {
				t.Fatal("Reopen of a store the harness did not open")
			}
			if err := old.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			return openAt(t, p.(string))
		},
		InsertWithoutRollup: func(t *testing.T, s storetest.Store, r surveys.Response) {
			if err := sqlitestore.InsertWithoutRollup(t.Context(), s.(*sqlitestore.Store), r); err != nil {
				t.Fatalf("InsertWithoutRollup: %v", err)
			}
		},
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, harness())
}

// TestMigrationsRecorded checks that every step is recorded once and that
// opening an up-to-date database applies nothing again.
func TestMigrationsRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sipas.db")
	for range 2 {
		s := openAt(t, path)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, maxV int
	if err := db.QueryRow(`SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&n, &maxV); err != nil {
		t.Fatal(err)
	}
	if want := sqlitestore.MigrationSteps(); n != want || maxV != want {
		t.Errorf("schema_migrations has %d rows up to %d, want %d up to %d", n, maxV, want, want)
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

// TestCloseIdempotent checks that Close may be called twice and that an
// insert after Close fails cleanly instead of hanging.
func TestCloseIdempotent(t *testing.T) {
	s := openAt(t, filepath.Join(t.TempDir(), "sipas.db"))
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	g := storetest.NewGen(t, 1)
	_, err := s.InsertResponses(t.Context(), []surveys.Response{g.Response(time.Now(), "", surveys.ChannelQR)})
	if code := surveys.ErrorCodeOf(err); code != surveys.EUNAVAILABLE {
		t.Errorf("InsertResponses after Close: error %v (code %q), want %q", err, code, surveys.EUNAVAILABLE)
	}
}

// TestDurabilitySettings checks the pragmas an acknowledged response's
// durability rests on.
func TestDurabilitySettings(t *testing.T) {
	s := openAt(t, filepath.Join(t.TempDir(), "sipas.db"))
	defer s.Close()
	for _, tt := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", "5000"},
	} {
		got, err := sqlitestore.Pragma(t.Context(), s, tt.pragma)
		if err != nil {
			t.Fatalf("PRAGMA %s: %v", tt.pragma, err)
		}
		if got != tt.want {
			t.Errorf("PRAGMA %s = %s, want %s", tt.pragma, got, tt.want)
		}
	}
}

// TestHealFillsBreakdowns: a database migrated to step 4 has responses
// but no breakdown rows; the heal at start fills them in from the
// responses, and the breakdowns add up again.
func TestHealFillsBreakdowns(t *testing.T) {
	s := openAt(t, filepath.Join(t.TempDir(), "sipas.db"))
	defer s.Close()
	g := storetest.NewGen(t, 5)
	first := time.Date(2024, 12, 30, 9, 0, 0, 0, surveys.Location)
	var rs []surveys.Response
	for i := range 30 {
		rs = append(rs, g.Response(first.Add(time.Duration(i)*7*time.Hour), "mot-cua-01", surveys.ChannelQR))
	}
	if _, err := s.InsertResponses(t.Context(), rs); err != nil {
		t.Fatal(err)
	}
	if err := sqlitestore.Exec(t.Context(), s, `DELETE FROM rollup_dims; DELETE FROM rollup_dim_sums`); err != nil {
		t.Fatal(err)
	}
	days, err := s.HealRollups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, r := range rs {
		want[surveys.Day(r.SubmittedAt)] = true
	}
	if len(days) != len(want) {
		t.Errorf("HealRollups rebuilt %d days, want %d: %v", len(days), len(want), days)
	}
	got := map[string]*scoring.Tally{}
	err = s.MergeRollupsBy(t.Context(), surveys.DayFilter{FromDay: "2024-12-31"}, surveys.DimLang, got,
		func() *scoring.Tally { return scoring.NewTallyFor(g.Def) })
	if err != nil {
		t.Fatal(err)
	}
	byLang := map[string]int64{}
	for _, r := range rs {
		if surveys.Day(r.SubmittedAt) >= "2024-12-31" {
			byLang[r.Lang]++
		}
	}
	for lang, n := range byLang {
		if got[lang] == nil || got[lang].Respondents != n {
			t.Errorf("lang %q after heal: %v, want %d respondents", lang, got[lang], n)
		}
	}
}

// TestUpgradeToChannelBreakdowns: a database of the step-5 layout (breakdown
// rows per counter only) is migrated by step 6, which drops those rows;
// the heal at start rebuilds them per channel from the responses, and a
// breakdown filtered by channel is then exact.
func TestUpgradeToChannelBreakdowns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sipas.db")
	s := openAt(t, path)
	g := storetest.NewGen(t, 6)
	first := time.Date(2025, 3, 28, 9, 0, 0, 0, surveys.Location)
	var rs []surveys.Response
	for i := range 40 {
		ch := surveys.Channels[i%len(surveys.Channels)]
		rs = append(rs, g.Response(first.Add(time.Duration(i)*5*time.Hour), "mot-cua-01", ch))
	}
	if _, err := s.InsertResponses(t.Context(), rs); err != nil {
		t.Fatal(err)
	}
	// Back to the step-5 breakdown tables, holding rows, as an older
	// release left them.
	err := sqlitestore.Exec(t.Context(), s, `
CREATE TABLE old_dims AS SELECT * FROM rollup_dims;
CREATE TABLE old_dim_sums AS SELECT * FROM rollup_dim_sums;
DROP TABLE rollup_dims;
DROP TABLE rollup_dim_sums;
CREATE TABLE rollup_dims (
	survey TEXT NOT NULL, version INTEGER NOT NULL, day TEXT NOT NULL, counter TEXT NOT NULL,
	dim TEXT NOT NULL, value TEXT NOT NULL, respondents INTEGER NOT NULL, tally BLOB NOT NULL,
	PRIMARY KEY (survey, version, day, counter, dim, value)
) WITHOUT ROWID;
CREATE INDEX rollup_dims_day ON rollup_dims (day);
CREATE TABLE rollup_dim_sums (
	survey TEXT NOT NULL, version INTEGER NOT NULL, period TEXT NOT NULL, counter TEXT NOT NULL,
	dim TEXT NOT NULL, value TEXT NOT NULL, respondents INTEGER NOT NULL, tally BLOB NOT NULL,
	PRIMARY KEY (survey, dim, period, counter, value, version)
) WITHOUT ROWID;
INSERT OR IGNORE INTO rollup_dims SELECT survey, version, day, counter, dim, value, respondents, tally FROM old_dims;
INSERT OR IGNORE INTO rollup_dim_sums SELECT survey, version, period, counter, dim, value, respondents, tally FROM old_dim_sums;
DROP TABLE old_dims;
DROP TABLE old_dim_sums;
DROP INDEX IF EXISTS responses_commented;
DROP INDEX IF EXISTS responses_excluded;
DELETE FROM schema_migrations WHERE version >= 6;`)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, path)
	defer s.Close()
	days, err := s.HealRollups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, r := range rs {
		want[surveys.Day(r.SubmittedAt)] = true
	}
	if len(days) != len(want) {
		t.Errorf("HealRollups after the upgrade rebuilt %d days, want %d: %v", len(days), len(want), days)
	}
	for _, f := range []surveys.DayFilter{
		{Channel: surveys.ChannelQR},
		{FromDay: "2025-04-01", Channel: surveys.ChannelKiosk},
		{FromDay: "2025-03-30", ToDay: "2025-04-05", Counter: "mot-cua-01", Channel: surveys.ChannelPaper},
	} {
		for _, dim := range []string{surveys.DimProcedure, surveys.DimLang, surveys.DimDevice} {
			got := map[string]*scoring.Tally{}
			err := s.MergeRollupsBy(t.Context(), f, dim, got, func() *scoring.Tally { return scoring.NewTallyFor(g.Def) })
			if err != nil {
				t.Fatalf("MergeRollupsBy(%+v, %s): %v", f, dim, err)
			}
			wantN := map[string]int64{}
			for _, r := range rs {
				if d := surveys.Day(r.SubmittedAt); r.Channel == f.Channel && d >= f.FromDay && (f.ToDay == "" || d < f.ToDay) {
					wantN[storetest.DimValue(&r, dim)]++
				}
			}
			for v, tl := range got {
				if tl.Respondents != wantN[v] {
					t.Errorf("MergeRollupsBy(%+v, %s)[%q] = %d respondents, want %d", f, dim, v, tl.Respondents, wantN[v])
				}
			}
			for v, n := range wantN {
				if got[v] == nil {
					t.Errorf("MergeRollupsBy(%+v, %s)[%q] missing, want %d respondents", f, dim, v, n)
				}
			}
		}
	}
	if days, err := s.HealRollups(t.Context()); err != nil || len(days) != 0 {
		t.Errorf("second HealRollups = %v, %v; want no days", days, err)
	}
}
