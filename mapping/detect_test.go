package mapping

import (
	"testing"
)

func TestDetectSamples(t *testing.T) {
	tests := []struct{ file, want string }{
		{"pbxsync-roster.csv", "pbxsync"},
		{"freepbx-bulkhandler-extensions.csv", "freepbx"},
		{"kazoo-monster-onboarding.csv", "kazoo"},
		{"fusionpbx-extensions.csv", "fusionpbx"},
		{"cucm-bat-users-phones.csv", "cucm"},
		{"cucm-bat-phones.csv", "cucm"},
		{"cucm-bat-users.csv", "cucm-users"},
		{"fusionpbx-extensions-import.csv", "fusionpbx"},
		{"fusionpbx-devices-import.csv", "fusionpbx-devices"},
		{"fusionpbx-numbers-import.csv", "fusionpbx-numbers"},
		{"webex-calling-users.csv", "webex"},
		{"zoom-phone-users.csv", "zoom"},
		{"teams-phone-users.csv", "teams"},
		{"teams-number-assignment.csv", "teams-numbers"},
		{"ringcentral-users.csv", "ringcentral"},
		{"3cx-users.csv", "3cx"},
		{"8x8-users.csv", "8x8"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			headers, _ := readSample(t, tt.file)
			p, score := Detect(headers)
			if p == nil {
				t.Fatalf("Detect = nil, want %s", tt.want)
			}
			if p.Name != tt.want {
				t.Errorf("Detect = %s (%.2f), want %s", p.Name, score, tt.want)
			}
			if score < DetectThreshold || score > 1 {
				t.Errorf("Detect score = %.2f, want between %.2f and 1", score, DetectThreshold)
			}
		})
	}
}

func TestDetectHeaderVariants(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		want    string
	}{
		{"kazoo with extension last", []string{"first_name", "last_name", "email_address", "mac_address", "brand", "model", "family", "extension_number"}, "kazoo"},
		{"freepbx upper case", []string{"EXTENSION", "PASSWORD", "NAME", "VOICEMAIL", "OUTBOUNDCID", "SIPNAME", "TECH", "DIAL", "DEVICETYPE", "USER", "DESCRIPTION", "VOICEMAIL_EMAIL"}, "freepbx"},
		{"cucm with mac column", []string{"USER ID", "FIRST NAME", "LAST NAME", "MAC ADDRESS", "DIRECTORY NUMBER 1", "LINE DESCRIPTION 1", "PHONE TYPE", "DEVICE POOL"}, "cucm"},
		{"pbxsync field names", []string{"user_id", "first_name", "last_name", "email", "extension", "number", "mac", "model"}, "pbxsync"},
		{"hr export", []string{"Employee ID", "Given Name", "Surname", "E-mail Address", "Work Phone", "Office"}, "pbxsync"},
		{"webex with columns of a newer Control Hub", []string{"First Name", "Last Name", "User ID/Email (Required)", "Extension", "Phone Number",
			"Caller ID Number", "Location", "Webex Calling Professional [Sub777]", "Secondary Email", "Preferred Language"}, "webex"},
		{"zoom, fewer columns", []string{"Name", "Email", "Extension Number", "Phone Numbers", "Site Name", "Package"}, "zoom"},
		{"cucm phone export, short", []string{"DEVICE NAME", "DESCRIPTION", "DEVICE TYPE", "OWNER USER ID", "DIRECTORY NUMBER 1", "DIRECTORY NUMBER 2"}, "cucm"},
		{"3cx, upper case", []string{"NUMBER", "FIRSTNAME", "LASTNAME", "EMAILADDRESS", "DID", "OUTBOUNDCALLERID", "MAC"}, "3cx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, score := Detect(tt.headers)
			if p == nil || p.Name != tt.want {
				t.Fatalf("Detect = %v (%.2f), want %s", p, score, tt.want)
			}
		})
	}
}

func TestDetectNothing(t *testing.T) {
	if p, score := Detect(nil); p != nil || score != 0 {
		t.Errorf("Detect(nil) = %v, %.2f; want nil, 0", p, score)
	}
	if p, score := Detect([]string{"", "  ", "--"}); p != nil || score != 0 {
		t.Errorf("Detect(unnamed headers) = %v, %.2f; want nil, 0", p, score)
	}
	if p, score := Detect([]string{"Kostenstelle", "Abteilung", "Gebäude"}); p != nil || score != 0 {
		t.Errorf("Detect(foreign headers) = %v, %.2f; want nil, 0", p, score)
	}
	p, score := Detect([]string{"Name", "Cost Centre", "Department", "Building", "Floor", "Desk"})
	if p == nil || score >= DetectThreshold {
		t.Errorf("Detect(mostly unknown headers) = %v, %.2f; want a pick under the threshold %.2f", p, score, DetectThreshold)
	}
}
