package scoring

import "github.com/sipas/sipas/surveys"

// baselineAndTarget returns factor f's baseline and target from b: the
// target follows rule unless b.Targets sets it.
func baselineAndTarget(f surveys.Factor, b surveys.Baseline, rule string) (base, target *float64) {
	if v, ok := b.Values[f.Code]; ok {
		base = ptr(v)
		if rule == TargetRelative {
			target = ptr(v * (1 + f.TargetDelta/100))
		} else {
			target = ptr(v + f.TargetDelta)
		}
	}
	if v, ok := b.Targets[f.Code]; ok {
		target = ptr(v)
	}
	return base, target
}

// serviceBaselineAndTarget are the means of the factors' baselines and
// targets, when every factor has one.
func serviceBaselineAndTarget(fs []FactorScore) (base, target *float64) {
	var sb, st float64
	nb, nt := 0, 0
	for _, f := range fs {
		if f.Baseline != nil {
			sb += *f.Baseline
			nb++
		}
		if f.Target != nil {
			st += *f.Target
			nt++
		}
	}
	if nb > 0 && nb == len(fs) {
		base = ptr(sb / float64(nb))
	}
	if nt > 0 && nt == len(fs) {
		target = ptr(st / float64(nt))
	}
	return base, target
}

// verdict compares an index and its interval with the baseline and target;
// see the package comment for the rule. Without a baseline there is none.
func verdict(index *float64, ci *Interval, baseline, target *float64, respondents int64, minRespondents int) Verdict {
	switch {
	case baseline == nil:
		return ""
	case index == nil || ci == nil || respondents < int64(minRespondents):
		return VerdictInsufficient
	case ci[0] > *baseline:
		if target != nil && *index >= *target {
			return VerdictTargetMet
		}
		return VerdictAboveBaseline
	case ci[1] < *baseline:
		return VerdictBelowBaseline
	}
	return VerdictNotDifferent
}
