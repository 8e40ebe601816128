package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// migrations are the schema's steps, in order. A step is never edited once
// released: change the schema by appending a step. Each runs in its own
// transaction together with the row that records it in schema_migrations,
// so a step is applied entirely, once, or not at all.
var migrations = []string{
	1: `
CREATE TABLE responses (
	id           TEXT PRIMARY KEY,
	survey       TEXT NOT NULL,
	version      INTEGER NOT NULL,
	counter      TEXT NOT NULL DEFAULT '',
	channel      TEXT NOT NULL,
	lang         TEXT NOT NULL DEFAULT '',
	day          TEXT NOT NULL,      -- surveys.Day(submitted_at), Asia/Ho_Chi_Minh
	submitted_at INTEGER NOT NULL,   -- unix milliseconds
	received_at  INTEGER,            -- unix milliseconds; NULL when unknown
	device       TEXT NOT NULL DEFAULT '',
	answers      TEXT NOT NULL,      -- JSON object; "no opinion" items absent
	extra        TEXT NOT NULL       -- JSON object
) WITHOUT ROWID;
CREATE INDEX responses_survey_submitted ON responses (survey, submitted_at, id);
CREATE INDEX responses_day ON responses (day);

CREATE TABLE rollups (
	survey      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	day         TEXT NOT NULL,
	counter     TEXT NOT NULL,
	channel     TEXT NOT NULL,
	respondents INTEGER NOT NULL,
	tally       BLOB NOT NULL,       -- scoring.Tally.MarshalBinary
	PRIMARY KEY (survey, version, day, counter, channel)
) WITHOUT ROWID;
CREATE INDEX rollups_day ON rollups (day);
`,
	2: `
CREATE TABLE divisions (
	code    TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL
);
CREATE TABLE counters (
	code        TEXT PRIMARY KEY,
	name_vi     TEXT NOT NULL,
	name_en     TEXT NOT NULL,
	division    TEXT NOT NULL,
	location_vi TEXT NOT NULL,
	location_en TEXT NOT NULL,
	procedures  TEXT NOT NULL,       -- JSON array, in display order
	active      INTEGER NOT NULL
);
CREATE TABLE baselines (
	survey  TEXT NOT NULL,
	year    INTEGER NOT NULL,
	unit    TEXT NOT NULL,
	vals    TEXT NOT NULL,           -- JSON object: factor code -> value
	overall REAL NOT NULL,
	targets TEXT NOT NULL,           -- JSON object, may be {}
	PRIMARY KEY (survey, year, unit)
);
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
`,
	// Summary rollups: derived from the day rows of rollups, kept in the
	// same transaction, so that a score for a long window reads a few
	// hundred rows instead of tens of thousands. period is a day
	// (YYYY-MM-DD, all counters and channels: counter = channel = '*') or
	// a month (YYYY-MM, per counter and channel, and '*'/'*' for all).
	// HealRollups rebuilds them when they disagree with the day rows.
	3: `
CREATE TABLE rollup_sums (
	survey      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	period      TEXT NOT NULL,
	counter     TEXT NOT NULL,
	channel     TEXT NOT NULL,
	respondents INTEGER NOT NULL,
	tally       BLOB NOT NULL,
	PRIMARY KEY (survey, version, period, counter, channel)
) WITHOUT ROWID;
`,
	// Staff accounts, sessions, tablets, the audit log; response flags;
	// breakdown rollups. Times are unix milliseconds, 0 when unset. The
	// hashes of tablets are unique only when set: an enrolled tablet has
	// no enrolment hash, a pending one no token hash.
	//
	// rollup_dims holds one tally per (survey, version, day, counter, dim,
	// value) for the breakdowns the day rollups cannot give (procedure,
	// language, tablet), kept in the response's transaction; its month
	// summaries (period YYYY-MM, per counter) are rollup_dim_sums. Rows of
	// existing responses are filled in by HealRollups at start.
	4: `
CREATE TABLE users (
	name                TEXT PRIMARY KEY,
	display_name        TEXT NOT NULL,
	role                TEXT NOT NULL,
	password_hash       TEXT NOT NULL,
	disabled            INTEGER NOT NULL,
	created_at          INTEGER NOT NULL,
	password_changed_at INTEGER NOT NULL
);
CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	user       TEXT NOT NULL,
	csrf       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	seen_at    INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user);
CREATE TABLE devices (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	counter      TEXT NOT NULL,
	enrol_hash   TEXT NOT NULL,
	enrol_expiry INTEGER NOT NULL,
	token_hash   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	enrolled_at  INTEGER NOT NULL,
	last_seen    INTEGER NOT NULL,
	revoked      INTEGER NOT NULL
);
CREATE UNIQUE INDEX devices_enrol_hash ON devices (enrol_hash) WHERE enrol_hash <> '';
CREATE UNIQUE INDEX devices_token_hash ON devices (token_hash) WHERE token_hash <> '';
CREATE INDEX devices_counter_name ON devices (counter, name);
CREATE TABLE audit (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	at     INTEGER NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	detail TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at, id);

ALTER TABLE responses ADD COLUMN flags TEXT NOT NULL DEFAULT '[]'; -- JSON array

CREATE TABLE rollup_dims (
	survey      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	day         TEXT NOT NULL,
	counter     TEXT NOT NULL,
	dim         TEXT NOT NULL,
	value       TEXT NOT NULL,
	respondents INTEGER NOT NULL,
	tally       BLOB NOT NULL,
	PRIMARY KEY (survey, version, day, counter, dim, value)
) WITHOUT ROWID;
CREATE INDEX rollup_dims_day ON rollup_dims (day);
CREATE TABLE rollup_dim_sums (
	survey      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	period      TEXT NOT NULL,
	counter     TEXT NOT NULL,
	dim         TEXT NOT NULL,
	value       TEXT NOT NULL,
	respondents INTEGER NOT NULL,
	tally       BLOB NOT NULL,
	PRIMARY KEY (survey, version, period, counter, dim, value)
) WITHOUT ROWID;
`,
	// The summary tables again, with the period before the version in the
	// primary key: a score for a window constrains the period but not the
	// version, and with the version second SQLite read every summary row
	// of the survey (7 ms for a year at a million responses; now a few
	// rows). Same columns, same rows.
	5: `
CREATE TABLE rollup_sums_v5 (
	survey      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	period      TEXT NOT NULL,
	counter     TEXT NOT NULL,
	channel     TEXT NOT NULL,
	respondents INTEGER NOT NULL,
	tally       BLOB NOT NULL,
	PRIMARY KEY (survey, period, counter, channel, version)
) WITHOUT ROWID;
INSERT INTO rollup_sums_v5 (survey, version, period, counter, channel, respondents, tally)
	SELECT survey, version, period, counter, channel, respondents, tally FROM rollup_sums;
DROP TABLE rollup_sums;
ALTER TABLE rollup_sums_v5 RENAME TO rollup_sums;

CREATE TABLE rollup_dim_sums_v5 (
	survey      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	period      TEXT NOT NULL,
	counter     TEXT NOT NULL,
	dim         TEXT NOT NULL,
	value       TEXT NOT NULL,
	respondents INTEGER NOT NULL,
	tally       BLOB NOT NULL,
	PRIMARY KEY (survey, dim, period, counter, value, version)
) WITHOUT ROWID;
INSERT INTO rollup_dim_sums_v5 (survey, version, period, counter, dim, value, respondents, tally)
	SELECT survey, version, period, counter, dim, value, respondents, tally FROM rollup_dim_sums;
DROP TABLE rollup_dim_sums;
ALTER TABLE rollup_dim_sums_v5 RENAME TO rollup_dim_sums;
`,
	// The breakdown tables again, per channel as well: without it a
	// breakdown by procedure, language or tablet filtered by channel had
	// to be counted from the responses (seconds at a million). The old
	// rows cannot be split by channel, so they are dropped: HealRollups
	// finds every day's breakdowns missing (staleDays) and rebuilds them
	// from the responses at the next start.
	6: `
DROP TABLE rollup_dims;
DROP TABLE rollup_dim_sums;
CREATE TABLE rollup_dims (
	survey      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	day         TEXT NOT NULL,
	counter     TEXT NOT NULL,
	channel     TEXT NOT NULL,
	dim         TEXT NOT NULL,
	value       TEXT NOT NULL,
	respondents INTEGER NOT NULL,
	tally       BLOB NOT NULL,
	PRIMARY KEY (survey, version, day, counter, channel, dim, value)
) WITHOUT ROWID;
CREATE INDEX rollup_dims_day ON rollup_dims (day);
CREATE TABLE rollup_dim_sums (
	survey      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	period      TEXT NOT NULL,
	counter     TEXT NOT NULL,
	channel     TEXT NOT NULL,
	dim         TEXT NOT NULL,
	value       TEXT NOT NULL,
	respondents INTEGER NOT NULL,
	tally       BLOB NOT NULL,
	PRIMARY KEY (survey, dim, period, counter, channel, value, version)
) WITHOUT ROWID;
`,
	// The responses that carry a comment, newest first for the report:
	// a partial index, so finding the latest comments reads only those
	// rows even when a period has none. And an index for breakdowns.
	7: `
CREATE INDEX responses_commented ON responses (survey, submitted_at, id)
	WHERE json_extract(extra, '$.comment') IS NOT NULL;

-- Breakdown day rows by dimension and channel: a breakdown by procedure
-- over a window's edge days reads its own rows only, not the rows of
-- every dimension and channel of those days (a tenth of them).
CREATE INDEX rollup_dims_dim_day ON rollup_dims (dim, channel, day, respondents);
`,
	// The responses excluded from the indices after review: scores
	// subtract them on every read, so they must be found at once.
	8: `
CREATE INDEX responses_excluded ON responses (survey, submitted_at, id)
	WHERE instr(flags, '"excluded"') > 0;
`,
}

// migrate applies every step not yet recorded in schema_migrations.
func migrate(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return err
	}
	for v := 1; v < len(migrations); v++ {
		if err := migrateStep(ctx, db, v, log); err != nil {
			return fmt.Errorf("step %d: %w", v, err)
		}
	}
	return nil
}

func migrateStep(ctx context.Context, db *sql.DB, v int, log *slog.Logger) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		v, time.Now().UnixMilli()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	log.Info("database migrated", "step", v)
	return nil
}
