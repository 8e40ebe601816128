package i18n

import (
	"math"
	"testing"
)

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		lang   string
		v      float64
		digits int
		want   string
	}{
		{VI, 84.3712, 2, "84,37"},
		{VI, 1234567, 0, "1.234.567"},
		{VI, 1234.5, 1, "1.234,5"},
		{EN, 1234.5, 1, "1,234.5"},
		{VI, -2.05, 1, "-2,0"},
		{VI, -0.001, 2, "0,00"},
		{VI, 100, 2, "100,00"},
		{VI, math.NaN(), 2, "–"},
	} {
		if got := Decimal(c.lang, c.v, c.digits); got != c.want {
			t.Errorf("Decimal(%s, %v, %d) = %q, want %q", c.lang, c.v, c.digits, got, c.want)
		}
	}
	if got := Percent(VI, 84.3712); got != "84,37%" {
		t.Errorf("Percent = %q", got)
	}
}
