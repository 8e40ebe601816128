package httpserver

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// Scorer computes score documents; scores.Service provides it.
type Scorer interface {
	Score(ctx context.Context, q scores.Query) (scoring.Score, error)
}

// handleScoresShow serves GET /api/v1/scores, the score document of SPEC
// 5.4, from the same code path as the score command.
//
// It answers a signed-in staff member (analyst or admin: the session
// cookie of the dashboard), and loopback clients (the address of the TCP
// connection, never a forwarded header): scripts on the server itself, or
// a reverse proxy on the same machine that adds its own authentication.
// Anyone else gets 401.
func (s *server) handleScoresShow(c *fiber.Ctx) error {
	if s.deps.Scores == nil {
		return fiber.ErrNotFound
	}
	if !c.Context().RemoteIP().IsLoopback() {
		signedIn := false
		if s.deps.Staff != nil {
			_, ok, err := s.authenticate(c)
			if err != nil {
				return err
			}
			signedIn = ok
		}
		if !signedIn {
			return surveys.Errorf(surveys.EUNAUTHORIZED, "sign in to read scores")
		}
	}
	q := scores.Query{
		Survey:  c.Query("survey"),
		From:    c.Query("from"),
		To:      c.Query("to"),
		Counter: c.Query("counter"),
		Channel: surveys.Channel(c.Query("channel")),
	}
	if v := c.Query("baseline_year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			return &surveys.Error{Code: surveys.EINVALID, Message: "invalid query", Fields: map[string]string{"baseline_year": surveys.MsgNotANumber}}
		}
		q.BaselineYear = y
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), s.cfg.StoreTimeout)
	defer cancel()
	score, err := s.deps.Scores.Score(ctx, q)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(score)
}
