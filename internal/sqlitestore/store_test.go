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
