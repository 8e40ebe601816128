package surveys

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an application error; the HTTP layer maps each code
// to one status in a single place.
type ErrorCode string

// Error codes.
const (
	ECONFLICT     ErrorCode = "conflict"     // already exists
	EINTERNAL     ErrorCode = "internal"     // a bug or an unexpected failure
	EINVALID      ErrorCode = "invalid"      // the input breaks a rule
	ENOTFOUND     ErrorCode = "not_found"    // no such thing
	EUNAVAILABLE  ErrorCode = "unavailable"  // a dependency (the database) is down
	ETOOLARGE     ErrorCode = "too_large"    // a body or field over its limit
	EMALFORMED    ErrorCode = "malformed"    // cannot be parsed at all
	ERATELIMITED  ErrorCode = "rate_limited" // too many requests
	EUNAUTHORIZED ErrorCode = "unauthorized" // not signed in
	EFORBIDDEN    ErrorCode = "forbidden"    // signed in, not allowed
)

// Error is the application's one error type. Message is safe to show to a
// user; Fields maps a field (an item code, "id", "comment") to a message
// key of the web catalogue; Err is the underlying cause, for logs only.
type Error struct {
	Code    ErrorCode
	Message string
	Fields  map[string]string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted, user-safe message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with code and message whose cause is err.
func Wrap(code ErrorCode, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// ErrorCodeOf returns the code of the first *Error in err's chain,
// EINTERNAL for any other non-nil error and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessageOf returns the user-safe message of err.
func ErrorMessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// IsNotFound reports whether err is an ENOTFOUND error.
func IsNotFound(err error) bool { return ErrorCodeOf(err) == ENOTFOUND }
