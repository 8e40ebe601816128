package sqlitestore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/sipas/sipas/surveys"
)

// responseRow is a response as the responses table holds it.
type responseRow struct {
	ID          string
	Survey      string
	Version     int
	Counter     string
	Channel     string
	Lang        string
	Day         string
	SubmittedAt int64
	ReceivedAt  sql.NullInt64
	Device      string
	Answers     string
	Extra       string
	Flags       string // JSON array
}

// responseColumns lists the columns in the order of responseRow.args and
// scan.
const responseColumns = `id, survey, version, counter, channel, lang, day, submitted_at, received_at, device, answers, extra, flags`

// toResponseRow converts a response for storage. Answers are a JSON object
// of the items answered: an item with no opinion is absent, never 0.
func toResponseRow(r *surveys.Response) (responseRow, error) {
	a := encodeAnswers(r.Answers)
	e := []byte("{}")
	if len(r.Extra) > 0 {
		var err error
		if e, err = json.Marshal(r.Extra); err != nil {
			return responseRow{}, fmt.Errorf("encode extra: %w", err)
		}
	}
	f := []byte("[]")
	if len(r.Flags) > 0 {
		var err error
		if f, err = json.Marshal(r.Flags); err != nil {
			return responseRow{}, fmt.Errorf("encode flags: %w", err)
		}
	}
	row := responseRow{
		ID: r.ID, Survey: r.Survey, Version: r.Version, Counter: r.Counter,
		Channel: string(r.Channel), Lang: r.Lang, Day: surveys.Day(r.SubmittedAt),
		SubmittedAt: r.SubmittedAt.UnixMilli(), Device: r.Device,
		Answers: string(a), Extra: string(e), Flags: string(f),
	}
	if !r.ReceivedAt.IsZero() {
		row.ReceivedAt = sql.NullInt64{Int64: r.ReceivedAt.UnixMilli(), Valid: true}
	}
	return row, nil
}

func (row *responseRow) args() []any {
	return []any{row.ID, row.Survey, row.Version, row.Counter, row.Channel, row.Lang, row.Day,
		row.SubmittedAt, row.ReceivedAt, row.Device, row.Answers, row.Extra, row.Flags}
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func (row *responseRow) scan(sc scanner) error {
	return sc.Scan(&row.ID, &row.Survey, &row.Version, &row.Counter, &row.Channel, &row.Lang, &row.Day,
		&row.SubmittedAt, &row.ReceivedAt, &row.Device, &row.Answers, &row.Extra, &row.Flags)
}

// toResponse converts a stored row back; times come back in UTC.
func (row *responseRow) toResponse(r *surveys.Response) error {
	*r = surveys.Response{
		ID: row.ID, Survey: row.Survey, Version: row.Version, Counter: row.Counter,
		Channel: surveys.Channel(row.Channel), Lang: row.Lang, Device: row.Device,
		SubmittedAt: time.UnixMilli(row.SubmittedAt).UTC(),
	}
	if row.ReceivedAt.Valid {
		r.ReceivedAt = time.UnixMilli(row.ReceivedAt.Int64).UTC()
	}
	if err := json.Unmarshal([]byte(row.Answers), &r.Answers); err != nil {
		return fmt.Errorf("response %s: decode answers: %w", row.ID, err)
	}
	if err := json.Unmarshal([]byte(row.Extra), &r.Extra); err != nil {
		return fmt.Errorf("response %s: decode extra: %w", row.ID, err)
	}
	if len(r.Extra) == 0 {
		r.Extra = nil
	}
	if err := json.Unmarshal([]byte(row.Flags), &r.Flags); err != nil {
		return fmt.Errorf("response %s: decode flags: %w", row.ID, err)
	}
	if len(r.Flags) == 0 {
		r.Flags = nil
	}
	return nil
}

// encodeAnswers writes answers as a JSON object with sorted keys, the same
// text json.Marshal gives, without reflection: it runs for every stored
// response. Item codes are validated codes (letters, digits, _), so they
// need no escaping.
func encodeAnswers(answers map[string]int) []byte {
	if len(answers) == 0 {
		return []byte("{}")
	}
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := make([]byte, 0, 8*len(keys)+2)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, k)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(answers[k]), 10)
	}
	return append(b, '}')
}
