package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipas/sipas/surveys"
)

// TestNoClientAddressStored: after submissions through a trusted proxy
// (the server then knows the client's address), a failed and a
// successful staff sign-in, the address appears nowhere in the database
// files: not in responses, rollups, sessions or the audit log.
func TestNoClientAddressStored(t *testing.T) {
	dir := t.TempDir()
	const addr = "203.0.113.77"
	srv := startServer(t, dir, "--trusted-proxies", "127.0.0.1", "--demo")
	client := &http.Client{}
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest(http.MethodPost, srv.base+"/api/v1/responses",
			strings.NewReader(`{"id": "`+surveys.NewUUID()+`", "answers": {"A1": 4}, "comment": "ok"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", addr)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("submission: %d", resp.StatusCode)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.base+"/s/sct-thuongmai", strings.NewReader("A1=5&id="+surveys.NewUUID()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", addr)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	}
	req, _ = http.NewRequest(http.MethodPost, srv.base+"/login", strings.NewReader("username=admin&password=wrong-password"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", addr)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	}
	srv.stop(t)
	files, _ := filepath.Glob(filepath.Join(dir, DBFile+"*"))
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(addr)) {
			t.Errorf("%s holds the client address %s", filepath.Base(f), addr)
		}
	}
	if strings.Contains(srv.log.String(), addr) {
		t.Errorf("the server log holds the client address %s", addr)
	}
}
