package scoring

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// tallyFormat is the first byte of an encoded tally; bump it when the
// layout changes.
const tallyFormat = 1

// MarshalBinary encodes t compactly: a header, then every count as a
// zig-zag varint. SS and VV are symmetric, so only their upper triangles
// are written. A day's rollup of a few dozen responses takes a few hundred
// bytes.
func (t *Tally) MarshalBinary() ([]byte, error) {
	n := len(t.Counts) + t.K*t.K + t.K*(t.K+1)
	buf := make([]byte, 0, 16+n)
	buf = append(buf, tallyFormat)
	buf = binary.AppendUvarint(buf, uint64(t.K))
	buf = binary.AppendUvarint(buf, uint64(t.Max))
	buf = binary.AppendUvarint(buf, uint64(t.SatisfiedMin))
	buf = binary.AppendVarint(buf, t.Respondents)
	for _, v := range t.Counts {
		buf = binary.AppendVarint(buf, v)
	}
	for _, m := range [][]int64{t.SS, t.VV} {
		for i := 0; i < t.K; i++ {
			for j := i; j < t.K; j++ {
				buf = binary.AppendVarint(buf, m[i*t.K+j])
			}
		}
	}
	for _, v := range t.SV {
		buf = binary.AppendVarint(buf, v)
	}
	return buf, nil
}

var errCorrupt = errors.New("scoring: corrupt tally encoding")

// UnmarshalBinary decodes what MarshalBinary wrote.
func (t *Tally) UnmarshalBinary(b []byte) error {
	if len(b) == 0 || b[0] != tallyFormat {
		return errCorrupt
	}
	b = b[1:]
	u := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			b = nil
			return 0
		}
		b = b[n:]
		return v
	}
	k, max, sat := int(u()), int(u()), int(u())
	if b == nil || k <= 0 || k > 4096 || max <= 0 || max > 9 {
		return fmt.Errorf("%w: header", errCorrupt)
	}
	*t = *NewTally(k, max, sat)
	return t.decodeInto(b, false)
}

// MergeBinary adds an encoded tally into t without allocating a second
// tally; it is the hot path of scoring from rollups.
func (t *Tally) MergeBinary(b []byte) error {
	if len(b) == 0 || b[0] != tallyFormat {
		return errCorrupt
	}
	b = b[1:]
	var hdr [3]uint64
	for i := range hdr {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return errCorrupt
		}
		hdr[i] = v
		b = b[n:]
	}
	if int(hdr[0]) != t.K || int(hdr[1]) != t.Max || int(hdr[2]) != t.SatisfiedMin {
		return ErrShape
	}
	return t.decodeInto(b, true)
}

func (t *Tally) decodeInto(b []byte, add bool) error {
	r := varints{b: b}
	put := func(dst *int64, v int64) {
		if add {
			*dst += v
		} else {
			*dst = v
		}
	}
	put(&t.Respondents, r.next())
	for i := range t.Counts {
		put(&t.Counts[i], r.next())
	}
	k := t.K
	for _, m := range [][]int64{t.SS, t.VV} {
		for i := 0; i < k; i++ {
			for j := i; j < k; j++ {
				v := r.next()
				put(&m[i*k+j], v)
				if i != j {
					put(&m[j*k+i], v)
				}
			}
		}
	}
	for i := range t.SV {
		put(&t.SV[i], r.next())
	}
	if r.bad {
		return errCorrupt
	}
	if len(r.b) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", errCorrupt, len(r.b))
	}
	return nil
}

// varints reads zig-zag varints; most counts in a rollup are small, so a
// one-byte fast path carries the hot loop. After a malformed varint every
// read gives 0 and bad is set.
type varints struct {
	b   []byte
	bad bool
}

func (r *varints) next() int64 {
	if len(r.b) > 0 && r.b[0] < 0x80 {
		x := int64(r.b[0])
		r.b = r.b[1:]
		return x>>1 ^ -(x & 1)
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}
