package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"modernc.org/sqlite"

	"github.com/sipas/sipas/surveys"
)

// SQLite primary result codes that mean "try again later" rather than "bug".
const (
	sqliteBusy     = 5
	sqliteLocked   = 6
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14

	// Extended codes: a UNIQUE index refused a row (a tablet hash
	// already held by another tablet, say).
	sqliteConstraintUnique = 2067
)

// dbError turns a driver error into the application's error type: a
// database that is busy, gone, full or too slow is EUNAVAILABLE, a UNIQUE
// index refusing a row ECONFLICT, anything else EINTERNAL. The driver's
// text stays in Err, for logs only.
func dbError(err error, message string) error {
	if err == nil {
		return nil
	}
	var se *surveys.Error
	if errors.As(err, &se) {
		return err
	}
	code := surveys.EINTERNAL
	var le *sqlite.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, sql.ErrConnDone):
		code = surveys.EUNAVAILABLE
	case errors.As(err, &le) && le.Code() == sqliteConstraintUnique:
		code = surveys.ECONFLICT
	case errors.As(err, &le):
		switch le.Code() & 0xff {
		case sqliteBusy, sqliteLocked, sqliteIOErr, sqliteFull, sqliteCantOpen:
			code = surveys.EUNAVAILABLE
		}
	}
	return surveys.Wrap(code, err, message)
}

func notFound(format string, args ...any) error {
	return surveys.Errorf(surveys.ENOTFOUND, format, args...)
}
