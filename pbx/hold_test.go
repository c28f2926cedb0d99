package pbx

import "testing"

func TestExtensionHold(t *testing.T) {
	left := &User{ID: "bkeller@acme.example", Status: StatusDeprovisioned, DeprovisionedAt: "2026-12-07"}
	tests := []struct {
		u     *User
		today string
		days  int
		until string
		held  bool
	}{
		{left, "2026-12-07", 30, "2027-01-06", true},
		{left, "2027-01-06", 30, "2027-01-06", true}, // its last day
		{left, "2027-01-07", 30, "2027-01-06", false},
		{left, "2026-12-07", 0, "2026-12-07", true}, // through the day of the deprovision
		{left, "2026-12-07", -1, "2026-12-06", false},
		{&User{Status: StatusDeprovisioned}, "2099-01-01", 30, "", true}, // no day recorded: held
		{&User{Status: StatusActive}, "2099-01-01", 0, "", true},
	}
	for _, tt := range tests {
		until, held := tt.u.ExtensionHold(tt.today, tt.days)
		if until != tt.until || held != tt.held {
			t.Errorf("%+v on %s, %d days: %q %v, want %q %v", tt.u, tt.today, tt.days, until, held, tt.until, tt.held)
		}
	}
}
