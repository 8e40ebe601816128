// Package retention enforces the retention setting for free-text
// comments: comments older than the configured number of days are
// removed from stored responses (the answers, and so every index, stay).
package retention

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/sipas/sipas/surveys"
)

// Store is what the purge needs of a store.
type Store interface {
	PurgeComments(ctx context.Context, before time.Time) (int64, error)
	AppendAudit(ctx context.Context, e surveys.AuditEntry) error
}

// PurgeOnce removes the comments of responses submitted more than days
// days before now, records the purge in the audit log when it changed
// anything, and returns how many responses it changed.
func PurgeOnce(ctx context.Context, s Store, days int, now time.Time) (int64, error) {
	before := now.AddDate(0, 0, -days)
	n, err := s.PurgeComments(ctx, before)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		err = s.AppendAudit(ctx, surveys.AuditEntry{At: now.UTC(), Actor: "system", Action: "retention.purge",
			Target: "comments before " + surveys.Day(before),
			Detail: strconv.FormatInt(n, 10) + " responses, retention " + strconv.Itoa(days) + " days"})
	}
	return n, err
}

// Run purges at start and then every interval until ctx ends. days <= 0
// keeps comments forever and returns at once.
func Run(ctx context.Context, s Store, days int, interval time.Duration, log *slog.Logger) {
	if days <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		n, err := PurgeOnce(pctx, s, days, time.Now())
		cancel()
		if err != nil {
			log.Error("comment retention", "err", err)
		} else if n > 0 {
			log.Info("comments past retention removed", "responses", n, "days", days)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
