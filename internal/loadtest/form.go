package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

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
	// Bare is GET / of a bare Fiber app returning a constant: the bytes
	// of the rendered form, so both move the same 25 KB.
	Bare Result `json:"bare"`
	// BareTiny is the same with a two-byte constant.
	BareTiny Result `json:"bare_tiny"`
	Form     Result `json:"form"` // GET /s/bench of the real app
	// FormBytes is the size of the form page.
	FormBytes int `json:"form_bytes"`
	// Ratio is Form.RPS / Bare.RPS: the share of a bare handler's
	// throughput the citizen form keeps; RatioTiny against BareTiny.
	Ratio     float64 `json:"ratio"`
	RatioTiny float64 `json:"ratio_tiny"`
}

// CompareForm loads, one after the other for Duration each at
// Concurrency, a bare Fiber app with one route returning a constant and
// the citizen form of the real app on the embedded store in opt.Data.
// Both are served in this process on 127.0.0.1 through the same client.
func CompareForm(ctx context.Context, opt CompareOptions) (FormResult, error) {
	var res FormResult
	env, err := setUp(ctx, opt)
	if err != nil {
		return res, err
	}
	defer env.st.Close()
	st, reg, log := env.st, env.reg, env.log
	if err := ensureCounter(ctx, st); err != nil {
		return res, err
	}

	app, err := httpserver.New(httpserver.Config{}, httpserver.Deps{
		Store: st, Surveys: reg, Catalog: i18n.New(), Logger: log,
	})
	if err != nil {
		return res, fmt.Errorf("loadtest: build server: %w", err)
	}
	// The bare handlers: one returns a two-byte constant, the other the
	// bytes of the form itself as a constant, so that the second ratio
	// measures what serving the form costs beyond moving its 25 KB.
	page, err := renderOnce(app, "/s/"+FormCounter)
	if err != nil {
		return res, err
	}
	res.FormBytes = len(page)
	tiny := fiber.New(fiber.Config{DisableStartupMessage: true})
	tiny.Get("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
	if res.BareTiny, err = loadGET(ctx, tiny, "/", opt); err != nil {
		return res, fmt.Errorf("loadtest: bare handler: %w", err)
	}
	same := fiber.New(fiber.Config{DisableStartupMessage: true})
	same.Get("/", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(page)
	})
	if res.Bare, err = loadGET(ctx, same, "/", opt); err != nil {
		return res, fmt.Errorf("loadtest: bare handler: %w", err)
	}
	if res.Form, err = loadGET(ctx, app, "/s/"+FormCounter, opt); err != nil {
		return res, fmt.Errorf("loadtest: citizen form: %w", err)
	}
	if res.Bare.RPS > 0 {
		res.Ratio = round(res.Form.RPS/res.Bare.RPS, 3)
	}
	if res.BareTiny.RPS > 0 {
		res.RatioTiny = round(res.Form.RPS/res.BareTiny.RPS, 3)
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

// renderOnce returns the body of one GET of path from app.
func renderOnce(app *fiber.App, path string) ([]byte, error) {
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
	if err != nil {
		return nil, fmt.Errorf("loadtest: render %s: %w", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("loadtest: render %s: status %d, %v", path, resp.StatusCode, err)
	}
	return b, nil
}
