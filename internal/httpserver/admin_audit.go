package httpserver

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/surveys"
)

// auditPageSize is how many audit entries a page shows.
const auditPageSize = 50

// auditView is GET /admin/audit: newest first, paged by time.
type auditView struct {
	staffPage
	Entries []auditRow
	Next    string // link to older entries; "" on the last page
}

type auditRow struct {
	At, Actor, Action, Target, Detail string
}

func (s *server) handleAuditList(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	var before time.Time
	if b := c.Query("before"); b != "" {
		ns, err := strconv.ParseInt(b, 10, 64)
		if err != nil || ns <= 0 {
			return &surveys.Error{Code: surveys.EMALFORMED, Message: "bad before"}
		}
		before = time.Unix(0, ns)
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	es, err := s.deps.Staff.Audit(ctx, before, auditPageSize+1)
	if err != nil {
		return err
	}
	v := auditView{staffPage: s.newStaffPage(c, s.cat.T(lang, "admin.audit"), navAdmin)}
	if len(es) > auditPageSize {
		es = es[:auditPageSize]
		v.Next = "/admin/audit?before=" + url.QueryEscape(strconv.FormatInt(es[len(es)-1].At.UnixNano(), 10))
	}
	for _, e := range es {
		// html/template escapes every field: actors, targets and details
		// may hold anything a user typed.
		v.Entries = append(v.Entries, auditRow{At: e.At.In(surveys.Location).Format("2006-01-02 15:04:05"),
			Actor: e.Actor, Action: e.Action, Target: e.Target, Detail: e.Detail})
	}
	return s.render(c, fiber.StatusOK, "staff/admin_audit.html", v)
}
