package mapping

import (
	"errors"
	"reflect"
	"slices"
	"strings"
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
			pbxsyncRow("Hedy", "Lamarr", "hedy.lamarr@acme.example", "E1001", "+1 415 555 0161", "0161", "Premium", "yes", "yes", "own", "",
				"yealink-t42g", "80:5E:C0:4A:61:61", "", "2", "100 Market St", "San Francisco", "CA", "94105", "US"),
			pbxsyncRow("Claude", "Shannon", "claude.shannon@acme.example", "E1002", "(415) 555-0162; (415) 555-0163", "0162", "Standard", "Y", "no",
				"+1 415 555 0100", "+1 415 555 0190", "Polycom VVX 450", "0004.f28c.6162", "", "", "100 Market St", "San Francisco", "California", "94105", "United States"),
			pbxsyncRow("Lynn", "Conway", "lynn.conway@acme.example", "E1003", "415-555-0164", "", "", "", "", "anonymous", "",
				"cisco-8841", "00-1B-54-A1-61-64", "", "", "", "", "", "", ""),
			pbxsyncRow("John", "Bardeen", "john.bardeen@acme.example", "E1004", "+14155550165", "0165", "standard", "TRUE", "", "", "",
				"grandstream-ht802", "000b823d6100", "1", "", "1 Lab Way", "Palo Alto", "CA", "94304", "US"),
			pbxsyncRow("Walter", "Brattain", "walter.brattain@acme.example", "E1005", "+14155550166", "0166", "standard", "1", "", "", "",
				"grandstream-ht802", "000b823d6100", "2", "", "1 Lab Way", "Palo Alto", "CA", "94304", "US"),
			pbxsyncRow("Mary\u00a0Ann", "Wilkes", "mary.wilkes@acme.example", "E1006", "+1 415 555 0167; +1 415 555 0168", "", "basic", "", "", "", "",
				"", "", "", "", "", "", "", "", ""),
		}, map[int][]string{0: {"+1 415 555 0161"}, 1: {"(415) 555-0162", "(415) 555-0163"}, 5: {"+1 415 555 0167", "+1 415 555 0168"}}},

		{"freepbx", "freepbx-bulkhandler-extensions.csv", []row{
			freepbxRow("2001", "Ada", "Lovelace", "ada.lovelace@acme.example", "4155550101", "Ada Lovelace - Engineering"),
			freepbxRow("2002", "Grace", "Hopper", "grace.hopper@acme.example", "4155550102", "Grace Hopper"),
			freepbxRow("2003", "José", "Álvarez", "jose.alvarez@acme.example", "(415) 555-0103", "José Álvarez"),
			freepbxRow("2004", "Ludwig", "van Beethoven", "ludwig.vanbeethoven@acme.example", "", "Music room"),
			freepbxRow("2005", "Reception", "", "", "4155550100", "Front desk"),
			freepbxRow("2006", "Alan", "Turing", "alan.turing@acme.example", "4155550106", "Alan Turing"),
			freepbxRow("", "", "", "root@localhost", "", ""), // the voicemail box FreePBX exports without an extension
		}, nil},

		{"kazoo", "kazoo-monster-onboarding.csv", []row{
			kazooRow("Katherine", "Johnson", "katherine.johnson@acme.example", "katherine.johnson@acme.example", "3101", "80:5e:c0:4a:10:01", "yealink t42g"),
			kazooRow("Dorothy", "Vaughan", "dorothy.vaughan@acme.example", "dorothy.vaughan@acme.example", "3102", "80:5e:c0:4a:10:02", "yealink t46s"),
			kazooRow("Mary", "Jackson", "mary.jackson@acme.example", "mary.jackson@acme.example", "3103", "00:04:f2:8c:20:03", "polycom vvx450"),
			kazooRow("Christine", "Darden", "Christine.Darden@ACME.example", "christine.darden@acme.example", "3104", "00:04:F2:8C:20:04", "polycom vvx450"),
			kazooRow("Annie", "Easley", "annie.easley@acme.example", "annie.easley@acme.example", "3105", "00:0b:82:3d:40:05", "grandstream gxp2170"),
			kazooRow("Melba", "Roy Mouton", "melba.roymouton@acme.example", "melba.roymouton@acme.example", "3106", "80:5e:c0:4a:10:06", "yealink t42g"),
		}, nil},

		{"fusionpbx", "fusionpbx-extensions.csv", []row{
			fusionRow("4101", "Barbara", "Liskov", "barbara.liskov@acme.example", "+14155550141", "Sales desk, 2nd floor", "yes", "805ec04a4101", "yealink t42g", "1"),
			fusionRow("4102", "Margaret", "Hamilton", "margaret.hamilton@acme.example", "+14155550142", "Apollo room", "yes", "0004f28c4102", "polycom vvx450", "1"),
			fusionRow("4103", "Frances", "Allen", "frances.allen@acme.example", "4155550143", "On leave", "no", "805ec04a4103", "yealink t46s", "1"),
			fusionRow("4104", "Radia", "Perlman", "radia.perlman@acme.example", "4155550144", "Fax, lab", "yes", "000b823d4100", "grandstream ht802", "1"),
			fusionRow("4105", "Shafi", "Goldwasser", "shafi.goldwasser@acme.example", "4155550145", "Lab phone", "yes", "000b823d4100", "grandstream ht802", "2"),
			fusionRow("4106", "Leslie", "Lamport", "leslie.lamport@acme.example", "", "Softphone only", "yes", "", "", ""),
		}, nil},

		{"cucm", "cucm-bat-users-phones.csv", []row{
			cucmRow("Edsger", "Dijkstra", "edijkstra", "edsger.dijkstra@acme.example", "edsger.dijkstra@acme.example", "5201", "4155555201", "Edsger Dijkstra", "001B54A1B201", "Cisco 8841"),
			cucmRow("Donald", "Knuth", "dknuth", "donald.knuth@acme.example", "donald.knuth@acme.example", "5202", "4155550122", "Donald Knuth", "001B54A1B202", "Cisco 8851"),
			cucmRow("Barbara", "Liskov", "bliskov", "Barbara.Liskov@acme.example", "barbara.liskov@acme.example", "5203", "+14155555203", "Barbara Liskov", "001b54a1b203", "Cisco 7841"),
			cucmRow("Ken", "Thompson", "kthompson", "ken.thompson@acme.example", "ken.thompson@acme.example", "5204", "+1 415 555 0124", "Ken Thompson", "001B54A1B204", "Cisco 8865"),
			cucmRow("Sophie", "Wilson", "swilson", "", "", "5205", "4155555205", "Sophie Wilson", "001B54A1B205", "Cisco 8841"),
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
				for f, v := range m.Values.All() {
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
					if got := m.Values.At(pbx.FNumber).Parts; !slices.Equal(got, want) {
						t.Errorf("row %d number parts = %q, want %q", i+2, got, want)
					}
				}
			}
		})
	}
}

func pbxsyncRow(first, last, email, empID, number, ext, station, voice, sms, callerID, outbound, model, mac, port, lines,
	street, city, region, postal, country string) row {
	return row{pbx.FUserID: strings.ToLower(email), pbx.FFirstName: first, pbx.FLastName: last, pbx.FEmail: email,
		pbx.FExternalID: empID, pbx.FNumber: number, pbx.FExtension: ext, pbx.FStationType: station, pbx.FVoiceEnabled: voice,
		pbx.FSMS: sms, pbx.FCallerID: callerID, pbx.FOutboundOnly: outbound, pbx.FModel: model, pbx.FMAC: mac, pbx.FPort: port,
		pbx.FLines: lines, pbx.FSite: "sfo", pbx.FStreet: street, pbx.FCity: city, pbx.FRegion: region, pbx.FPostal: postal,
		pbx.FCountry: country}
}

func freepbxRow(ext, first, last, email, number, label string) row {
	return row{pbx.FExtension: ext, pbx.FFirstName: first, pbx.FLastName: last, pbx.FEmail: email, pbx.FUserID: email,
		pbx.FNumber: number, pbx.FNumberLabel: label, pbx.FStationType: "standard", pbx.FVoiceEnabled: "yes"}
}

func kazooRow(first, last, email, login, ext, mac, model string) row {
	return row{pbx.FFirstName: first, pbx.FLastName: last, pbx.FEmail: email, pbx.FUserID: login, pbx.FExtension: ext,
		pbx.FMAC: mac, pbx.FModel: model, pbx.FStationType: "standard", pbx.FVoiceEnabled: "yes"}
}

func fusionRow(ext, first, last, email, number, label, voice, mac, model, port string) row {
	return row{pbx.FExtension: ext, pbx.FFirstName: first, pbx.FLastName: last, pbx.FEmail: email, pbx.FUserID: email,
		pbx.FNumber: number, pbx.FNumberLabel: label, pbx.FVoiceEnabled: voice, pbx.FMAC: mac, pbx.FModel: model,
		pbx.FPort: port, pbx.FStationType: "standard"}
}

func cucmRow(first, last, cucmID, email, login, ext, number, label, mac, model string) row {
	return row{pbx.FFirstName: first, pbx.FLastName: last, pbx.FExternalID: cucmID, pbx.FEmail: email, pbx.FUserID: login,
		pbx.FExtension: ext, pbx.FNumber: number, pbx.FNumberLabel: label, pbx.FMAC: mac, pbx.FModel: model,
		pbx.FPort: "", pbx.FStationType: "standard", pbx.FVoiceEnabled: "yes"}
}
