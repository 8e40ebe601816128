package httpserver

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/surveys"
)

// touchEvery bounds the writes that keep a tablet's LastSeen fresh.
const touchEvery = time.Minute

// bearerToken returns the token of an "Authorization: Bearer" header, and
// whether the header was there at all.
func bearerToken(c *fiber.Ctx) (string, bool) {
	h := strings.TrimSpace(c.Get(fiber.HeaderAuthorization))
	if h == "" {
		return "", false
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(token), true
}

// kioskDevice returns the enrolled tablet that signed the request with a
// bearer token, nil when the request carries no Authorization header, and
// EUNAUTHORIZED for an unknown or revoked token. It refreshes LastSeen.
func (s *server) kioskDevice(c *fiber.Ctx) (*surveys.Device, error) {
	token, present := bearerToken(c)
	if !present {
		return nil, nil
	}
	unauthorized := &surveys.Error{Code: surveys.EUNAUTHORIZED, Message: "unknown or revoked device token"}
	if token == "" || len(token) > 128 || s.deps.Staff == nil {
		return nil, unauthorized
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	d, err := s.deps.Staff.DeviceByToken(ctx, auth.TokenID(token))
	if surveys.IsNotFound(err) {
		return nil, unauthorized
	}
	if err != nil {
		return nil, err
	}
	if d.Revoked || d.TokenHash == "" {
		return nil, unauthorized
	}
	if now := s.deps.Now(); now.Sub(d.LastSeen) >= touchEvery {
		if err := s.deps.Staff.TouchDevice(ctx, d.ID, now); err != nil {
			// Not fatal: last contact is informative only.
			s.log.Warn("touch device", "device", d.ID, "err", err)
		}
		d.LastSeen = now
	}
	return &d, nil
}

// applyDevice binds r to the tablet that sent it: its counter (a
// different counter in the body is EFORBIDDEN), channel kiosk and its id.
// Without a tablet, the kiosk and paper channels are refused: the public
// may only submit qr and api responses (paper forms are typed in by staff
// on /dashboard/paper).
func applyDevice(d *surveys.Device, r *surveys.Response) error {
	if d == nil {
		// Any client may name any channel (SPEC 5.3); a kiosk or paper
		// claim without an enrolled device's token is stored, flagged
		// for analysts, never trusted silently. Rate limits do not depend
		// on the claim: without a token the client address is limited.
		if (r.Channel == surveys.ChannelKiosk || r.Channel == surveys.ChannelPaper) && !hasFlag(r.Flags, FlagUnverifiedChannel) {
			r.Flags = append(r.Flags, FlagUnverifiedChannel)
		}
		return nil
	}
	if r.Counter != "" && r.Counter != d.Counter {
		return &surveys.Error{Code: surveys.EFORBIDDEN, Message: "this device submits for its own counter only"}
	}
	r.Counter = d.Counter
	r.Channel = surveys.ChannelKiosk
	r.Device = d.ID
	return nil
}
