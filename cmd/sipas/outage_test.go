package main

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipas/sipas/internal/ferretrun"
	"github.com/sipas/sipas/surveys"
)

// TestDatabaseOutage: while the database is unreachable, submissions get
// 503 with Retry-After (a kiosk keeps them queued) and /readyz says so;
// when it returns the server recovers by itself and nothing was
// half-written.
func TestDatabaseOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("outage test skipped in -short mode")
	}
	dir := filepath.Join(t.TempDir(), "ferret")
	addr := freeAddr(t)
	ctx := context.Background()
	db, err := ferretrun.StartAt(ctx, dir, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Stop() }()
	uri := "mongodb://" + addr + "/outage?serverSelectionTimeoutMS=1500&connectTimeoutMS=1500"
	srv := startServer(t, t.TempDir(), "--mongo-uri", uri, "--rate-public", "0")
	client := &http.Client{Timeout: 20 * time.Second}
	post := func(id string) (int, string) {
		code, body, err := postJSON(client, srv.base+"/api/v1/responses", map[string]any{"id": id, "answers": map[string]any{"B1": 5}})
		if err != nil {
			t.Fatalf("post: %v", err)
		}
		return code, string(body)
	}
	if code, body := post(surveys.NewUUID()); code != 201 {
		t.Fatalf("before the outage: %d %s", code, body)
	}

	db.Stop()
	during := surveys.NewUUID()
	resp, err := client.Post(srv.base+"/api/v1/responses", "application/json",
		stringsReader(`{"id": "`+during+`", "answers": {"B1": 4}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("during the outage: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if r, err := client.Get(srv.base + "/readyz"); err == nil {
		r.Body.Close()
		if r.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz during the outage: %d, want 503", r.StatusCode)
		}
	}

	db, err = ferretrun.StartAt(ctx, dir, addr)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	var code int
	for time.Now().Before(deadline) {
		if code, _ = post(during); code == 201 {
			break
		}
		time.Sleep(200 * time.Millisecond) // polling for recovery
	}
	if code != 201 {
		t.Fatalf("after the database returned: %d, want 201 (the refused response is new)", code)
	}
	if d := getScore(t, srv.base+"/api/v1/scores"); d.Respondents != 2 {
		t.Errorf("respondents %d after recovery, want 2", d.Respondents)
	}
	srv.stop(t)
}
