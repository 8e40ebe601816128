package httpserver

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/surveys"
)

// codeMethodNotAllowed classifies 405s, which have no domain meaning.
const codeMethodNotAllowed surveys.ErrorCode = "method_not_allowed"

// statusOf maps application error codes to HTTP statuses, in one place.
var statusOf = map[surveys.ErrorCode]int{
	surveys.EINVALID:      http.StatusUnprocessableEntity,
	surveys.EMALFORMED:    http.StatusBadRequest,
	surveys.ENOTFOUND:     http.StatusNotFound,
	surveys.ECONFLICT:     http.StatusConflict,
	surveys.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	surveys.ERATELIMITED:  http.StatusTooManyRequests,
	surveys.EUNAVAILABLE:  http.StatusServiceUnavailable,
	surveys.EUNAUTHORIZED: http.StatusUnauthorized,
	surveys.EFORBIDDEN:    http.StatusForbidden,
	codeMethodNotAllowed:  http.StatusMethodNotAllowed,
}

// classify returns the code and status of err, *surveys.Error and
// *fiber.Error alike; anything else is an internal error.
func classify(err error) (surveys.ErrorCode, int) {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case http.StatusNotFound:
			return surveys.ENOTFOUND, fe.Code
		case http.StatusRequestEntityTooLarge:
			return surveys.ETOOLARGE, fe.Code
		case http.StatusTooManyRequests:
			return surveys.ERATELIMITED, fe.Code
		case http.StatusServiceUnavailable:
			return surveys.EUNAVAILABLE, fe.Code
		case http.StatusMethodNotAllowed:
			return codeMethodNotAllowed, fe.Code
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return surveys.EMALFORMED, fe.Code
		}
		return surveys.EINTERNAL, http.StatusInternalServerError
	}
	code := surveys.ErrorCodeOf(err)
	if st, ok := statusOf[code]; ok {
		return code, st
	}
	return surveys.EINTERNAL, http.StatusInternalServerError
}

// retryAfter is the Retry-After of a 503 or 429, in seconds.
const retryAfter = "30"

// apiError is the JSON error body of SPEC 5.3.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// errorView is the error page.
type errorView struct {
	page
	Message string
}

// notFoundView is the 404 page: Vietnamese, then English.
type notFoundView struct {
	page
}

// handleError is the one place errors become responses. Internal error
// text is logged and never sent; field messages are translated.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	s.setSecurityHeaders(c)
	code, status := classify(err)
	if status >= 500 {
		// The method and route, never the client address (SPEC 7).
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	}
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		if !errors.Is(err, errRetryAfterSet) || c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
			c.Set(fiber.HeaderRetryAfter, retryAfter)
		}
	}
	if strings.HasPrefix(c.Path(), "/api/") {
		lang := i18n.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
		body := apiError{Error: apiErrorBody{Code: string(code), Message: s.cat.T(lang, "error."+string(code))}}
		var ae *surveys.Error
		if errors.As(err, &ae) && len(ae.Fields) > 0 && status < 500 {
			body.Error.Fields = make(map[string]string, len(ae.Fields))
			for f, key := range ae.Fields {
				body.Error.Fields[f] = s.cat.T(lang, key)
			}
		}
		return c.Status(status).JSON(body)
	}
	var rerr error
	if code == surveys.ENOTFOUND {
		rerr = s.render(c, status, "notfound.html", notFoundView{page: s.newPage(i18n.VI, s.cat.T(i18n.VI, "notfound.title")+" / "+s.cat.T(i18n.EN, "notfound.title"), "")})
	} else {
		lang := langOf(c)
		rerr = s.render(c, status, "error.html", errorView{
			page:    s.newPage(lang, s.cat.T(lang, "error.title"), ""),
			Message: s.cat.T(lang, "error."+string(code)),
		})
	}
	if rerr != nil {
		s.log.Error("render error page", "err", rerr)
		return c.Status(status).SendString(s.cat.T(i18n.VI, "error."+string(code)))
	}
	return nil
}
