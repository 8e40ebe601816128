package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of every command. Environment variables
// (SIPAS_*) set the defaults; flags override them; validate checks the
// result before anything starts.
type Config struct {
	Addr     string
	Data     string
	MongoURI string
	BaseURL  string
	Demo     bool
	LogLevel string

	ShutdownTimeout time.Duration
	RatePublic      int
	RateDevice      int
	TrustedProxies  string
	SecureCookies   bool

	CommentRetentionDays int
	proxies              []netip.Prefix

	// import
	File string
	// score
	Survey       string
	From, To     string
	Counter      string
	Channel      string
	BaselineYear int
	JSON         bool
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

// commandFlags returns the flag set of a command that opens the store:
// errors go to stderr, the store flags are registered in c.
func commandFlags(name string, c *Config, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.storeFlags(fs)
	return fs
}

// parseFlags parses args and validates c, printing what is wrong; false
// means exit with exitUsage.
func parseFlags(fs *flag.FlagSet, args []string, c *Config, stderr io.Writer) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if err := c.validate(); err != nil {
		errorf(stderr, "%v", err)
		return false
	}
	return true
}

// storeFlags registers the flags every command that opens the store has.
func (c *Config) storeFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", env("SIPAS_DATA", "./data"), "directory of the embedded database")
	fs.StringVar(&c.MongoURI, "mongo-uri", env("SIPAS_MONGO_URI", ""), "MongoDB URI (replica set); without it the embedded store in --data is used")
	fs.StringVar(&c.LogLevel, "log-level", env("SIPAS_LOG_LEVEL", "info"), "debug, info, warn or error")
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(env(key, "")); err == nil {
		return v
	}
	return def
}

func (c *Config) validate() error {
	if c.MongoURI == "" && c.Data == "" {
		return fmt.Errorf("--data is required without --mongo-uri")
	}
	if c.MongoURI != "" {
		u, err := url.Parse(c.MongoURI)
		if err != nil || (u.Scheme != "mongodb" && u.Scheme != "mongodb+srv") {
			return fmt.Errorf("--mongo-uri: not a mongodb:// URI")
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url: %q is not an http(s) URL", c.BaseURL)
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	if c.Data != "" {
		abs, err := filepath.Abs(c.Data)
		if err != nil {
			return fmt.Errorf("--data: %w", err)
		}
		c.Data = abs
	}
	if c.CommentRetentionDays < 0 {
		return fmt.Errorf("--comment-retention-days must not be negative")
	}
	if c.RatePublic < 0 || c.RateDevice < 0 {
		return fmt.Errorf("--rate-public and --rate-device must not be negative")
	}
	c.proxies = nil
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			a, err := netip.ParseAddr(p)
			if err != nil {
				return fmt.Errorf("--trusted-proxies: %q is not an address or CIDR range", p)
			}
			p = netip.PrefixFrom(a, a.BitLen()).String()
		}
		pre, err := netip.ParsePrefix(p)
		if err != nil {
			return fmt.Errorf("--trusted-proxies: %q is not an address or CIDR range", p)
		}
		c.proxies = append(c.proxies, pre.Masked())
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level: %q is not debug, info, warn or error", c.LogLevel)
	}
	return nil
}

func (c *Config) level() slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(c.LogLevel))
	return l
}

// maskedMongoURI hides the password of the MongoDB URI for the log.
func (c *Config) maskedMongoURI() string {
	if c.MongoURI == "" {
		return ""
	}
	u, err := url.Parse(c.MongoURI)
	if err != nil {
		return "(unparseable)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
