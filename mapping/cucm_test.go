package mapping

import (
	"errors"
	"strings"
	"testing"
)

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

func TestCUCMDeviceRule(t *testing.T) {
	if _, err := Parse("t", []byte("fields:\n  mac: {columns: [DEVICE NAME], cucm_device: serial}\n")); !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), "neither mac nor port") {
		t.Errorf("cucm_device: serial: error %v", err)
	}
	p := mustParse(t, "fields:\n  mac: {columns: [DEVICE NAME], cucm_device: mac}\n  port: {columns: [DEVICE NAME], cucm_device: port}\n")
	b, _ := p.Bind("", "", 1, []string{"DEVICE NAME"})
	m := b.Map(2, []string{"AN001B54D0D0D0001"})
	if mac, port := m.Values.At("mac").Text, m.Values.At("port").Text; mac != "001B54D0D0D0" || port != "2" {
		t.Errorf("AN001B54D0D0D0001 -> mac %q port %q", mac, port)
	}
}
