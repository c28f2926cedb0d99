package mapping

import "testing"

func TestNormalizeHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"E-mail Address", "emailaddress"},
		{"email_address", "emailaddress"},
		{"EMAIL ADDRESS", "emailaddress"},
		{"  Email.Address  ", "emailaddress"},
		{"\ufeffFirst Name", "firstname"},
		{"DIRECTORY NUMBER 1", "directorynumber1"},
		{"Ext.", "ext"},
		{"Prénom", "prénom"},
		{"MAC-Adresse (Gerät)", "macadressegerät"},
		{"---", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeHeader(tt.in); got != tt.want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeadersMatch(t *testing.T) {
	same := [][2]string{
		{"E-mail Address", "email_address"},
		{"First Name", "first_name"},
		{"firstname", "FIRST NAME"},
		{"MAC Address", "mac-address"},
		{"Phone #", "phone"},
	}
	for _, p := range same {
		if NormalizeHeader(p[0]) != NormalizeHeader(p[1]) {
			t.Errorf("%q and %q should match", p[0], p[1])
		}
	}
	differ := [][2]string{
		{"Email", "Email 2"},
		{"Name", "First Name"},
		{"DIRECTORY NUMBER 1", "DIRECTORY NUMBER 2"},
	}
	for _, p := range differ {
		if NormalizeHeader(p[0]) == NormalizeHeader(p[1]) {
			t.Errorf("%q and %q should not match", p[0], p[1])
		}
	}
}

func TestKeyEqual(t *testing.T) {
	tests := []struct {
		key, s string
		want   bool
	}{
		{"premium", "Premium", true},
		{"premium", " PREMIUM ", true},
		{"y", "y", true},
		{"y", "Y.", true},
		{"y", "yes", false},
		{"yes", "y", false},
		{"yealinkt42g", "Yealink T-42G", true},
		{"", "", true},
		{"", "-", true},
		{"a", "", false},
	}
	for _, tt := range tests {
		if got := keyEqual(tt.key, tt.s); got != tt.want {
			t.Errorf("keyEqual(%q, %q) = %v, want %v", tt.key, tt.s, got, tt.want)
		}
		if tt.want && NormalizeHeader(tt.s) != tt.key {
			t.Errorf("keyEqual and NormalizeHeader disagree on %q", tt.s)
		}
	}
}
