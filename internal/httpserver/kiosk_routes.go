package httpserver

import (
	"io/fs"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/web"
)

// kioskCSP is the Content-Security-Policy of the kiosk pages: scripts,
// styles and workers from this server only, no inline code at all.
const kioskCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// kiosk holds what the tablet handlers share beyond the server.
type kiosk struct {
	s *server
	// enrolMu makes "look up the code, then clear it" one step within
	// this process, so that one code enrols one tablet. (Two servers
	// behind a load balancer could still race on the same code within
	// milliseconds; the admin list would then show the tablet once, with
	// the token of whichever wrote last.)
	enrolMu sync.Mutex
}

// kioskRoutes installs the misuse signals on every insert (see
// misuseStore) and, when the staff side is on, mounts the tablets'
// pages, their offline shell and their API:
//
//	GET  /kiosk                      the kiosk (public: the token lives on the tablet)
//	GET  /kiosk/enrol?code=          exchanges an enrolment code for a device token
//	GET  /kiosk/sw.js                service worker, scope /kiosk
//	GET  /kiosk/app.js, app.css, manifest.webmanifest
//	POST /api/v1/kiosk/enrol         {"code"} -> {"token", "device": {...}}
//	GET  /api/v1/kiosk/status        (Bearer) the tablet's counter and today's count
//
// Kiosk answers are posted to POST /api/v1/responses with the bearer token.
func (s *server) kioskRoutes(app *fiber.App) {
	s.deps.Store = newMisuseStore(s.deps.Store, DefaultMisuse)
	if s.deps.Staff == nil {
		return
	}
	if err := s.loadKioskPages(); err != nil {
		panic(err) // the templates are embedded: a parse error is a build error
	}
	k := &kiosk{s: s}
	limit := s.deps.Limit
	if limit == nil {
		limit = func(c *fiber.Ctx) error { return c.Next() }
	}
	app.Get("/kiosk", k.handlePage)
	app.Get("/kiosk/enrol", k.handleEnrolPage)
	app.Get("/kiosk/sw.js", k.handleServiceWorker)
	app.Get("/kiosk/app.js", kioskAsset("static/kiosk.js", "text/javascript; charset=utf-8"))
	app.Get("/kiosk/app.css", kioskAsset("static/kiosk.css", "text/css; charset=utf-8"))
	app.Get("/kiosk/manifest.webmanifest", kioskAsset("static/kiosk.webmanifest", "application/manifest+json"))
	app.Post("/api/v1/kiosk/enrol", limit, k.handleEnrol)
	app.Get("/api/v1/kiosk/status", k.handleStatus)
}

// kioskAsset serves one embedded file. The service worker is the
// tablet's cache; the HTTP cache must not keep an old copy beside it.
func kioskAsset(path, contentType string) fiber.Handler {
	b, err := fs.ReadFile(web.Static, path)
	if err != nil {
		panic(err) // embedded at build time
	}
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, contentType)
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.Send(b)
	}
}

// handleServiceWorker serves the service worker with the asset version in
// its cache name: a deployment changes the script, so tablets install
// the new shell and drop the old one.
func (k *kiosk) handleServiceWorker(c *fiber.Ctx) error {
	b, err := fs.ReadFile(web.Static, "static/kiosk.sw.js")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set("Service-Worker-Allowed", "/kiosk")
	return c.SendString(strings.ReplaceAll(string(b), "__VERSION__", k.s.pages.assetVersion))
}
