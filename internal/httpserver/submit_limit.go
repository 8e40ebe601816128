package httpserver

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/ratelimit"
	"github.com/sipas/sipas/surveys"
)

// SubmitLimits are the rate limits of public submission (POST /s/:counter
// and POST /api/v1/responses). Zero PerMinute values turn a limit off.
type SubmitLimits struct {
	// Per client address (as a keyed, daily-rotating hash): people on
	// their own phones. Default when enabled: 20 a minute, bursts of 10.
	PublicPerMinute, PublicBurst int
	// Per enrolled tablet (its bearer token), so that many tablets behind
	// one post office's address never throttle each other. Default: 120
	// a minute, bursts of 60 (a tablet sends its offline queue at once).
	DevicePerMinute, DeviceBurst int
}

// DefaultSubmitLimits are the limits `sipas serve` starts with.
var DefaultSubmitLimits = SubmitLimits{PublicPerMinute: 20, PublicBurst: 10, DevicePerMinute: 120, DeviceBurst: 60}

// submitLimiter builds the rate-limit middleware of public submission
// from cfg.Limits; nil when every limit is off.
func (s *server) submitLimiter() fiber.Handler {
	l := s.cfg.Limits
	if l.PublicPerMinute <= 0 && l.DevicePerMinute <= 0 {
		return nil
	}
	var public, device, deviceAddr *ratelimit.Limiter
	if l.PublicPerMinute > 0 {
		public = ratelimit.New(l.PublicPerMinute, l.PublicBurst, s.deps.Now)
	}
	if l.DevicePerMinute > 0 {
		device = ratelimit.New(l.DevicePerMinute, l.DeviceBurst, s.deps.Now)
		// Bearer requests are limited per token; a ceiling per address
		// stops a flood of made-up tokens from one client.
		deviceAddr = ratelimit.New(20*l.DevicePerMinute, 20*l.DeviceBurst, s.deps.Now)
	}
	hasher := ratelimit.NewHasher(nil)
	return func(c *fiber.Ctx) error {
		addrKey := hasher.Key(s.clientAddr(c), s.deps.Now())
		checks := []struct {
			l   *ratelimit.Limiter
			key string
		}{{public, addrKey}}
		if tok, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok && tok != "" {
			h := sha256.Sum256([]byte(tok))
			checks = []struct {
				l   *ratelimit.Limiter
				key string
			}{{device, hex.EncodeToString(h[:16])}, {deviceAddr, addrKey}}
		}
		for _, ch := range checks {
			if ch.l == nil {
				continue
			}
			if ok, wait := ch.l.Allow(ch.key); !ok {
				c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				return &surveys.Error{Code: surveys.ERATELIMITED, Message: "too many submissions", Err: errRetryAfterSet}
			}
		}
		return c.Next()
	}
}

// errRetryAfterSet tells the error handler that the Retry-After header is
// already set to the limiter's wait.
var errRetryAfterSet = errors.New("retry-after set")
