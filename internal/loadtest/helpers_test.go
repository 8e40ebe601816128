package loadtest

import (
	"context"
	"testing"

	"github.com/sipas/sipas/internal/httpserver"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

// startAPI serves the real application on a fresh store in a temporary
// directory, on 127.0.0.1; both stop when the test ends.
func startAPI(tb testing.TB) (*serving, *sqlitestore.Store) {
	tb.Helper()
	reg, _, err := registry()
	if err != nil {
		tb.Fatal(err)
	}
	st, err := openStore(context.Background(), tb.TempDir(), reg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	app, err := httpserver.New(httpserver.Config{}, httpserver.Deps{
		Store: st, Surveys: reg, Catalog: i18n.New(), Logger: discard,
	})
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := serve(context.Background(), app, "/healthz")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := srv.stop(); err != nil {
			tb.Error(err)
		}
	})
	return srv, st
}

// countAll counts every stored response.
func countAll(tb testing.TB, st *sqlitestore.Store) int64 {
	tb.Helper()
	n, err := st.CountResponses(context.Background(), surveys.ResponseFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
