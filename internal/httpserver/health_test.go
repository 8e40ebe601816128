package httpserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

func TestHealth(t *testing.T) {
	env := newTestEnv(t, Config{})
	tests := []struct {
		path    string
		pingErr error
		status  int
	}{
		{"/healthz", nil, http.StatusOK},
		{"/healthz", errDown, http.StatusOK},
		{"/readyz", nil, http.StatusOK},
		{"/readyz", surveys.Wrap(surveys.EUNAVAILABLE, errDown, "down"), http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		env.store.mu.Lock()
		env.store.pingErr = tt.pingErr
		env.store.mu.Unlock()
		resp, body := env.get(t, tt.path)
		if resp.StatusCode != tt.status {
			t.Errorf("%s with ping error %v: status %d, want %d", tt.path, tt.pingErr, resp.StatusCode, tt.status)
		}
		if tt.status == http.StatusOK && body != "ok" {
			t.Errorf("%s body = %q", tt.path, body)
		}
	}
}

// slowStore is a store whose Ping ignores its context and hangs.
type slowStore struct {
	*fakeStore
	release chan struct{}
}

func (s slowStore) Ping(ctx context.Context) error { <-s.release; return nil }

func TestReadyzTimeout(t *testing.T) {
	reg, _ := surveys.LoadEmbedded()
	st := slowStore{fakeStore: newFakeStore(), release: make(chan struct{})}
	defer close(st.release)
	app, err := New(Config{ReadyTimeout: 50 * time.Millisecond}, Deps{Store: st, Surveys: reg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{app: app}
	resp, _ := env.get(t, "/readyz")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status = %d, want 503", resp.StatusCode)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}
