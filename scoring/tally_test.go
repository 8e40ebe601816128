package scoring

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/sipas/sipas/surveys"
)

// partition deals the vectors at random into g tallies (some may stay
// empty).
func partition(rng *rand.Rand, d *surveys.Definition, vecs [][]int8, g int) []*Tally {
	parts := make([]*Tally, g)
	for i := range parts {
		parts[i] = NewTallyFor(d)
	}
	for _, v := range vecs {
		parts[rng.IntN(g)].Add(v)
	}
	return parts
}

// TestMergeAnyOrder: however responses are split into rollups and however
// the rollups are merged (in any order, in any grouping, directly or
// through their binary encoding), the result equals the tally of all of
// them, and so does its score, bit for bit.
func TestMergeAnyOrder(t *testing.T) {
	d := sipas2022(t)
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 2022))
		vecs := simulate(rng, d, 1+rng.IntN(400))
		whole := tallyOf(d, vecs)
		parts := partition(rng, d, vecs, 1+rng.IntN(40))

		seq := NewTallyFor(d)
		for _, i := range rng.Perm(len(parts)) {
			if err := seq.Merge(parts[i]); err != nil {
				t.Fatal(err)
			}
		}
		tree := mergeTree(t, rng, parts)
		bin := NewTallyFor(d)
		for _, i := range rng.Perm(len(parts)) {
			b, err := parts[i].MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if err := bin.MergeBinary(b); err != nil {
				t.Fatal(err)
			}
		}
		opts := []Options{
			{Baseline: baseline2022(t, d)},
			{Method: surveys.Method{FactorMethod: FactorPooled, ServiceRule: ServicePooled, MinRespondents: 1}},
		}
		for name, got := range map[string]*Tally{"sequential": seq, "tree": tree, "binary": bin} {
			if !got.Equal(whole) {
				t.Errorf("seed %d: %s merge of %d parts differs from the whole", seed, name, len(parts))
				continue
			}
			for _, opt := range opts {
				if g, w := Compute(d, got, opt), Compute(d, whole, opt); !reflect.DeepEqual(g, w) {
					t.Errorf("seed %d: %s merge scores differently:\n got %+v\nwant %+v", seed, name, g, w)
				}
			}
		}
	}
}

// mergeTree merges the tallies pairwise in random pairs until one is left.
func mergeTree(t *testing.T, rng *rand.Rand, parts []*Tally) *Tally {
	level := make([]*Tally, len(parts))
	for i, p := range parts {
		level[i] = p.Clone()
	}
	for len(level) > 1 {
		rng.Shuffle(len(level), func(i, j int) { level[i], level[j] = level[j], level[i] })
		var next []*Tally
		for i := 0; i < len(level); i += 2 {
			if i+1 < len(level) {
				if err := level[i].Merge(level[i+1]); err != nil {
					t.Fatal(err)
				}
			}
			next = append(next, level[i])
		}
		level = next
	}
	return level[0]
}

// TestCodecRoundTrip: MarshalBinary, UnmarshalBinary and MergeBinary give
// back an Equal tally; corrupt input is refused.
func TestCodecRoundTrip(t *testing.T) {
	d := sipas2022(t)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{0, 1, 20, 500} {
		tl := tallyOf(d, simulate(rng, d, n))
		b, err := tl.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Tally
		if err := back.UnmarshalBinary(b); err != nil {
			t.Fatalf("n=%d: UnmarshalBinary: %v", n, err)
		}
		if !back.Equal(tl) {
			t.Errorf("n=%d: UnmarshalBinary(MarshalBinary(t)) differs from t", n)
		}
		merged := NewTallyFor(d)
		if err := merged.MergeBinary(b); err != nil || !merged.Equal(tl) {
			t.Errorf("n=%d: MergeBinary into an empty tally: err %v, equal %v", n, err, merged.Equal(tl))
		}
		if err := merged.MergeBinary(b); err != nil {
			t.Fatal(err)
		}
		twice := tl.Clone()
		twice.Merge(tl)
		if !merged.Equal(twice) {
			t.Errorf("n=%d: MergeBinary twice differs from Merge twice", n)
		}
		for _, bad := range [][]byte{nil, b[:len(b)-1], append(append([]byte(nil), b...), 0), append([]byte{9}, b[1:]...)} {
			var x Tally
			if x.UnmarshalBinary(bad) == nil {
				t.Errorf("n=%d: UnmarshalBinary accepted %d corrupt bytes", n, len(bad))
			}
		}
		if err := NewTally(3, 5, 4).MergeBinary(b); !errors.Is(err, ErrShape) {
			t.Errorf("n=%d: MergeBinary into another shape: %v, want ErrShape", n, err)
		}
	}
}

// TestSub: taking a part back out leaves the tally of the rest; a tally
// that is not part of t is refused and t is left as it was.
func TestSub(t *testing.T) {
	d := sipas2022(t)
	rng := rand.New(rand.NewPCG(3, 3))
	vecs := simulate(rng, d, 300)
	whole := tallyOf(d, vecs)
	part, rest := tallyOf(d, vecs[:120]), tallyOf(d, vecs[120:])
	got := whole.Clone()
	if err := got.Sub(part); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(rest) {
		t.Error("whole − part differs from the tally of the rest")
	}
	one := whole.Clone()
	one.Remove(vecs[0])
	viaSub := whole.Clone()
	if err := viaSub.Sub(tallyOf(d, vecs[:1])); err != nil || !viaSub.Equal(one) {
		t.Errorf("Sub of one response: err %v, equal to Remove %v", err, viaSub.Equal(one))
	}

	before := rest.Clone()
	if err := rest.Sub(whole); !errors.Is(err, ErrNotContained) {
		t.Errorf("Sub of a larger tally: %v, want ErrNotContained", err)
	}
	if !rest.Equal(before) {
		t.Error("a refused Sub changed the tally")
	}
	if err := rest.Sub(NewTally(3, 5, 4)); !errors.Is(err, ErrShape) {
		t.Errorf("Sub of another shape: %v, want ErrShape", err)
	}
	if err := rest.Sub(nil); err != nil {
		t.Errorf("Sub(nil) = %v", err)
	}
}

// TestLongInstrument: pair counts stay right past 64 items.
func TestLongInstrument(t *testing.T) {
	const k = 70
	tl := NewTally(k, 5, 4)
	v := make([]int8, k)
	for i := range v {
		v[i] = 5
	}
	tl.Add(v)
	if got := tl.VV[(k-1)*k+k-1]; got != 1 {
		t.Errorf("VV of item %d = %d, want 1", k-1, got)
	}
	if got := tl.SS[0*k+k-1]; got != 1 {
		t.Errorf("SS of items 0 and %d = %d, want 1", k-1, got)
	}
}
