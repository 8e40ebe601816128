package httpserver

// AdminStore is what the administration pages need of the store.
type AdminStore interface{}
