// Package ferretrun starts an in-process FerretDB (a MongoDB wire-protocol
// server on an SQLite backend) so that the MongoDB store can be tested on
// machines without MongoDB. It is a test dependency: only _test.go files
// and test helper commands may import it, so that the production binary
// never links FerretDB.
package ferretrun

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Server is a running FerretDB.
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
	stop   sync.Once
}

// readyTimeout bounds how long Start waits for the listener when ctx has no
// earlier deadline.
const readyTimeout = 30 * time.Second

// Start runs a FerretDB storing its databases as SQLite files in dir
// (created if missing), listening on a free port of 127.0.0.1. It returns
// once the listener accepts connections. ctx bounds the start only: the
// server runs until Stop, so that a start-up deadline cannot end it. Disconnect every client before stopping it: a connected
// client makes the shutdown take about 3 seconds.
func Start(ctx context.Context, dir string) (*Server, error) {
	return StartAt(ctx, dir, "127.0.0.1:0")
}

// StartAt is Start listening on addr, for tests that stop the server and
// start it again where its clients expect it (a database outage).
func StartAt(ctx context.Context, dir, addr string) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("ferretrun: %w", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("ferretrun: %w", err)
	}
	// At warning level FerretDB logs every command it refuses; the tests
	// want only real failures.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
		Logger:    logger,
	})
	if err != nil {
		return nil, fmt.Errorf("ferretrun: %w", err)
	}

	runCtx, cancel := context.WithCancel(context.Background())
	s := &Server{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if err := f.Run(runCtx); err != nil {
			logger.Error("ferretdb stopped", "err", err)
		}
	}()
	s.uri = f.MongoDBURI()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls the listener until it accepts a connection.
func (s *Server) waitReady(ctx context.Context) error {
	host, err := hostOf(s.uri)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "tcp", host)
		if err == nil {
			return conn.Close()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("ferretrun: FerretDB did not start listening on %s: %w", host, errors.Join(ctx.Err(), err))
		case <-s.done:
			return errors.New("ferretrun: FerretDB stopped before it was ready")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// hostOf returns the host:port of a mongodb:// URI with a single host.
func hostOf(uri string) (string, error) {
	const scheme = "mongodb://"
	if len(uri) < len(scheme) || uri[:len(scheme)] != scheme {
		return "", fmt.Errorf("ferretrun: unexpected URI %q", uri)
	}
	rest := uri[len(scheme):]
	for i := 0; i < len(rest); i++ {
		if rest[i] == '/' || rest[i] == '?' {
			return rest[:i], nil
		}
	}
	return rest, nil
}

// URI returns the driver URI of the server, such as mongodb://127.0.0.1:PORT/.
func (s *Server) URI() string { return s.uri }

// Stop stops the server and waits until it has released its files. It is
// safe to call more than once.
func (s *Server) Stop() {
	s.stop.Do(s.cancel)
	<-s.done
}
