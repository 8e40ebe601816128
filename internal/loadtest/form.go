package loadtest

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/httpserver"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/surveys"
)

// FormCounter is the counter whose form CompareForm loads. It is created
// (active) in the store when missing.
const FormCounter = "bench"

// FormResult is what CompareForm measured.
type FormResult struct {
	Bare Result `json:"bare"` // GET / of a bare Fiber app returning a constant
	Form Result `json:"form"` // GET /s/bench of the real app
	// Ratio is Form.RPS / Bare.RPS: the share of a bare handler's
	// throughput the citizen form keeps.
	Ratio float64 `json:"ratio"`
}

// CompareForm loads, one after the other for Duration each at
// Concurrency, a bare Fiber app with one route returning a constant and
// the citizen form of the real app on the embedded store in opt.Data.
// Both are served in this process on 127.0.0.1 through the same client.
func CompareForm(ctx context.Context, opt CompareOptions) (FormResult, error) {
	var res FormResult
	if err := checkLoad(opt.Duration, opt.Concurrency); err != nil {
		return res, err
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	reg, _, err := registry()
	if err != nil {
		return res, err
	}
	st, err := openStore(ctx, opt.Data, reg, log)
	if err != nil {
		return res, err
	}
	defer st.Close()
	if err := ensureCounter(ctx, st); err != nil {
		return res, err
	}

	bare := fiber.New(fiber.Config{DisableStartupMessage: true})
	bare.Get("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
	if res.Bare, err = loadGET(ctx, bare, "/", opt); err != nil {
		return res, fmt.Errorf("loadtest: bare handler: %w", err)
	}

	app, err := httpserver.New(httpserver.Config{}, httpserver.Deps{
		Store: st, Surveys: reg, Catalog: i18n.New(), Logger: log,
	})
	if err != nil {
		return res, fmt.Errorf("loadtest: build server: %w", err)
	}
	if res.Form, err = loadGET(ctx, app, "/s/"+FormCounter, opt); err != nil {
		return res, fmt.Errorf("loadtest: citizen form: %w", err)
	}
	if res.Bare.RPS > 0 {
		res.Ratio = round(res.Form.RPS/res.Bare.RPS, 3)
	}
	if err := st.Close(); err != nil {
		return res, fmt.Errorf("loadtest: close store: %w", err)
	}
	return res, nil
}

// counterStore is what ensureCounter needs of a store.
type counterStore interface {
	Counter(ctx context.Context, code string) (surveys.Counter, error)
	PutCounter(ctx context.Context, c surveys.Counter) error
}

// ensureCounter makes FormCounter exist, open. An existing closed one is
// left alone and reported: reopening someone's counter is not a load
// test's business.
func ensureCounter(ctx context.Context, st counterStore) error {
	ct, err := st.Counter(ctx, FormCounter)
	switch {
	case err == nil && ct.Active:
		return nil
	case err == nil:
		return fmt.Errorf("loadtest: counter %s exists and is closed", FormCounter)
	case !surveys.IsNotFound(err):
		return fmt.Errorf("loadtest: look up counter %s: %w", FormCounter, err)
	}
	ct = surveys.Counter{
		Code:   FormCounter,
		Name:   surveys.Text{VI: "Quầy đo tải", EN: "Load-test counter"},
		Active: true,
	}
	if err := st.PutCounter(ctx, ct); err != nil {
		return fmt.Errorf("loadtest: create counter %s: %w", FormCounter, err)
	}
	return nil
}

// loadGET serves app on loopback, GETs path from Concurrency workers for
// Duration, and shuts app down.
func loadGET(ctx context.Context, app *fiber.App, path string, opt CompareOptions) (Result, error) {
	srv, err := serve(ctx, app, path)
	if err != nil {
		return Result{}, err
	}
	client := newClient(opt.Concurrency, requestTimeout, false)
	url := srv.url + path
	res, err := hammer(ctx, opt.Concurrency, opt.Duration, func(int) shot { return getShot(client, url) })
	client.CloseIdleConnections()
	if serr := srv.stop(); err == nil && serr != nil {
		err = fmt.Errorf("stop server: %w", serr)
	}
	return res, err
}
