package scoring

import (
	"errors"
	"fmt"

	"github.com/sipas/sipas/surveys"
)

// Options are the inputs of Compute besides the definition and the tally.
type Options struct {
	// From and To are copied into the score as given (the caller's window).
	From, To string
	// Baseline holds the values and targets to compare with; the zero
	// Baseline means none, and then baselines, targets and verdicts are
	// absent.
	Baseline surveys.Baseline
	// Method overrides the definition's scoring method field by field; a
	// zero field keeps the definition's value.
	Method surveys.Method
}

// NewTallyFor returns an empty tally shaped for d's items and scale.
func NewTallyFor(d *surveys.Definition) *Tally {
	return NewTally(len(d.Items()), d.Scale.Max(), d.Scale.SatisfiedMin)
}

// Check reports whether t was built for d (a nil t is an empty tally) and
// opt names known methods: what Compute needs not to panic. Call it first
// when the tally or the options come from outside the program.
func Check(d *surveys.Definition, t *Tally, opt Options) error {
	if d == nil || len(d.Items()) == 0 {
		return errors.New("scoring: definition missing or not validated")
	}
	if t == nil {
		t = NewTallyFor(d)
	}
	k := len(d.Items())
	if t.K != k || t.Max != d.Scale.Max() || t.SatisfiedMin != d.Scale.SatisfiedMin {
		return fmt.Errorf("%w: tally %d/%d/%d, definition %s v%d %d/%d/%d", ErrShape,
			t.K, t.Max, t.SatisfiedMin, d.ID, d.Version, k, d.Scale.Max(), d.Scale.SatisfiedMin)
	}
	if len(t.Counts) != k*(t.Max+1) || len(t.SS) != k*k || len(t.SV) != k*k || len(t.VV) != k*k {
		return fmt.Errorf("%w: count slices of the wrong length", ErrShape)
	}
	m := opt.Method
	switch m.FactorMethod {
	case "", FactorMean, FactorPooled:
	default:
		return fmt.Errorf("scoring: factor method %q is not mean or pooled", m.FactorMethod)
	}
	switch m.ServiceRule {
	case "", ServiceMeanOfFactors, ServicePooled:
	default:
		return fmt.Errorf("scoring: service rule %q is not mean_of_factors or pooled", m.ServiceRule)
	}
	switch m.TargetRule {
	case "", TargetPoints, TargetRelative:
	default:
		return fmt.Errorf("scoring: target rule %q is not points or relative", m.TargetRule)
	}
	if m.MinRespondents < 0 {
		return fmt.Errorf("scoring: min respondents %d is negative", m.MinRespondents)
	}
	return nil
}

// resolveMethod is def with the non-zero fields of over applied.
func resolveMethod(def, over surveys.Method) surveys.Method {
	m := def
	if over.FactorMethod != "" {
		m.FactorMethod = over.FactorMethod
	}
	if over.ServiceRule != "" {
		m.ServiceRule = over.ServiceRule
	}
	if over.TargetRule != "" {
		m.TargetRule = over.TargetRule
	}
	if over.MinRespondents != 0 {
		m.MinRespondents = over.MinRespondents
	}
	return m
}
