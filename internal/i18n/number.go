package i18n

import (
	"math"
	"strconv"
	"strings"
)

// Decimal formats v with digits decimals in the style of lang: Vietnamese
// writes 84,37 and groups thousands with dots (1.234,5); English writes
// 84.37 and 1,234.5. NaN and infinities give "–".
func Decimal(lang string, v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	group, point := ".", ","
	if Lang(lang) == EN {
		group, point = ",", "."
	}
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// Percent formats a percentage (0–100) with two decimals: 84,37%.
func Percent(lang string, v float64) string { return Decimal(lang, v, 2) + "%" }

// Int formats a count with grouped thousands: 1.234.567.
func Int(lang string, n int64) string { return Decimal(lang, float64(n), 0) }
