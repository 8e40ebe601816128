package httpserver

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientAddr returns the address of the client that sent c. The TCP peer
// is the client unless it is one of Config.TrustedProxies; then the
// X-Forwarded-For list is read from the right (each proxy appends the
// address it received from) and the first address that is not a trusted
// proxy is the client. A forwarded header from anyone else is ignored, so
// a client cannot choose its own rate-limit key. The address is used only
// to derive keyed hashes (SPEC 7) and is never stored or logged.
func (s *server) clientAddr(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return ""
	}
	peer = peer.Unmap()
	if !s.trusted(peer) {
		return peer.String()
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled hop: stop at the last address we can trust
		}
		a = a.Unmap()
		if !s.trusted(a) {
			return a.String()
		}
		peer = a
	}
	return peer.String()
}

func (s *server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
