package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/sipas/sipas/internal/csvimport"
	"github.com/sipas/sipas/surveys"
)

// cmdImport loads responses from a CSV file (SPEC 5.1, 5.2). Exit 0 when
// no line was rejected, 1 otherwise.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var c Config
	fs := commandFlags("import", &c, stderr)
	fs.StringVar(&c.File, "file", "", "CSV file to import (- for standard input)")
	fs.StringVar(&c.Survey, "survey", surveys.Default, "survey definition the answers belong to")
	fs.BoolVar(&c.JSON, "json", false, "print the result as JSON")
	if !parseFlags(fs, args, &c, stderr) {
		return exitUsage
	}
	if c.File == "" {
		errorf(stderr, "--file is required")
		return exitUsage
	}
	log := newLogger(stderr, c.level())
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	def, ok := reg.Get(c.Survey)
	if !ok {
		errorf(stderr, "unknown survey %q (known: %v)", c.Survey, reg.IDs())
		return exitUsage
	}
	var in io.Reader = os.Stdin
	if c.File != "-" {
		f, err := os.Open(c.File)
		if err != nil {
			errorf(stderr, "%v", err)
			return exitRejected
		}
		defer f.Close()
		in = f
	}
	s, err := openStore(ctx, &c, reg, log)
	if err != nil {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	defer s.Close()

	opt := csvimport.Options{}
	var rejections []csvimport.Rejection
	if !c.JSON {
		// Streamed as they happen, so a million-line file needs no
		// memory for them.
		opt.OnReject = func(r csvimport.Rejection) {
			fmt.Fprintf(stdout, "dòng %d (line %d): %s\n", r.Line, r.Line, r.Reason)
		}
	}
	res, err := csvimport.Import(ctx, s, def, in, opt)
	rejections = res.Rejections
	if c.JSON {
		out := struct {
			csvimport.Result
			Error string `json:"error,omitempty"`
		}{Result: res}
		out.Rejections = rejections
		if out.Rejections == nil {
			out.Rejections = []csvimport.Rejection{}
		}
		if err != nil {
			out.Error = err.Error()
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
	} else {
		fmt.Fprintf(stdout, "Đã nhập (imported): %d\nTrùng, bỏ qua (skipped as duplicates): %d\nBị từ chối (rejected): %d\n",
			res.Imported, res.Duplicates, res.Rejected)
	}
	if err != nil {
		errorf(stderr, "import stopped: %v", err)
		return exitRejected
	}
	if res.Rejected > 0 {
		return exitRejected
	}
	return exitOK
}
