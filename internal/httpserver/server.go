// Package httpserver is the public HTTP side of SIPAS: the counter list,
// the citizen form a QR code opens, the JSON submission API, QR codes and
// posters, and the health checks. It is server-rendered and works without
// JavaScript.
package httpserver

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/netip"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/surveys"
)

// Store is what the public side needs from a store; the full contract is
// internal/storetest.Store.
type Store interface {
	// InsertResponses stores responses idempotently by ID and reports,
	// per response, whether it was new.
	InsertResponses(ctx context.Context, rs []surveys.Response) ([]bool, error)
	// Counter returns one counter, or an ENOTFOUND error.
	Counter(ctx context.Context, code string) (surveys.Counter, error)
	Counters(ctx context.Context) ([]surveys.Counter, error)
	Divisions(ctx context.Context) ([]surveys.Division, error)
	Ping(ctx context.Context) error
}

// Defaults of Config.
const (
	DefaultBodyLimit    = 64 << 10
	DefaultReadyTimeout = 2 * time.Second
	DefaultStoreTimeout = 5 * time.Second
)

// Config tunes the server. The zero value works.
type Config struct {
	// BaseURL is the public base URL printed in QR codes and posters, such
	// as https://khaosat.example.gov.vn (no trailing slash). Empty: derived
	// from each request, which is only right when no proxy rewrites it.
	BaseURL string
	// BodyLimit is the largest request body accepted, in bytes; larger
	// bodies get 413. Default DefaultBodyLimit.
	BodyLimit int
	// Survey is the definition the citizen form asks. Default
	// surveys.Default.
	Survey string
	// OrgTTL is how long counters and divisions are cached; default 2 s.
	OrgTTL time.Duration
	// ReadyTimeout bounds the store ping of /readyz. Default 2 s.
	ReadyTimeout time.Duration
	// StoreTimeout bounds every other store call (fasthttp does not cancel
	// a request whose client went away). Default 5 s.
	StoreTimeout time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed (see clientAddr); empty: the TCP peer is the client.
	TrustedProxies []netip.Prefix
	// Limits are the rate limits of public submission; zero: off.
	Limits SubmitLimits
	// SecureCookies marks staff cookies Secure even on plain-HTTP requests
	// (set it when a TLS-terminating proxy forwards plain HTTP). Requests
	// that arrive over HTTPS always get Secure cookies.
	SecureCookies bool
}

// Deps are the server's collaborators, built and wired in cmd.
type Deps struct {
	Store   Store
	Surveys *surveys.Registry
	Catalog *i18n.Catalog
	Logger  *slog.Logger     // default slog.Default()
	Now     func() time.Time // default time.Now

	// Limit, when set, runs before every submission (POST /s/:counter
	// and POST /api/v1/responses): the slot for rate limiting. It should
	// return an ERATELIMITED *surveys.Error to refuse a request; the error
	// handler turns that into 429. Nil: no rate limiting.
	Limit fiber.Handler

	// Scores serves GET /api/v1/scores; nil: the route answers 404.
	Scores Scorer

	// Staff is the store of the staff side (sign-in, dashboard,
	// administration); nil: no staff routes are mounted.
	Staff StaffStore
	// Throttle limits failed sign-ins; nil: auth.NewThrottle with the
	// defaults and Now.
	Throttle *auth.Throttle
}

// server holds what the handlers share.
type server struct {
	cfg   Config
	deps  Deps
	def   *surveys.Definition
	cat   *i18n.Catalog
	log   *slog.Logger
	pages *pages
	forms formCache
	org   orgCache
	days  dayCountCache // the dashboard's responses per day

	throttle     *auth.Throttle
	clientSecret []byte // keys the hash of client addresses for throttling
}

// New builds the public application. It fails when the configured survey
// is not in the registry or a template does not parse.
func New(cfg Config, deps Deps) (*fiber.App, error) {
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	if cfg.Survey == "" {
		cfg.Survey = surveys.Default
	}
	if cfg.OrgTTL <= 0 {
		cfg.OrgTTL = 2 * time.Second
	}
	if cfg.ReadyTimeout <= 0 {
		cfg.ReadyTimeout = DefaultReadyTimeout
	}
	if cfg.StoreTimeout <= 0 {
		cfg.StoreTimeout = DefaultStoreTimeout
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Catalog == nil {
		deps.Catalog = i18n.New()
	}
	if deps.Store == nil || deps.Surveys == nil {
		return nil, errors.New("httpserver: Store and Surveys are required")
	}
	def, ok := deps.Surveys.Get(cfg.Survey)
	if !ok {
		return nil, errors.New("httpserver: unknown survey " + cfg.Survey)
	}
	if deps.Throttle == nil {
		deps.Throttle = auth.NewThrottle(auth.ThrottleConfig{}, deps.Now)
	}
	s := &server{cfg: cfg, deps: deps, def: def, cat: deps.Catalog, log: deps.Logger,
		throttle: deps.Throttle, clientSecret: newClientSecret()}
	p, err := loadPages(template.FuncMap{"t": s.cat.T})
	if err != nil {
		return nil, err
	}
	s.pages = p

	app := fiber.New(fiber.Config{
		BodyLimit: cfg.BodyLimit,
		// Strings from the context stay valid after the handler returns:
		// responses and view models keep them.
		Immutable:             true,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
	})
	app.Use(s.securityHeaders)
	app.Use(recover.New())
	s.routes(app)
	return app, nil
}

// routes lists every route of SPEC 5.3 served here.
func (s *server) routes(app *fiber.App) {
	limit := s.deps.Limit
	if limit == nil {
		limit = s.submitLimiter()
	}
	if limit == nil {
		limit = func(c *fiber.Ctx) error { return c.Next() }
	}
	app.Get("/healthz", s.handleHealthz)
	app.Get("/readyz", s.handleReadyz)
	app.Use("/static", s.staticHandler())

	app.Get("/", s.handleCounterList)
	app.Get("/s/:counter", s.handleFormShow)
	app.Post("/s/:counter", limit, s.handleFormSubmit)
	app.Get("/s/:counter/thanks", s.handleThanks)
	app.Get("/s/:counter/qr.png", s.handleQRPNG)
	app.Get("/s/:counter/qr.svg", s.handleQRSVG)
	app.Get("/s/:counter/poster", s.handlePoster)

	app.Post("/api/v1/responses", limit, s.handleResponseCreate)
	app.Get("/api/v1/scores", s.handleScoresShow)
	s.kioskRoutes(app)

	if s.deps.Staff != nil {
		s.staffRoutes(app)
	}

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// storeCtx is the context of one store call.
func (s *server) storeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.cfg.StoreTimeout)
}
