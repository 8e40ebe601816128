package loadtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/sipas/sipas/internal/httpserver"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

// DBFile is the embedded database's file name inside the data directory,
// as the sipas binary names it.
const DBFile = "sipas.db"

// CompareOptions configures Compare and CompareForm.
type CompareOptions struct {
	// Data is the directory of the embedded store (DBFile in it); it is
	// created if missing. The responses written stay in it.
	Data        string
	Duration    time.Duration // of each phase
	Concurrency int
	Logger      *slog.Logger // default: discard
}

// CompareResult is what Compare measured.
type CompareResult struct {
	// Raw: Concurrency goroutines each storing one response in a synced
	// transaction of its own (no group commit): one durable insert per
	// response, straight through the store.
	Raw Result `json:"raw"`
	// API: Run against the HTTP server in this process on the same store.
	API Result `json:"api"`
	// StoredBefore is the number of responses in the store before the run.
	StoredBefore int64 `json:"stored_before"`
	// Stored is the number of responses the run added; nothing is lost
	// when it equals Raw.OK + API.OK.
	Stored int64 `json:"stored"`
}

// Compare opens the embedded store in opt.Data and measures, one after the
// other on it, raw inserts from Concurrency goroutines (one synced
// transaction per response), and submissions through the HTTP API (a server started
// here on 127.0.0.1 and shut down afterwards), each for Duration.
func Compare(ctx context.Context, opt CompareOptions) (CompareResult, error) {
	var res CompareResult
	env, err := setUp(ctx, opt)
	if err != nil {
		return res, err
	}
	defer env.st.Close()
	st, reg, def, log := env.st, env.reg, env.def, env.log

	all := surveys.ResponseFilter{}
	if res.StoredBefore, err = st.CountResponses(ctx, all); err != nil {
		return res, fmt.Errorf("loadtest: count responses: %w", err)
	}
	seed := rand.Uint64()
	insertShots := func(i int) shot { return insertShot(st, newGen(def, "", seed+uint64(i))) }
	if res.Raw, err = hammer(ctx, opt.Concurrency, opt.Duration, insertShots); err != nil {
		return res, err
	}

	app, err := httpserver.New(httpserver.Config{}, httpserver.Deps{
		Store: st, Surveys: reg, Catalog: i18n.New(), Logger: log,
	})
	if err != nil {
		return res, fmt.Errorf("loadtest: build server: %w", err)
	}
	srv, err := serve(ctx, app, "/healthz")
	if err != nil {
		return res, err
	}
	res.API, err = Run(ctx, Options{Target: srv.url, Duration: opt.Duration, Concurrency: opt.Concurrency})
	if serr := srv.stop(); err == nil && serr != nil {
		err = fmt.Errorf("loadtest: stop server: %w", serr)
	}
	if err != nil {
		return res, err
	}

	after, err := st.CountResponses(ctx, all)
	if err != nil {
		return res, fmt.Errorf("loadtest: count responses: %w", err)
	}
	res.Stored = after - res.StoredBefore
	if err := st.Close(); err != nil {
		return res, fmt.Errorf("loadtest: close store: %w", err)
	}
	return res, nil
}

// env is what both comparisons start from.
type env struct {
	st  *sqlitestore.Store
	reg *surveys.Registry
	def *surveys.Definition
	log *slog.Logger
}

// setUp checks opt and opens the embedded store in opt.Data.
func setUp(ctx context.Context, opt CompareOptions) (env, error) {
	if err := checkLoad(opt.Duration, opt.Concurrency); err != nil {
		return env{}, err
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	reg, def, err := registry()
	if err != nil {
		return env{}, err
	}
	st, err := openStore(ctx, opt.Data, reg, log)
	if err != nil {
		return env{}, err
	}
	return env{st: st, reg: reg, def: def, log: log}, nil
}

// insertShot stores one generated response per call, straight into st.
func insertShot(st *sqlitestore.Store, g *gen) shot {
	return func(ctx context.Context) (time.Duration, bool, bool) {
		r := g.response(time.Now())
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		start := time.Now()
		fresh, err := st.InsertUnbatched(ctx, r)
		return time.Since(start), err == nil && fresh, true
	}
}

// registry loads the embedded definitions and the default one.
func registry() (*surveys.Registry, *surveys.Definition, error) {
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		return nil, nil, err
	}
	def, ok := reg.Get(surveys.Default)
	if !ok {
		return nil, nil, errors.New("loadtest: default survey " + surveys.Default + " is not embedded")
	}
	return reg, def, nil
}

// openStore opens the embedded store in dir, creating dir if needed.
func openStore(ctx context.Context, dir string, reg *surveys.Registry, log *slog.Logger) (*sqlitestore.Store, error) {
	if dir == "" {
		return nil, errors.New("loadtest: no data directory")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("loadtest: create data directory: %w", err)
	}
	st, err := sqlitestore.Open(ctx, filepath.Join(dir, DBFile), reg, log)
	if err != nil {
		return nil, fmt.Errorf("loadtest: open embedded store in %s: %w", dir, err)
	}
	return st, nil
}
