package httpserver

import (
	"html/template"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/qrcode"
	"github.com/sipas/sipas/surveys"
)

// deviceAdminRoutes mounts the tablets' administration on r (/admin,
// which already requires an admin and checks CSRF on every POST).
//
//	GET  /admin/devices              list, last contact, today's count, create form
//	POST /admin/devices              create a tablet: shows its enrolment code and QR once
//	POST /admin/devices/code         (id) new enrolment code: re-enrol; the old token stops working
//	POST /admin/devices/revoke       (id) revoke: its token gets 401 from then on
//
// The tablet's id is a form field, not a path parameter: the paths stay
// fixed, which the admin route tests enumerate.
func (s *server) deviceAdminRoutes(r fiber.Router) {
	r.Get("/devices", s.handleDeviceList)
	r.Post("/devices", s.handleDeviceCreate)
	r.Post("/devices/code", s.handleDeviceCode)
	r.Post("/devices/revoke", s.handleDeviceRevoke)
}

// deviceRow is one tablet of the list.
type deviceRow struct {
	surveys.Device
	CounterName string
	Status      string // "enrolled", "pending", "expired", "revoked"
	Today       int64
}

// deviceListView is /admin/devices.
type deviceListView struct {
	staffPage
	Devices  []deviceRow
	Counters []surveys.Counter
	Name     string // the create form's values, kept on error
	Counter  string
	Errors   fieldErrors
	Revoked  string // name of the tablet just revoked, for the notice
}

// deviceCodeView shows a fresh enrolment code: the only time it is shown.
type deviceCodeView struct {
	staffPage
	Device  surveys.Device
	Code    string
	Link    string
	QR      template.HTML
	Expires time.Time
}

func (s *server) handleDeviceList(c *fiber.Ctx) error {
	return s.renderDeviceList(c, fiber.StatusOK, deviceListView{Revoked: c.Query("revoked")})
}

func (s *server) renderDeviceList(c *fiber.Ctx, status int, v deviceListView) error {
	lang := s.staffLang(c)
	ctx, cancel := s.storeCtx()
	defer cancel()
	devices, err := s.deps.Staff.Devices(ctx)
	if err != nil {
		return err
	}
	counters, err := s.deps.Staff.Counters(ctx)
	if err != nil {
		return err
	}
	today, err := s.devicesToday()
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, ct := range counters {
		names[ct.Code] = ct.Name.In(lang)
	}
	now := s.deps.Now()
	for _, d := range devices {
		if !d.LastSeen.IsZero() {
			d.LastSeen = d.LastSeen.In(surveys.Location)
		}
		row := deviceRow{Device: d, CounterName: names[d.Counter], Today: today[d.ID]}
		switch {
		case d.Revoked:
			row.Status = "revoked"
		case d.TokenHash != "":
			row.Status = "enrolled"
		case d.EnrolHash != "" && now.Before(d.EnrolExpiry):
			row.Status = "pending"
		default:
			row.Status = "expired"
		}
		v.Devices = append(v.Devices, row)
	}
	v.Counters = counters
	v.staffPage = s.newStaffPage(c, s.cat.T(lang, "device.title"), navAdmin)
	return s.render(c, status, "staff/devices.html", v)
}

func (s *server) handleDeviceCreate(c *fiber.Ctx) error {
	v := deviceListView{Name: formText(c, "name"), Counter: formText(c, "counter"), Errors: fieldErrors{}}
	lang := s.staffLang(c)
	if v.Name == "" {
		v.Errors["name"] = s.cat.T(lang, surveys.MsgRequired)
	} else if utf8.RuneCountInString(v.Name) > maxNameLen {
		v.Errors["name"] = s.cat.T(lang, surveys.MsgTooLong)
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	if _, err := s.deps.Staff.Counter(ctx, v.Counter); surveys.IsNotFound(err) || !surveys.ValidCounterCode(v.Counter) {
		v.Errors["counter"] = s.cat.T(lang, surveys.MsgUnknownCounter)
	} else if err != nil {
		return err
	}
	if len(v.Errors) > 0 {
		return s.renderDeviceList(c, fiber.StatusUnprocessableEntity, v)
	}
	d := surveys.Device{ID: surveys.NewUUID(), Name: v.Name, Counter: v.Counter, CreatedAt: s.deps.Now()}
	return s.issueEnrolCode(c, d, "device.create")
}

// issueEnrolCode gives d a fresh code, stores it and shows the code once.
// The page answers the POST directly (no redirect): the code exists
// nowhere else, not even in the store, which keeps only its hash.
func (s *server) issueEnrolCode(c *fiber.Ctx, d surveys.Device, action string) error {
	code := newEnrolCode()
	now := s.deps.Now()
	d.EnrolHash = enrolHash(code)
	d.EnrolExpiry = now.Add(enrolTTL)
	ctx, cancel := s.storeCtx()
	defer cancel()
	if err := s.deps.Staff.PutDevice(ctx, d); err != nil {
		return err
	}
	s.audit(s.actor(c), action, d.ID, d.Name+" ("+d.Counter+")")

	base := s.cfg.BaseURL
	if base == "" {
		base = c.BaseURL()
	}
	link := strings.TrimSuffix(base, "/") + "/kiosk/enrol?code=" + url.QueryEscape(code)
	svg, err := qrcode.SVG(link)
	if err != nil {
		return err
	}
	lang := s.staffLang(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, fiber.StatusOK, "staff/devices_code.html", deviceCodeView{
		staffPage: s.newStaffPage(c, s.cat.T(lang, "device.code_title"), navAdmin),
		Device:    d, Code: code, Link: link, Expires: d.EnrolExpiry.In(surveys.Location),
		QR: template.HTML(svg), // our own encoder's SVG, not user input
	})
}

// handleDeviceCode re-enrols a tablet: a new code, and its current token
// (if any) stops working at once. A revoked tablet can be re-enrolled so.
func (s *server) handleDeviceCode(c *fiber.Ctx) error {
	d, err := s.deviceParam(c)
	if err != nil {
		return err
	}
	d.TokenHash = ""
	d.Revoked = false
	return s.issueEnrolCode(c, d, "device.code")
}

func (s *server) handleDeviceRevoke(c *fiber.Ctx) error {
	d, err := s.deviceParam(c)
	if err != nil {
		return err
	}
	d.Revoked = true
	d.EnrolHash = ""
	ctx, cancel := s.storeCtx()
	defer cancel()
	if err := s.deps.Staff.PutDevice(ctx, d); err != nil {
		return err
	}
	s.audit(s.actor(c), "device.revoke", d.ID, d.Name+" ("+d.Counter+")")
	return c.Redirect("/admin/devices?revoked="+url.QueryEscape(d.Name), fiber.StatusSeeOther)
}

// deviceParam loads the tablet named by the form field id, or ENOTFOUND.
func (s *server) deviceParam(c *fiber.Ctx) (surveys.Device, error) {
	id, err := surveys.ParseUUID(c.FormValue("id"))
	if err != nil {
		return surveys.Device{}, surveys.Errorf(surveys.ENOTFOUND, "no such device")
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	return s.deps.Staff.Device(ctx, id)
}
