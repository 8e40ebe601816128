// Package csvimport loads responses from CSV files (past paper surveys,
// other systems) per SPEC 5.2: streaming, every rejected line reported
// with its number and reason, good lines kept, nothing stored twice.
package csvimport

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sipas/sipas/surveys"
)

// Store is what the importer needs of a store.
type Store interface {
	InsertResponses(ctx context.Context, rs []surveys.Response) ([]bool, error)
	Counters(ctx context.Context) ([]surveys.Counter, error)
}

// Rejection is one line that was not imported.
type Rejection struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Result counts what an import did.
type Result struct {
	Imported   int         `json:"imported"`
	Duplicates int         `json:"duplicates"`
	Rejected   int         `json:"rejected"`
	Rejections []Rejection `json:"rejections,omitempty"`
}

// Options tune an import.
type Options struct {
	BatchSize int // responses per store call (default 20000)
	// OnReject, when set, is called for each rejection as it happens, and
	// the rejection is not kept in Result.Rejections (constant memory).
	OnReject func(Rejection)
	Now      func() time.Time
}

// Import reads CSV from r and stores its valid lines as responses to def.
// A header problem (unknown or repeated column) fails the whole file
// before anything is stored.
func Import(ctx context.Context, s Store, def *surveys.Definition, r io.Reader, opt Options) (Result, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 20000
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	var res Result
	reject := func(line int, format string, args ...any) {
		rj := Rejection{Line: line, Reason: fmt.Sprintf(format, args...)}
		res.Rejected++
		if opt.OnReject != nil {
			opt.OnReject(rj)
		} else {
			res.Rejections = append(res.Rejections, rj)
		}
	}
	counters := map[string]*surveys.Counter{}
	cs, err := s.Counters(ctx)
	if err != nil {
		return res, err
	}
	for i := range cs {
		counters[cs[i].Code] = &cs[i]
	}

	cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return res, fmt.Errorf("read header: %w", err)
	}
	cols, err := parseHeader(def, header)
	if err != nil {
		return res, err
	}

	seen := map[[8]byte]uint32{} // content hash of id-less lines -> occurrences
	// Parsing and storing overlap: one goroutine stores full batches
	// while the reader parses the next, at most two batches in flight,
	// so memory stays bounded by the batch size.
	full := make(chan []surveys.Response, 1)
	stored := make(chan error, 1)
	var failed atomic.Bool
	go func() {
		var err error
		for rs := range full {
			if err != nil {
				continue // drain after a failure
			}
			var created []bool
			created, err = s.InsertResponses(ctx, rs)
			if err != nil {
				failed.Store(true)
			}
			for _, c := range created {
				if c {
					res.Imported++
				} else {
					res.Duplicates++
				}
			}
		}
		stored <- err
	}()
	batch := make([]surveys.Response, 0, opt.BatchSize)
	flush := func() {
		if len(batch) > 0 {
			full <- batch
			batch = make([]surveys.Response, 0, opt.BatchSize)
		}
	}
	finish := func(readErr error) (Result, error) {
		if readErr == nil {
			flush()
		}
		close(full)
		err := <-stored
		if readErr != nil {
			return res, readErr
		}
		return res, err
	}
	for !failed.Load() {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// A quoting error spoils one record; the reader resumes at
			// the next line.
			reject(pe.StartLine, "unreadable CSV: %v", pe.Err)
			continue
		}
		if err != nil {
			return finish(fmt.Errorf("read CSV: %w", err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols.names) {
			reject(line, "has %d fields, the header has %d", len(rec), len(cols.names))
			continue
		}
		if blank(rec) {
			continue
		}
		derive := func() string {
			h := contentHash(rec, cols.idCol)
			seen[h]++
			return derivedID(def.ID, h, seen[h])
		}
		resp, field, reason := parseLine(def, cols, rec, counters, opt.Now(), derive)
		if reason != "" {
			if field != "" {
				reject(line, "%s: %s", field, reason)
			} else {
				reject(line, "%s", reason)
			}
			continue
		}
		batch = append(batch, resp)
		if len(batch) == opt.BatchSize {
			flush()
		}
	}
	return finish(nil)
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// contentHash hashes a line's fields except the (empty) id column.
func contentHash(rec []string, idCol int) [8]byte {
	h := sha1.New()
	for i, f := range rec {
		if i == idCol {
			continue
		}
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		h.Write(n[:])
		h.Write([]byte(strings.TrimSpace(f)))
	}
	var out [8]byte
	copy(out[:], h.Sum(nil))
	return out
}

// derivedID is a name-based (version 5 style) UUID of the survey, the
// line's content and its occurrence number among identical lines, so that
// importing the same file again adds nothing.
func derivedID(survey string, content [8]byte, occurrence uint32) string {
	h := sha1.New()
	h.Write([]byte("sipas-import\x00" + survey + "\x00"))
	h.Write(content[:])
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], occurrence)
	h.Write(n[:])
	b := h.Sum(nil)[:16]
	b[6] = (b[6] & 0x0f) | 0x50
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
