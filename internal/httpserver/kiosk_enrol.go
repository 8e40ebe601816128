package httpserver

import (
	"crypto/rand"
	"encoding/json"
	"math/big"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// Enrolment codes: 8 characters from an alphabet without look-alikes
// (no 0/O, 1/I/L), about 40 bits, typed as XXXX-XXXX, valid 24 hours, used
// once; only their hash is stored. Guessing is bounded by the sign-in
// throttle (per client) and by Deps.Limit.
const (
	enrolAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	enrolLen      = 8
	enrolTTL      = 24 * time.Hour
)

// newEnrolCode returns a fresh code in its display form, XXXX-XXXX.
func newEnrolCode() string {
	var b strings.Builder
	max := big.NewInt(int64(len(enrolAlphabet)))
	for i := 0; i < enrolLen; i++ {
		if i == enrolLen/2 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		b.WriteByte(enrolAlphabet[n.Int64()])
	}
	return b.String()
}

// normalizeEnrolCode turns what a person typed into the hashed form:
// upper case, without spaces and hyphens.
func normalizeEnrolCode(code string) string {
	code = strings.ToUpper(code)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, code)
}

// enrolHash is what the store keeps of a code.
func enrolHash(code string) string { return auth.TokenID(normalizeEnrolCode(code)) }

// enrolBody is the answer to a successful enrolment.
type enrolBody struct {
	Token  string     `json:"token"`
	Device deviceBody `json:"device"`
}

type deviceBody struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Counter     string       `json:"counter"`
	CounterName surveys.Text `json:"counter_name"`
}

// handleEnrol exchanges a one-time enrolment code for a device token. An
// unknown, used, expired or revoked code is one answer: 401.
func (k *kiosk) handleEnrol(c *fiber.Ctx) error {
	s := k.s
	var in struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return surveys.Wrap(surveys.EMALFORMED, err, "body is not a JSON object")
	}
	client := s.clientKeyOf(c)
	account := "kiosk-enrol/" + client
	if wait := s.throttle.Check(account, client); wait > 0 {
		return &surveys.Error{Code: surveys.ERATELIMITED, Message: "too many failed enrolments"}
	}
	code := normalizeEnrolCode(in.Code)
	refused := &surveys.Error{Code: surveys.EUNAUTHORIZED, Message: "unknown, used or expired enrolment code"}
	if len(code) != enrolLen {
		s.throttle.Fail(account, client)
		return refused
	}

	k.enrolMu.Lock()
	defer k.enrolMu.Unlock()
	ctx, cancel := s.storeCtx()
	defer cancel()
	d, err := s.deps.Staff.DeviceByEnrolHash(ctx, enrolHash(code))
	if surveys.IsNotFound(err) {
		s.throttle.Fail(account, client)
		return refused
	}
	if err != nil {
		return err
	}
	now := s.deps.Now()
	if d.Revoked || d.EnrolHash == "" || !now.Before(d.EnrolExpiry) {
		s.throttle.Fail(account, client)
		return refused
	}
	token := auth.NewToken()
	d.TokenHash = auth.TokenID(token)
	d.EnrolHash = ""
	d.EnrolExpiry = time.Time{}
	d.EnrolledAt = now
	d.LastSeen = now
	if err := s.deps.Staff.PutDevice(ctx, d); err != nil {
		return err
	}
	s.throttle.Succeed(account, client)
	s.audit("device:"+d.ID, "device.enrol", d.ID, d.Name+" ("+d.Counter+")")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(enrolBody{Token: token, Device: k.deviceBody(d)})
}

func (k *kiosk) deviceBody(d surveys.Device) deviceBody {
	b := deviceBody{ID: d.ID, Name: d.Name, Counter: d.Counter, CounterName: surveys.Text{VI: d.Counter, EN: d.Counter}}
	ctx, cancel := k.s.storeCtx()
	defer cancel()
	if ct, err := k.s.deps.Staff.Counter(ctx, d.Counter); err == nil {
		b.CounterName = ct.Name
	}
	return b
}

// statusBody is what a tablet learns when it checks in.
type statusBody struct {
	Device deviceBody `json:"device"`
	// Today is how many responses of this tablet the server holds for
	// today (Asia/Ho_Chi_Minh), by the time people answered.
	Today int64 `json:"today"`
}

// handleStatus is the tablet's check-in (on load and every few minutes):
// it keeps "last contact" fresh while nobody answers, and tells a revoked
// tablet so (401) even when it has nothing to send.
func (k *kiosk) handleStatus(c *fiber.Ctx) error {
	s := k.s
	d, err := s.kioskDevice(c)
	if err != nil {
		return err
	}
	if d == nil {
		return &surveys.Error{Code: surveys.EUNAUTHORIZED, Message: "device token required"}
	}
	today, err := s.devicesToday()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(statusBody{Device: k.deviceBody(*d), Today: today[d.ID]})
}

// devicesToday counts today's responses per tablet from the rollups.
func (s *server) devicesToday() (map[string]int64, error) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	now := s.deps.Now()
	f := surveys.DayFilter{Survey: s.def.ID, FromDay: surveys.Day(now), ToDay: surveys.Day(now.AddDate(0, 0, 1))}
	into := map[string]*scoring.Tally{}
	err := s.deps.Staff.MergeRollupsBy(ctx, f, surveys.DimDevice, into, func() *scoring.Tally { return scoring.NewTallyFor(s.def) })
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(into))
	for id, t := range into {
		out[id] = t.Respondents
	}
	return out, nil
}
