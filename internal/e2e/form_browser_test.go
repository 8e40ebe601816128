// Package e2e drives the real server, in process, with headless Chromium
// on an emulated phone: the citizen form of SPEC 2 and 5.3 as a person
// uses it.
package e2e

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/browsertest"
	"github.com/sipas/sipas/internal/httpserver"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

const counterCode = "q1"

// server is the application under test and what the tests read back.
type server struct {
	base  string // http://127.0.0.1:port
	store *sqlitestore.Store
	cat   *i18n.Catalog
}

// tLogWriter sends the server's log to the test log, until the test ends.
type tLogWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *tLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (w *tLogWriter) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
}

// startServer opens a fresh SQLite store with one counter and serves the
// public application on a loopback port until t ends. Call it before
// browsertest.New so that the browser closes first.
func startServer(t *testing.T) *server {
	t.Helper()
	browsertest.Need(t) // skip before building anything
	ctx := context.Background()
	lw := &tLogWriter{t: t}
	logger := slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelWarn}))

	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "e2e.db"), reg, logger)
	if err != nil {
		t.Fatal(err)
	}
	err = st.PutCounter(ctx, surveys.Counter{
		Code:     counterCode,
		Name:     surveys.Text{VI: "Quầy Sở Công Thương", EN: "Department of Industry and Trade counter"},
		Division: "",
		Active:   true,
		Procedures: []surveys.Procedure{{
			Code: "p1",
			Name: surveys.Text{VI: "Cấp giấy phép kinh doanh", EN: "Business licence"},
		}},
	})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	cat := i18n.New()
	app, err := httpserver.New(httpserver.Config{}, httpserver.Deps{
		Store: st, Surveys: reg, Catalog: cat, Logger: logger,
	})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	srv := serveApp(t, app, st, cat, lw)
	return srv
}

// serveApp serves app on a loopback port until the test ends, then
// shuts it down and closes the store.
func serveApp(t *testing.T, app *fiber.App, st *sqlitestore.Store, cat *i18n.Catalog, lw *tLogWriter) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("server shutdown: %v", err)
		}
		select {
		case err := <-served:
			if err != nil && !errors.Is(err, net.ErrClosed) {
				t.Errorf("server: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
		if err := st.Close(); err != nil {
			t.Errorf("store close: %v", err)
		}
		lw.stop()
	})
	srv := &server{base: "http://" + ln.Addr().String(), store: st, cat: cat}
	srv.waitReady(t, served)
	return srv
}

// waitReady returns once the server answers /healthz. (A fiber app shut
// down before it started serving would serve on regardless.)
func (s *server) waitReady(t *testing.T, served <-chan error) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := client.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			err = errors.New(resp.Status)
		}
		select {
		case serr := <-served:
			t.Fatalf("server stopped before it was ready: %v", serr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *server) formURL() string { return s.base + "/s/" + counterCode }

func (s *server) count(t *testing.T) int64 {
	t.Helper()
	n, err := s.store.CountResponses(context.Background(), surveys.ResponseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// phone starts a browser with the phone screen, on the empty form.
func phone(t *testing.T, s *server) *browsertest.Browser {
	t.Helper()
	b := browsertest.New(t)
	b.EmulatePhone(t)
	openForm(t, b, s)
	return b
}

func openForm(t *testing.T, b *browsertest.Browser, s *server) {
	t.Helper()
	b.Do(t,
		chromedp.Navigate(s.formURL()),
		chromedp.WaitVisible(chromedp.CSS(`form button[type=submit]`)),
	)
}

// label is the selector of the label of choice i (0-based: 0..4 are the
// values 1..5, 5 is "no opinion") of question code.
func label(code string, i int) chromedp.CSS {
	return chromedp.CSS(`label[for="` + code + `-` + string(rune('0'+i)) + `"]`)
}

func checked(t *testing.T, b *browsertest.Browser, id string) bool {
	t.Helper()
	return browsertest.Run(t, b, chromedp.Evaluate[bool](`document.getElementById(`+quoteJS(id)+`).checked`))
}

func quoteJS(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// submitAndWaitThanks presses the submit button and waits for the
// thank-you page.
func submitAndWaitThanks(t *testing.T, b *browsertest.Browser, s *server) {
	t.Helper()
	b.Do(t,
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p[role=status]`)),
	)
	loc := browsertest.Run(t, b, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(u.Path, "/thanks") {
		t.Errorf("after submit the page is %s, want a path ending in /thanks", loc)
	}
	status := browsertest.Run(t, b, chromedp.Text(chromedp.CSS(`p[role=status]`)))
	if want := s.cat.T("vi", "thanks.received"); !strings.Contains(status, "Cảm ơn") || strings.TrimSpace(status) != want {
		t.Errorf("thank-you message = %q, want %q", status, want)
	}
}

// scriptsRun reports whether the page runs its own scripts: it inserts a
// script element and reads what it set. (DevTools evaluation works either
// way.)
func scriptsRun(t *testing.T, b *browsertest.Browser) bool {
	t.Helper()
	return browsertest.Run(t, b, chromedp.Evaluate[bool](`(() => {
		const s = document.createElement("script");
		s.textContent = "window.__sipasRan = true";
		document.head.appendChild(s);
		s.remove();
		return window.__sipasRan === true;
	})()`))
}

// checkClean fails t when the page reached outside the server or logged
// an error other than allow.
func checkClean(t *testing.T, b *browsertest.Browser, s *server, allow ...string) {
	t.Helper()
	if len(b.Requests()) == 0 {
		t.Error("no request recorded: the network events are not reaching the recorder")
	}
	b.CheckLocalOnly(t, s.base)
	b.CheckNoConsoleErrors(t, allow...)
}

// TestFormPhoneFillAndSubmit fills the form as a person does on a phone:
// taps the visible labels (the radio inputs themselves are hidden), changes
// one answer, says "no opinion" once, opens the optional part, picks the
// procedure and types a Vietnamese comment with markup, then submits.
func TestFormPhoneFillAndSubmit(t *testing.T) {
	s := startServer(t)
	b := phone(t, s)

	id := browsertest.Run(t, b, chromedp.Value(chromedp.CSS(`input[type=hidden][name=id]`)))
	if _, err := surveys.ParseUUID(id); err != nil {
		t.Fatalf("hidden id %q is not a UUID: %v", id, err)
	}

	clicks := []struct {
		code   string
		choice int
	}{
		{"A1", 4}, // 5 Rất hài lòng
		{"A2", 1}, // 2, changed below
		{"B3", 0}, // 1 Rất không hài lòng
		{"C1", 2}, // 3 Bình thường
		{"D2", 3}, // 4 Hài lòng
		{"E1", 5}, // no opinion: not stored
		{"A2", 3}, // the person changes their mind: 4
	}
	want := map[string]int{"A1": 5, "A2": 4, "B3": 1, "C1": 3, "D2": 4}
	for _, c := range clicks {
		b.Do(t, chromedp.Click(label(c.code, c.choice)))
		if id := c.code + "-" + string(rune('0'+c.choice)); !checked(t, b, id) {
			t.Errorf("clicking the label of %s did not check it", id)
		}
	}
	if checked(t, b, "A2-1") {
		t.Error("A2-1 still checked after choosing A2-3")
	}

	// The optional part is closed until the person opens it.
	if browsertest.Run(t, b, chromedp.Evaluate[bool](`document.querySelector("details").open`)) {
		t.Error("the optional part is open on a fresh form")
	}
	b.Do(t, chromedp.Click(chromedp.CSS(`details > summary`)))
	if !browsertest.Run(t, b, chromedp.Evaluate[bool](`document.querySelector("details").open`)) {
		t.Fatal("tapping the summary did not open the optional part")
	}
	b.Do(t, chromedp.Click(label("procedure", 0))) // the counter's own procedure p1
	comment := "Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn. Đề nghị thêm ghế chờ! <b>markup</b> & \"trích dẫn\""
	b.Do(t, chromedp.SendKeys(chromedp.ID("comment"), comment))
	if got := browsertest.Run(t, b, chromedp.Value(chromedp.ID("comment"))); got != comment {
		t.Fatalf("typed comment reads %q, want %q", got, comment)
	}

	submitAndWaitThanks(t, b, s)

	if n := s.count(t); n != 1 {
		t.Fatalf("CountResponses = %d, want 1", n)
	}
	r, err := s.store.Response(context.Background(), id)
	if err != nil {
		t.Fatalf("the response with the form's id %s: %v", id, err)
	}
	if !maps.Equal(r.Answers, want) {
		t.Errorf("stored answers = %v, want exactly %v", r.Answers, want)
	}
	if _, ok := r.Answers["E1"]; ok {
		t.Error("E1 was answered 'no opinion' but is stored")
	}
	if got := r.Extra["comment"]; got != comment {
		t.Errorf("stored comment = %q, want %q", got, comment)
	}
	if got := r.Extra["procedure"]; got != "p1" {
		t.Errorf("stored procedure = %q, want p1", got)
	}
	if r.Channel != surveys.ChannelQR {
		t.Errorf("channel = %q, want %q", r.Channel, surveys.ChannelQR)
	}
	if r.Counter != counterCode || r.Lang != "vi" || r.Survey != surveys.Default {
		t.Errorf("counter, lang, survey = %q, %q, %q; want %q, vi, %q", r.Counter, r.Lang, r.Survey, counterCode, surveys.Default)
	}

	checkClean(t, b, s)
}

// TestFormPhoneEmptySubmit submits the form with no answer: the page says
// why in Vietnamese, in an alert, and stores nothing; one answer then
// goes through.
func TestFormPhoneEmptySubmit(t *testing.T) {
	s := startServer(t)
	b := phone(t, s)

	b.Do(t,
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[role=alert]`)),
	)
	alert := browsertest.Run(t, b, chromedp.Text(chromedp.CSS(`[role=alert]`)))
	for _, key := range []string{"form.errors_title", surveys.MsgNoAnswers} {
		if want := s.cat.T("vi", key); !strings.Contains(alert, want) {
			t.Errorf("error summary %q lacks %q (%s)", alert, want, key)
		}
	}
	if !strings.Contains(alert, "Vui lòng") {
		t.Errorf("error summary %q is not in Vietnamese", alert)
	}
	if n := s.count(t); n != 0 {
		t.Fatalf("an empty form stored %d responses", n)
	}
	// The summary's link leads to a field that exists.
	href := browsertest.Run(t, b, chromedp.Evaluate[string](`document.querySelector("[role=alert] a").getAttribute("href")`))
	if !browsertest.Run(t, b, chromedp.Evaluate[bool](`document.getElementById(`+quoteJS(strings.TrimPrefix(href, "#"))+`) !== null`)) {
		t.Errorf("error summary links to %s, which is not on the page", href)
	}

	// A comment alone is not an answer either: the form comes back with
	// the comment kept as text, its markup not turned into elements.
	comment := "Chỉ góp ý: <b>markup</b>"
	b.Do(t,
		chromedp.Click(chromedp.CSS(`details > summary`)),
		chromedp.SendKeys(chromedp.ID("comment"), comment),
		// Mark this page, so that the checks below read the next one.
		chromedp.Evaluate[chromedp.Void](`document.body.appendChild(Object.assign(document.createElement("i"), {id: "old-page"}))`),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.ID("old-page")),
		chromedp.WaitVisible(chromedp.CSS(`[role=alert]`)),
	)
	if n := s.count(t); n != 0 {
		t.Fatalf("a comment without answers stored %d responses", n)
	}
	if got := browsertest.Run(t, b, chromedp.Value(chromedp.ID("comment"))); got != comment {
		t.Errorf("re-rendered comment = %q, want %q kept", got, comment)
	}
	injected := browsertest.Run(t, b, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("b")).filter(e => e.textContent === "markup").length`))
	if injected != 0 {
		t.Error("the comment's <b> markup became an element of the page")
	}

	b.Do(t, chromedp.Click(label("A3", 3))) // 4 Hài lòng
	submitAndWaitThanks(t, b, s)
	if n := s.count(t); n != 1 {
		t.Fatalf("CountResponses = %d, want 1", n)
	}
	var got []surveys.Response
	err := s.store.EachResponse(context.Background(), surveys.ResponseFilter{}, func(r *surveys.Response) error {
		got = append(got, *r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !maps.Equal(got[0].Answers, map[string]int{"A3": 4}) || got[0].Extra["comment"] != comment {
		t.Errorf("stored %+v, want one response answering A3=4 with the kept comment", got)
	}
	// The re-rendered form is a 422 (SPEC 5.3), which Chromium notes in
	// its log; nothing else may be there.
	checkClean(t, b, s, "status of 422 (Unprocessable Entity) "+s.formURL())
}

// TestFormWithoutJavaScript repeats a short submit with script execution
// disabled: the form is plain HTML and must not need it.
func TestFormWithoutJavaScript(t *testing.T) {
	s := startServer(t)
	b := phone(t, s)
	// The probe runs scripts on the normal page; if it cannot (a future
	// Content-Security-Policy), it cannot prove the switch below either.
	probe := scriptsRun(t, b)
	b.Do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	openForm(t, b, s)
	switch {
	case !probe:
		// The Content-Security-Policy refuses inserted inline scripts, so
		// the probe cannot tell; the form has no script of its own, which
		// proves it needs none.
		if n := browsertest.Run(t, b, chromedp.Evaluate[int]("document.scripts.length")); n != 0 {
			t.Fatalf("the form has %d script elements, want none", n)
		}
	case scriptsRun(t, b):
		t.Fatal("script execution is not disabled")
	}

	b.Do(t,
		chromedp.Click(label("C2", 4)),
		chromedp.Click(label("D1", 5)), // no opinion
	)
	submitAndWaitThanks(t, b, s)
	if n := s.count(t); n != 1 {
		t.Fatalf("CountResponses = %d, want 1", n)
	}
	var got surveys.Response
	err := s.store.EachResponse(context.Background(), surveys.ResponseFilter{}, func(r *surveys.Response) error {
		got = *r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got.Answers, map[string]int{"C2": 5}) {
		t.Errorf("stored answers %v, want C2=5 only", got.Answers)
	}
	// The probe's inline script is refused by the policy, as it should be.
	checkClean(t, b, s, "violates the following Content Security Policy directive")
}

// TestFormPhoneTouchTargets measures, on the phone screen, every answer
// target (the labels people tap): at least 44 CSS pixels tall, and the
// page does not scroll sideways. With SIPAS_SCREENSHOTS=1 it also writes
// docs/screenshots/form-phone.png.
func TestFormPhoneTouchTargets(t *testing.T) {
	s := startServer(t)
	b := phone(t, s)
	// Open the optional part so that its targets are measured too.
	b.Do(t, chromedp.Click(chromedp.CSS(`details > summary`)))

	type box struct {
		For    string  `json:"for"`
		Height float64 `json:"h"`
		Width  float64 `json:"w"`
	}
	boxes := browsertest.Run(t, b, chromedp.Evaluate[[]box](`Array.from(document.querySelectorAll("form .c label")).map(l => {
		const r = l.getBoundingClientRect();
		return {for: l.htmlFor, h: r.height, w: r.width};
	})`))
	if len(boxes) < 16*6 {
		t.Fatalf("measured %d answer labels, want at least %d", len(boxes), 16*6)
	}
	minH := boxes[0]
	for _, bx := range boxes {
		if bx.Height < minH.Height {
			minH = bx
		}
		if bx.Height < 44 {
			t.Errorf("label for %s is %.1f px tall, want at least 44", bx.For, bx.Height)
		}
		if bx.Width < 44 {
			t.Errorf("label for %s is %.1f px wide, want at least 44", bx.For, bx.Width)
		}
	}
	t.Logf("%d answer labels, the shortest %s at %.1f px", len(boxes), minH.For, minH.Height)

	sideways := browsertest.Run(t, b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if sideways {
		t.Error("the form scrolls sideways on a 360 px wide phone")
	}

	if os.Getenv("SIPAS_SCREENSHOTS") == "1" {
		// The first questions with one answer chosen, as a person sees
		// them after a tap.
		b.Do(t,
			chromedp.Click(label("A1", 3)),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("fieldset").scrollIntoView()`),
		)
		b.Screenshot(t, filepath.Join("..", "..", "docs", "screenshots", "form-phone.png"))
	}
	checkClean(t, b, s)
}
