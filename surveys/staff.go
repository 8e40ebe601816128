package surveys

import "time"

// Role is what a staff account may do.
type Role string

// Roles (SPEC 7).
const (
	RoleAdmin   Role = "admin"   // everything, including users, counters, tablets, baselines
	RoleAnalyst Role = "analyst" // dashboards, scores, exports, reports
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleAnalyst }

// User is a staff account. Name is the sign-in name, unique, lower case.
type User struct {
	Name         string
	DisplayName  string
	Role         Role
	PasswordHash string // PHC string of a memory-hard hash (argon2id)
	Disabled     bool
	CreatedAt    time.Time
	// PasswordChangedAt lets sign-out-everywhere and password changes end
	// older sessions.
	PasswordChangedAt time.Time
}

// Session is a signed-in browser. ID is a hash of the cookie's token, so a
// copy of the database holds no usable session.
type Session struct {
	ID        string
	User      string
	CSRF      string // per-session CSRF token (random, sent in forms)
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time
}

// Device is an enrolled tablet, bound to one counter. It authenticates
// with a token whose hash is TokenHash; until enrolled it has a one-time
// enrolment code whose hash is EnrolHash.
type Device struct {
	ID          string // UUID
	Name        string // e.g. "Máy tính bảng 1"
	Counter     string
	EnrolHash   string // "" once enrolled
	EnrolExpiry time.Time
	TokenHash   string // "" until enrolled
	CreatedAt   time.Time
	EnrolledAt  time.Time
	LastSeen    time.Time
	Revoked     bool
}

// AuditEntry records a staff action: sign-in, export, user, tablet,
// counter and baseline changes.
type AuditEntry struct {
	At     time.Time
	Actor  string // user name, or "device:<id>", or "system"
	Action string // e.g. "user.create", "signin.ok", "export.csv"
	Target string // what it acted on
	Detail string // free text, never a secret
}
