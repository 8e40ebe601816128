package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
)

// serving is a Fiber app listening on a loopback port of this process.
type serving struct {
	app  *fiber.App
	ln   net.Listener
	url  string // base URL, http://127.0.0.1:port
	done chan error
}

// serve starts app on 127.0.0.1 on a free port and returns once it answers
// GET probe (any status).
func serve(ctx context.Context, app *fiber.App, probe string) (*serving, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("loadtest: listen: %w", err)
	}
	s := &serving{app: app, ln: ln, url: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	go func() { s.done <- app.Listener(ln) }()
	if err := waitAnswer(ctx, s.url+probe); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// waitAnswer polls url until it gets an HTTP answer, for up to 10 s.
func waitAnswer(ctx context.Context, url string) error {
	client := newClient(1, time.Second, false)
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("loadtest: in-process server did not answer: %w", err)
		case <-tick.C:
		}
	}
}

// stop shuts the server down, letting requests in flight finish.
func (s *serving) stop() error {
	err := s.app.ShutdownWithTimeout(5 * time.Second)
	// Closing the listener too makes Listener return even if Shutdown
	// raced its start.
	if cerr := s.ln.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) && err == nil {
		err = cerr
	}
	select {
	case lerr := <-s.done:
		if lerr != nil && !errors.Is(lerr, net.ErrClosed) && err == nil {
			err = lerr
		}
	case <-time.After(10 * time.Second):
		if err == nil {
			err = errors.New("loadtest: in-process server did not stop")
		}
	}
	return err
}
