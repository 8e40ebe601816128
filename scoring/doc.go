// Package scoring turns tallies of answers into the SIPAS indices: item,
// factor and service indices with confidence intervals, targets and
// verdicts. It is pure (data in, data out) and imports only the standard
// library and the surveys package.
//
// # Indices
//
// Every index is a percentage (0–100), kept unrounded; an index with no
// valid answer is absent (JSON null).
//
//   - Item: S_i = satisfied_i / valid_i × 100, where satisfied means a value
//     of at least Scale.SatisfiedMin and valid means any value on the scale.
//     "No opinion" is in neither count.
//   - Factor, method "mean": the unweighted mean of S_i over the factor's
//     items with at least one valid answer. Method "pooled": Σ satisfied /
//     Σ valid over the factor's items × 100.
//   - Service, rule "mean_of_factors": the mean of the factor indices that
//     are not null. Rule "pooled": Σ satisfied / Σ valid over all items × 100.
//
// # Respondents
//
// A tally does not record how many people gave at least one valid answer
// in a factor (only pairwise overlaps), so a factor's "respondents" is its
// largest item base: max over its items of valid_i. It is a lower bound on
// the people who answered the factor. The service index's respondents is
// the largest item base over all items; the document's top-level
// "respondents" is every response in the window, even one that answered
// nothing.
//
// # Intervals
//
// Item intervals are Wilson score intervals at 95% (z = 1.959963984540054).
//
// Factor and service indices are smooth functions of the item proportions
// p_i = s_i/n_i, estimated from the same respondents. Their variance comes
// from linearisation (the delta method): each index θ has an influence
// z_r = Σ_i a_i (y_ri − c_i v_ri) per respondent r, with y_ri = 1 when r is
// satisfied on i and v_ri = 1 when r answered i validly, so
//
//	Var(θ) ≈ Σ_r z_r² = Σ_i Σ_j a_i a_j (SS_ij − c_j SV_ij − c_i SV_ji + c_i c_j VV_ij)
//
// which the tally's pair counts give exactly. For a mean of items,
// a_i = w_i/n_i and c_i = p_i (w_i the item's weight); for a pooled ratio
// Σs/Σn, a_i = 1/Σn and c_i = θ; a mean of factors combines its factors'
// coefficients with weight 1/(number of factors). The variance is turned
// into a bounded interval through an effective sample size
// n_eff = θ(1−θ)/Var, capped at the number of valid answers that enter the
// index, and a Wilson interval at n_eff. When the variance is zero (θ is 0
// or 1, or every item is all-satisfied or all-unsatisfied) the data say
// nothing about it and n_eff falls back to the index's respondents (its
// largest item base). Tests check the linearised standard error against a
// bootstrap over respondents.
//
// # Baselines, targets and verdicts
//
// A factor's target is its baseline + TargetDelta points (rule "points") or
// baseline × (1 + TargetDelta/100) (rule "relative"); Baseline.Targets
// overrides either per factor. The service index's baseline and target are
// the means of the factors' baselines and targets, present only when every
// factor has one. Baseline.Overall (the published overall SIPAS, which also
// covers the policy part of the national survey) is reported alongside,
// never compared with.
//
// The verdict of an index with a baseline is, in this order:
//
//	insufficient    no valid answer, or respondents < MinRespondents
//	target_met      index ≥ target and the interval's lower bound > baseline
//	above_baseline  the interval's lower bound > baseline
//	below_baseline  the interval's upper bound < baseline
//	not_different   otherwise
//
// An index without a baseline has no verdict (the field is omitted).
//
// # Sample planning
//
// "needed" is how many more responses would bring the 95% margin of an
// index down to ±2 points if they resembled those already in: with R the
// responses in the window and Var the index's variance,
// n_req = z² Var R / 0.02², the same as z² p(1−p)/0.02² × deff with
// deff = Var / (p(1−p)/R), and needed = max(0, ceil(n_req − R)). It counts
// forms, so a factor that many people answer "no opinion" needs more. When
// the variance is degenerate, p is the interval's bound nearest 50% and
// Var = p(1−p)/n_eff; an index with no data needs z²·0.25/0.02² = 2401.
package scoring
