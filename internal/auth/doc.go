// Package auth holds what staff sign-in needs and HTTP does not: password
// hashing (argon2id), the password policy, session tokens and sign-in
// throttling. It knows nothing of Fiber or of the store, so that the
// `sipas user add` command and the HTTP server share one implementation.
package auth
