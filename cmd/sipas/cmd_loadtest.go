package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/sipas/sipas/internal/loadtest"
)

// cmdLoadtest measures submission throughput and latency (issue 7): against
// a running server (--target), or on its own embedded store and server,
// raw store inserts versus API submissions (--compare), or the citizen
// form versus a bare handler (--form). Only loopback targets are allowed.
func cmdLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("target", "", "base URL of a running server, e.g. http://127.0.0.1:8080")
	compare := fs.Bool("compare", false, "start a server on the embedded store in --data and compare raw inserts with API submissions")
	form := fs.Bool("form", false, "compare serving the citizen form with a bare handler (own server on --data)")
	data := fs.String("data", env("SIPAS_DATA", ""), "directory of the embedded store (with --compare or --form)")
	duration := fs.Duration("duration", 10*time.Second, "how long each measurement runs")
	concurrency := fs.Int("concurrency", 16, "concurrent clients")
	counter := fs.String("counter", "", "counter code to submit for (with --target)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	modes := 0
	for _, on := range []bool{*target != "", *compare, *form} {
		if on {
			modes++
		}
	}
	if modes != 1 {
		errorf(stderr, "loadtest: give exactly one of --target URL, --compare or --form")
		return exitUsage
	}
	if (*compare || *form) && *data == "" {
		errorf(stderr, "loadtest: --data DIR is required with --compare and --form")
		return exitUsage
	}
	log := newLogger(stderr, 4) // warnings and errors only: the output is the numbers
	var (
		out any
		err error
	)
	copt := loadtest.CompareOptions{Data: *data, Duration: *duration, Concurrency: *concurrency, Logger: log}
	switch {
	case *compare:
		out, err = loadtest.Compare(ctx, copt)
	case *form:
		out, err = loadtest.CompareForm(ctx, copt)
	default:
		out, err = loadtest.Run(ctx, loadtest.Options{Target: *target, Duration: *duration, Concurrency: *concurrency, Counter: *counter})
	}
	if err != nil {
		errorf(stderr, "loadtest: %v", err)
		return exitRejected
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(out); err != nil {
			return exitRejected
		}
		return exitOK
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Fprintf(stdout, "%s\n", b)
	return exitOK
}
