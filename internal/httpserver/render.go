package httpserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	pathpkg "path"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/web"
)

// pageFiles are the templates under web/templates rendered as pages; each
// but the poster wraps itself in layout.html.
var pageFiles = []string{"counters.html", "form.html", "thanks.html", "notfound.html", "error.html", "poster.html"}

// pages holds the parsed templates and what every page inlines.
type pages struct {
	byName       map[string]*template.Template
	css          template.CSS
	cssHash      string // CSP hash of css, which every public page inlines
	assetVersion string
}

// loadPages parses every page with the layout. The stylesheet is inlined
// into each page: most people open the form once, from a QR code, on a slow
// connection, and a second request would cost more than its 2 KB.
func loadPages(funcs template.FuncMap) (*pages, error) {
	css, err := fs.ReadFile(web.Static, "static/sipas.css")
	if err != nil {
		return nil, fmt.Errorf("httpserver: read css: %w", err)
	}
	p := &pages{
		byName:       map[string]*template.Template{},
		css:          template.CSS(css), // our own file, not user input
		cssHash:      cspHash(string(css)),
		assetVersion: staticVersion(),
	}
	for _, name := range pageFiles {
		t, err := template.New(name).Funcs(funcs).ParseFS(web.Templates, "templates/layout.html", "templates/"+name)
		if err != nil {
			return nil, fmt.Errorf("httpserver: parse %s: %w", name, err)
		}
		p.byName[name] = t
	}
	// Staff pages: every templates/staff/*.html but the layout, each with
	// templates/staff/layout.html, by the name "staff/<file>".
	staff, err := fs.Glob(web.Templates, "templates/staff/*.html")
	if err != nil {
		return nil, err
	}
	for _, path := range staff {
		name := strings.TrimPrefix(path, "templates/")
		if name == "staff/layout.html" {
			continue
		}
		t, err := template.New(pathpkg.Base(path)).Funcs(funcs).ParseFS(web.Templates, "templates/staff/layout.html", path)
		if err != nil {
			return nil, fmt.Errorf("httpserver: parse %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// staticVersion is a short hash of every static file, appended to their
// URLs so that they can be cached for a year.
func staticVersion() string {
	h := sha256.New()
	_ = fs.WalkDir(web.Static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(web.Static, path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:10]
}

// page is what the layout reads; every view model embeds it.
type page struct {
	Lang         string
	Title        string
	SwitchURL    string // the same page in the other language; "" hides the link
	SwitchLang   string
	CSS          template.CSS
	AssetVersion string
}

// newPage fills the layout fields. switchPath is the page's path, to which
// the other language's ?lang= is added.
func (s *server) newPage(lang, title, switchPath string) page {
	p := page{Lang: lang, Title: title, CSS: s.pages.css, AssetVersion: s.pages.assetVersion}
	if switchPath != "" {
		p.SwitchLang = i18n.EN
		if lang == i18n.EN {
			p.SwitchLang = i18n.VI
		}
		p.SwitchURL = switchPath + "?lang=" + p.SwitchLang
	}
	return p
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *server) render(c *fiber.Ctx, status int, name string, data any) error {
	var b bytes.Buffer
	if err := s.pages.byName[name].Execute(&b, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(b.Bytes())
}

// staticHandler serves web/static under /static/ with a one-year cache:
// pages link to it with ?v=<hash of the files>.
func (s *server) staticHandler() fiber.Handler {
	sub, err := fs.Sub(web.Static, "static")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return filesystem.New(filesystem.Config{
		Root:   http.FS(sub),
		MaxAge: 365 * 24 * 60 * 60,
	})
}

// langOf returns the page language asked by ?lang=, Vietnamese by default.
func langOf(c *fiber.Ctx) string { return i18n.Lang(c.Query("lang")) }
