package surveys

import (
	"errors"
	"fmt"
	"regexp"
)

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	codePattern   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	optionPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

// Validate checks a definition and builds its lookup tables. It returns
// every problem found, joined.
func (d *Definition) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	text := func(field string, t Text) {
		if t.VI == "" || t.EN == "" {
			bad("%s: needs both vi and en wording", field)
		}
	}
	if !idPattern.MatchString(d.ID) {
		bad("id %q: must match %s", d.ID, idPattern)
	}
	if d.Version < 1 {
		bad("version: must be 1 or more")
	}
	text("title", d.Title)
	text("intro", d.Intro)

	if len(d.Scale.Points) < 2 {
		bad("scale.points: needs at least two points")
	}
	for i, p := range d.Scale.Points {
		if p.Value < 0 || p.Value > 9 {
			bad("scale.points[%d]: value %d outside 0..9", i, p.Value)
		}
		if i > 0 && p.Value != d.Scale.Points[i-1].Value+1 {
			bad("scale.points[%d]: values must be consecutive and ascending", i)
		}
		text(fmt.Sprintf("scale.points[%d].label", i), p.Label)
	}
	if d.Scale.SatisfiedMin <= d.Scale.Min() || d.Scale.SatisfiedMin > d.Scale.Max() {
		bad("scale.satisfied_min: %d is not a value above the lowest point", d.Scale.SatisfiedMin)
	}
	text("scale.no_opinion", d.Scale.NoOpinion)

	codes := map[string]string{}
	code := func(field, c string) {
		if !codePattern.MatchString(c) {
			bad("%s: code %q is not a valid code", field, c)
		}
		if prev, dup := codes[c]; dup {
			bad("%s: code %q already used by %s", field, c, prev)
		}
		codes[c] = field
	}
	if len(d.Factors) == 0 {
		bad("factors: at least one factor is needed")
	}
	for fi, f := range d.Factors {
		field := fmt.Sprintf("factors[%d]", fi)
		code(field, f.Code)
		text(field+".name", f.Name)
		text(field+".short", f.Short)
		if f.TargetDelta < 0 {
			bad("%s.target_delta: must not be negative", field)
		}
		if len(f.Items) == 0 {
			bad("%s: factor %s has no items", field, f.Code)
		}
		for ii, it := range f.Items {
			ifield := fmt.Sprintf("%s.items[%d]", field, ii)
			code(ifield, it.Code)
			text(ifield+".text", it.Text)
		}
	}
	for qi, q := range d.Optional {
		field := fmt.Sprintf("optional[%d]", qi)
		code(field, q.Code)
		text(field+".label", q.Label)
		switch q.Kind {
		case KindChoice:
			if len(q.Options) < 2 {
				bad("%s: a choice question needs at least two options", field)
			}
			seen := map[string]bool{}
			for oi, o := range q.Options {
				if !optionPattern.MatchString(o.Code) || seen[o.Code] {
					bad("%s.options[%d]: code %q missing, invalid or repeated", field, oi, o.Code)
				}
				seen[o.Code] = true
				text(fmt.Sprintf("%s.options[%d].label", field, oi), o.Label)
			}
		case KindScale:
		case KindText:
			if q.MaxLen < 1 {
				bad("%s: a text question needs max_len", field)
			}
		default:
			bad("%s: kind %q is not choice, scale or text", field, q.Kind)
		}
	}
	switch d.Scoring.FactorMethod {
	case "mean", "pooled":
	default:
		bad("scoring.factor_method: %q is not mean or pooled", d.Scoring.FactorMethod)
	}
	switch d.Scoring.ServiceRule {
	case "mean_of_factors", "pooled":
	default:
		bad("scoring.service_rule: %q is not mean_of_factors or pooled", d.Scoring.ServiceRule)
	}
	switch d.Scoring.TargetRule {
	case "points", "relative":
	default:
		bad("scoring.target_rule: %q is not points or relative", d.Scoring.TargetRule)
	}
	if d.Scoring.MinRespondents < 1 {
		bad("scoring.min_respondents: must be 1 or more")
	}
	factorCodes := map[string]bool{}
	for _, f := range d.Factors {
		factorCodes[f.Code] = true
	}
	for bi, b := range d.Baselines {
		if b.Year < 2000 || b.Unit == "" {
			bad("baselines[%d]: needs a year and a unit", bi)
		}
		for c, v := range b.Values {
			if !factorCodes[c] {
				bad("baselines[%d]: %q is not a factor", bi, c)
			}
			if v < 0 || v > 100 {
				bad("baselines[%d]: %s = %v outside 0..100", bi, c, v)
			}
		}
	}
	for ri, r := range d.References {
		text(fmt.Sprintf("references[%d].label", ri), r.Label)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	d.index()
	return nil
}
