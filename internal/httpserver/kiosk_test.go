package httpserver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/surveys"
)

// The tablets ask for a subset of the store contract.
var _ KioskStore = storetest.Store(nil)

var enrolCodeRe = regexp.MustCompile(`id="enrol-code">([A-Z0-9]{4}-[A-Z0-9]{4})<`)

// kioskCounters adds two counters to env's store.
func kioskCounters(t *testing.T, env *staffEnv) {
	t.Helper()
	for _, code := range []string{"quay-a", "quay-b"} {
		err := env.st.PutCounter(context.Background(), surveys.Counter{Code: code, Name: surveys.Text{VI: "Quầy " + code}, Division: "vp", Active: true})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// createDevice creates a tablet through the admin page and returns the
// enrolment code shown.
func createDevice(t *testing.T, b *browser, csrf, name, counter string) string {
	t.Helper()
	resp, body := b.post(t, "/admin/devices", url.Values{"csrf": {csrf}, "name": {name}, "counter": {counter}})
	wantStatus(t, resp, body, http.StatusOK)
	m := enrolCodeRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no enrolment code in page:\n%.2000s", body)
	}
	if !strings.Contains(body, "/kiosk/enrol?code="+m[1]) || !strings.Contains(body, "<svg") {
		t.Errorf("code page lacks the enrolment link or its QR")
	}
	return m[1]
}

// enrol exchanges code for a token; it returns the status and the body.
func enrol(t *testing.T, env *staffEnv, code string) (int, enrolBody) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/kiosk/enrol", strings.NewReader(`{"code":"`+code+`"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, body := env.browser().do(t, req)
	var eb enrolBody
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &eb); err != nil {
			t.Fatalf("enrol body %s: %v", body, err)
		}
	}
	return resp.StatusCode, eb
}

// postKiosk posts a response with a bearer token ("" for none).
func postKiosk(t *testing.T, env *staffEnv, token, body string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/responses", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return env.browser().do(t, req)
}

func kioskBody(id, extra string) string {
	return `{"id":"` + id + `","survey":"sipas-2022","channel":"kiosk","answers":{"A1":5,"B2":4}` + extra + `}`
}

func TestDeviceEnrolmentLifecycle(t *testing.T) {
	env := newStaffEnv(t)
	kioskCounters(t, env)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)

	code := createDevice(t, b, csrf, "Máy tính bảng 1", "quay-a")
	devices, err := env.st.Devices(context.Background())
	if err != nil || len(devices) != 1 {
		t.Fatalf("devices = %v, %v", devices, err)
	}
	d := devices[0]
	if d.EnrolHash == "" || strings.Contains(d.EnrolHash, code) || d.TokenHash != "" {
		t.Errorf("stored device %+v: want only the code's hash", d)
	}

	// Typed in lower case with a space instead of the hyphen: still the code.
	st, eb := enrol(t, env, strings.ToLower(strings.Replace(code, "-", " ", 1)))
	if st != http.StatusOK || eb.Token == "" || eb.Device.ID != d.ID || eb.Device.Counter != "quay-a" {
		t.Fatalf("enrol = %d %+v", st, eb)
	}
	if st, _ := enrol(t, env, code); st != http.StatusUnauthorized {
		t.Errorf("second use of the code = %d, want 401", st)
	}
	d, _ = env.st.Device(context.Background(), d.ID)
	if d.EnrolHash != "" || d.TokenHash == "" || d.TokenHash == eb.Token {
		t.Errorf("after enrolment %+v: want code cleared and only the token's hash", d)
	}

	id := surveys.NewUUID()
	resp, body := postKiosk(t, env, eb.Token, kioskBody(id, ""))
	wantStatus(t, resp, body, http.StatusCreated)
	r, err := env.st.Response(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Channel != surveys.ChannelKiosk || r.Counter != "quay-a" || r.Device != d.ID {
		t.Errorf("stored %+v, want kiosk/quay-a/%s", r, d.ID)
	}
	resp, body = postKiosk(t, env, eb.Token, kioskBody(id, ""))
	wantStatus(t, resp, body, http.StatusOK) // a replay

	// The admin list shows the tablet's contact and today's count.
	resp, body = b.get(t, "/admin/devices")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Máy tính bảng 1", "quay-a", "Đang hoạt động", "<td>1</td>")

	// Status check-in works with the token.
	req := httptest.NewRequest(http.MethodGet, "/api/v1/kiosk/status", nil)
	req.Header.Set("Authorization", "Bearer "+eb.Token)
	resp, body = env.browser().do(t, req)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `"today":1`)

	// Revoking needs the CSRF token, then the token is refused.
	resp, body = b.post(t, "/admin/devices/revoke", url.Values{"id": {d.ID}})
	wantStatus(t, resp, body, http.StatusForbidden)
	resp, body = b.post(t, "/admin/devices/revoke", url.Values{"csrf": {csrf}, "id": {d.ID}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = postKiosk(t, env, eb.Token, kioskBody(surveys.NewUUID(), ""))
	wantStatus(t, resp, body, http.StatusUnauthorized)
	resp, body = env.browser().do(t, req.Clone(context.Background()))
	wantStatus(t, resp, body, http.StatusUnauthorized)

	// A new code re-enrols the tablet with a new token.
	resp, body = b.post(t, "/admin/devices/code", url.Values{"csrf": {csrf}, "id": {d.ID}})
	wantStatus(t, resp, body, http.StatusOK)
	m := enrolCodeRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no new code shown")
	}
	st, eb2 := enrol(t, env, m[1])
	if st != http.StatusOK || eb2.Token == eb.Token {
		t.Fatalf("re-enrol = %d", st)
	}
	resp, body = postKiosk(t, env, eb2.Token, kioskBody(surveys.NewUUID(), ""))
	wantStatus(t, resp, body, http.StatusCreated)

	actions := env.auditActions(t)
	for _, want := range []string{"device.create", "device.enrol", "device.revoke", "device.code"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit %v lacks %s", actions, want)
		}
	}
}

func TestEnrolmentCodeExpires(t *testing.T) {
	env := newStaffEnv(t)
	kioskCounters(t, env)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	code := createDevice(t, b, csrf, "Máy 2", "quay-b")
	env.clock.advance(enrolTTL + time.Second)
	if st, _ := enrol(t, env, code); st != http.StatusUnauthorized {
		t.Errorf("expired code = %d, want 401", st)
	}
	if st, _ := enrol(t, env, "ABCD-EFGH"); st != http.StatusUnauthorized {
		t.Errorf("unknown code = %d, want 401", st)
	}
}

func TestKioskTokenBoundToCounter(t *testing.T) {
	env := newStaffEnv(t)
	kioskCounters(t, env)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	_, eb := enrol(t, env, createDevice(t, b, csrf, "Máy A", "quay-a"))

	resp, body := postKiosk(t, env, eb.Token, kioskBody(surveys.NewUUID(), `,"counter":"quay-b"`))
	wantStatus(t, resp, body, http.StatusForbidden)
	// Its own counter, or none, is fine; the channel is kiosk whatever the body says.
	id := surveys.NewUUID()
	resp, body = postKiosk(t, env, eb.Token, `{"id":"`+id+`","counter":"quay-a","channel":"qr","answers":{"C1":3}}`)
	wantStatus(t, resp, body, http.StatusCreated)
	if r, _ := env.st.Response(context.Background(), id); r.Channel != surveys.ChannelKiosk || r.Counter != "quay-a" {
		t.Errorf("stored %s/%s, want kiosk/quay-a", r.Channel, r.Counter)
	}
	n, _ := env.st.CountResponses(context.Background(), surveys.ResponseFilter{Counter: "quay-b"})
	if n != 0 {
		t.Errorf("%d responses for quay-b", n)
	}
}

func TestPublicKioskAndPaperChannelsFlagged(t *testing.T) {
	env := newStaffEnv(t)
	kioskCounters(t, env)
	for _, ch := range []string{"kiosk", "paper"} {
		id := surveys.NewUUID()
		resp, body := postKiosk(t, env, "", `{"id":"`+id+`","counter":"quay-a","channel":"`+ch+`","answers":{"A1":5}}`)
		wantStatus(t, resp, body, http.StatusCreated)
		r, err := env.st.Response(context.Background(), id)
		if err != nil || string(r.Channel) != ch || !slices.Contains(r.Flags, FlagUnverifiedChannel) || r.Device != "" {
			t.Errorf("%s without a token: stored %+v (%v), want it flagged %s", ch, r, err, FlagUnverifiedChannel)
		}
	}
	resp, body := postKiosk(t, env, "not-a-token", kioskBody(surveys.NewUUID(), ""))
	wantStatus(t, resp, body, http.StatusUnauthorized)
	resp, body = postKiosk(t, env, "", `{"id":"`+surveys.NewUUID()+`","counter":"quay-a","channel":"qr","answers":{"A1":5}}`)
	wantStatus(t, resp, body, http.StatusCreated)
	if n, _ := env.st.CountResponses(context.Background(), surveys.ResponseFilter{}); n != 3 {
		t.Errorf("stored %d, want 3", n)
	}
}

func TestBurstFlagged(t *testing.T) {
	env := newStaffEnv(t)
	kioskCounters(t, env)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	_, eb := enrol(t, env, createDevice(t, b, csrf, "Máy A", "quay-a"))
	var ids []string
	for i := 0; i < DefaultMisuse.DeviceMax+2; i++ {
		id := surveys.NewUUID()
		ids = append(ids, id)
		resp, body := postKiosk(t, env, eb.Token, kioskBody(id, ""))
		wantStatus(t, resp, body, http.StatusCreated)
	}
	// A replay is not an event: it neither stores nor counts.
	resp, body := postKiosk(t, env, eb.Token, kioskBody(ids[0], ""))
	wantStatus(t, resp, body, http.StatusOK)
	for i, id := range ids {
		r, err := env.st.Response(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		want := i >= DefaultMisuse.DeviceMax
		if got := slices.Contains(r.Flags, FlagBurst); got != want {
			t.Errorf("response %d flags %v, want burst=%v", i, r.Flags, want)
		}
	}
	// Answers a minute later are no longer a burst.
	env.clock.advance(DefaultMisuse.DeviceWindow + time.Second)
	id := surveys.NewUUID()
	resp, body = postKiosk(t, env, eb.Token, kioskBody(id, ""))
	wantStatus(t, resp, body, http.StatusCreated)
	if r, _ := env.st.Response(context.Background(), id); len(r.Flags) != 0 {
		t.Errorf("later response flagged %v", r.Flags)
	}

	// Public QR answers for one counter are rated too.
	for i := 0; i < DefaultMisuse.PublicMax+1; i++ {
		resp, body := postKiosk(t, env, "", `{"id":"`+surveys.NewUUID()+`","counter":"quay-b","channel":"qr","answers":{"A1":5}}`)
		wantStatus(t, resp, body, http.StatusCreated)
	}

	an := env.browser()
	an.mustSignIn(t, analystName, analystPass)
	resp, body = an.get(t, "/dashboard/flags")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "3 phiếu bị đánh dấu", "Gửi dồn dập", ids[len(ids)-1])
}

func TestPaperEntry(t *testing.T) {
	env := newStaffEnv(t)
	kioskCounters(t, env)
	b := env.browser()
	csrf := b.mustSignIn(t, analystName, analystPass)
	resp, body := b.get(t, "/dashboard/paper")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `inputmode="numeric"`, `name="A1"`, "/static/kiosk.paper.js")
	formID := regexp.MustCompile(`name="id" value="([0-9a-f-]{36})"`).FindStringSubmatch(body)
	if formID == nil {
		t.Fatal("no response id in the form")
	}
	form := url.Values{"csrf": {csrf}, "id": {formID[1]}, "n": {"0"}, "counter": {"quay-a"},
		"submitted_at": {"2025-03-10T14:30"}, "A1": {"5"}, "A2": {"0"}, "B1": {"3"}, "overall": {"4"}, "comment": {"Giấy"}}

	// A bad digit re-renders with the values kept.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("B2", "7")
	resp, body = b.post(t, "/dashboard/paper", bad)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, body, `name="B2" value="7"`, `name="A1" value="5"`, "Chỉ gõ 1–5", `value="2025-03-10T14:30"`, `aria-invalid="true"`)

	resp, body = b.post(t, "/dashboard/paper", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !strings.Contains(loc, "n=1") || !strings.Contains(loc, "counter=quay-a") {
		t.Errorf("redirect to %s", loc)
	}
	r, err := env.st.Response(context.Background(), formID[1])
	if err != nil {
		t.Fatal(err)
	}
	wantAt := time.Date(2025, 3, 10, 14, 30, 0, 0, surveys.Location)
	if r.Channel != surveys.ChannelPaper || r.Counter != "quay-a" || !r.SubmittedAt.Equal(wantAt) ||
		r.Answers["A1"] != 5 || r.Answers["B1"] != 3 || len(r.Answers) != 2 || r.Extra["overall"] != "4" || r.Comment() != "Giấy" {
		t.Errorf("stored %+v", r)
	}
	// The same form posted twice is stored once.
	resp, body = b.post(t, "/dashboard/paper", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "dup=1") {
		t.Errorf("second post redirected to %s", loc)
	}
	resp, body = b.get(t, loc)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Số phiếu đã nhập trong đợt này: 1", `value="2025-03-10T14:30"`)
	if n, _ := env.st.CountResponses(context.Background(), surveys.ResponseFilter{Channel: surveys.ChannelPaper}); n != 1 {
		t.Errorf("%d paper responses, want 1", n)
	}
}

func TestKioskPagesServed(t *testing.T) {
	env := newStaffEnv(t)
	for _, p := range []string{"/kiosk", "/kiosk/enrol?code=ABCD-EFGH", "/kiosk/sw.js", "/kiosk/app.js", "/kiosk/app.css", "/kiosk/manifest.webmanifest"} {
		resp, body := env.browser().get(t, p)
		wantStatus(t, resp, body, http.StatusOK)
		if strings.HasPrefix(p, "/kiosk?") || p == "/kiosk" || strings.HasPrefix(p, "/kiosk/enrol") {
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("%s: CSP %q", p, csp)
			}
			for _, bad := range []string{"<script>", " onclick=", "style="} {
				if strings.Contains(body, bad) {
					t.Errorf("%s has %q", p, bad)
				}
			}
			wantContains(t, body, `<script type="application/json" id="kiosk-data">{"survey":"sipas-2022"`)
		}
		if p == "/kiosk/sw.js" {
			if resp.Header.Get("Service-Worker-Allowed") != "/kiosk" || strings.Contains(body, "__VERSION__") {
				t.Errorf("service worker headers %v", resp.Header)
			}
		}
	}
}
