package main

import (
	"context"
	"io"
	"log/slog"
)

// run dispatches to a command and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		io.WriteString(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "import":
		return cmdImport(ctx, args[1:], stdout, stderr)
	case "score":
		return cmdScore(ctx, args[1:], stdout, stderr)
	case "user":
		return cmdUser(ctx, args[1:], stdin, stdout, stderr)
	case "loadtest":
		return cmdLoadtest(ctx, args[1:], stdout, stderr)
	case "version":
		io.WriteString(stdout, "sipas "+version+"\n")
		return exitOK
	case "-h", "--help", "help":
		io.WriteString(stdout, usage)
		return exitOK
	}
	errorf(stderr, "unknown command %q", args[0])
	io.WriteString(stderr, usage)
	return exitUsage
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
