package export

import (
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// IndexHeader is the header of the index table.
var IndexHeader = []any{"level", "code", "name", "index", "ci95_low", "ci95_high", "baseline", "target", "verdict",
	"respondents", "valid", "satisfied", "needed", "from", "to"}

// IndexRows are the service index, then each factor followed by its
// items, of sc: unrounded percentages, empty when unknown. Window from and
// to are the days of the score (to exclusive).
func IndexRows(def *surveys.Definition, sc scoring.Score, lang string) [][]any {
	lo := func(ci *scoring.Interval) any {
		if ci == nil {
			return nil
		}
		return ci[0]
	}
	hi := func(ci *scoring.Interval) any {
		if ci == nil {
			return nil
		}
		return ci[1]
	}
	v := func(verdict scoring.Verdict) any {
		if verdict == "" {
			return nil
		}
		return string(verdict)
	}
	rows := [][]any{{"service", "", serviceName(lang), sc.ServiceIndex, lo(sc.ServiceCI95), hi(sc.ServiceCI95),
		sc.ServiceBaseline, sc.ServiceTarget, v(sc.ServiceVerdict), sc.ServiceRespondents, nil, nil, sc.ServiceNeeded, sc.From, sc.To}}
	for fi, f := range sc.Factors {
		rows = append(rows, []any{"factor", f.Code, def.Factors[fi].Name.In(lang), f.Index, lo(f.CI95), hi(f.CI95),
			f.Baseline, f.Target, v(f.Verdict), f.Respondents, nil, nil, f.Needed, sc.From, sc.To})
		for ii, it := range f.Items {
			rows = append(rows, []any{"item", it.Code, def.Factors[fi].Items[ii].Text.In(lang), it.Index, lo(it.CI95), hi(it.CI95),
				nil, nil, nil, nil, it.Valid, it.Satisfied, nil, sc.From, sc.To})
		}
	}
	return rows
}

func serviceName(lang string) string {
	if lang == "en" {
		return "Service index"
	}
	return "Chỉ số chung"
}
