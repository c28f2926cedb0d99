package mapping

import "testing"

func TestCUCMDevice(t *testing.T) {
	tests := []struct{ name, mac, port string }{
		{"SEP001B54A1B201", "001B54A1B201", ""},
		{"sep001b54a1b203", "001b54a1b203", ""},
		{"ATA001B54C0FFEE", "001B54C0FFEE", "1"},
		{"BAT0004F2A10009", "0004F2A10009", ""},
		{"AN001B54D0D0D0000", "001B54D0D0D0", "1"},
		{"AN001B54D0D0D0023", "001B54D0D0D0", "24"},
		{"CSFJDOE", "CSFJDOE", ""},             // a Jabber client: no MAC, left for validation to report
		{"SEP001B54A1B2", "SEP001B54A1B2", ""}, // too short
		{"AN001B54D0D0D0X01", "AN001B54D0D0D0X01", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := cucmDevice(tt.name, cucmMAC); got != tt.mac {
			t.Errorf("cucmDevice(%q, mac) = %q, want %q", tt.name, got, tt.mac)
		}
		if got := cucmDevice(tt.name, cucmPort); got != tt.port {
			t.Errorf("cucmDevice(%q, port) = %q, want %q", tt.name, got, tt.port)
		}
	}
}
