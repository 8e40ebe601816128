package httpserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// panickyStore panics on Counters, as a bug would.
type panickyStore struct{ *fakeStore }

func (panickyStore) Counters(context.Context) ([]surveys.Counter, error) {
	panic("secret internal detail")
}

func TestRecover(t *testing.T) {
	reg, _ := surveys.LoadEmbedded()
	var logs strings.Builder
	app, err := New(Config{}, Deps{Store: panickyStore{newFakeStore()}, Surveys: reg, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{app: app}
	resp, body := env.get(t, "/")
	wantStatus(t, resp, body, http.StatusInternalServerError)
	if strings.Contains(body, "secret") {
		t.Error("panic text shown")
	}
	wantContains(t, body, "Đã có lỗi")
	if !strings.Contains(logs.String(), "secret internal detail") {
		t.Error("panic not logged")
	}
}

// TestLimitSlot checks the rate-limiting seam: a Limit handler that
// refuses gets 429 with Retry-After on both submission routes.
func TestLimitSlot(t *testing.T) {
	reg, _ := surveys.LoadEmbedded()
	store := newFakeStore()
	app, err := New(Config{}, Deps{
		Store: store, Surveys: reg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limit: func(c *fiber.Ctx) error { return surveys.Errorf(surveys.ERATELIMITED, "slow down") },
	})
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{app: app, store: store}
	resp, body := env.postJSON(t, `{"id": "`+apiID+`", "answers": {"A1": 3}}`)
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	wantContains(t, body, `"code":"rate_limited"`)
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	resp, body = env.postForm(t, "/s/mot-cua-01", nil)
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	// Reading pages is never limited.
	resp, body = env.get(t, "/s/mot-cua-01")
	wantStatus(t, resp, body, http.StatusOK)
	if n := len(store.stored()); n != 0 {
		t.Errorf("stored %d", n)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err    error
		code   surveys.ErrorCode
		status int
	}{
		{surveys.Errorf(surveys.EINVALID, "x"), surveys.EINVALID, 422},
		{surveys.Errorf(surveys.EMALFORMED, "x"), surveys.EMALFORMED, 400},
		{surveys.Errorf(surveys.ENOTFOUND, "x"), surveys.ENOTFOUND, 404},
		{surveys.Errorf(surveys.ECONFLICT, "x"), surveys.ECONFLICT, 409},
		{surveys.Errorf(surveys.ETOOLARGE, "x"), surveys.ETOOLARGE, 413},
		{surveys.Errorf(surveys.ERATELIMITED, "x"), surveys.ERATELIMITED, 429},
		{surveys.Errorf(surveys.EUNAVAILABLE, "x"), surveys.EUNAVAILABLE, 503},
		{surveys.Errorf(surveys.EINTERNAL, "x"), surveys.EINTERNAL, 500},
		{errDown, surveys.EINTERNAL, 500},
		{fiber.ErrNotFound, surveys.ENOTFOUND, 404},
		{fiber.ErrRequestEntityTooLarge, surveys.ETOOLARGE, 413},
		{fiber.ErrMethodNotAllowed, codeMethodNotAllowed, 405},
		{fiber.ErrBadRequest, surveys.EMALFORMED, 400},
	}
	for _, tt := range tests {
		code, status := classify(tt.err)
		if code != tt.code || status != tt.status {
			t.Errorf("classify(%v) = %s %d, want %s %d", tt.err, code, status, tt.code, tt.status)
		}
	}
}
