package mapping

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestBuiltinsParse(t *testing.T) {
	names := Builtins()
	for _, want := range []string{"cucm", "freepbx", "fusionpbx", "kazoo", "pbxsync"} {
		if !slices.Contains(names, want) {
			t.Errorf("Builtins() = %v, lacks %s", names, want)
		}
	}
	for _, name := range names {
		p, err := Builtin(name)
		if err != nil {
			t.Errorf("Builtin(%s): %v", name, err)
			continue
		}
		if p.Name != name {
			t.Errorf("Builtin(%s).Name = %q", name, p.Name)
		}
		if src, err := BuiltinSource(name); err != nil || len(src) == 0 {
			t.Errorf("BuiltinSource(%s) = %d bytes, %v", name, len(src), err)
		}
	}
}

func TestBuiltinUnknownName(t *testing.T) {
	_, err := Builtin("asterisk")
	if !errors.Is(err, ErrProfile) {
		t.Fatalf("Builtin(asterisk) error = %v, want ErrProfile", err)
	}
}

func TestBuiltinIsACopy(t *testing.T) {
	p := mustBuiltin(t, "kazoo")
	delete(p.Fields, pbx.FEmail)
	if q := mustBuiltin(t, "kazoo"); q.Fields[pbx.FEmail] == nil {
		t.Fatal("changing a built-in profile changed the next one loaded")
	}
}

// row is the expected text of every field of one mapped row.
type row map[pbx.Field]string

// TestBuiltinSamples maps each sample with its profile and checks that every
// value lands in the right field, that no field is added or lost, and that
// the profile knows every column of the sample.
func TestBuiltinSamples(t *testing.T) {
	tests := []struct {
		profile, file string
		want          []row
		parts         map[int][]string // data row index -> number parts
	}{
		{"pbxsync", "pbxsync-roster.csv", []row{
			{pbx.FFirstName: "Hedy", pbx.FLastName: "Lamarr", pbx.FEmail: "hedy.lamarr@acme.example", pbx.FUserID: "hedy.lamarr@acme.example",
				pbx.FNumber: "+1 415 555 0161", pbx.FExtension: "0161", pbx.FStationType: "Premium", pbx.FModel: "yealink-t42g",
				pbx.FMAC: "80:5E:C0:4A:61:61", pbx.FPort: "", pbx.FSite: "sfo"},
			{pbx.FFirstName: "Claude", pbx.FLastName: "Shannon", pbx.FEmail: "claude.shannon@acme.example", pbx.FUserID: "claude.shannon@acme.example",
				pbx.FNumber: "(415) 555-0162; (415) 555-0163", pbx.FExtension: "0162", pbx.FStationType: "Standard", pbx.FModel: "Polycom VVX 450",
				pbx.FMAC: "0004.f28c.6162", pbx.FPort: "", pbx.FSite: "sfo"},
			{pbx.FFirstName: "Lynn", pbx.FLastName: "Conway", pbx.FEmail: "lynn.conway@acme.example", pbx.FUserID: "lynn.conway@acme.example",
				pbx.FNumber: "415-555-0164", pbx.FExtension: "", pbx.FStationType: "", pbx.FModel: "cisco-8841",
				pbx.FMAC: "00-1B-54-A1-61-64", pbx.FPort: "", pbx.FSite: "sfo"},
			{pbx.FFirstName: "John", pbx.FLastName: "Bardeen", pbx.FEmail: "john.bardeen@acme.example", pbx.FUserID: "john.bardeen@acme.example",
				pbx.FNumber: "+14155550165", pbx.FExtension: "0165", pbx.FStationType: "standard", pbx.FModel: "grandstream-ht802",
				pbx.FMAC: "000b823d6100", pbx.FPort: "1", pbx.FSite: "sfo"},
			{pbx.FFirstName: "Walter", pbx.FLastName: "Brattain", pbx.FEmail: "walter.brattain@acme.example", pbx.FUserID: "walter.brattain@acme.example",
				pbx.FNumber: "+14155550166", pbx.FExtension: "0166", pbx.FStationType: "standard", pbx.FModel: "grandstream-ht802",
				pbx.FMAC: "000b823d6100", pbx.FPort: "2", pbx.FSite: "sfo"},
		}, map[int][]string{0: {"+1 415 555 0161"}, 1: {"(415) 555-0162", "(415) 555-0163"}}},

		{"freepbx", "freepbx-bulkhandler-extensions.csv", []row{
			freepbxRow("2001", "Ada", "Lovelace", "ada.lovelace@acme.example", "4155550101", "Ada Lovelace - Engineering"),
			freepbxRow("2002", "Grace", "Hopper", "grace.hopper@acme.example", "4155550102", "Grace Hopper"),
			freepbxRow("2003", "José", "Álvarez", "jose.alvarez@acme.example", "(415) 555-0103", "José Álvarez"),
			freepbxRow("2004", "Ludwig", "van Beethoven", "ludwig.vanbeethoven@acme.example", "", "Music room"),
			freepbxRow("2005", "Reception", "", "", "4155550100", "Front desk"),
			freepbxRow("2006", "Alan", "Turing", "alan.turing@acme.example", "4155550106", "Alan Turing"),
		}, nil},

		{"kazoo", "kazoo-monster-onboarding.csv", []row{
			kazooRow("Katherine", "Johnson", "katherine.johnson@acme.example", "katherine.johnson@acme.example", "3101", "80:5e:c0:4a:10:01", "yealink t42g"),
			kazooRow("Dorothy", "Vaughan", "dorothy.vaughan@acme.example", "dorothy.vaughan@acme.example", "3102", "80:5e:c0:4a:10:02", "yealink t46s"),
			kazooRow("Mary", "Jackson", "mary.jackson@acme.example", "mary.jackson@acme.example", "3103", "00:04:f2:8c:20:03", "polycom vvx450"),
			kazooRow("Christine", "Darden", "Christine.Darden@ACME.example", "christine.darden@acme.example", "3104", "00:04:F2:8C:20:04", "polycom vvx450"),
			kazooRow("Annie", "Easley", "annie.easley@acme.example", "annie.easley@acme.example", "3105", "00:0b:82:3d:40:05", "grandstream ht802"),
		}, nil},

		{"fusionpbx", "fusionpbx-extensions.csv", []row{
			fusionRow("4101", "Barbara", "Liskov", "barbara.liskov@acme.example", "+14155550141", "Sales desk", "yes", "805ec04a4101", "yealink t42g"),
			fusionRow("4102", "Margaret", "Hamilton", "margaret.hamilton@acme.example", "+14155550142", "Apollo room", "yes", "0004f28c4102", "polycom vvx450"),
			fusionRow("4103", "Frances", "Allen", "frances.allen@acme.example", "4155550143", "On leave", "no", "805ec04a4103", "yealink t46s"),
			fusionRow("4104", "Radia", "Perlman", "radia.perlman@acme.example", "", "", "yes", "000b823d4104", "grandstream ht802"),
		}, nil},

		{"cucm", "cucm-bat-users-phones.csv", []row{
			cucmRow("Edsger", "Dijkstra", "edijkstra", "edsger.dijkstra@acme.example", "edsger.dijkstra@acme.example", "5201", "4155550121", "Edsger Dijkstra", "001B54A1B201", "Cisco 8841"),
			cucmRow("Donald", "Knuth", "dknuth", "donald.knuth@acme.example", "donald.knuth@acme.example", "5202", "4155550122", "Donald Knuth", "001B54A1B202", "Cisco 8851"),
			cucmRow("Barbara", "Liskov", "bliskov", "Barbara.Liskov@acme.example", "barbara.liskov@acme.example", "5203", "4155550123", "Barbara Liskov", "001b54a1b203", "Cisco 7841"),
			cucmRow("Ken", "Thompson", "kthompson", "ken.thompson@acme.example", "ken.thompson@acme.example", "5204", "", "Ken Thompson", "001B54A1B204", "Cisco 8865"),
			cucmRow("Sophie", "Wilson", "swilson", "", "", "5205", "4155550125", "Sophie Wilson", "001B54A1B205", "Cisco 8841"),
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			headers, rows := readSample(t, tt.file)
			b, problems := mustBuiltin(t, tt.profile).Bind(tt.file, "", 1, headers)
			if len(problems) > 0 {
				t.Fatalf("Bind problems: %v", problems)
			}
			if u := b.Unknown(); len(u) > 0 {
				t.Errorf("Unknown() = %q, want every column of the sample known", u)
			}
			if len(rows) != len(tt.want) {
				t.Fatalf("sample has %d rows, test expects %d", len(rows), len(tt.want))
			}
			for i, rec := range rows {
				m := b.Map(i+2, rec)
				got := row{}
				for f, v := range m.Values {
					got[f] = v.Text
					if v.Cell.Row != i+2 || v.Cell.File != tt.file {
						t.Errorf("row %d %s: cell %+v, want row %d of %s", i+2, f, v.Cell, i+2, tt.file)
					}
				}
				if !reflect.DeepEqual(got, tt.want[i]) {
					for _, f := range pbx.Fields {
						g, gok := got[f]
						w, wok := tt.want[i][f]
						if g != w || gok != wok {
							t.Errorf("row %d %s = %q (present %v), want %q (present %v)", i+2, f, g, gok, w, wok)
						}
					}
				}
				if want, ok := tt.parts[i]; ok {
					if got := m.Values[pbx.FNumber].Parts; !slices.Equal(got, want) {
						t.Errorf("row %d number parts = %q, want %q", i+2, got, want)
					}
				}
			}
		})
	}
}

func freepbxRow(ext, first, last, email, number, label string) row {
	return row{pbx.FExtension: ext, pbx.FFirstName: first, pbx.FLastName: last, pbx.FEmail: email, pbx.FUserID: email,
		pbx.FNumber: number, pbx.FNumberLabel: label, pbx.FStationType: "standard", pbx.FVoiceEnabled: "yes"}
}

func kazooRow(first, last, email, login, ext, mac, model string) row {
	return row{pbx.FFirstName: first, pbx.FLastName: last, pbx.FEmail: email, pbx.FUserID: login, pbx.FExtension: ext,
		pbx.FMAC: mac, pbx.FModel: model, pbx.FStationType: "standard", pbx.FVoiceEnabled: "yes"}
}

func fusionRow(ext, first, last, email, number, label, voice, mac, model string) row {
	return row{pbx.FExtension: ext, pbx.FFirstName: first, pbx.FLastName: last, pbx.FEmail: email, pbx.FUserID: email,
		pbx.FNumber: number, pbx.FNumberLabel: label, pbx.FVoiceEnabled: voice, pbx.FMAC: mac, pbx.FModel: model,
		pbx.FStationType: "standard"}
}

func cucmRow(first, last, cucmID, email, login, ext, number, label, mac, model string) row {
	return row{pbx.FFirstName: first, pbx.FLastName: last, pbx.FExternalID: cucmID, pbx.FEmail: email, pbx.FUserID: login,
		pbx.FExtension: ext, pbx.FNumber: number, pbx.FNumberLabel: label, pbx.FMAC: mac, pbx.FModel: model,
		pbx.FStationType: "standard", pbx.FVoiceEnabled: "yes"}
}
