package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// recorder is a testing.TB that keeps the errors instead of failing.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestRecordsRequestsAndErrors loads a page that fetches an image from a
// second server (standing for a CDN), logs a console error and throws;
// the Browser must see all three.
func TestRecordsRequestsAndErrors(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
	}))
	defer other.Close()
	page := `<!doctype html><html><head><meta charset="utf-8"><title>t</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"></head><body><p id="p">xin chào</p>
<img id="cdn" src="` + other.URL + `/logo.svg" alt="">
<script>console.error("boom", 42); throw new Error("bad thing");</script></body></html>`
	local := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	defer local.Close()

	b := New(t)
	b.EmulatePhone(t)
	b.Do(t,
		chromedp.Navigate(local.URL+"/page"),
		chromedp.WaitVisible(chromedp.ID("p")),
	)
	// The image finished loading: its request has been recorded.
	_ = Run(t, b, chromedp.Poll[bool](`document.getElementById("cdn").complete`))

	text := Run(t, b, chromedp.Text(chromedp.ID("p")))
	if text != "xin chào" {
		t.Errorf("text = %q", text)
	}
	width := Run(t, b, chromedp.Evaluate[int](`window.innerWidth`))
	if width != int(Phone.Width) {
		t.Errorf("innerWidth = %d, want %d (phone emulation)", width, Phone.Width)
	}
	dpr := Run(t, b, chromedp.Evaluate[float64](`window.devicePixelRatio`))
	if dpr != Phone.Scale {
		t.Errorf("devicePixelRatio = %v, want %v", dpr, Phone.Scale)
	}

	reqs := strings.Join(b.Requests(), "\n")
	for _, want := range []string{local.URL + "/page", other.URL + "/logo.svg"} {
		if !strings.Contains(reqs, want) {
			t.Errorf("requests miss %s; got:\n%s", want, reqs)
		}
	}

	errs := strings.Join(b.ConsoleErrors(), "\n")
	for _, want := range []string{"boom 42", "bad thing"} {
		if !strings.Contains(errs, want) {
			t.Errorf("console errors miss %q; got:\n%s", want, errs)
		}
	}

	r := &recorder{TB: t}
	b.CheckLocalOnly(r, local.URL)
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], other.URL+"/logo.svg") {
		t.Errorf("CheckLocalOnly reported %q, want exactly the image of the other server", r.errs)
	}
	r = &recorder{TB: t}
	b.CheckLocalOnly(r, other.URL)
	if len(r.errs) == 0 {
		t.Error("CheckLocalOnly against the other server reported nothing")
	}
}

func TestScreenshot(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><meta name="viewport" content="width=device-width,initial-scale=1"><h1 id="h">SIPAS</h1>`)
	}))
	defer srv.Close()
	b := New(t)
	b.EmulatePhone(t)
	b.Do(t, chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.ID("h")))
	path := filepath.Join(t.TempDir(), "sub", "shot.png")
	b.Screenshot(t, path)
	buf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(buf), "\x89PNG\r\n\x1a\n") {
		t.Fatalf("%s is not a PNG", path)
	}
	// 360×740 CSS pixels at scale 3.
	w := int(buf[16])<<24 | int(buf[17])<<16 | int(buf[18])<<8 | int(buf[19])
	h := int(buf[20])<<24 | int(buf[21])<<16 | int(buf[22])<<8 | int(buf[23])
	if w != 1080 || h != 2220 {
		t.Errorf("screenshot is %d×%d, want 1080×2220", w, h)
	}
}
