package httpserver

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

// handleHealthz reports that the process is up.
func (s *server) handleHealthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// handleReadyz reports whether the store answers within ReadyTimeout.
func (s *server) handleReadyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ReadyTimeout)
	defer cancel()
	done := make(chan error, 1)
	// Ping in a goroutine so that a store ignoring its context cannot hold
	// the probe past the timeout.
	go func() { done <- s.deps.Store.Ping(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		s.log.Warn("readiness check failed", "err", err)
		c.Set(fiber.HeaderRetryAfter, retryAfter)
		return c.Status(fiber.StatusServiceUnavailable).SendString("unavailable")
	}
	return c.SendString("ok")
}
