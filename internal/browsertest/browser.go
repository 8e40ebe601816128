// Package browsertest starts headless Chromium (Debian's chromium
// package) for tests driven with chromedp. Outside CI a missing browser
// skips the test with a message; with SIPAS_REQUIRE_BROWSER=1 (set by
// .ci/run) or CI=true it fails instead.
//
// It is written against the generic API of chromedp v0.20 and later:
// actions are Action[T] values run with chromedp.Do (no result) or
// chromedp.Run (one result), and events are recorded with chromedp.Listen.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Lifetime bounds the whole browser of one test; StepTimeout bounds one
// call of Do or Run made through the Browser.
const (
	Lifetime    = 2 * time.Minute
	StepTimeout = 30 * time.Second
)

// Phone is the emulated screen of a cheap Android phone: 360×740 CSS
// pixels, device scale factor 3, mobile, touch, portrait.
var Phone = Screen{Width: 360, Height: 740, Scale: 3, Mobile: true, Touch: true}

// Screen is an emulated viewport.
type Screen struct {
	Width, Height int64   // CSS pixels
	Scale         float64 // device pixels per CSS pixel
	Mobile, Touch bool
}

// Required reports whether browser tests must run (CI).
func Required() bool {
	return os.Getenv("SIPAS_REQUIRE_BROWSER") == "1" || os.Getenv("CI") == "true"
}

// ChromiumPath returns the browser to run: $SIPAS_CHROMIUM, else the first
// of chromium, chromium-browser, google-chrome on PATH, else "".
func ChromiumPath() string {
	if p := os.Getenv("SIPAS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser is one headless Chromium tab with a record of every request the
// page made and every console error.
type Browser struct {
	// Ctx is the chromedp context of the tab. It ends when the test ends
	// or after Lifetime.
	Ctx context.Context

	mu       sync.Mutex
	requests []string
	errors   []string
}

// Need skips t (fails it in CI) when there is no Chromium to run, and
// returns its path otherwise. New calls it; a test that sets up costly
// fixtures before New can call it first to skip early.
func Need(t testing.TB) string {
	t.Helper()
	path := ChromiumPath()
	if path == "" {
		if Required() {
			t.Fatal("browser test required (SIPAS_REQUIRE_BROWSER=1 or CI=true) but no Chromium found: apt-get install chromium, or set SIPAS_CHROMIUM")
		}
		t.Skip("skipping browser test: Chromium not installed (apt-get install chromium, or set SIPAS_CHROMIUM; CI installs it and makes this test mandatory)")
	}
	if p, err := exec.LookPath(path); err != nil {
		if Required() {
			t.Fatalf("browser test required but %s is not runnable: %v", path, err)
		}
		t.Skipf("skipping browser test: %s is not runnable: %v", path, err)
	} else {
		path = p
	}
	return path
}

// New starts Chromium for t, or skips t (fails in CI) when there is none.
// The browser and its profile directory are removed when t ends.
func New(t testing.TB) *Browser {
	t.Helper()
	path := Need(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tctx, cancelTimeout := context.WithTimeout(actx, Lifetime)
	ctx, cancelCtx := chromedp.NewContext(tctx)
	// Cleanups run last-in first-out; this one closes the tab, then the
	// browser, before t.TempDir removes the profile it registered first.
	t.Cleanup(func() {
		_ = chromedp.Cancel(ctx) // closes the browser gracefully
		cancelCtx()
		cancelTimeout()
		cancelAlloc()
	})
	b := &Browser{Ctx: ctx}
	// The first Do starts the browser and opens the tab; its context
	// (ctx itself, with no shorter timeout) owns the browser's life.
	if err := chromedp.Do(ctx); err != nil {
		if Required() {
			t.Fatalf("starting Chromium (%s): %v", path, err)
		}
		t.Skipf("skipping browser test: Chromium (%s) does not start: %v", path, err)
	}
	// The chromedp context enables the network, runtime and log domains
	// when it opens the tab, so the events below arrive without more.
	if err := chromedp.Listen(ctx, b.record); err != nil {
		t.Fatalf("listening to Chromium events: %v", err)
	}
	return b
}

// record runs in the loop that reads the tab's messages: it must return
// fast and run no command.
func (b *Browser) record(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				switch {
				case len(a.Value) > 0:
					parts = append(parts, strings.Trim(string(a.Value), `"`))
				case a.Description != "":
					parts = append(parts, a.Description)
				default:
					parts = append(parts, string(a.Type))
				}
			}
			b.errors = append(b.errors, "console."+string(e.Type)+": "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := "exception: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		if d.URL != "" {
			msg += " at " + d.URL
		}
		b.errors = append(b.errors, msg)
	case *cdplog.EventEntryAdded:
		// Browser-side errors: a failed subresource, a CSP violation.
		if e.Entry != nil && e.Entry.Level == cdplog.EntryLevelError {
			msg := "log(" + string(e.Entry.Source) + "): " + e.Entry.Text
			if e.Entry.URL != "" {
				msg += " " + e.Entry.URL
			}
			b.errors = append(b.errors, msg)
		}
	}
}

// Requests returns every URL the page requested so far.
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...)
}

// ConsoleErrors returns the console errors, uncaught exceptions and
// browser log errors so far.
func (b *Browser) ConsoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// CheckLocalOnly fails t if any request left base (no CDN, no internet).
// data:, blob: and about: URLs stay in the page and are allowed.
func (b *Browser) CheckLocalOnly(t testing.TB, base string) {
	t.Helper()
	base = strings.TrimSuffix(base, "/")
	for _, u := range b.Requests() {
		if u == base || strings.HasPrefix(u, base+"/") || strings.HasPrefix(u, base+"?") {
			continue
		}
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") || strings.HasPrefix(u, "about:") {
			continue
		}
		t.Errorf("page requested %s, outside the server %s", u, base)
	}
}

// CheckNoConsoleErrors fails t for every console error so far, except
// those that contain one of allow (for an expected one, such as the
// browser's note on a deliberate 422 page).
func (b *Browser) CheckNoConsoleErrors(t testing.TB, allow ...string) {
	t.Helper()
next:
	for _, e := range b.ConsoleErrors() {
		for _, a := range allow {
			if a != "" && strings.Contains(e, a) {
				continue next
			}
		}
		t.Errorf("browser console: %s", e)
	}
}

// Do runs steps in the tab, each call bounded by StepTimeout, and fails t
// on error.
func (b *Browser) Do(t testing.TB, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Run runs one action in the tab, bounded by StepTimeout, and returns its
// value; it fails t on error.
func Run[T any](t testing.TB, b *Browser, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// Emulate is the action that gives the tab screen s.
func Emulate(s Screen) chromedp.Action[chromedp.Void] {
	opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if s.Width > s.Height {
		opts = []chromedp.EmulateViewportOption{chromedp.EmulateLandscape}
	}
	if s.Scale > 0 {
		opts = append(opts, chromedp.EmulateScale(s.Scale))
	}
	if s.Mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	if s.Touch {
		opts = append(opts, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(s.Width, s.Height, opts...)
}

// EmulatePhone gives the tab the Phone screen; call it before Navigate.
func (b *Browser) EmulatePhone(t testing.TB) {
	t.Helper()
	b.Do(t, Emulate(Phone))
}

// Screenshot writes a PNG of the visible viewport to path, creating its
// directory.
func (b *Browser) Screenshot(t testing.TB, path string) {
	t.Helper()
	b.writePNG(t, path, chromedp.CaptureScreenshot())
}

// FullScreenshot writes a PNG of the whole page, beyond the viewport, to
// path, creating its directory.
func (b *Browser) FullScreenshot(t testing.TB, path string) {
	t.Helper()
	b.writePNG(t, path, chromedp.FullScreenshot(100)) // 100: PNG
}

func (b *Browser) writePNG(t testing.TB, path string, a chromedp.Action[[]byte]) {
	t.Helper()
	buf := Run(t, b, a)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	t.Logf("screenshot written to %s (%d bytes)", path, len(buf))
}
