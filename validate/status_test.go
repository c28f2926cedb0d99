package validate

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestStatus(t *testing.T) {
	for in, want := range map[string]pbx.HRStatus{
		"Active": pbx.HRActive, "aktiv": pbx.HRActive, "Actif": pbx.HRActive, "activo": pbx.HRActive,
		"Terminated": pbx.HRLeaver, "Ausgeschieden": pbx.HRLeaver, "sorti": pbx.HRLeaver, "Baja": pbx.HRLeaver,
		"Leave of Absence": pbx.HRKeep, "leave-of-absence": pbx.HRKeep, "beurlaubt": pbx.HRKeep,
		"en congé": pbx.HRKeep, "EN CONGE": pbx.HRKeep, "excedencia": pbx.HRKeep, "keep": pbx.HRKeep,
	} {
		if got, ok := Status(in); !ok || got != want {
			t.Errorf("Status(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if got, ok := Status("pending"); ok {
		t.Errorf("Status(pending) = %q, known; want unknown", got)
	}
}

func TestExitDate(t *testing.T) {
	for _, c := range []struct{ in, region, want string }{
		{"2027-03-31", "DE", "2027-03-31"},
		{"2027-03-31T00:00:00", "US", "2027-03-31"},
		{"31.03.2027", "DE", "2027-03-31"},
		{"1.4.2027", "DE", "2027-04-01"},
		{"31/03/2027", "FR", "2027-03-31"},
		{"03/31/2027", "US", "2027-03-31"},
		{"04/03/2027", "US", "2027-04-03"},
		{"04/03/2027", "GB", "2027-03-04"},
		{"31/03/2027", "US", "2027-03-31"}, // the day is over 12: unambiguous
		{"31-03-2027", "ES", "2027-03-31"},
		{"46477", "DE", "2027-03-31"},
	} {
		got, err := ExitDate(c.in, c.region)
		if err != nil || got != c.want {
			t.Errorf("ExitDate(%q, %s) = %q, %v; want %q", c.in, c.region, got, err, c.want)
		}
	}
	for _, bad := range []string{"31.02.2027", "tomorrow", "2027-13-01", "13/13/2027", "12", "31.03.27"} {
		if got, err := ExitDate(bad, "DE"); err == nil {
			t.Errorf("ExitDate(%q) = %q, want an error", bad, got)
		}
	}
}

// FuzzExitDate: whatever the text, ExitDate does not panic, and a date it
// returns is a real one that reads back as itself.
func FuzzExitDate(f *testing.F) {
	for _, s := range []string{"2027-03-31", "31.03.2027", "03/31/2027", "46477", "0", "1/1/1", "9999-12-31T23:59"} {
		f.Add(s, "US")
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		d, err := ExitDate(s, region)
		if err != nil {
			return
		}
		if back, err := ExitDate(d, region); err != nil || back != d {
			t.Errorf("ExitDate(%q) = %q, which reads back as %q, %v", s, d, back, err)
		}
	})
}
