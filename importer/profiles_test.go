package importer_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/roster"
	"github.com/pbxsync/pbxsync/validate"
)

// legacyDir holds one export per built-in mapping profile.
const legacyDir = "../samples/legacy"

// catalogueState is the live state the samples are validated against: one
// company with messaging, one site (San Francisco, four-digit extensions)
// and a device catalogue holding every model the samples name.
func catalogueState() *pbx.State {
	st := pbx.NewState(pbx.Company{ID: "acme", Name: "Acme Corp", Plan: "C2", SMS: true})
	st.Sites["sfo"] = &pbx.Site{Company: "acme", Code: "sfo", Name: "San Francisco", Region: "US", ExtLen: 4}
	for _, m := range []pbx.DeviceModel{
		{Name: "yealink-t42g", Vendor: "Yealink", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 3, OUIs: []string{"805ec0"}},
		{Name: "yealink-t46s", Vendor: "Yealink", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 6, OUIs: []string{"805ec0"}},
		{Name: "polycom-vvx450", Vendor: "Polycom", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 12, OUIs: []string{"0004f2"}},
		{Name: "cisco-7841", Vendor: "Cisco", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 4, OUIs: []string{"001b54"}},
		{Name: "cisco-8841", Vendor: "Cisco", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 5, OUIs: []string{"001b54"}},
		{Name: "cisco-8851", Vendor: "Cisco", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 5, OUIs: []string{"001b54"}},
		{Name: "cisco-8865", Vendor: "Cisco", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 5, OUIs: []string{"001b54"}},
		{Name: "grandstream-gxp2170", Vendor: "Grandstream", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 6, OUIs: []string{"000b82"}},
		{Name: "grandstream-ht802", Vendor: "Grandstream", Kind: pbx.KindATA, Ports: 2, MaxLines: 1, OUIs: []string{"000b82"}},
		{Name: "cisco-ata191", Vendor: "Cisco", Kind: pbx.KindATA, Ports: 2, MaxLines: 1, OUIs: []string{"001b54"}},
		{Name: "cisco-vg224", Vendor: "Cisco", Kind: pbx.KindATA, Ports: 24, MaxLines: 1, OUIs: []string{"001b54"}},
	} {
		st.Models[m.Name] = &m
	}
	return st
}

// ingested is a roster read, mapped and validated the way importer.Check does it.
type ingested struct {
	file     string
	profile  string
	score    float64
	unknown  []string
	header   []*pbx.Problem          // the reader's and the binding's problems with the header
	rows     map[int]*pbx.Row        // valid rows by line
	mapped   map[int]*mapping.Mapped // every row as mapped, by line
	problems map[int][]*pbx.Problem  // every row's problems (reader, row rules, roster rules)
	lines    []int
}

// ingest reads a roster through roster.Open, lets mapping.Detect pick the
// profile from its headers, maps every record and validates it into a pbx.Row.
func ingest(t *testing.T, path string) *ingested {
	t.Helper()
	return ingestWith(t, path, catalogueState())
}

// ingestWith is ingest against a given state.
func ingestWith(t *testing.T, path string, st *pbx.State) *ingested {
	t.Helper()
	rd, err := roster.Open(path, roster.Options{})
	if err != nil {
		t.Fatalf("roster.Open: %v", err)
	}
	defer rd.Close()
	p, score := mapping.Detect(rd.Headers())
	if p == nil {
		t.Fatalf("Detect found no profile for %q", rd.Headers())
	}
	b, bprobs := p.Bind(rd.File(), rd.Sheet(), rd.HeaderRow(), rd.Headers())
	in := &ingested{file: path, profile: p.Name, score: score, unknown: b.Unknown(), rows: map[int]*pbx.Row{}, mapped: map[int]*mapping.Mapped{}, problems: map[int][]*pbx.Problem{}}
	in.header = append(append(in.header, rd.HeaderProblems()...), bprobs...)
	chk := validate.New(st)
	var valid []*pbx.Row
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		in.lines = append(in.lines, rec.Row)
		m := b.Map(rec.Row, rec.Values)
		in.mapped[rec.Row] = m
		row, ps := chk.Row(m)
		in.problems[rec.Row] = append(append(in.problems[rec.Row], rec.Problems...), ps...)
		if row != nil && !rec.Blocking() {
			valid = append(valid, row)
		}
	}
	for _, p := range validate.Roster(st, valid) {
		in.problems[p.Cell.Row] = append(in.problems[p.Cell.Row], p)
	}
	for _, r := range valid {
		if !blocks(in.problems[r.Line]) {
			in.rows[r.Line] = r
		}
	}
	return in
}

func blocks(ps []*pbx.Problem) bool {
	for _, p := range ps {
		if p.Blocking() {
			return true
		}
	}
	return false
}

// want is what one roster line must become: the validated row (nil when a
// problem blocks it) and the codes of every problem on the line, warnings
// included, in the order they are found.
type want struct {
	line    int
	user    pbx.User // the fields a roster sets: ID, names, e-mail, extension, station type, voice, caller ID, external ID, site
	numbers []pbx.E164
	out     []pbx.E164
	label   string
	sms     bool
	dev     *pbx.RowDevice
	loc     *pbx.Address
	derived bool
	invalid bool                 // no row: a problem blocks it
	codes   []string             // every problem on the line
	texts   map[pbx.Field]string // for a blocked line: what the mapping placed
}

func user(id, first, last, email, ext, station string, voice bool) pbx.User {
	return pbx.User{ID: pbx.UserID(id), FirstName: first, LastName: last, Email: email, Extension: pbx.Extension(ext),
		StationType: station, VoiceEnabled: voice}
}

func e164s(ns ...string) []pbx.E164 {
	out := make([]pbx.E164, len(ns))
	for i, n := range ns {
		out[i] = pbx.E164(n)
	}
	return out
}

func phone(mac, model string, port, lines int) *pbx.RowDevice {
	return &pbx.RowDevice{MAC: pbx.MAC(mac), Model: model, Port: port, Lines: lines}
}

// TestProfilesIngestLegacySamples reads each built-in profile's sample
// export with roster.Open, lets mapping.Detect choose the profile from the
// headers alone, maps every row and validates it into a pbx.Row, and checks
// that every value lands in the right field, and that the rows a real
// export of that system would get wrong are reported, not guessed.
func TestProfilesIngestLegacySamples(t *testing.T) {
	sfo := func(u pbx.User) pbx.User { u.Site = "sfo"; return u }
	ext := func(u pbx.User, id string) pbx.User { u.ExternalID = id; return u }
	market := &pbx.Address{Street: "100 Market St", City: "San Francisco", Region: "CA", Postal: "94105", Country: "US"}
	lab := &pbx.Address{Street: "1 Lab Way", City: "Palo Alto", Region: "CA", Postal: "94304", Country: "US"}
	stray := roster.CodeCellUnheaded
	tests := []struct {
		file, profile string
		headerCodes   []string
		want          []want
	}{
		{"pbxsync-roster.csv", "pbxsync", nil, []want{
			{line: 2, user: ext(sfo(user("hedy.lamarr@acme.example", "Hedy", "Lamarr", "hedy.lamarr@acme.example", "0161", "premium", true)), "E1001"),
				numbers: e164s("+14155550161"), sms: true, dev: phone("805ec04a6161", "yealink-t42g", 1, 2), loc: market},
			{line: 3, user: func() pbx.User {
				u := ext(sfo(user("claude.shannon@acme.example", "Claude", "Shannon", "claude.shannon@acme.example", "0162", "standard", true)), "E1002")
				u.CallerID = "+14155550100"
				return u
			}(), numbers: e164s("+14155550162", "+14155550163"), out: e164s("+14155550190"),
				dev: phone("0004f28c6162", "polycom-vvx450", 1, 1), loc: market},
			// No extension: the last four digits of the number (DOMAIN rule 5).
			// The Voice Enabled cell is empty and validate gives false, which a
			// plan applies to the user: reported to the lead (an empty cell
			// should leave the flag alone).
			{line: 4, user: func() pbx.User {
				u := ext(sfo(user("lynn.conway@acme.example", "Lynn", "Conway", "lynn.conway@acme.example", "0164", "", false)), "E1003")
				u.CallerID = "anonymous"
				return u
			}(), numbers: e164s("+14155550164"), dev: phone("001b54a16164", "cisco-8841", 1, 1), derived: true},
			// Two users on the two ports of one ATA.
			{line: 5, user: ext(sfo(user("john.bardeen@acme.example", "John", "Bardeen", "john.bardeen@acme.example", "0165", "standard", true)), "E1004"),
				numbers: e164s("+14155550165"), dev: phone("000b823d6100", "grandstream-ht802", 1, 1), loc: lab},
			{line: 6, user: ext(sfo(user("walter.brattain@acme.example", "Walter", "Brattain", "walter.brattain@acme.example", "0166", "standard", true)), "E1005"),
				numbers: e164s("+14155550166"), dev: phone("000b823d6100", "grandstream-ht802", 2, 1), loc: lab},
			// A non-breaking space inside the name, a trailing space after the
			// e-mail, two numbers split on |.
			{line: 7, user: ext(sfo(user("mary.wilkes@acme.example", "Mary Ann", "Wilkes", "mary.wilkes@acme.example", "0167", "basic", false)), "E1006"),
				numbers: e164s("+14155550167", "+14155550168"), derived: true},
		}},

		// FreePBX's Bulk Handler export: its unquoted voicemail_options spills
		// into three unnamed columns (a warning, once per column); an extension
		// without voicemail has no e-mail, so no login; the export's last line
		// is a voicemail box without an extension.
		{"freepbx-bulkhandler-extensions.csv", "freepbx", []string{roster.CodeHeaderEmpty, roster.CodeHeaderEmpty, roster.CodeHeaderEmpty}, []want{
			{line: 2, user: user("ada.lovelace@acme.example", "Ada", "Lovelace", "ada.lovelace@acme.example", "2001", "standard", true),
				numbers: e164s("+14155550101"), label: "Ada Lovelace - Engineering", codes: []string{stray, stray, stray}},
			{line: 3, user: user("grace.hopper@acme.example", "Grace", "Hopper", "grace.hopper@acme.example", "2002", "standard", true),
				numbers: e164s("+14155550102"), label: "Grace Hopper"},
			{line: 4, user: user("jose.alvarez@acme.example", "José", "Álvarez", "jose.alvarez@acme.example", "2003", "standard", true),
				numbers: e164s("+14155550103"), label: "José Álvarez"},
			{line: 5, user: user("ludwig.vanbeethoven@acme.example", "Ludwig", "van Beethoven", "ludwig.vanbeethoven@acme.example", "2004", "standard", true),
				label: "Music room"},
			{line: 6, invalid: true, codes: []string{validate.CodeUserIDMissing},
				texts: map[pbx.Field]string{pbx.FExtension: "2005", pbx.FFirstName: "Reception", pbx.FNumber: "4155550100", pbx.FNumberLabel: "Front desk"}},
			{line: 7, user: user("alan.turing@acme.example", "Alan", "Turing", "alan.turing@acme.example", "2006", "standard", true),
				numbers: e164s("+14155550106"), label: "Alan Turing"},
			{line: 8, invalid: true, codes: []string{validate.CodeUserIDInvalid, validate.CodeEmailInvalid},
				texts: map[pbx.Field]string{pbx.FExtension: "", pbx.FEmail: "root@localhost"}},
		}},

		// Kazoo's onboarding file carries no phone numbers (Kazoo assigns them
		// later): with no number column, the rows leave numbers alone (the
		// live rules then check each user has one).
		{"kazoo-monster-onboarding.csv", "kazoo", nil, []want{
			kazoo(2, "Katherine", "Johnson", "katherine.johnson@acme.example", "katherine.johnson@acme.example", "3101", "80:5e:c0:4a:10:01", "yealink t42g"),
			kazoo(3, "Dorothy", "Vaughan", "dorothy.vaughan@acme.example", "dorothy.vaughan@acme.example", "3102", "80:5e:c0:4a:10:02", "yealink t46s"),
			kazoo(4, "Mary", "Jackson", "mary.jackson@acme.example", "mary.jackson@acme.example", "3103", "00:04:f2:8c:20:03", "polycom vvx450"),
			kazoo(5, "Christine", "Darden", "Christine.Darden@ACME.example", "christine.darden@acme.example", "3104", "00:04:F2:8C:20:04", "polycom vvx450"),
			kazoo(6, "Annie", "Easley", "annie.easley@acme.example", "annie.easley@acme.example", "3105", "00:0b:82:3d:40:05", "grandstream gxp2170"),
			kazoo(7, "Melba", "Roy Mouton", "melba.roymouton@acme.example", "melba.roymouton@acme.example", "3106", "80:5e:c0:4a:10:06", "yealink t42g"),
		}},

		// FusionPBX: the extension export joined with voicemail_mail_to and the
		// device export; an empty directory name falls back to the caller ID
		// name; a disabled extension keeps a number (rule 7 rejects it); two
		// extensions on the two lines of one ATA.
		{"fusionpbx-extensions.csv", "fusionpbx", nil, []want{
			{line: 2, user: user("barbara.liskov@acme.example", "Barbara", "Liskov", "barbara.liskov@acme.example", "4101", "standard", true),
				numbers: e164s("+14155550141"), label: "Sales desk, 2nd floor", dev: phone("805ec04a4101", "yealink-t42g", 1, 1)},
			{line: 3, user: user("margaret.hamilton@acme.example", "Margaret", "Hamilton", "margaret.hamilton@acme.example", "4102", "standard", true),
				numbers: e164s("+14155550142"), label: "Apollo room", dev: phone("0004f28c4102", "polycom-vvx450", 1, 1)},
			{line: 4, invalid: true, codes: []string{validate.CodeVoiceDisabled},
				texts: map[pbx.Field]string{pbx.FVoiceEnabled: "no", pbx.FNumber: "4155550143", pbx.FUserID: "frances.allen@acme.example"}},
			{line: 5, user: user("radia.perlman@acme.example", "Radia", "Perlman", "radia.perlman@acme.example", "4104", "standard", true),
				numbers: e164s("+14155550144"), label: "Fax, lab", dev: phone("000b823d4100", "grandstream-ht802", 1, 1)},
			{line: 6, user: user("shafi.goldwasser@acme.example", "Shafi", "Goldwasser", "shafi.goldwasser@acme.example", "4105", "standard", true),
				numbers: e164s("+14155550145"), label: "Lab phone", dev: phone("000b823d4100", "grandstream-ht802", 2, 1)},
			{line: 7, user: user("leslie.lamport@acme.example", "Leslie", "Lamport", "leslie.lamport@acme.example", "4106", "standard", true),
				label: "Softphone only"},
		}},

		// CUCM BAT: "SEP" + MAC device names (one in lower case), the DID as an
		// external phone number mask whose X's are the DN's last digits, an
		// empty mask falling back to the user's telephone number, a user
		// without MAIL ID (no login).
		{"cucm-bat-users-phones.csv", "cucm", nil, []want{
			{line: 2, user: ext(user("edsger.dijkstra@acme.example", "Edsger", "Dijkstra", "edsger.dijkstra@acme.example", "5201", "standard", true), "edijkstra"),
				numbers: e164s("+14155555201"), label: "Edsger Dijkstra", dev: phone("001b54a1b201", "cisco-8841", 1, 1)},
			{line: 3, user: ext(user("donald.knuth@acme.example", "Donald", "Knuth", "donald.knuth@acme.example", "5202", "standard", true), "dknuth"),
				numbers: e164s("+14155550122"), label: "Donald Knuth", dev: phone("001b54a1b202", "cisco-8851", 1, 1),
				codes: []string{validate.CodeLineLeftOut}}, // its second line, 5299
			{line: 4, user: ext(user("barbara.liskov@acme.example", "Barbara", "Liskov", "Barbara.Liskov@acme.example", "5203", "standard", true), "bliskov"),
				numbers: e164s("+14155555203"), label: "Barbara Liskov", dev: phone("001b54a1b203", "cisco-7841", 1, 1)},
			{line: 5, user: ext(user("ken.thompson@acme.example", "Ken", "Thompson", "ken.thompson@acme.example", "5204", "standard", true), "kthompson"),
				numbers: e164s("+14155550124"), label: "Ken Thompson", dev: phone("001b54a1b204", "cisco-8865", 1, 1)},
			{line: 6, invalid: true, codes: []string{validate.CodeUserIDMissing},
				texts: map[pbx.Field]string{pbx.FExternalID: "swilson", pbx.FExtension: "5205", pbx.FNumber: "4155555205", pbx.FMAC: "001B54A1B205"}},
		}},

		// CUCM BAT phone export alone: the owner's user ID is the login; every
		// line of every phone is read: line 1 is the user's, lines 2 and 3 (a
		// shared line 5399 on two phones, a hunt pilot) are warned about as
		// left out; an ATA's first port, a BAT placeholder name, an analog
		// gateway's second port (AN...001), and a lobby phone with no owner,
		// warned about and left out, not an error.
		{"cucm-bat-phones.csv", "cucm", nil, []want{
			{line: 2, user: ext(user("alan.turing@acme.example", "", "", "", "5301", "standard", true), "alan.turing@acme.example"),
				numbers: e164s("+14155555301"), label: "Alan Turing", dev: phone("001b54a1c301", "cisco-8841", 1, 1),
				codes: []string{validate.CodeLineLeftOut, validate.CodeLineLeftOut}},
			{line: 3, user: ext(user("joan.clarke@acme.example", "", "", "", "5302", "standard", true), "Joan.Clarke@acme.example"),
				numbers: e164s("+14155550302"), label: "Joan Clarke", dev: phone("001b54a1c302", "cisco-8851", 1, 1),
				codes: []string{validate.CodeLineLeftOut}},
			{line: 4, user: ext(user("tommy.flowers@acme.example", "", "", "", "5310", "standard", true), "tommy.flowers@acme.example"),
				numbers: e164s("+14155555310"), label: "Finance fax", dev: phone("001b54c0fe01", "cisco-ata191", 1, 1)},
			{line: 5, // a common-area phone: its device rings its number, no user
				numbers: e164s("+14155555300"), label: "Lobby courtesy phone", dev: phone("001b54a1c3a0", "cisco-7841", 1, 1),
				texts: map[pbx.Field]string{pbx.FUserID: "", pbx.FExtension: "5300", pbx.FNumber: "4155555300", pbx.FMAC: "001B54A1C3A0"}},
			{line: 6, user: ext(user("gordon.welchman@acme.example", "", "", "", "5305", "standard", true), "gordon.welchman@acme.example"),
				numbers: e164s("+14155555305"), label: "Gordon Welchman", dev: phone("001b54a1c305", "cisco-8841", 1, 1)},
			{line: 7, user: ext(user("max.newman@acme.example", "", "", "", "5311", "standard", true), "max.newman@acme.example"),
				numbers: e164s("+14155555311"), label: "Max Newman fax", dev: phone("001b54d0d0d0", "cisco-vg224", 2, 1)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			in := ingest(t, filepath.Join(legacyDir, tt.file))
			if in.profile != tt.profile || in.score < mapping.DetectThreshold {
				t.Fatalf("Detect chose %s (score %.2f), want %s", in.profile, in.score, tt.profile)
			}
			if len(in.unknown) > 0 {
				t.Errorf("columns the profile does not know: %q", in.unknown)
			}
			if got := problemCodes(in.header); !slices.Equal(got, tt.headerCodes) {
				t.Errorf("header problems %q, want %q", got, tt.headerCodes)
			}
			for _, w := range tt.want {
				if w.invalid && !blocks(in.problems[w.line]) && len(in.problems[w.line]) == 0 {
					t.Errorf("line %d has no row and no problem: dropped without a word", w.line)
				}
			}
			if blocks(in.header) {
				t.Errorf("a header problem blocks the file: %v", in.header)
			}
			var lines []int
			for _, w := range tt.want {
				lines = append(lines, w.line)
			}
			if !slices.Equal(in.lines, lines) {
				t.Fatalf("read lines %v, want %v", in.lines, lines)
			}
			for _, w := range tt.want {
				checkLine(t, in, w)
			}
		})
	}
}

// kazoo is a Kazoo onboarding line: a user and a phone, no number (Kazoo
// assigns numbers later), so the row leaves the user's numbers alone.
func kazoo(line int, first, last, email, login, ext, mac, model string) want {
	canon, err := pbx.ParseMAC(mac)
	if err != nil {
		panic(err)
	}
	local, domain, _ := strings.Cut(email, "@")
	return want{line: line, user: user(login, first, last, local+"@"+strings.ToLower(domain), ext, "standard", true),
		dev: phone(string(canon), strings.ReplaceAll(model, " ", "-"), 1, 1),
		texts: map[pbx.Field]string{
			pbx.FFirstName: first, pbx.FLastName: last, pbx.FEmail: email, pbx.FUserID: login, pbx.FExtension: ext,
			pbx.FMAC: mac, pbx.FModel: model, pbx.FStationType: "standard", pbx.FVoiceEnabled: "yes"}}
}

func checkLine(t *testing.T, in *ingested, w want) {
	t.Helper()
	if got := problemCodes(in.problems[w.line]); !slices.Equal(got, w.codes) {
		t.Errorf("line %d problems %q, want %q: %v", w.line, got, w.codes, in.problems[w.line])
	}
	for _, p := range in.problems[w.line] {
		if p.Cell.Row != w.line || p.Hint == "" {
			t.Errorf("line %d: problem %v points at row %d or has no hint", w.line, p, p.Cell.Row)
		}
	}
	m := in.mapped[w.line]
	for f, text := range w.texts {
		if v, ok := m.Get(f); !ok || v.Text != text {
			t.Errorf("line %d: %s mapped to %q (present %v), want %q", w.line, f, v.Text, ok, text)
		}
	}
	r := in.rows[w.line]
	if w.invalid {
		if r != nil {
			t.Errorf("line %d is valid, want it blocked by %q", w.line, w.codes)
		}
		return
	}
	if r == nil {
		t.Fatalf("line %d is blocked: %v", w.line, in.problems[w.line])
	}
	if r.User != w.user {
		t.Errorf("line %d user\n got %+v\nwant %+v", w.line, r.User, w.user)
	}
	if !slices.Equal(r.Numbers, w.numbers) || !slices.Equal(r.OutboundOnly, w.out) {
		t.Errorf("line %d numbers %v outbound %v, want %v %v", w.line, r.Numbers, r.OutboundOnly, w.numbers, w.out)
	}
	if r.NumberLabel != w.label || r.SMS != w.sms || r.ExtDerived != w.derived {
		t.Errorf("line %d label %q sms %v derived %v, want %q %v %v", w.line, r.NumberLabel, r.SMS, r.ExtDerived, w.label, w.sms, w.derived)
	}
	if !reflect.DeepEqual(r.Device, w.dev) {
		t.Errorf("line %d device %+v, want %+v", w.line, r.Device, w.dev)
	}
	if !reflect.DeepEqual(r.Location, w.loc) {
		t.Errorf("line %d location %+v, want %+v", w.line, r.Location, w.loc)
	}
	// Every field the row carries names its cell: file, row, column and header.
	for f, c := range r.Cells() {
		if c.File != filepath.Base(in.file) || c.Row != w.line || (c.Col >= 0 && c.Header == "") {
			t.Errorf("line %d: %s comes from %+v", w.line, f, c)
		}
	}
}

func problemCodes(ps []*pbx.Problem) []string {
	var cs []string
	for _, p := range ps {
		cs = append(cs, p.Code)
	}
	return cs
}

// TestExcelMangling covers, end to end (roster -> mapping -> validate), the
// values a spreadsheet mangles: each is recovered exactly or rejected with a
// hint at its cell. CSV cases are text as Excel saves it; XLSX cases are
// cells as Excel stores them (numbers, formats, cached formulas).
func TestExcelMangling(t *testing.T) {
	headers := []string{"Email", "First Name", "Last Name", "Phone Number", "Ext", "MAC Address", "Phone Model", "Site"}
	base := map[string]any{"Email": "ann@acme.example", "First Name": "Ann", "Last Name": "Lee", "Phone Number": "+1 415 555 0142",
		"Ext": "0142", "MAC Address": "80:5e:c0:00:01:42", "Phone Model": "yealink-t42g", "Site": "sfo"}
	tests := []struct {
		name  string
		xlsx  bool
		cells map[string]any
		raw   string              // CSV: the data line as written, instead of cells
		check func(*pbx.Row) bool // recovered: the row holds the right value
		code  string              // rejected: the problem, at field's cell
		field pbx.Field
	}{
		{name: "US number that lost its +", cells: map[string]any{"Phone Number": "14155550142"},
			check: func(r *pbx.Row) bool { return slices.Equal(r.Numbers, e164s("+14155550142")) }},
		{name: "foreign number that lost its +", cells: map[string]any{"Phone Number": "442079460958"},
			code: validate.CodeNumberInvalid, field: pbx.FNumber},
		{name: "national number that lost its leading zero", cells: map[string]any{"Phone Number": "2079460958", "Ext": "0958", "Site": "lon"},
			check: func(r *pbx.Row) bool { return slices.Equal(r.Numbers, e164s("+442079460958")) }},
		{name: "number in scientific notation", cells: map[string]any{"Phone Number": "1.41556E+10"},
			code: validate.CodeNumberScientific, field: pbx.FNumber},
		{name: "MAC in scientific notation", cells: map[string]any{"MAC Address": "8.02346E+11"},
			code: validate.CodeMACScientific, field: pbx.FMAC},
		{name: "extension that lost its leading zero", cells: map[string]any{"Ext": "142"},
			code: validate.CodeExtensionLeadingZeros, field: pbx.FExtension},
		{name: "non-breaking spaces", cells: map[string]any{"First Name": "\u00a0Ann\u00a0Marie\u00a0", "Email": "ann@acme.example\u00a0"},
			check: func(r *pbx.Row) bool { return r.User.FirstName == "Ann Marie" && r.User.Email == "ann@acme.example" }},
		{name: "trailing spaces", cells: map[string]any{"Last Name": "Lee   ", "Ext": " 0142 "},
			check: func(r *pbx.Row) bool { return r.User.LastName == "Lee" && r.User.Extension == "0142" }},
		{name: "smart apostrophe in a name is a name", cells: map[string]any{"Last Name": "O’Brien"},
			check: func(r *pbx.Row) bool { return r.User.LastName == "O’Brien" }},
		{name: "typographic quotes around a value holding the delimiter",
			raw:  `ann@acme.example,Ann,“Lee, Jr.”,+1 415 555 0142,0142,80:5e:c0:00:01:42,yealink-t42g,sfo`,
			code: roster.CodeRowRagged},

		{name: "xlsx: phone number stored as a number", xlsx: true, cells: map[string]any{"Phone Number": 14155550142},
			check: func(r *pbx.Row) bool { return slices.Equal(r.Numbers, e164s("+14155550142")) }},
		{name: "xlsx: MAC stored as a number, shown rounded", xlsx: true,
			cells: map[string]any{"MAC Address": excelize.Cell{StyleID: styleGeneral, Value: 802345678012}},
			check: func(r *pbx.Row) bool { return r.Device != nil && r.Device.MAC == "802345678012" }},
		{name: "xlsx: MAC kept by a zero-padded number format", xlsx: true,
			cells: map[string]any{"MAC Address": excelize.Cell{StyleID: styleZeros, Value: 412345678}, "Phone Model": "polycom-vvx450"},
			check: func(r *pbx.Row) bool { return r.Device != nil && r.Device.MAC == "000412345678" }},
		{name: "xlsx: extension stored as a number", xlsx: true, cells: map[string]any{"Ext": 142},
			code: validate.CodeExtensionLeadingZeros, field: pbx.FExtension},
		{name: "xlsx: number shown in a scientific format", xlsx: true,
			cells: map[string]any{"Phone Number": excelize.Cell{StyleID: styleScientific, Value: 14155550142}},
			code:  validate.CodeNumberScientific, field: pbx.FNumber},
		{name: "xlsx: extension from a formula's cached value", xlsx: true,
			cells: map[string]any{"Ext": excelize.Cell{Formula: `RIGHT(D2,4)`, Value: "0142"}},
			check: func(r *pbx.Row) bool { return r.User.Extension == "0142" }},
		{name: "xlsx: non-breaking space in a shared string", xlsx: true, cells: map[string]any{"First Name": "Ann\u00a0Marie "},
			check: func(r *pbx.Row) bool { return r.User.FirstName == "Ann Marie" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := make([]any, len(headers))
			for i, h := range headers {
				row[i] = base[h]
				if v, ok := tt.cells[h]; ok {
					row[i] = v
				}
			}
			var path string
			if tt.xlsx {
				path = writeWorkbook(t, headers, row)
			} else {
				path = writeCSV(t, headers, row, tt.raw)
			}
			in := ingestWith(t, path, mangleState())
			if len(in.lines) != 1 {
				t.Fatalf("lines %v", in.lines)
			}
			ps := in.problems[in.lines[0]]
			r := in.rows[in.lines[0]]
			if tt.check != nil {
				if r == nil {
					t.Fatalf("row blocked: %v", ps)
				}
				if !tt.check(r) {
					t.Errorf("row not recovered: user %+v numbers %v device %+v", r.User, r.Numbers, r.Device)
				}
				return
			}
			var found *pbx.Problem
			for _, p := range ps {
				if p.Code == tt.code {
					found = p
				}
			}
			if found == nil || r != nil {
				t.Fatalf("problems %v (row %v), want %s blocking the row", ps, r != nil, tt.code)
			}
			if found.Hint == "" || found.Cell.Row != in.lines[0] {
				t.Errorf("problem %+v has no hint or the wrong row", found)
			}
			if tt.field != "" && found.Cell.Header != headerOf(t, in, tt.field) {
				t.Errorf("problem at %+v, want the %s column", found.Cell, tt.field)
			}
		})
	}
}

// headerOf names the column the line's field was mapped from.
func headerOf(t *testing.T, in *ingested, f pbx.Field) string {
	v, ok := in.mapped[in.lines[0]].Get(f)
	if !ok {
		t.Fatalf("no %s column", f)
	}
	return v.Cell.Header
}

// mangleState is catalogueState with a London site, for national numbers.
func mangleState() *pbx.State {
	st := catalogueState()
	st.Sites["lon"] = &pbx.Site{Company: "acme", Code: "lon", Name: "London", Region: "GB", ExtLen: 4}
	return st
}

func writeCSV(t *testing.T, headers []string, row []any, raw string) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(headers)
	if raw == "" {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = fmt.Sprint(c)
		}
		w.Write(cells)
	}
	w.Flush()
	if raw != "" {
		b.WriteString(raw + "\n")
	}
	path := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Styles writeWorkbook creates, in this order (style 0 is the default).
const (
	styleGeneral    = 1 // General, but styled (bold): excelize and Excel round long numbers
	styleZeros      = 2 // 000000000000
	styleScientific = 3 // 0.00E+00
)

// writeWorkbook writes the roster as Excel does: shared strings, numbers as
// numbers, a title row above the header.
func writeWorkbook(t *testing.T, headers []string, row []any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	zeros := "000000000000"
	for i, st := range []*excelize.Style{{Font: &excelize.Font{Bold: true}}, {CustomNumFmt: &zeros}, {NumFmt: 11}} {
		if id, err := f.NewStyle(st); err != nil || id != i+1 {
			t.Fatalf("style %d: %d, %v", i+1, id, err)
		}
	}
	const sh = "Sheet1"
	for _, v := range row {
		if c, ok := v.(excelize.Cell); ok && c.Formula != "" {
			return streamWorkbook(t, f, headers, row)
		}
	}
	if err := f.SetCellValue(sh, "A1", "Site survey — HQ"); err != nil {
		t.Fatal(err)
	}
	for i, h := range headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, 3)
		f.SetCellValue(sh, cell, h)
	}
	for i, v := range row {
		cell, _ := excelize.CoordinatesToCellName(i+1, 4)
		var err error
		switch c := v.(type) {
		case excelize.Cell:
			if err = f.SetCellValue(sh, cell, c.Value); err == nil {
				err = f.SetCellStyle(sh, cell, cell, c.StyleID)
			}
		default:
			err = f.SetCellValue(sh, cell, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// streamWorkbook writes the roster with excelize's stream writer, the one
// way excelize stores a formula together with its cached result (inline
// strings, not shared ones).
func streamWorkbook(t *testing.T, f *excelize.File, headers []string, row []any) string {
	t.Helper()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	hs := make([]any, len(headers))
	for i, h := range headers {
		hs[i] = h
	}
	for _, r := range []struct {
		n     int
		cells []any
	}{{1, []any{"Site survey — HQ"}}, {3, hs}, {4, row}} {
		cell, _ := excelize.CoordinatesToCellName(1, r.n)
		if err := sw.SetRow(cell, r.cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}
