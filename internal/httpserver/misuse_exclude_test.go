package httpserver

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

// TestExcludeFlaggedResponse: an analyst excludes a flagged response from
// the review page and takes it back; each change is audited and needs the
// CSRF token.
func TestExcludeFlaggedResponse(t *testing.T) {
	env := newStaffEnv(t)
	ctx := context.Background()
	r := surveys.Response{ID: surveys.NewUUID(), Survey: surveys.Default, Version: 1, Channel: surveys.ChannelKiosk,
		Answers: map[string]int{"A1": 1}, Flags: []string{FlagBurst}, SubmittedAt: testNow.Add(-time.Hour), ReceivedAt: testNow}
	if _, err := env.st.InsertResponses(ctx, []surveys.Response{r}); err != nil {
		t.Fatal(err)
	}
	b := env.browser()
	csrf := b.mustSignIn(t, analystName, analystPass)
	_, page := b.get(t, "/dashboard/flags")
	if !strings.Contains(page, r.ID) || !strings.Contains(page, `action="/dashboard/flags/exclude"`) {
		t.Fatalf("the review page lacks the response or its exclude form")
	}
	if resp, _ := b.post(t, "/dashboard/flags/exclude", url.Values{"id": {r.ID}, "on": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("without CSRF: %d, want 403", resp.StatusCode)
	}
	for _, step := range []struct {
		on   string
		want bool
	}{{"1", true}, {"0", false}} {
		resp, _ := b.post(t, "/dashboard/flags/exclude", url.Values{"id": {r.ID}, "on": {step.on}, "csrf": {csrf}, "days": {"7"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard/flags?days=7" {
			t.Fatalf("on=%s: %d %s", step.on, resp.StatusCode, resp.Header.Get("Location"))
		}
		got, _ := env.st.Response(ctx, r.ID)
		if got.HasFlag(surveys.FlagExcluded) != step.want || !got.HasFlag(FlagBurst) {
			t.Errorf("on=%s: flags %v", step.on, got.Flags)
		}
	}
	actions := strings.Join(env.auditActions(t), " ")
	if !strings.Contains(actions, "response.exclude") || !strings.Contains(actions, "response.include") {
		t.Errorf("audit: %s", actions)
	}
	if resp, _ := b.post(t, "/dashboard/flags/exclude", url.Values{"id": {"nope"}, "on": {"1"}, "csrf": {csrf}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad id: %d, want 422", resp.StatusCode)
	}
}
