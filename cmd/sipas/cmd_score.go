package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/sipas/sipas/internal/scores"
	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/surveys"
)

// cmdScore prints the score document (SPEC 5.1, 5.4).
func cmdScore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var c Config
	fs := commandFlags("score", &c, stderr)
	fs.StringVar(&c.Survey, "survey", surveys.Default, "survey definition")
	fs.StringVar(&c.From, "from", "", "first day, inclusive (YYYY-MM-DD, Asia/Ho_Chi_Minh)")
	fs.StringVar(&c.To, "to", "", "last day, exclusive (YYYY-MM-DD, Asia/Ho_Chi_Minh)")
	fs.StringVar(&c.Counter, "counter", "", "only this counter")
	fs.StringVar(&c.Channel, "channel", "", "only this channel (qr, kiosk, paper, api)")
	fs.IntVar(&c.BaselineYear, "baseline-year", scores.DefaultBaselineYear, "year of the baseline to compare with")
	fs.BoolVar(&c.JSON, "json", false, "print the score document as JSON")
	if !parseFlags(fs, args, &c, stderr) {
		return exitUsage
	}
	log := newLogger(stderr, c.level())
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	svc := scores.New(nil, reg)
	q := scores.Query{Survey: c.Survey, From: c.From, To: c.To, Counter: c.Counter,
		Channel: surveys.Channel(c.Channel), BaselineYear: c.BaselineYear}
	if _, _, err := svc.Normalize(q); err != nil {
		errorf(stderr, "invalid options: %v", fieldList(err))
		return exitUsage
	}
	s, err := openStore(ctx, &c, reg, log)
	if err != nil {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	defer s.Close()
	score, err := scores.New(excluding{s, reg}, reg).Score(ctx, q)
	if err != nil {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	if c.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(score); err != nil {
			errorf(stderr, "%v", err)
			return exitRejected
		}
		return exitOK
	}
	def, _ := reg.Get(q.Survey)
	printScoreTable(stdout, def, score)
	return exitOK
}

func fieldList(err error) string {
	if e, ok := err.(*surveys.Error); ok && len(e.Fields) > 0 {
		var parts []string
		for f, m := range e.Fields {
			parts = append(parts, f+" ("+m+")")
		}
		return strings.Join(parts, ", ")
	}
	return err.Error()
}

// printScoreTable prints the five sub-indices against baseline and target,
// Vietnamese first.
func printScoreTable(w io.Writer, def *surveys.Definition, s scoring.Score) {
	window := "toàn bộ thời gian (all time)"
	if s.From != "" || s.To != "" {
		window = fmt.Sprintf("%s → %s", orDash(s.From), orDash(s.To))
	}
	fmt.Fprintf(w, "%s\nKhảo sát (survey): %s v%d · Thời gian (period): %s · Số phiếu (respondents): %d\n\n",
		def.Title.VI, s.Survey, s.Version, window, s.Respondents)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Chỉ số (index)\tHiện tại (now)\tKTC 95% (CI)\tNăm gốc (baseline)\tMục tiêu (target)\tĐánh giá (verdict)\tn\t")
	for _, f := range s.Factors {
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\t%s\t%d\t\n", f.Code, f.Name, pct(f.Index), ci(f.CI95),
			pct(f.Baseline), pct(f.Target), verdictVI[f.Verdict], f.Respondents)
	}
	fmt.Fprintf(tw, "Chỉ số chung (service index)\t%s\t%s\t%s\t%s\t%s\t%d\t\n", pct(s.ServiceIndex), ci(s.ServiceCI95),
		pct(s.ServiceBaseline), pct(s.ServiceTarget), verdictVI[s.ServiceVerdict], s.Respondents)
	tw.Flush()
}

var verdictVI = map[scoring.Verdict]string{
	scoring.VerdictTargetMet:     "đạt mục tiêu (target met)",
	scoring.VerdictAboveBaseline: "cao hơn năm gốc (above baseline)",
	scoring.VerdictNotDifferent:  "chưa khác năm gốc (not different)",
	scoring.VerdictBelowBaseline: "thấp hơn năm gốc (below baseline)",
	scoring.VerdictInsufficient:  "chưa đủ dữ liệu (insufficient)",
	"":                           "–",
}

func orDash(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

// pct formats a percentage the Vietnamese way: decimal comma.
func pct(v *float64) string {
	if v == nil {
		return "–"
	}
	return strings.Replace(fmt.Sprintf("%.2f%%", *v), ".", ",", 1)
}

func ci(iv *scoring.Interval) string {
	if iv == nil {
		return "–"
	}
	return strings.Replace(fmt.Sprintf("%.1f", iv[0]), ".", ",", 1) + "–" + strings.Replace(fmt.Sprintf("%.1f", iv[1]), ".", ",", 1)
}
