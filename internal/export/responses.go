package export

import (
	"strconv"
	"strings"
	"time"

	"github.com/sipas/sipas/surveys"
)

// ResponseOptions tune the responses table.
type ResponseOptions struct {
	// Flags adds the "flags" column (review marks, joined with "|"). The
	// importer of SPEC 5.2 does not know that column, so CSV files meant
	// to be imported again leave it out.
	Flags bool
}

// ResponseHeader is the header of the responses table: the import format
// of SPEC 5.2 (id, submitted_at, counter, channel, lang, one column per
// item, one per optional question, "comment" among them), so that the CSV
// imports again with `sipas import`.
func ResponseHeader(def *surveys.Definition, o ResponseOptions) []any {
	h := []any{"id", "submitted_at", "counter", "channel", "lang"}
	for _, it := range def.Items() {
		h = append(h, it.Code)
	}
	for _, q := range def.Optional {
		h = append(h, q.Code)
	}
	if o.Flags {
		h = append(h, "flags")
	}
	return h
}

// ResponseRow is r as a row under ResponseHeader: answers as numbers, no
// opinion as an empty cell, the time in RFC 3339 with the
// Asia/Ho_Chi_Minh offset.
func ResponseRow(def *surveys.Definition, r *surveys.Response, o ResponseOptions, into []any) []any {
	row := append(into[:0], r.ID, r.SubmittedAt.In(surveys.Location).Format(time.RFC3339Nano), r.Counter, string(r.Channel), r.Lang)
	for _, it := range def.Items() {
		if v, ok := r.Answers[it.Code]; ok {
			row = append(row, v)
		} else {
			row = append(row, nil)
		}
	}
	for _, q := range def.Optional {
		v, ok := r.Extra[q.Code]
		switch {
		case !ok:
			row = append(row, nil)
		case q.Kind == surveys.KindScale:
			if n, err := strconv.Atoi(v); err == nil {
				row = append(row, n)
			} else {
				row = append(row, v)
			}
		default:
			row = append(row, v)
		}
	}
	if o.Flags {
		row = append(row, strings.Join(r.Flags, "|"))
	}
	return row
}
