package validate

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// StationTypes are the station types the PBX knows, in canonical form.
var StationTypes = []string{"premium", "standard", "basic", "executive", "common-area", "softphone"}

// stationKeys maps a station type with spaces, hyphens and underscores
// removed to its canonical form, so "Common Area" and "common_area" match.
var stationKeys = func() map[string]string {
	m := make(map[string]string, len(StationTypes))
	for _, s := range StationTypes {
		m[squash(s)] = s
	}
	return m
}()

// StationType returns the canonical form of a station type, matched without
// regard to case, spaces, hyphens and underscores.
func StationType(s string) (string, bool) {
	if c, ok := stationKeys[s]; ok { // already canonical: no allocation
		return c, true
	}
	c, ok := stationKeys[squash(s)]
	return c, ok
}

// stationType is StationType through the Checker's memo.
func (c *Checker) stationType(s string) (string, bool) {
	if st, ok := c.stations[s]; ok {
		return st, st != ""
	}
	st, ok := StationType(s)
	if c.stations == nil {
		c.stations = map[string]string{}
	}
	if len(c.stations) < maxMemo {
		c.stations[s] = st // "" when unknown
	}
	return st, ok
}

// squash lower-cases s and drops spaces, hyphens and underscores: the key
// under which catalogue names and station types are matched.
func squash(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '-' || c == '_' || c >= 'A' && c <= 'Z' || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if r != ' ' && r != '-' && r != '_' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// YesNo parses the yes/no forms rosters use: yes/no, y/n, true/false, 1/0,
// on/off, enabled/disabled, and in German, French and Spanish (ja/nein,
// oui/non, sí/no, wahr/falsch, vrai/faux, verdadero/falso), without regard
// to case.
func YesNo(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "1", "on", "enabled", "ja", "j", "oui", "si", "sí", "wahr", "vrai", "verdadero":
		return true, true
	case "no", "n", "false", "0", "off", "disabled", "nein", "non", "falsch", "faux", "falso":
		return false, true
	}
	return false, false
}

// checkChoices checks and sets the station type, voice_enabled and sms.
func (rc *rowCheck) checkChoices() {
	if text, _ := rc.text(xStationType); text != "" {
		if st, ok := rc.c.stationType(text); ok {
			rc.row.User.StationType = st
		} else {
			rc.ps.add(rc.cell(xStationType), CodeStationTypeInvalid, text, pbx.ErrInvalid,
				fmt.Sprintf("station type %q is not one the PBX knows", text),
				"use one of "+strings.Join(StationTypes, ", "))
		}
	}
	rc.row.User.VoiceEnabled = rc.yesNo(xVoiceEnabled, CodeVoiceEnabledInvalid, "voice_enabled")
	rc.row.SMS = rc.yesNo(xSMS, CodeSMSInvalid, "sms")
}

// yesNo parses a yes/no field; empty or absent is no.
func (rc *rowCheck) yesNo(f fx, code, name string) bool {
	text, _ := rc.text(f)
	if text == "" {
		return false
	}
	v, ok := YesNo(text)
	if !ok {
		rc.ps.add(rc.cell(f), code, text, pbx.ErrInvalid,
			fmt.Sprintf("%s %q is not a yes/no value", name, text),
			"write yes or no (y/n, true/false, 1/0, on/off, enabled/disabled are accepted too)")
	}
	return v
}
