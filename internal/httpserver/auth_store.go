package httpserver

// AuthStore is what sign-in and sessions need of the store.
type AuthStore interface{}
