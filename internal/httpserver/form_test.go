package httpserver

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sipas/sipas/surveys"
)

var hiddenID = regexp.MustCompile(`name="id" value="([0-9a-f-]{36})"`)

func TestFormShow(t *testing.T) {
	env := newTestEnv(t, Config{})
	resp, body := env.get(t, "/s/mot-cua-01")
	wantStatus(t, resp, body, http.StatusOK)
	def, _ := surveys.LoadEmbedded()
	d, _ := def.Get(surveys.Default)
	for _, it := range d.Items() {
		for _, v := range []string{"1", "2", "3", "4", "5", noOpinion} {
			wantContains(t, body, fmt.Sprintf(`name="%s" value="%s"`, it.Code, v))
		}
	}
	wantContains(t, body, `<html lang="vi">`, "Rất không hài lòng", "Rất hài lòng", "Không có ý kiến / chưa trải nghiệm",
		"<legend>A. Tiếp cận dịch vụ</legend>", `<label for="A1-0">`, "<details>", "Đăng ký kinh doanh",
		`maxlength="2000"`, `name="lang" value="vi"`, `href="/s/mot-cua-01?lang=en"`, "Quầy số 1", "Văn phòng Sở")
	if regexp.MustCompile(`value="[^"]*" checked`).MatchString(body) {
		t.Error("an answer is pre-selected")
	}
	m := hiddenID.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no hidden id")
	}
	if _, err := surveys.ParseUUID(m[1]); err != nil {
		t.Errorf("hidden id: %v", err)
	}
	_, body2 := env.get(t, "/s/mot-cua-01")
	if m2 := hiddenID.FindStringSubmatch(body2); m2 == nil || m2[1] == m[1] {
		t.Error("two renders share an id")
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
}

func TestFormShowEnglish(t *testing.T) {
	env := newTestEnv(t, Config{})
	resp, body := env.get(t, "/s/mot-cua-01?lang=en")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, `<html lang="en">`, "Very satisfied", "No opinion / not experienced", "Business registration",
		`name="lang" value="en"`, `href="/s/mot-cua-01?lang=vi"`, "Tiếng Việt", "Department Office")
}

func TestNotFound(t *testing.T) {
	env := newTestEnv(t, Config{})
	for _, path := range []string{"/s/khong-co", "/s/dong-cua", "/s/BAD%20CODE", "/no/such/page", "/s/khong-co/thanks"} {
		t.Run(path, func(t *testing.T) {
			resp, body := env.get(t, path)
			wantStatus(t, resp, body, http.StatusNotFound)
			wantContains(t, body, `<html lang="vi">`, "Không tìm thấy trang", `<div lang="en">`, "Page not found")
			if resp.Header.Get("X-Frame-Options") != "DENY" {
				t.Error("no security headers on 404")
			}
		})
	}
}

func TestCounterList(t *testing.T) {
	env := newTestEnv(t, Config{})
	resp, body := env.get(t, "/")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Chọn quầy để đánh giá", `href="/s/mot-cua-01"`, "Quầy số 1", "Văn phòng Sở", `href="/?lang=en"`)
	if strings.Contains(body, "dong-cua") {
		t.Error("a closed counter is listed")
	}
	_, body = env.get(t, "/?lang=en")
	wantContains(t, body, "Choose a counter to rate", `href="/s/mot-cua-01?lang=en"`, "Counter 1")
}

const formID = "0b9f4a2e-6c1d-4e8a-9f3b-2d7c5e1a8b40"

func TestFormSubmitValid(t *testing.T) {
	env := newTestEnv(t, Config{})
	form := url.Values{
		"id": {formID}, "lang": {"en"},
		"A1": {"5"}, "A2": {"4"}, "A3": {noOpinion}, "B2": {"1"}, "E3": {"0"},
		"overall": {"4"}, "procedure": {"gpbl"}, "gender": {"f"},
		"comment": {"  Nhân viên rất nhiệt tình <b>!</b>\r\n  "},
	}
	for i := 0; i < 2; i++ { // the second post is a double submit
		resp, body := env.postForm(t, "/s/mot-cua-01", form)
		wantStatus(t, resp, body, http.StatusSeeOther)
		if got, want := resp.Header.Get("Location"), "/s/mot-cua-01/thanks?lang=en"; got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
	}
	got := env.store.stored()
	if len(got) != 1 {
		t.Fatalf("stored %d responses, want 1", len(got))
	}
	r := got[0]
	want := map[string]int{"A1": 5, "A2": 4, "B2": 1}
	if fmt.Sprint(r.Answers) != fmt.Sprint(want) {
		t.Errorf("answers = %v, want %v (no opinion absent)", r.Answers, want)
	}
	wantExtra := map[string]string{"overall": "4", "procedure": "gpbl", "gender": "f", "comment": "Nhân viên rất nhiệt tình <b>!</b>"}
	if fmt.Sprint(r.Extra) != fmt.Sprint(wantExtra) {
		t.Errorf("extra = %v, want %v", r.Extra, wantExtra)
	}
	if r.ID != formID || r.Survey != "sipas-2022" || r.Version != 1 || r.Counter != "mot-cua-01" ||
		r.Channel != surveys.ChannelQR || r.Lang != "en" || !r.SubmittedAt.Equal(testNow) || !r.ReceivedAt.Equal(testNow) {
		t.Errorf("stored %+v", r)
	}
}

func TestFormSubmitInvalid(t *testing.T) {
	tests := []struct {
		name  string
		form  url.Values
		want  []string // in the re-rendered page
		field string   // the field whose message is shown beside it
	}{
		{
			name: "out of range",
			form: url.Values{"A1": {"7"}, "A2": {"4"}, "C1": {noOpinion}, "age": {"40_59"}, "comment": {"giữ lại <script>x</script>"}},
			want: []string{
				`id="A2-3" name="A2" value="4" checked`, `id="C1-5" name="C1" value="na" checked`,
				`id="age-2" name="age" value="40_59" checked`, "giữ lại &lt;script&gt;x&lt;/script&gt;</textarea>",
				`<p class="err" id="e-A1">Vui lòng chọn một mức từ 1 đến 5.</p>`, `aria-describedby="e-A1"`,
				`role="alert"`, `<a href="#A1-0">A1: Vui lòng chọn một mức từ 1 đến 5.</a>`,
			},
			field: "A1",
		},
		{
			name:  "not a number",
			form:  url.Values{"B3": {"năm"}, "A1": {"3"}},
			want:  []string{`id="A1-2" name="A1" value="3" checked`, "Giá trị phải là số nguyên từ 1 đến 5."},
			field: "B3",
		},
		{
			name: "no answers",
			form: url.Values{},
			want: []string{`role="alert"`, `<a href="#A1-0">Phiếu: Vui lòng trả lời ít nhất một câu hỏi.</a>`},
		},
		{
			name:  "unknown procedure opens the optional part",
			form:  url.Values{"A1": {"3"}, "procedure": {"khong-co"}},
			want:  []string{"<details open>", "Lựa chọn không hợp lệ."},
			field: "procedure",
		},
		{
			name:  "comment too long",
			form:  url.Values{"A1": {"3"}, "comment": {strings.Repeat("ă", 2001)}},
			want:  []string{"Nội dung quá dài", `aria-invalid="true"`},
			field: "comment",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t, Config{})
			tt.form.Set("id", formID)
			resp, body := env.postForm(t, "/s/mot-cua-01", tt.form)
			wantStatus(t, resp, body, http.StatusUnprocessableEntity)
			wantContains(t, body, tt.want...)
			wantContains(t, body, `name="id" value="`+formID+`"`)
			if tt.field != "" {
				wantContains(t, body, `id="e-`+tt.field+`"`)
			}
			if n := len(env.store.stored()); n != 0 {
				t.Errorf("stored %d responses from an invalid form", n)
			}
		})
	}
}

func TestFormSubmitStoreDown(t *testing.T) {
	env := newTestEnv(t, Config{})
	env.store.insertErr = surveys.Wrap(surveys.EUNAVAILABLE, errDown, "database unreachable")
	resp, body := env.postForm(t, "/s/mot-cua-01", url.Values{"id": {formID}, "A1": {"5"}})
	wantStatus(t, resp, body, http.StatusServiceUnavailable)
	if resp.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	if strings.Contains(body, "10.0.0.7") || strings.Contains(body, "refused") {
		t.Error("internal error text shown")
	}
	wantContains(t, body, "Hệ thống tạm thời không sẵn sàng")
	if !strings.Contains(env.logs.String(), "connection refused") {
		t.Error("internal error not logged")
	}
}

func TestThanks(t *testing.T) {
	env := newTestEnv(t, Config{})
	resp, body := env.get(t, "/s/mot-cua-01/thanks?lang=vi")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Cảm ơn ông/bà! Ý kiến đã được ghi nhận.", `href="/s/mot-cua-01"`)
	_, body = env.get(t, "/s/mot-cua-01/thanks?lang=en")
	wantContains(t, body, "Thank you! Your answers have been received.", `href="/s/mot-cua-01?lang=en"`)
}
