// Package export writes the dashboard's data as CSV (UTF-8 with a byte
// order mark, so that Excel opens Vietnamese text intact) and XLSX
// (excelize's stream writer), row by row to an io.Writer with constant
// memory. Text that a spreadsheet would run as a formula is neutralised.
package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Neutralize makes s safe to open in a spreadsheet: a cell starting with
// =, +, -, @, a tab or a carriage return would be read as a formula
// (formula injection, OWASP "CSV injection"), so it gets a leading
// apostrophe, which spreadsheets show as text.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// RowWriter writes a table row by row. A row's cells are strings (text,
// neutralised), int, int64 or float64 (numbers), or nil (empty).
type RowWriter interface {
	WriteRow(cells []any) error
	// Close flushes what is buffered; the writer is unusable after.
	Close() error
}

// BOM is the UTF-8 byte order mark CSV files start with.
const BOM = "\ufeff"

// csvWriter writes CSV.
type csvWriter struct {
	bw  *bufio.Writer
	cw  *csv.Writer
	rec []string
}

// NewCSV returns a RowWriter of CSV to w, which starts with the BOM.
// Numbers are written with a decimal point (machine-readable: SPEC 5.2).
func NewCSV(w io.Writer) (RowWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(BOM); err != nil {
		return nil, err
	}
	return &csvWriter{bw: bw, cw: csv.NewWriter(bw)}, nil
}

func (w *csvWriter) WriteRow(cells []any) error {
	w.rec = w.rec[:0]
	for _, c := range cells {
		w.rec = append(w.rec, cellText(c))
	}
	return w.cw.Write(w.rec)
}

func (w *csvWriter) Close() error {
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return err
	}
	return w.bw.Flush()
}

// cellText is a cell as CSV text.
func cellText(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return Neutralize(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case *float64:
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	return Neutralize(fmt.Sprint(c))
}

// xlsxWriter writes one sheet of an XLSX workbook with excelize's stream
// writer, which keeps rows on disk past a small buffer; the workbook is
// written to w on Close.
type xlsxWriter struct {
	w    io.Writer
	f    *excelize.File
	sw   *excelize.StreamWriter
	row  int
	vals []any
}

// NewXLSX returns a RowWriter of an XLSX workbook with one sheet named
// sheet, written to w on Close. The first row is frozen as the header.
func NewXLSX(w io.Writer, sheet string) (RowWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxWriter{w: w, f: f, sw: sw}, nil
}

func (x *xlsxWriter) WriteRow(cells []any) error {
	x.row++
	x.vals = x.vals[:0]
	for _, c := range cells {
		switch v := c.(type) {
		case string:
			// Typed as text: never a formula, shown as is; neutralised
			// anyway, since a copy into CSV or another sheet would not
			// keep the type.
			x.vals = append(x.vals, Neutralize(v))
		case *float64:
			if v == nil {
				x.vals = append(x.vals, nil)
			} else {
				x.vals = append(x.vals, *v)
			}
		default:
			x.vals = append(x.vals, c)
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.vals)
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(x.w)
	return err
}
