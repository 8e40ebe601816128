package httpserver

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/export"
	"github.com/sipas/sipas/surveys"
)

// exportTimeout bounds one export's read of the store: a million
// responses stream in well under a minute.
const exportTimeout = 10 * time.Minute

// Content types of the exports.
const (
	mimeCSV  = "text/csv; charset=utf-8"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// exportFormat is "csv" or "xlsx".
type exportFormat string

const (
	formatCSV  exportFormat = "csv"
	formatXLSX exportFormat = "xlsx"
)

func (s *server) handleExportResponsesCSV(c *fiber.Ctx) error {
	return s.exportResponses(c, formatCSV)
}

func (s *server) handleExportResponsesXLSX(c *fiber.Ctx) error {
	return s.exportResponses(c, formatXLSX)
}

func (s *server) handleExportIndicesCSV(c *fiber.Ctx) error { return s.exportIndices(c, formatCSV) }

func (s *server) handleExportIndicesXLSX(c *fiber.Ctx) error { return s.exportIndices(c, formatXLSX) }

// exportResponses streams the raw responses of the dashboard's filter.
// The CSV leaves the review flags out unless ?flags=1, so that it imports
// again with `sipas import`; the XLSX has them.
func (s *server) exportResponses(c *fiber.Ctx, format exportFormat) error {
	f := s.parseDashFilter(c, s.deps.Now())
	def, _ := s.deps.Surveys.Get(f.Survey)
	opt := export.ResponseOptions{Flags: format == formatXLSX || c.Query("flags") == "1"}
	var scope map[string]bool
	if f.Division != "" {
		ctx, cancel := s.storeCtx()
		cs, err := s.deps.Staff.Counters(ctx)
		cancel()
		if err != nil {
			return err
		}
		scope = map[string]bool{}
		for _, x := range cs {
			if x.Division == f.Division {
				scope[x.Code] = true
			}
		}
	}
	if err := s.auditExport(c, format, "responses", f); err != nil {
		return err
	}
	name := fmt.Sprintf("sipas-responses-%s-%s-%s.%s", f.Survey, f.From, f.To, format)
	return s.streamExport(c, format, name, "responses", func(ctx context.Context, w export.RowWriter) error {
		if err := w.WriteRow(export.ResponseHeader(def, opt)); err != nil {
			return err
		}
		row := make([]any, 0, 64)
		return s.deps.Staff.EachResponse(ctx, f.responseFilter(), func(r *surveys.Response) error {
			if scope != nil && !scope[r.Counter] {
				return nil
			}
			row = export.ResponseRow(def, r, opt, row)
			return w.WriteRow(row)
		})
	})
}

// exportIndices writes the factor and item scores of the dashboard's
// filter (the numbers of its indices table, unrounded).
func (s *server) exportIndices(c *fiber.Ctx, format exportFormat) error {
	lang := s.staffLang(c)
	f := s.parseDashFilter(c, s.deps.Now())
	ctx, cancel := s.storeCtx()
	defer cancel()
	d, err := s.loadDash(ctx, f, dashParts{})
	if err != nil {
		return err
	}
	if err := s.auditExport(c, format, "indices", f); err != nil {
		return err
	}
	name := fmt.Sprintf("sipas-indices-%s-%s-%s.%s", f.Survey, f.From, f.To, format)
	rows := export.IndexRows(d.def, d.score, lang)
	return s.streamExport(c, format, name, "indices", func(_ context.Context, w export.RowWriter) error {
		if err := w.WriteRow(export.IndexHeader); err != nil {
			return err
		}
		for _, r := range rows {
			if err := w.WriteRow(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// auditExport records who exported what.
func (s *server) auditExport(c *fiber.Ctx, format exportFormat, what string, f dashFilter) error {
	ctx, cancel := s.storeCtx()
	defer cancel()
	return s.deps.Staff.AppendAudit(ctx, surveys.AuditEntry{
		At: s.deps.Now(), Actor: s.currentUser(c).User.Name, Action: "export." + string(format),
		Target: what + " " + f.describe(),
	})
}

// streamExport sends the table fill writes as a download, streamed: the
// body is written after the handler returns, so an error past the first
// bytes can only be logged (the file is then cut short).
func (s *server) streamExport(c *fiber.Ctx, format exportFormat, name, sheet string, fill func(context.Context, export.RowWriter) error) error {
	mime := mimeCSV
	if format == formatXLSX {
		mime = mimeXLSX
	}
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	log := s.log
	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()
		if err := writeExport(ctx, bw, format, sheet, fill); err != nil {
			log.Error("export failed", "file", name, "err", err)
		}
	})
	return nil
}

func writeExport(ctx context.Context, out io.Writer, format exportFormat, sheet string, fill func(context.Context, export.RowWriter) error) error {
	var (
		w   export.RowWriter
		err error
	)
	if format == formatXLSX {
		w, err = export.NewXLSX(out, sheet)
	} else {
		w, err = export.NewCSV(out)
	}
	if err != nil {
		return err
	}
	if err := fill(ctx, w); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}
