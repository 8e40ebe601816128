package httpserver

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

const apiID = "7d444840-9dc0-11d1-b245-5ffdce74fad2"

func TestResponseCreate(t *testing.T) {
	env := newTestEnv(t, Config{})
	body := `{"id": "` + strings.ToUpper(apiID) + `", "survey": "sipas-2022", "counter": "mot-cua-01", "channel": "api",
		"answers": {"A1": 5, "A2": null, "C3": 2}, "comment": " Tốt ", "lang": "en",
		"extra": {"procedure": "dkkd", "age": "u25"}, "submitted_at": "2025-03-14T08:00:00+07:00"}`
	resp, got := env.postJSON(t, body)
	wantStatus(t, resp, got, http.StatusCreated)
	if want := `{"id":"` + apiID + `","status":"created"}`; got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
	resp, got = env.postJSON(t, body)
	wantStatus(t, resp, got, http.StatusOK)
	if want := `{"id":"` + apiID + `","status":"duplicate"}`; got != want {
		t.Errorf("replay body = %s, want %s", got, want)
	}
	stored := env.store.stored()
	if len(stored) != 1 {
		t.Fatalf("stored %d, want 1", len(stored))
	}
	r := stored[0]
	if len(r.Answers) != 2 || r.Answers["A1"] != 5 || r.Answers["C3"] != 2 {
		t.Errorf("answers = %v", r.Answers)
	}
	if r.Extra["comment"] != "Tốt" || r.Extra["procedure"] != "dkkd" || r.Extra["age"] != "u25" {
		t.Errorf("extra = %v", r.Extra)
	}
	if r.Channel != "api" || r.Lang != "en" || r.Counter != "mot-cua-01" || r.Version != 1 {
		t.Errorf("stored %+v", r)
	}
	if !r.SubmittedAt.Equal(time.Date(2025, 3, 14, 1, 0, 0, 0, time.UTC)) || !r.ReceivedAt.Equal(testNow) {
		t.Errorf("submitted_at = %v, received_at = %v", r.SubmittedAt, r.ReceivedAt)
	}
}

func TestResponseCreateDefaults(t *testing.T) {
	env := newTestEnv(t, Config{})
	resp, got := env.postJSON(t, `{"id": "`+apiID+`", "answers": {"E1": 1}}`)
	wantStatus(t, resp, got, http.StatusCreated)
	r := env.store.stored()[0]
	if r.Survey != "sipas-2022" || r.Channel != "api" || r.Counter != "" || !r.SubmittedAt.Equal(testNow) {
		t.Errorf("stored %+v", r)
	}
}

func TestResponseCreateErrors(t *testing.T) {
	valid := func(mod string) string {
		return `{"id": "` + apiID + `", "survey": "sipas-2022", "channel": "qr", "answers": {"A1": 4}` + mod + `}`
	}
	tests := []struct {
		name   string
		body   string
		status int
		code   string
		fields map[string]string // field -> a part of its message
	}{
		{"malformed", `{"id": `, 400, "malformed", nil},
		{"not an object", `[1, 2]`, 400, "malformed", nil},
		{"null", `null`, 400, "malformed", nil},
		{"empty", ``, 400, "malformed", nil},
		{"trailing data", valid("") + `{}`, 400, "malformed", nil},
		{"unknown field", valid(`, "phone": "0901234567"`), 422, "invalid", map[string]string{"phone": "Không có mục này"}},
		{"string answer", `{"id": "` + apiID + `", "answers": {"A1": "5"}}`, 422, "invalid", map[string]string{"A1": "số nguyên"}},
		{"fraction", `{"id": "` + apiID + `", "answers": {"A1": 5.5}}`, 422, "invalid", map[string]string{"A1": "số nguyên"}},
		{"exponent", `{"id": "` + apiID + `", "answers": {"A1": 5e0}}`, 422, "invalid", map[string]string{"A1": "số nguyên"}},
		{"zero", `{"id": "` + apiID + `", "answers": {"A1": 0}}`, 422, "invalid", map[string]string{"A1": "từ 1 đến 5"}},
		{"six", `{"id": "` + apiID + `", "answers": {"A1": 6, "A2": 3}}`, 422, "invalid", map[string]string{"A1": "từ 1 đến 5"}},
		{"unknown item", `{"id": "` + apiID + `", "answers": {"Z9": 3}}`, 422, "invalid", map[string]string{"Z9": "Không có mục này"}},
		{"unknown item null", `{"id": "` + apiID + `", "answers": {"A1": 3, "Z9": null}}`, 422, "invalid", map[string]string{"Z9": "Không có mục này"}},
		{"no answers", `{"id": "` + apiID + `", "answers": {"A1": null}}`, 422, "invalid", map[string]string{"answers": "ít nhất một"}},
		{"answers not an object", `{"id": "` + apiID + `", "answers": [5]}`, 422, "invalid", map[string]string{"answers": "Kiểu dữ liệu"}},
		{"unknown survey", `{"id": "` + apiID + `", "survey": "sipas-1999", "answers": {"A1": 3}}`, 422, "invalid", map[string]string{"survey": "Không có phiếu"}},
		{"unknown counter", valid(`, "counter": "khong-co"`), 422, "invalid", map[string]string{"counter": "Không có quầy"}},
		{"bad counter code", valid(`, "counter": "../../etc"`), 422, "invalid", map[string]string{"counter": "Không có quầy"}},
		{"bad uuid", `{"id": "123", "answers": {"A1": 3}}`, 422, "invalid", map[string]string{"id": "UUID"}},
		{"missing id", `{"answers": {"A1": 3}}`, 422, "invalid", map[string]string{"id": "UUID"}},
		{"id not a string", `{"id": 42, "answers": {"A1": 3}}`, 422, "invalid", map[string]string{"id": "UUID"}},
		{"bad channel", valid(`, "channel": "fax"`)[0:0] + `{"id": "` + apiID + `", "channel": "fax", "answers": {"A1": 3}}`, 422, "invalid", map[string]string{"channel": "Kênh"}},
		{"comment too long", valid(`, "comment": "` + strings.Repeat("ư", 2001) + `"`), 422, "invalid", map[string]string{"comment": "quá dài"}},
		{"comment 2000 runes is fine", valid(`, "comment": "` + strings.Repeat("ư", 2000) + `"`), 201, "", nil},
		{"invalid utf-8", valid(`, "comment": "` + "\xff\xfe" + `"`), 422, "invalid", map[string]string{"body": "UTF-8"}},
		{"future submitted_at", valid(`, "submitted_at": "2025-03-14T09:36:00+07:00"`), 422, "invalid", map[string]string{"submitted_at": "RFC 3339"}},
		{"bad submitted_at", valid(`, "submitted_at": "14/03/2025"`), 422, "invalid", map[string]string{"submitted_at": "RFC 3339"}},
		{"submitted_at 4 minutes ahead is fine", valid(`, "submitted_at": "2025-03-14T09:34:00+07:00"`), 201, "", nil},
		{"bad lang", valid(`, "lang": "fr"`), 422, "invalid", map[string]string{"lang": "Lựa chọn"}},
		{"unknown extra", valid(`, "extra": {"cccd": "001099000001"}`), 422, "invalid", map[string]string{"cccd": "Không có mục này"}},
		{"procedure not at counter", valid(`, "counter": "mot-cua-01", "extra": {"procedure": "khac"}`), 422, "invalid", map[string]string{"procedure": "Lựa chọn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t, Config{})
			resp, got := env.postJSON(t, tt.body)
			wantStatus(t, resp, got, tt.status)
			if tt.status < 400 {
				return
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			var e apiError
			if err := json.Unmarshal([]byte(got), &e); err != nil {
				t.Fatalf("error body %s: %v", got, err)
			}
			if e.Error.Code != tt.code || e.Error.Message == "" {
				t.Errorf("error = %+v, want code %q and a message", e.Error, tt.code)
			}
			for f, part := range tt.fields {
				if !strings.Contains(e.Error.Fields[f], part) {
					t.Errorf("fields[%q] = %q, want it to contain %q (all: %v)", f, e.Error.Fields[f], part, e.Error.Fields)
				}
			}
			if len(e.Error.Fields) != len(tt.fields) {
				t.Errorf("fields = %v, want only %v", e.Error.Fields, tt.fields)
			}
			if n := len(env.store.stored()); n != 0 {
				t.Errorf("stored %d responses", n)
			}
		})
	}
}

func TestResponseCreateEnglishErrors(t *testing.T) {
	env := newTestEnv(t, Config{})
	resp, got := env.postJSON(t, `{"id": "`+apiID+`", "answers": {"A1": 9}}`, "Accept-Language", "en-GB,en;q=0.8")
	wantStatus(t, resp, got, http.StatusUnprocessableEntity)
	wantContains(t, got, `"message":"The data sent is not valid."`, `"A1":"Please choose a level from 1 to 5."`)
}

// TestResponseCreateTooLarge goes through a real listener: the HTTP
// server refuses the body before any handler runs, and app.Test reports
// that refusal as its own error instead of returning the response.
func TestResponseCreateTooLarge(t *testing.T) {
	env := newTestEnv(t, Config{BodyLimit: 1024})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = env.app.Listener(ln) }()
	t.Cleanup(func() { _ = env.app.Shutdown() })

	body := `{"id": "` + apiID + `", "answers": {"A1": 3}, "comment": "` + strings.Repeat("a", 2000) + `"}`
	req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/api/v1/responses", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	got := string(b)
	wantStatus(t, resp, got, http.StatusRequestEntityTooLarge)
	wantContains(t, got, `{"error":{"code":"too_large","message":"Nội dung gửi lên quá lớn."}}`)
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no security headers on 413")
	}
}

func TestResponseCreateStoreDown(t *testing.T) {
	env := newTestEnv(t, Config{})
	env.store.insertErr = errDown
	resp, got := env.postJSON(t, `{"id": "`+apiID+`", "answers": {"A1": 3}}`)
	wantStatus(t, resp, got, http.StatusInternalServerError)
	if strings.Contains(got, "refused") {
		t.Errorf("internal error text sent: %s", got)
	}
	wantContains(t, got, `"code":"internal"`)
}

// TestResponseCreateConcurrentReplays sends one id from many goroutines:
// exactly one is created, the rest are duplicates, one response is stored.
func TestResponseCreateConcurrentReplays(t *testing.T) {
	env := newTestEnv(t, Config{})
	const n = 16
	statuses := make(chan int, n)
	for i := 0; i < n; i++ {
		go func() {
			req, _ := http.NewRequest(http.MethodPost, "/api/v1/responses", strings.NewReader(`{"id": "`+apiID+`", "answers": {"A1": 3}}`))
			req.Header.Set("Content-Type", "application/json")
			resp, err := env.app.Test(req, 5000)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	created := 0
	for i := 0; i < n; i++ {
		switch s := <-statuses; s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Errorf("status %d", s)
		}
	}
	if created != 1 || len(env.store.stored()) != 1 {
		t.Errorf("created %d, stored %d; want 1 and 1", created, len(env.store.stored()))
	}
}

func TestResponseSubmittedAtBounds(t *testing.T) {
	env := newTestEnv(t, Config{})
	for _, tt := range []struct {
		at     time.Time
		status int
	}{
		{testNow.Add(-time.Hour), http.StatusCreated},
		{testNow.Add(-23 * time.Hour), http.StatusCreated},
		{testNow.Add(-49 * time.Hour), http.StatusUnprocessableEntity}, // public clients: a day at most
		{testNow.Add(10 * time.Minute), http.StatusUnprocessableEntity},
	} {
		body := `{"id": "` + surveys.NewUUID() + `", "answers": {"A1": 4}, "submitted_at": "` + tt.at.Format(time.RFC3339) + `"}`
		resp, got := env.postJSON(t, body)
		if resp.StatusCode != tt.status {
			t.Errorf("submitted_at %v: %d %s, want %d", tt.at, resp.StatusCode, got, tt.status)
		}
	}
}
