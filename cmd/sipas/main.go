// Command sipas is the SIPAS survey collection and scoring engine: the
// server and its administration commands. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usage is printed for -h and for an unknown command.
const usage = `sipas: SIPAS survey collection and scoring engine

Usage:
  sipas serve  --addr HOST:PORT --data DIR [--mongo-uri URI] [--demo]
  sipas import --data DIR [--mongo-uri URI] --file FILE.csv [--survey sipas-2022] [--json]
  sipas score  --data DIR [--mongo-uri URI] [--survey sipas-2022] [--from YYYY-MM-DD]
               [--to YYYY-MM-DD] [--counter CODE] [--channel qr|kiosk|paper|api]
               [--baseline-year 2022] [--json]
  sipas user add --data DIR [--mongo-uri URI] --name NAME --role admin|analyst  (password on stdin)
  sipas loadtest (--target URL | --compare --data DIR | --form --data DIR)
               [--duration 10s] [--concurrency 16] [--json]
  sipas version

Environment: SIPAS_ADDR, SIPAS_DATA, SIPAS_MONGO_URI, SIPAS_BASE_URL, SIPAS_LOG_LEVEL
do the same as the flags; flags win.
`

// Exit codes.
const (
	exitOK       = 0
	exitRejected = 1 // import: some lines rejected; other commands: failure
	exitUsage    = 2
)

func errorf(w interface{ Write([]byte) (int, error) }, format string, args ...any) {
	fmt.Fprintf(w, "sipas: "+format+"\n", args...)
}

var _ = context.Background
