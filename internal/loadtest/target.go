package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// errRemote is returned for a target that is not on this machine.
var errRemote = errors.New("loadtest: target is not a loopback address (127.0.0.0/8 or ::1); set AllowRemote to load another machine")

// checkTarget parses base, a URL such as http://127.0.0.1:8080, and unless
// allowRemote refuses a host that is not a loopback address. A name is
// resolved and every address it has must be loopback.
func checkTarget(ctx context.Context, base string, allowRemote bool) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("loadtest: target %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("loadtest: target %q is not an http(s) base URL", base)
	}
	if allowRemote {
		return u, nil
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return nil, errRemote
		}
		return u, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("loadtest: resolve %s: %w", host, err)
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return nil, errRemote
		}
	}
	return u, nil
}

// newClient returns a client for concurrency workers: one kept-alive
// connection each, no redirects followed (every answer is counted as it
// comes), each request bounded by timeout. Unless allowRemote, its dialer
// refuses any address but loopback, so neither a name resolving elsewhere
// later nor anything else can send load off this machine.
func newClient(concurrency int, timeout time.Duration, allowRemote bool) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !allowRemote {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return errRemote
			}
			return nil
		}
	}
	tr := &http.Transport{
		Proxy:               nil, // never through a proxy: the target is measured, not a middlebox
		DialContext:         d.DialContext,
		MaxIdleConns:        concurrency,
		MaxIdleConnsPerHost: concurrency,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
