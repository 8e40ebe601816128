package e2e

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/internal/browsertest"
	"github.com/sipas/sipas/internal/httpserver"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/internal/sqlitestore"
	"github.com/sipas/sipas/surveys"
)

// Tablet is the emulated counter tablet: 800×1280, portrait, touch.
var tablet = browsertest.Screen{Width: 800, Height: 1280, Scale: 1.5, Mobile: true, Touch: true}

// kioskEnrolCode is the test tablet's enrolment code, typed as shown.
const kioskEnrolCode = "KQ7M-3XPA"

// startKioskServer is startServer with the staff side on (tablets need
// it) and one tablet created for counterCode, waiting for enrolment.
func startKioskServer(t *testing.T) (*server, surveys.Device) {
	t.Helper()
	browsertest.Need(t)
	ctx := context.Background()
	lw := &tLogWriter{t: t}
	logger := slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"), reg, logger)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	dev := surveys.Device{ID: surveys.NewUUID(), Name: "Máy tính bảng 1", Counter: counterCode,
		EnrolHash: auth.TokenID(strings.ReplaceAll(kioskEnrolCode, "-", "")), EnrolExpiry: now.Add(time.Hour), CreatedAt: now}
	if err := st.PutCounter(ctx, surveys.Counter{Code: counterCode, Name: surveys.Text{VI: "Quầy Sở Công Thương", EN: "DoIT counter"}, Active: true}); err != nil {
		st.Close()
		t.Fatal(err)
	}
	if err := st.PutDevice(ctx, dev); err != nil {
		st.Close()
		t.Fatal(err)
	}
	cat := i18n.New()
	app, err := httpserver.New(httpserver.Config{}, httpserver.Deps{Store: st, Staff: st, Surveys: reg, Catalog: cat, Logger: logger})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	srv := serveApp(t, app, st, cat, lw)
	return srv, dev
}

// setOffline cuts the tab, and the service worker, off the network (or
// restores it), and tells the page navigator.onLine accordingly.
func setOffline(t *testing.T, b *browsertest.Browser, offline bool) {
	t.Helper()
	b.Do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		conds := []*network.Conditions{}
		if offline {
			conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &offline, MatchedNetworkConditions: conds}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
}

// queueEntry is an entry of the kiosk's IndexedDB queue.
type queueEntry struct {
	Seq      int64           `json:"seq"`
	ID       string          `json:"id"`
	Body     json.RawMessage `json:"body"`
	QueuedAt float64         `json:"queued_at"`
}

// idbAll returns every record of an object store of the kiosk database.
func idbAll(t *testing.T, b *browsertest.Browser, store string) []queueEntry {
	t.Helper()
	js := `new Promise((resolve, reject) => {
		const r = indexedDB.open("sipas-kiosk");
		r.onerror = () => reject(r.error);
		r.onsuccess = () => {
			const d = r.result;
			const g = d.transaction(["` + store + `"]).objectStore("` + store + `").getAll();
			g.onsuccess = () => { d.close(); resolve(JSON.stringify(g.result)); };
			g.onerror = () => { d.close(); reject(g.error); };
		};
	})`
	raw := browsertest.Run(t, b, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	var out []queueEntry
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("decode %s: %v", store, err)
	}
	return out
}

// answerRespondent goes through the kiosk as one person: start, one
// answer per item (value v), an overall rating and a comment, submit,
// thank-you, done.
func answerRespondent(t *testing.T, b *browsertest.Browser, def *surveys.Definition, v int, comment string) {
	t.Helper()
	val := string(rune('0' + v))
	b.Do(t, chromedp.Click(chromedp.ID("start")))
	for _, f := range def.Factors {
		b.Do(t, chromedp.WaitVisible(chromedp.ID("next")))
		for _, it := range f.Items {
			b.Do(t, chromedp.Click(chromedp.CSS(`section[aria-labelledby="q-`+it.Code+`"] button[data-value="`+val+`"]`)))
		}
		b.Do(t, chromedp.Click(chromedp.ID("next")))
	}
	b.Do(t,
		chromedp.WaitVisible(chromedp.ID("submit")),
		chromedp.Click(chromedp.CSS(`.item button[data-value="4"]`)),
		chromedp.SendKeys(chromedp.ID("comment"), comment),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("done")),
		chromedp.Click(chromedp.ID("done")),
		chromedp.WaitVisible(chromedp.ID("start")),
	)
}

// pollUntil polls cond every 100 ms until it holds or d passes.
func pollUntil(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start)
}

// noAnswersLeft fails t if any of secrets is in the page (DOM, text,
// form values), in localStorage or sessionStorage, or if an answer button
// is still pressed.
func noAnswersLeft(t *testing.T, b *browsertest.Browser, secrets ...string) {
	t.Helper()
	dump := browsertest.Run(t, b, chromedp.Evaluate[string](`(() => {
		const vals = Array.from(document.querySelectorAll("input, textarea")).map((e) => e.value).join("\n");
		const st = (s) => Array.from({length: s.length}, (_, i) => s.key(i) + "=" + s.getItem(s.key(i))).join("\n");
		return document.documentElement.outerHTML + "\n" + document.body.innerText + "\n" + vals +
			"\nLOCAL\n" + st(localStorage) + "\nSESSION\n" + st(sessionStorage);
	})()`))
	for _, s := range secrets {
		if strings.Contains(dump, s) {
			t.Errorf("%q is still in the page or in web storage", s)
		}
	}
	if _, local, _ := strings.Cut(dump, "\nLOCAL\n"); strings.Contains(local, `"answers"`) || strings.Contains(local, "A1") {
		t.Errorf("web storage holds answers:\n%s", local)
	}
	if n := browsertest.Run(t, b, chromedp.Evaluate[int](`document.querySelectorAll('[aria-pressed="true"], textarea').length`)); n != 0 {
		t.Errorf("%d answer controls remain after the reset", n)
	}
}

// TestKioskOfflineQueue is the demonstration: enrol a tablet, go
// offline, take five respondents, reload offline (the service worker
// serves the kiosk), go online: exactly five are stored; replaying the
// same queue stores nothing new; after a reset nothing of the previous
// person is left. It also fills the storage (a simulated quota error).
func TestKioskOfflineQueue(t *testing.T) {
	s, dev := startKioskServer(t)
	reg, _ := surveys.LoadEmbedded()
	def, _ := reg.Get(surveys.Default)
	b := browsertest.New(t)
	b.Do(t, browsertest.Emulate(tablet))
	started := time.Now()

	// Enrol: open the link of the QR code and confirm.
	b.Do(t,
		chromedp.Navigate(s.base+"/kiosk/enrol?code="+kioskEnrolCode),
		chromedp.WaitVisible(chromedp.ID("enrol-button")),
		chromedp.Click(chromedp.ID("enrol-button")),
		chromedp.WaitVisible(chromedp.ID("start")),
	)
	if loc := browsertest.Run(t, b, chromedp.Location()); strings.Contains(loc, "code=") {
		t.Errorf("the enrolment code stays in the address: %s", loc)
	}
	stored, err := s.store.Device(context.Background(), dev.ID)
	if err != nil || stored.TokenHash == "" || stored.EnrolHash != "" {
		t.Fatalf("device after enrolment: %+v, %v", stored, err)
	}
	// The service worker has installed the shell.
	pollUntil(t, 20*time.Second, "service worker not ready with the shell cached", func() bool {
		return browsertest.Run(t, b, chromedp.Evaluate[bool](
			`navigator.serviceWorker.ready.then(() => caches.match("/kiosk")).then((r) => !!r)`, chromedp.EvalAwaitPromise))
	})

	setOffline(t, b, true)
	offlineAt := time.Now()
	const n = 5
	for i := 0; i < n; i++ {
		answerRespondent(t, b, def, 1+i%5, "Phiếu thử số "+string(rune('1'+i)))
	}
	queued := idbAll(t, b, "queue")
	if len(queued) != n {
		t.Fatalf("queue holds %d entries, want %d", len(queued), n)
	}
	b.Do(t, chromedp.Click(chromedp.ID("staff-toggle")), chromedp.WaitVisible(chromedp.ID("staff-waiting")))
	if got := browsertest.Run(t, b, chromedp.Text(chromedp.ID("staff-waiting"))); got != "Đang chờ gửi: 5" {
		t.Errorf("staff panel says %q, want %q", got, "Đang chờ gửi: 5")
	}
	b.Do(t, chromedp.Click(chromedp.ID("staff-close")))
	if c := s.count(t); c != 0 {
		t.Fatalf("offline, yet %d responses reached the server", c)
	}

	// Reload with no network: the service worker serves the kiosk.
	b.Do(t, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("start")))
	if !browsertest.Run(t, b, chromedp.Evaluate[bool](`navigator.serviceWorker.controller !== null && !navigator.onLine`)) {
		t.Error("after the offline reload the page is not served by the service worker")
	}
	if q := idbAll(t, b, "queue"); len(q) != n {
		t.Fatalf("after reload the queue holds %d, want %d", len(q), n)
	}
	noAnswersLeft(t, b, "Phiếu thử số")

	// Back online: the queue drains, in order, exactly once.
	setOffline(t, b, false)
	onlineAt := time.Now()
	pollUntil(t, 70*time.Second, "the queue did not drain", func() bool { return len(idbAll(t, b, "queue")) == 0 })
	drained := time.Now()
	if c := s.count(t); c != n {
		t.Fatalf("stored %d responses, want exactly %d", c, n)
	}
	var prev time.Time
	for i, e := range queued {
		r, err := s.store.Response(context.Background(), e.ID)
		if err != nil {
			t.Fatalf("queued response %d (%s): %v", i, e.ID, err)
		}
		if r.ReceivedAt.Before(prev) {
			t.Errorf("response %d received at %v, before the one queued ahead of it (%v)", i, r.ReceivedAt, prev)
		}
		prev = r.ReceivedAt
		if r.Channel != surveys.ChannelKiosk || r.Device != dev.ID || r.Counter != counterCode ||
			r.Comment() != "Phiếu thử số "+string(rune('1'+i)) || r.Answers["A1"] != 1+i%5 || len(r.Answers) != len(def.Items()) {
			t.Errorf("response %d stored as %+v", i, r)
		}
	}
	if rej := idbAll(t, b, "rejected"); len(rej) != 0 {
		t.Errorf("%d entries rejected", len(rej))
	}
	t.Logf("queue: first answer queued %v before going online, drained %v after; offline period %v",
		onlineAt.Sub(time.UnixMilli(int64(queued[0].QueuedAt))).Round(time.Millisecond),
		drained.Sub(onlineAt).Round(time.Millisecond), onlineAt.Sub(offlineAt).Round(time.Millisecond))

	// Replay: put the same five entries back and let the sender run again.
	bodies, _ := json.Marshal(queued)
	browsertest.Run(t, b, chromedp.Evaluate[bool](`new Promise((resolve, reject) => {
		const entries = `+string(bodies)+`;
		const r = indexedDB.open("sipas-kiosk");
		r.onerror = () => reject(r.error);
		r.onsuccess = () => {
			const d = r.result;
			const tr = d.transaction(["queue"], "readwrite");
			for (const e of entries) { delete e.seq; tr.objectStore("queue").add(e); }
			tr.oncomplete = () => { d.close(); resolve(true); };
			tr.onabort = () => { d.close(); reject(tr.error); };
		};
	})`, chromedp.EvalAwaitPromise))
	b.Do(t, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("start")))
	pollUntil(t, 30*time.Second, "the replayed queue did not drain", func() bool { return len(idbAll(t, b, "queue")) == 0 })
	if c := s.count(t); c != n {
		t.Fatalf("after the replay %d responses are stored, want still %d", c, n)
	}

	// A person who walks away: the inactivity timeout resets the kiosk.
	b.Do(t, chromedp.Navigate(s.base+"/kiosk?idle=5"), chromedp.WaitVisible(chromedp.ID("start")))
	histLen := browsertest.Run(t, b, chromedp.Evaluate[int](`history.length`))
	secret := "BÍ MẬT 4711"
	b.Do(t,
		chromedp.Click(chromedp.ID("start")),
		chromedp.Click(chromedp.CSS(`section[aria-labelledby="q-A1"] button[data-value="2"]`)),
	)
	for range def.Factors {
		b.Do(t, chromedp.Click(chromedp.ID("next")))
	}
	b.Do(t, chromedp.SendKeys(chromedp.ID("comment"), secret), chromedp.WaitVisible(chromedp.ID("idle")))
	if txt := browsertest.Run(t, b, chromedp.Text(chromedp.ID("idle"))); !strings.Contains(txt, "giây") {
		t.Errorf("countdown reads %q", txt)
	}
	b.Do(t, chromedp.WaitVisible(chromedp.ID("start"))) // the reset, after about 5 s
	noAnswersLeft(t, b, secret, "Phiếu thử số")
	if h := browsertest.Run(t, b, chromedp.Evaluate[int](`history.length`)); h != histLen {
		t.Errorf("history grew from %d to %d entries", histLen, h)
	}
	if q := idbAll(t, b, "queue"); len(q) != 0 {
		t.Errorf("the abandoned answers were queued: %d entries", len(q))
	}

	// Storage full: the write fails with QuotaExceededError; the kiosk
	// stops taking people and says so to staff, then saves on retry.
	browsertest.Run(t, b, chromedp.Evaluate[bool](`(() => {
		window.__realAdd = IDBObjectStore.prototype.add;
		IDBObjectStore.prototype.add = function () { throw new DOMException("quota", "QuotaExceededError"); };
		return true;
	})()`))
	b.Do(t, chromedp.Click(chromedp.ID("start")))
	for range def.Factors {
		b.Do(t, chromedp.Click(chromedp.CSS(`button[data-value="5"]`)), chromedp.Click(chromedp.ID("next")))
	}
	b.Do(t, chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("retry-save")))
	if alert := browsertest.Run(t, b, chromedp.Text(chromedp.CSS(`#screen [role=alert]`))); !strings.Contains(alert, "Bộ nhớ") {
		t.Errorf("storage-full message = %q", alert)
	}
	if browsertest.Run(t, b, chromedp.Evaluate[bool](`document.getElementById("start") !== null`)) {
		t.Error("the kiosk still offers to start while its storage is full")
	}
	browsertest.Run(t, b, chromedp.Evaluate[bool](`(IDBObjectStore.prototype.add = window.__realAdd, true)`))
	b.Do(t, chromedp.Click(chromedp.ID("retry-save")), chromedp.WaitVisible(chromedp.ID("done")))
	pollUntil(t, 30*time.Second, "the saved answer was not sent", func() bool { return s.count(t) == n+1 })

	b.CheckLocalOnly(t, s.base)
	b.CheckNoConsoleErrors(t, "net::ERR_INTERNET_DISCONNECTED", "Failed to fetch")
	t.Logf("whole kiosk test in the browser: %v", time.Since(started).Round(time.Millisecond))
}
