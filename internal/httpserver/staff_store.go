package httpserver

// StaffStore is what the staff side needs of the store: each feature
// declares its part in its own file.
type StaffStore interface {
	AuthStore
	AdminStore
	DashboardStore
	KioskStore
}
