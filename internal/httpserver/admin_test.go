package httpserver

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

// adminRoutePaths lists every /admin route of the app with its
// parameters filled in, so that a new route cannot escape the test.
func adminRoutePaths(t *testing.T, env *staffEnv) []struct{ method, path string } {
	t.Helper()
	var out []struct{ method, path string }
	seen := map[string]bool{}
	for _, r := range env.app.GetRoutes(true) {
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			continue
		}
		if r.Path != "/admin" && !strings.HasPrefix(r.Path, "/admin/") {
			continue
		}
		p := strings.NewReplacer(":code", "vp", ":name", analystName).Replace(r.Path)
		if strings.Contains(p, ":") {
			t.Fatalf("route %s has a parameter the test does not fill", r.Path)
		}
		if k := r.Method + " " + p; !seen[k] {
			seen[k] = true
			out = append(out, struct{ method, path string }{r.Method, p})
		}
	}
	if len(out) < 15 {
		t.Fatalf("found only %d admin routes: %v", len(out), out)
	}
	return out
}

func TestAdminRoutesRefused(t *testing.T) {
	env := newStaffEnv(t)
	analyst := env.browser()
	csrf := analyst.mustSignIn(t, analystName, analystPass)
	anon := env.browser()
	for _, r := range adminRoutePaths(t, env) {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			form := url.Values{"csrf": {csrf}, "code": {"x"}, "name_vi": {"x"}, "password": {"mật-khẩu-mới-123456"}}
			if r.method == http.MethodGet {
				resp, body := analyst.get(t, r.path)
				wantStatus(t, resp, body, http.StatusForbidden)
				resp, body = anon.get(t, r.path)
				wantStatus(t, resp, body, http.StatusSeeOther)
				if loc := resp.Header.Get("Location"); loc != "/login?next="+url.QueryEscape(r.path) {
					t.Errorf("anonymous: Location = %q", loc)
				}
				return
			}
			resp, body := analyst.post(t, r.path, form)
			wantStatus(t, resp, body, http.StatusForbidden)
			resp, body = anon.post(t, r.path, form)
			wantStatus(t, resp, body, http.StatusUnauthorized)
		})
	}
	// Nothing was changed by the refused requests.
	if got := env.auditActions(t); !slices.Equal(got, []string{"signin.ok"}) {
		t.Errorf("audit after refused requests = %v", got)
	}
}

func TestAdminPagesRender(t *testing.T) {
	env := newStaffEnv(t)
	// adminRoutePaths fills :code with "vp": a division and a counter.
	env.st.PutCounter(context.Background(), surveys.Counter{Code: "vp", Name: surveys.Text{VI: "Quầy Văn phòng"}, Division: "vp",
		Procedures: []surveys.Procedure{{Code: "dkkd", Name: surveys.Text{VI: "Đăng ký kinh doanh"}}}})
	b := env.browser()
	b.mustSignIn(t, adminName, adminPass)
	for _, r := range adminRoutePaths(t, env) {
		if r.method != http.MethodGet {
			continue
		}
		resp, body := b.get(t, r.path)
		wantStatus(t, resp, body, http.StatusOK)
		wantContains(t, body, `href="/static/staff.css?v=`, `action="/logout"`, `aria-current="page"`, "Quản trị")
		for _, bad := range []string{"style=", "<style", " onclick=", " onload=", " onsubmit="} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: %q in a staff page", r.path, bad)
			}
		}
		// Every form that posts carries the session's token.
		if n, m := strings.Count(body, `method="post"`), strings.Count(body, `name="csrf" value="`+b.csrf(t)+`"`); n != m {
			t.Errorf("GET %s: %d forms, %d with the CSRF token", r.path, n, m)
		}
	}
}

func TestAdminCounterCreateAndPublicList(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	resp, body := b.post(t, "/admin/counters", url.Values{"csrf": {csrf}, "code": {"quay-7"}, "name_vi": {"Quầy số 7 — Điện lực"},
		"name_en": {"Counter 7"}, "division": {"vp"}, "active": {"1"},
		"procedures": {"dien | Cấp giấy phép hoạt động điện lực | Electricity licence\r\nxnk | Cấp C/O\n"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/counters" {
		t.Errorf("Location = %q", loc)
	}
	ct, err := env.st.Counter(context.Background(), "quay-7")
	if err != nil {
		t.Fatal(err)
	}
	if !ct.Active || ct.Division != "vp" || len(ct.Procedures) != 2 || ct.Procedures[0].Name.EN != "Electricity licence" || ct.Procedures[1].Code != "xnk" {
		t.Errorf("stored counter = %+v", ct)
	}
	_, body = env.browser().get(t, "/")
	wantContains(t, body, "Quầy số 7 — Điện lực", `href="/s/quay-7"`)
	_, body = b.get(t, "/admin/counters")
	wantContains(t, body, `href="/s/quay-7/poster"`, `href="/s/quay-7/qr.png"`, `href="/admin/counters/quay-7/edit"`)

	// Edit: close it; it leaves the public list.
	resp, body = b.post(t, "/admin/counters/quay-7", url.Values{"csrf": {csrf}, "name_vi": {"Quầy số 7 — Điện lực"}, "division": {"vp"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = env.browser().get(t, "/")
	if strings.Contains(body, "quay-7") {
		t.Error("an inactive counter is still on the public list")
	}
	if got := env.auditActions(t); !slices.Equal(got, []string{"signin.ok", "counter.create", "counter.update"}) {
		t.Errorf("audit = %v", got)
	}
}

func TestAdminCounterInvalid(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"bad code", url.Values{"code": {"Quầy 1!"}, "name_vi": {"Quầy giữ lại"}},
			[]string{"Mã chỉ gồm chữ thường", `value="Quầy giữ lại"`, `value="quầy 1!"`, `id="code-err"`}},
		{"missing name", url.Values{"code": {"q1"}, "location_vi": {"Tầng 1"}},
			[]string{"Vui lòng nhập mục này.", `value="Tầng 1"`, `id="name_vi-err"`}},
		{"unknown division", url.Values{"code": {"q1"}, "name_vi": {"Q"}, "division": {"khong-co"}},
			[]string{"Không có phòng này."}},
		{"bad procedure line", url.Values{"code": {"q1"}, "name_vi": {"Q"}, "procedures": {"a | A\nchỉ một cột"}},
			[]string{"Dòng 2:", "chỉ một cột"}},
		{"duplicate procedure", url.Values{"code": {"q1"}, "name_vi": {"Q"}, "procedures": {"a | A\na | B"}},
			[]string{"Dòng 2: mã thủ tục bị trùng."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("csrf", csrf)
			resp, body := b.post(t, "/admin/counters", tc.form)
			wantStatus(t, resp, body, http.StatusUnprocessableEntity)
			wantContains(t, body, tc.want...)
		})
	}
	// An existing code is refused, and nothing was stored.
	env.st.PutCounter(context.Background(), surveys.Counter{Code: "q1", Name: surveys.Text{VI: "Cũ"}})
	resp, body := b.post(t, "/admin/counters", url.Values{"csrf": {csrf}, "code": {"q1"}, "name_vi": {"Mới"}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Mã này đã được dùng.")
	if ct, _ := env.st.Counter(context.Background(), "q1"); ct.Name.VI != "Cũ" {
		t.Errorf("existing counter overwritten: %+v", ct)
	}
}

func TestAdminDivisions(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	resp, body := b.post(t, "/admin/divisions", url.Values{"csrf": {csrf}, "code": {"qlcn"}, "name_vi": {"Phòng Quản lý công nghiệp"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = b.post(t, "/admin/divisions/qlcn", url.Values{"csrf": {csrf}, "name_vi": {"Phòng QLCN"}, "name_en": {"Industry"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get(t, "/admin/divisions")
	wantContains(t, body, "Phòng QLCN", "Industry", `href="/admin/divisions/qlcn/edit"`)
	resp, body = b.post(t, "/admin/divisions", url.Values{"csrf": {csrf}, "code": {"vp"}, "name_vi": {"Trùng"}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Mã này đã được dùng.")
	resp, body = b.get(t, "/admin/divisions/khong-co/edit")
	wantStatus(t, resp, body, http.StatusNotFound)
}

func TestAdminUsers(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)

	// Policy failures re-render with the values kept, never the password.
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"name": {"hoa"}, "role": {"analyst"}, "password": {"ngắn"}}, "Mật khẩu cần ít nhất 10 ký tự."},
		{url.Values{"name": {"hoa"}, "role": {"analyst"}, "password": {"aaaaaaaaaaaa"}}, "không được chỉ lặp lại"},
		{url.Values{"name": {"hoa.nguyen"}, "role": {"analyst"}, "password": {"hoa.nguyen"}}, "trùng với tên đăng nhập"},
		{url.Values{"name": {"hoa"}, "role": {"root"}, "password": {"mật-khẩu-đủ-dài"}}, "Vui lòng chọn vai trò."},
		{url.Values{"name": {analystName}, "role": {"analyst"}, "password": {"mật-khẩu-đủ-dài"}}, "Tên đăng nhập này đã có."},
		{url.Values{"name": {"Hoa Nguyễn"}, "role": {"analyst"}, "password": {"mật-khẩu-đủ-dài"}}, "Tên đăng nhập không hợp lệ."},
	} {
		tc.form.Set("csrf", csrf)
		tc.form.Set("display_name", "Nguyễn Thị Hoa")
		resp, body := b.post(t, "/admin/users", tc.form)
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		wantContains(t, body, tc.want, `value="Nguyễn Thị Hoa"`)
		if p := tc.form.Get("password"); p != tc.form.Get("name") && strings.Contains(body, `value="`+p+`"`) {
			t.Errorf("the form echoes the password %q", p)
		}
	}

	resp, body := b.post(t, "/admin/users", url.Values{"csrf": {csrf}, "name": {"Hoa"}, "display_name": {"Nguyễn Thị Hoa"},
		"role": {"analyst"}, "password": {"mật-khẩu-của-hoa"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	hoa := env.browser()
	hoa.mustSignIn(t, "hoa", "mật-khẩu-của-hoa")

	// Sign out everywhere, then disable: her sessions end, she cannot sign in.
	resp, body = b.post(t, "/admin/users/hoa/signout", url.Values{"csrf": {csrf}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = hoa.post(t, "/logout", url.Values{"csrf": {"x"}})
	wantStatus(t, resp, body, http.StatusUnauthorized)
	hoa.mustSignIn(t, "hoa", "mật-khẩu-của-hoa")
	resp, body = b.post(t, "/admin/users/hoa/disable", url.Values{"csrf": {csrf}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = hoa.get(t, "/admin")
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = hoa.signIn(t, "hoa", "mật-khẩu-của-hoa", "")
	wantStatus(t, resp, body, http.StatusUnauthorized)
	resp, body = b.post(t, "/admin/users/hoa/enable", url.Values{"csrf": {csrf}})
	wantStatus(t, resp, body, http.StatusSeeOther)

	// Reset: the old password stops working, the new one works.
	resp, body = b.post(t, "/admin/users/hoa/password", url.Values{"csrf": {csrf}, "password": {"ngắn"}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	resp, body = b.post(t, "/admin/users/hoa/password", url.Values{"csrf": {csrf}, "password": {"mật-khẩu-mới-của-hoa"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = hoa.signIn(t, "hoa", "mật-khẩu-của-hoa", "")
	wantStatus(t, resp, body, http.StatusUnauthorized)
	hoa.mustSignIn(t, "hoa", "mật-khẩu-mới-của-hoa")

	// An admin cannot disable themselves.
	resp, body = b.post(t, "/admin/users/"+adminName+"/disable", url.Values{"csrf": {csrf}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)

	_, body = b.get(t, "/admin/users")
	wantContains(t, body, "Nguyễn Thị Hoa", "Chuyên viên phân tích")
	got := env.auditActions(t)
	for _, want := range []string{"user.create", "user.signout_all", "user.disable", "user.enable", "user.password_reset", "signin.fail"} {
		if !slices.Contains(got, want) {
			t.Errorf("audit %v lacks %s", got, want)
		}
	}
}

func TestAdminBaselines(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	_, body := b.get(t, "/admin/baselines?year=2022")
	wantContains(t, body, `name="value_A" value="83.99"`, `name="unit" value="gia-lai"`, "Theo bộ phiếu")

	form := url.Values{"csrf": {csrf}, "year": {"2024"}, "unit": {"gia-lai"}, "overall": {"84,5"},
		"value_A": {"85"}, "value_B": {"85,5"}, "value_C": {"86"}, "value_D": {"82"}, "value_E": {"79"}, "target_E": {"84"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("value_C", "150")
	bad.Set("year", "24")
	resp, body := b.post(t, "/admin/baselines", bad)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Cần một số từ 0 đến 100.", "Năm không hợp lệ", `name="value_C" value="150"`, `name="value_B" value="85,5"`, `name="target_E" value="84"`)

	resp, body = b.post(t, "/admin/baselines", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	bs, err := env.st.Baselines(context.Background(), surveys.Default)
	if err != nil || len(bs) != 1 {
		t.Fatalf("baselines = %v, %v", bs, err)
	}
	if g := bs[0]; g.Year != 2024 || g.Values["B"] != 85.5 || g.Overall != 84.5 || g.Targets["E"] != 84 || len(g.Targets) != 1 {
		t.Errorf("stored baseline = %+v", g)
	}
	_, body = b.get(t, "/admin/baselines")
	wantContains(t, body, "79 → 84", "Do quản trị nhập")
	if got := env.auditActions(t); !slices.Equal(got, []string{"signin.ok", "baseline.put"}) {
		t.Errorf("audit = %v", got)
	}
}

func TestAuditPageEscapes(t *testing.T) {
	env := newStaffEnv(t)
	b := env.browser()
	csrf := b.mustSignIn(t, adminName, adminPass)
	// Free text reaches the log through a division name and a sign-in name.
	resp, body := b.post(t, "/admin/divisions", url.Values{"csrf": {csrf}, "code": {"xss"},
		"name_vi": {`<script>alert("x")</script>`}, "name_en": {`=cmd|' /C calc'!A0`}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	env.browser().signIn(t, `<img src=x onerror=alert(1)>`, "sai-mật-khẩu-123", "")

	resp, body = b.get(t, "/admin/audit")
	wantStatus(t, resp, body, http.StatusOK)
	for _, raw := range []string{`<script>alert`, `<img src=x`} {
		if strings.Contains(body, raw) {
			t.Errorf("audit page holds raw %q", raw)
		}
	}
	wantContains(t, body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`, `=cmd|&#39; /C calc&#39;!A0`, `&lt;img src=x onerror=alert(1)&gt;`,
		"division.create", "signin.fail", "signin.ok")
	// Newest first.
	if strings.Index(body, "signin.fail") > strings.Index(body, "division.create") {
		t.Error("the audit log is not newest first")
	}
}

func TestAuditPaging(t *testing.T) {
	env := newStaffEnv(t)
	for i := range auditPageSize + 5 {
		env.st.AppendAudit(context.Background(), surveys.AuditEntry{At: testNow.Add(time.Duration(i) * time.Second),
			Actor: "system", Action: "test.entry", Target: "t" + string(rune('A'+i%26))})
	}
	b := env.browser()
	b.mustSignIn(t, adminName, adminPass)
	_, body := b.get(t, "/admin/audit")
	if n := strings.Count(body, "test.entry"); n != auditPageSize {
		t.Errorf("first page: %d test entries, want %d", n, auditPageSize)
	}
	m := regexp.MustCompile(`href="(/admin/audit\?before=\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link to older entries")
	}
	_, body = b.get(t, m[1])
	// The rest, and the sign-in, which is older than all but one.
	if n := strings.Count(body, "test.entry"); n != 5 || !strings.Contains(body, "signin.ok") {
		t.Errorf("second page: %d test entries (want 5) and the sign-in", n)
	}
	resp, body := b.get(t, "/admin/audit?before=abc")
	wantStatus(t, resp, body, http.StatusBadRequest)
}
