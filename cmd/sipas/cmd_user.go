package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/internal/i18n"
	"github.com/sipas/sipas/surveys"
)

var userNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// cmdUser manages staff accounts: `sipas user add` creates one (SPEC 5.1),
// reading the password from standard input.
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		errorf(stderr, "usage: sipas user add --data DIR [--mongo-uri URI] --name NAME --role admin|analyst < password")
		return exitUsage
	}
	var c Config
	fs := commandFlags("user add", &c, stderr)
	name := fs.String("name", "", "sign-in name (lower-case letters, digits, . _ -)")
	role := fs.String("role", "", "admin or analyst")
	display := fs.String("display-name", "", "name shown in the pages (default: --name)")
	replace := fs.Bool("replace", false, "replace an existing account of that name (new password and role)")
	if !parseFlags(fs, args[1:], &c, stderr) {
		return exitUsage
	}
	*name = strings.ToLower(strings.TrimSpace(*name))
	if !userNamePattern.MatchString(*name) {
		errorf(stderr, "--name: %q is not a valid sign-in name (2–64 lower-case letters, digits, . _ -)", *name)
		return exitUsage
	}
	r := surveys.Role(*role)
	if !r.Valid() {
		errorf(stderr, "--role: %q is not admin or analyst", *role)
		return exitUsage
	}
	// The password is the first line of standard input (a terminal, a
	// pipe or a secret file), never a flag: flags show in process lists.
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		errorf(stderr, "reading the password: %v", err)
		return exitRejected
	}
	pw := strings.TrimRight(line, "\r\n")
	if key := auth.CheckPassword(*name, pw); key != "" {
		cat := i18n.New()
		errorf(stderr, "password refused: %s / %s", cat.T("vi", key), cat.T("en", key))
		return exitRejected
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	log := newLogger(stderr, c.level())
	reg, err := surveys.LoadEmbedded()
	if err != nil {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	s, err := openStore(ctx, &c, reg, log)
	if err != nil {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	defer s.Close()
	if _, err := s.User(ctx, *name); err == nil && !*replace {
		errorf(stderr, "user %q exists already (use --replace to set a new password and role)", *name)
		return exitRejected
	} else if err != nil && !surveys.IsNotFound(err) {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	if *display == "" {
		*display = *name
	}
	now := time.Now().UTC()
	u := surveys.User{Name: *name, DisplayName: *display, Role: r, PasswordHash: hash, CreatedAt: now, PasswordChangedAt: now}
	if err := s.PutUser(ctx, u); err != nil {
		errorf(stderr, "%v", err)
		return exitRejected
	}
	_ = s.AppendAudit(ctx, surveys.AuditEntry{At: now, Actor: "cli", Action: "user.create", Target: *name, Detail: "role " + string(r)})
	fmt.Fprintf(stdout, "Đã tạo tài khoản (account created): %s (%s)\n", *name, r)
	return exitOK
}
