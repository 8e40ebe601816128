package httpserver

// DashboardStore is what the dashboard, exports and reports need of the
// store.
type DashboardStore interface{}
