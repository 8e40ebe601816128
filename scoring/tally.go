package scoring

import (
	"errors"
	"fmt"
)

// Tally holds mergeable counts for a set of responses to one survey
// definition: per item, the number of answers of each value; and per pair
// of items (i, j), the sufficient statistics that the interval of a factor
// or service index needs because the same respondents answer several items:
//
//	SS[i][j] respondents satisfied on both i and j
//	SV[i][j] respondents satisfied on i with a valid answer on j
//	VV[i][j] respondents with valid answers on both
//
// (SS and VV are symmetric; SV[i][i] = satisfied on i, VV[i][i] = valid
// on i.) Tallies of disjoint sets of responses add up to the tally of
// their union, so rollups of days, counters or servers merge exactly.
type Tally struct {
	K            int     // number of items
	Max          int     // largest scale value
	SatisfiedMin int     // smallest satisfied value
	Respondents  int64   // responses added
	Counts       []int64 // K × (Max+1): Counts[i*(Max+1)+v], v = 0 for no opinion
	SS, SV, VV   []int64 // K × K, row-major
}

// NewTally returns an empty tally for k items on a scale up to max, with
// values from satisfiedMin up counted as satisfied.
func NewTally(k, max, satisfiedMin int) *Tally {
	return &Tally{
		K: k, Max: max, SatisfiedMin: satisfiedMin,
		Counts: make([]int64, k*(max+1)),
		SS:     make([]int64, k*k),
		SV:     make([]int64, k*k),
		VV:     make([]int64, k*k),
	}
}

// Add counts one response given as values aligned with the definition's
// items (0 = no opinion or missing).
func (t *Tally) Add(values []int8) {
	t.add(values, 1)
}

// Remove takes back a response added before (used when a response is
// excluded after review).
func (t *Tally) Remove(values []int8) {
	t.add(values, -1)
}

func (t *Tally) add(values []int8, sign int64) {
	t.Respondents += sign
	w := t.Max + 1
	var validBuf, satBuf [64]int
	validIdx, satIdx := validBuf[:], satBuf[:]
	if t.K > len(validBuf) {
		// Longer instruments than any we ship: allocate rather than drop
		// pairs.
		validIdx, satIdx = make([]int, t.K), make([]int, t.K)
	}
	nv, ns := 0, 0
	for i := 0; i < t.K && i < len(values); i++ {
		v := int(values[i])
		if v < 0 || v > t.Max {
			v = 0
		}
		t.Counts[i*w+v] += sign
		if v != 0 {
			validIdx[nv] = i
			nv++
			if v >= t.SatisfiedMin {
				satIdx[ns] = i
				ns++
			}
		}
	}
	for a := 0; a < nv; a++ {
		row := validIdx[a] * t.K
		for b := 0; b < nv; b++ {
			t.VV[row+validIdx[b]] += sign
		}
	}
	for a := 0; a < ns; a++ {
		row := satIdx[a] * t.K
		for b := 0; b < ns; b++ {
			t.SS[row+satIdx[b]] += sign
		}
		for b := 0; b < nv; b++ {
			t.SV[row+validIdx[b]] += sign
		}
	}
}

// ErrShape is returned when tallies of different shapes are merged.
var ErrShape = errors.New("scoring: tallies of different shapes")

// Merge adds o into t.
func (t *Tally) Merge(o *Tally) error {
	if o == nil {
		return nil
	}
	if t.K != o.K || t.Max != o.Max || t.SatisfiedMin != o.SatisfiedMin {
		return fmt.Errorf("%w: %d/%d/%d and %d/%d/%d", ErrShape, t.K, t.Max, t.SatisfiedMin, o.K, o.Max, o.SatisfiedMin)
	}
	t.Respondents += o.Respondents
	addInto(t.Counts, o.Counts)
	addInto(t.SS, o.SS)
	addInto(t.SV, o.SV)
	addInto(t.VV, o.VV)
	return nil
}

// ErrNotContained is returned by Sub when o counts something t does not.
var ErrNotContained = errors.New("scoring: subtracted tally is not part of the tally")

// Sub takes o, the tally of responses counted in t, back out of t: the
// inverse of Merge, for corrections. When any count would go negative
// (o is not part of t) it returns ErrNotContained and leaves t unchanged.
func (t *Tally) Sub(o *Tally) error {
	if o == nil {
		return nil
	}
	if t.K != o.K || t.Max != o.Max || t.SatisfiedMin != o.SatisfiedMin {
		return fmt.Errorf("%w: %d/%d/%d and %d/%d/%d", ErrShape, t.K, t.Max, t.SatisfiedMin, o.K, o.Max, o.SatisfiedMin)
	}
	if t.Respondents < o.Respondents || !covers(t.Counts, o.Counts) ||
		!covers(t.SS, o.SS) || !covers(t.SV, o.SV) || !covers(t.VV, o.VV) {
		return ErrNotContained
	}
	t.Respondents -= o.Respondents
	subFrom(t.Counts, o.Counts)
	subFrom(t.SS, o.SS)
	subFrom(t.SV, o.SV)
	subFrom(t.VV, o.VV)
	return nil
}

func covers(a, b []int64) bool {
	for i, v := range b {
		if a[i] < v {
			return false
		}
	}
	return true
}

func subFrom(dst, src []int64) {
	for i, v := range src {
		dst[i] -= v
	}
}

func addInto(dst, src []int64) {
	for i, v := range src {
		dst[i] += v
	}
}

// Clone returns a deep copy of t.
func (t *Tally) Clone() *Tally {
	c := *t
	c.Counts = append([]int64(nil), t.Counts...)
	c.SS = append([]int64(nil), t.SS...)
	c.SV = append([]int64(nil), t.SV...)
	c.VV = append([]int64(nil), t.VV...)
	return &c
}

// Count returns how many answers item i got with value v (0 = no opinion).
func (t *Tally) Count(i, v int) int64 { return t.Counts[i*(t.Max+1)+v] }

// Valid returns how many valid (1..Max) answers item i got.
func (t *Tally) Valid(i int) int64 { return t.VV[i*t.K+i] }

// Satisfied returns how many satisfied answers item i got.
func (t *Tally) Satisfied(i int) int64 { return t.SS[i*t.K+i] }

// Equal reports whether two tallies hold the same counts.
func (t *Tally) Equal(o *Tally) bool {
	if t.K != o.K || t.Max != o.Max || t.SatisfiedMin != o.SatisfiedMin || t.Respondents != o.Respondents {
		return false
	}
	return eq(t.Counts, o.Counts) && eq(t.SS, o.SS) && eq(t.SV, o.SV) && eq(t.VV, o.VV)
}

func eq(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
