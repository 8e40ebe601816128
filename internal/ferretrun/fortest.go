package ferretrun

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"
)

// EnvURI names the environment variable that points the tests at a real
// MongoDB instead of an in-process FerretDB.
const EnvURI = "SIPAS_TEST_MONGO_URI"

// shared is the one FerretDB of a test binary: it is slow to start and uses
// no indexes, so tests share it and each uses its own database.
var shared struct {
	once sync.Once
	srv  *Server
	dir  string
	err  error
}

// ForTest returns the URI of a MongoDB-compatible server for t: the one
// named by SIPAS_TEST_MONGO_URI when set, otherwise a FerretDB started once
// per test binary in a temporary directory. Tests must use a database of
// their own (see DBName). Call Shutdown from TestMain to stop the shared
// server and remove its files.
func ForTest(t testing.TB) string {
	t.Helper()
	if uri := os.Getenv(EnvURI); uri != "" {
		return uri
	}
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "sipas-ferretdb-")
		if err != nil {
			shared.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		shared.dir = dir
		shared.srv, shared.err = Start(ctx, dir)
	})
	if shared.err != nil {
		t.Fatalf("start FerretDB: %v", shared.err)
	}
	return shared.srv.URI()
}

// DBName returns a fresh database name for one test, "t_" and 16 hex
// digits: short enough for FerretDB's and MongoDB's name limits.
func DBName(t testing.TB) string {
	t.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "t_" + hex.EncodeToString(b[:])
}

// Shutdown stops the shared FerretDB, if ForTest started one, and removes
// its directory. Clients must be disconnected first. Use it in TestMain:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		ferretrun.Shutdown()
//		os.Exit(code)
//	}
func Shutdown() {
	if shared.srv != nil {
		shared.srv.Stop()
		shared.srv = nil
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
		shared.dir = ""
	}
}
