package mapping

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// corpus holds header sets of real systems' exports (PBX, HR, directory and
// cloud-phone), each with a few rows of values as those systems write them
// and the placements a person would make: header -> field. A header not
// listed is one a person would leave out.
var corpus = []struct {
	system string
	rows   [][]string // the header row first
	want   map[string]pbx.Field
}{
	{"SAP / Personio HR export (German)", [][]string{
		{"Personalnummer", "Vorname", "Nachname", "E-Mail", "Telefonnummer", "Nebenstelle", "Standort", "Abteilung", "Kostenstelle", "Eintrittsdatum"},
		{"100234", "Jürgen", "Müller", "juergen.mueller@acme.example", "+49 30 1234567-21", "21", "BER", "Vertrieb", "4711", "01.04.2019"},
		{"100235", "Anna", "Schäfer", "anna.schaefer@acme.example", "+49 30 1234567-22", "22", "BER", "Einkauf", "4712", "15.09.2021"},
	}, map[string]pbx.Field{"Personalnummer": pbx.FExternalID, "Vorname": pbx.FFirstName, "Nachname": pbx.FLastName,
		"E-Mail": pbx.FEmail, "Telefonnummer": pbx.FNumber, "Nebenstelle": pbx.FExtension, "Standort": pbx.FSite}},

	{"HR export (German, with address)", [][]string{
		{"Mitarbeiternummer", "Vorname", "Familienname", "Geschäftliche E-Mail", "Durchwahl", "Rufnummer", "Straße", "PLZ", "Ort", "Land"},
		{"M-0042", "Lena", "Vogel", "lena.vogel@acme.example", "4201", "+49 89 9876540", "Leopoldstraße 12", "80802", "München", "DE"},
		{"M-0043", "Paul", "Krause", "paul.krause@acme.example", "4202", "+49 89 9876541", "Leopoldstraße 12", "80802", "München", "DE"},
	}, map[string]pbx.Field{"Mitarbeiternummer": pbx.FExternalID, "Vorname": pbx.FFirstName, "Familienname": pbx.FLastName,
		"Geschäftliche E-Mail": pbx.FEmail, "Durchwahl": pbx.FExtension, "Rufnummer": pbx.FNumber, "Straße": pbx.FStreet,
		"PLZ": pbx.FPostal, "Ort": pbx.FCity, "Land": pbx.FCountry}},

	{"Payroll export (French)", [][]string{
		{"Matricule", "Prénom", "Nom", "Adresse e-mail", "Poste", "Téléphone", "Service", "Date d'entrée", "Ville", "Code postal"},
		{"FR0091", "Élodie", "Lefèvre", "elodie.lefevre@acme.example", "3301", "+33 1 42 68 53 01", "Comptabilité", "2018-03-01", "Paris", "75008"},
		{"FR0092", "Mathieu", "Girard", "mathieu.girard@acme.example", "3302", "+33 1 42 68 53 02", "Ventes", "2020-11-16", "Paris", "75008"},
	}, map[string]pbx.Field{"Matricule": pbx.FExternalID, "Prénom": pbx.FFirstName, "Nom": pbx.FLastName, "Adresse e-mail": pbx.FEmail,
		"Poste": pbx.FExtension, "Téléphone": pbx.FNumber, "Ville": pbx.FCity, "Code postal": pbx.FPostal}},

	{"HR export (Spanish)", [][]string{
		{"Número de empleado", "Nombre", "Apellidos", "Correo electrónico", "Extensión", "Teléfono", "Departamento", "Ciudad", "Código postal", "País"},
		{"E-2201", "Lucía", "García López", "lucia.garcia@acme.example", "2201", "+34 912 345 201", "Finanzas", "Madrid", "28013", "ES"},
		{"E-2202", "Javier", "Martín", "javier.martin@acme.example", "2202", "+34 912 345 202", "Ventas", "Madrid", "28013", "ES"},
	}, map[string]pbx.Field{"Número de empleado": pbx.FExternalID, "Nombre": pbx.FFirstName, "Apellidos": pbx.FLastName,
		"Correo electrónico": pbx.FEmail, "Extensión": pbx.FExtension, "Teléfono": pbx.FNumber, "Ciudad": pbx.FCity,
		"Código postal": pbx.FPostal, "País": pbx.FCountry}},

	{"HR export (Italian)", [][]string{
		{"Matricola", "Nome", "Cognome", "Email", "Interno", "Numero di telefono", "Sede", "Indirizzo", "Città", "CAP", "Provincia"},
		{"IT771", "Giulia", "Rossi", "giulia.rossi@acme.example", "5101", "+39 02 1234 5101", "MIL", "Via Dante 5", "Milano", "20121", "MI"},
		{"IT772", "Marco", "Bianchi", "marco.bianchi@acme.example", "5102", "+39 02 1234 5102", "MIL", "Via Dante 5", "Milano", "20121", "MI"},
	}, map[string]pbx.Field{"Matricola": pbx.FExternalID, "Nome": pbx.FFirstName, "Cognome": pbx.FLastName, "Email": pbx.FEmail,
		"Interno": pbx.FExtension, "Numero di telefono": pbx.FNumber, "Sede": pbx.FSite, "Indirizzo": pbx.FStreet, "Città": pbx.FCity,
		"CAP": pbx.FPostal, "Provincia": pbx.FRegion}},

	{"AFAS HR export (Dutch)", [][]string{
		{"Personeelsnummer", "Voornaam", "Achternaam", "E-mailadres", "Toestelnummer", "Telefoonnummer", "Afdeling", "Vestiging", "Postcode", "Plaats"},
		{"NL-310", "Sanne", "de Vries", "sanne.devries@acme.example", "610", "+31 20 555 0610", "Inkoop", "AMS", "1012 AB", "Amsterdam"},
		{"NL-311", "Daan", "Jansen", "daan.jansen@acme.example", "611", "+31 20 555 0611", "Verkoop", "AMS", "1012 AB", "Amsterdam"},
	}, map[string]pbx.Field{"Personeelsnummer": pbx.FExternalID, "Voornaam": pbx.FFirstName, "Achternaam": pbx.FLastName,
		"E-mailadres": pbx.FEmail, "Toestelnummer": pbx.FExtension, "Telefoonnummer": pbx.FNumber, "Vestiging": pbx.FSite,
		"Postcode": pbx.FPostal, "Plaats": pbx.FCity}},

	{"HR export (Brazilian Portuguese)", [][]string{
		{"Matrícula", "Nome", "Sobrenome", "E-mail", "Ramal", "Telefone", "Cidade", "Estado", "CEP"},
		{"BR-5501", "João", "Silva", "joao.silva@acme.example", "5501", "+55 11 3456-5501", "São Paulo", "SP", "01310-100"},
		{"BR-5502", "Ana", "Souza", "ana.souza@acme.example", "5502", "+55 11 3456-5502", "São Paulo", "SP", "01310-100"},
	}, map[string]pbx.Field{"Matrícula": pbx.FExternalID, "Nome": pbx.FFirstName, "Sobrenome": pbx.FLastName, "E-mail": pbx.FEmail,
		"Ramal": pbx.FExtension, "Telefone": pbx.FNumber, "Cidade": pbx.FCity, "Estado": pbx.FRegion, "CEP": pbx.FPostal}},

	{"Workday worker export", [][]string{
		{"Employee ID", "Legal First Name", "Legal Last Name", "Primary Work Email", "Primary Work Phone", "Location", "Cost Center", "Hire Date", "Manager"},
		{"21001", "Grace", "Hopper", "grace.hopper@acme.example", "+1 (415) 555-0102", "San Francisco", "CC-100", "2019-07-01", "Ada Lovelace"},
		{"21002", "Alan", "Kay", "alan.kay@acme.example", "+1 (415) 555-0103", "San Francisco", "CC-100", "2020-01-06", "Grace Hopper"},
	}, map[string]pbx.Field{"Employee ID": pbx.FExternalID, "Legal First Name": pbx.FFirstName, "Legal Last Name": pbx.FLastName,
		"Primary Work Email": pbx.FEmail, "Primary Work Phone": pbx.FNumber}},

	{"BambooHR employee report", [][]string{
		{"Employee #", "First Name", "Last Name", "Work Email", "Work Phone", "Work Ext.", "Location", "Department", "Job Title", "Status"},
		{"17", "Katherine", "Johnson", "katherine.johnson@acme.example", "415-555-0117", "0117", "HQ", "Flight Research", "Mathematician", "Active"},
		{"18", "Dorothy", "Vaughan", "dorothy.vaughan@acme.example", "415-555-0118", "0118", "HQ", "Analysis", "Supervisor", "Active"},
	}, map[string]pbx.Field{"Employee #": pbx.FExternalID, "First Name": pbx.FFirstName, "Last Name": pbx.FLastName,
		"Work Email": pbx.FEmail, "Work Phone": pbx.FNumber, "Work Ext.": pbx.FExtension}},

	{"Active Directory user export (csvde)", [][]string{
		{"sAMAccountName", "userPrincipalName", "givenName", "sn", "mail", "telephoneNumber", "ipPhone", "physicalDeliveryOfficeName", "streetAddress", "l", "st", "postalCode", "c", "department"},
		{"alovelace", "alovelace@acme.example", "Ada", "Lovelace", "ada.lovelace@acme.example", "+1 415 555 0101", "0101", "sfo", "100 Market St", "San Francisco", "CA", "94105", "US", "R&D"},
		{"ghopper", "ghopper@acme.example", "Grace", "Hopper", "grace.hopper@acme.example", "+1 415 555 0102", "0102", "sfo", "100 Market St", "San Francisco", "CA", "94105", "US", "Navy"},
	}, map[string]pbx.Field{"userPrincipalName": pbx.FUserID, "givenName": pbx.FFirstName, "sn": pbx.FLastName, "mail": pbx.FEmail,
		"telephoneNumber": pbx.FNumber, "ipPhone": pbx.FExtension, "physicalDeliveryOfficeName": pbx.FSite, "streetAddress": pbx.FStreet,
		"l": pbx.FCity, "st": pbx.FRegion, "postalCode": pbx.FPostal, "c": pbx.FCountry}},

	{"Issabel / Elastix extensions batch", [][]string{
		{"Display Name", "User Extension", "Direct DID", "Outbound CID", "Call Waiting", "Secret", "Voicemail Status", "Voicemail Password", "VM Email Address", "Context", "Tech"},
		{"Ada Lovelace", "2001", "4155550101", "4155550101", "ENABLED", "s3cr3t!2001", "enabled", "2001", "ada.lovelace@acme.example", "from-internal", "sip"},
		{"Grace Hopper", "2002", "4155550102", "4155550100", "DISABLED", "s3cr3t!2002", "disabled", "2002", "grace.hopper@acme.example", "from-internal", "pjsip"},
	}, map[string]pbx.Field{"Display Name": pbx.FFirstName, "User Extension": pbx.FExtension, "Direct DID": pbx.FNumber,
		"Outbound CID": pbx.FCallerID, "VM Email Address": pbx.FEmail}},

	{"FusionPBX extension export, traps", [][]string{
		{"extension", "effective_caller_id_name", "call_record_outgoing_internal_enabled", "device_address", "serial_number", "voicemail_mail_to", "sip_port"},
		{"4101", "Barbara Liskov", "true", "805ec04a4101", "T42G-2011-0042", "barbara.liskov@acme.example", "5060"},
		{"4102", "Margaret Hamilton", "false", "0004f28c4102", "VVX-2012-7781", "margaret.hamilton@acme.example", "5060"},
	}, map[string]pbx.Field{"extension": pbx.FExtension, "effective_caller_id_name": pbx.FFirstName, "device_address": pbx.FMAC,
		"voicemail_mail_to": pbx.FEmail}},

	{"Avaya Aura CM list station export", [][]string{
		{"Extension", "Name", "Type", "Port", "COR", "COS", "Coverage Path", "Room", "Jack"},
		{"52001", "Lovelace, Ada", "9611G", "S00012", "1", "1", "10", "2-114", "A21"},
		{"52002", "Hopper, Grace", "J179", "S00013", "1", "1", "10", "2-115", "A22"},
	}, map[string]pbx.Field{"Extension": pbx.FExtension, "Name": pbx.FFirstName, "Type": pbx.FModel}},

	{"GoTo Connect users export", [][]string{
		{"First Name", "Last Name", "Email", "Extension Number", "Caller ID", "Location", "Device MAC", "Device Model", "Voicemail Enabled"},
		{"Margaret", "Hamilton", "margaret.hamilton@acme.example", "1101", "+16175551101", "Boston", "80:5E:C0:11:01:01", "Yealink T54W", "yes"},
		{"Frances", "Allen", "frances.allen@acme.example", "1102", "+16175551102", "Boston", "80:5E:C0:11:01:02", "Yealink T46S", "no"},
	}, map[string]pbx.Field{"First Name": pbx.FFirstName, "Last Name": pbx.FLastName, "Email": pbx.FEmail,
		"Extension Number": pbx.FExtension, "Caller ID": pbx.FCallerID, "Device MAC": pbx.FMAC, "Device Model": pbx.FModel}},

	{"Yealink device inventory", [][]string{
		{"Kennung", "Modell", "Seriennummer", "Firmware", "Benutzer"},
		{"80:5E:C0:4A:10:01", "T54W", "8023080112345", "96.86.0.70", "ada.lovelace@acme.example"},
		{"80:5E:C0:4A:10:02", "T46U", "8023080112346", "108.86.0.45", "grace.hopper@acme.example"},
	}, map[string]pbx.Field{"Kennung": pbx.FMAC, "Modell": pbx.FModel, "Benutzer": pbx.FEmail}},
}

// TestSuggestCorpus runs Suggest on every header set of the corpus and
// scores it against what a person would place: a placement is right when
// Suggest puts the column in the person's field; the score is the right
// placements over the person's placements plus Suggest's placements of
// columns the person would leave out or put elsewhere. It must be at least
// 90%, and no column may be placed whose values fail the field's parser.
func TestSuggestCorpus(t *testing.T) {
	if len(corpus) < 12 {
		t.Fatalf("the corpus has %d header sets, want at least 12", len(corpus))
	}
	right, total := 0, 0
	for _, c := range corpus {
		headers, rows := c.rows[0], c.rows[1:]
		sg := Suggest(headers, rows)
		got := map[string]pbx.Field{} // header -> the field Suggest put it in (the first, for a split name)
		for _, f := range pbx.Fields {
			if r := sg.Profile.Fields[f]; r != nil && len(r.Columns) > 0 {
				if _, ok := got[r.Columns[0]]; !ok {
					got[r.Columns[0]] = f
				}
			}
		}
		r, tot := 0, len(c.want)
		var misses []string
		for h, f := range c.want {
			if got[h] == f {
				r++
			} else {
				misses = append(misses, fmt.Sprintf("%s: %s, want %s", h, orNone(got[h]), f))
			}
		}
		for h, f := range got {
			if c.want[h] == "" {
				tot++
				misses = append(misses, fmt.Sprintf("%s: %s, want none", h, f))
			}
		}
		right += r
		total += tot
		t.Logf("%-40s %2d/%2d %s", c.system, r, tot, strings.Join(misses, "; "))

		// No placed column fails its field's parser: map the rows with the
		// draft itself and check what each column gave.
		b, problems := sg.Profile.Bind("corpus", "", 1, headers)
		if len(problems) > 0 {
			t.Errorf("%s: the draft binds with problems %v", c.system, problems)
		}
		fails := map[pbx.Field]int{}
		for i, row := range rows {
			m := b.Map(i+2, row)
			for f, v := range m.Values.All() {
				if v.Cell.Col < 0 || v.Text == "" {
					continue
				}
				vals := v.Parts
				if vals == nil {
					vals = []string{v.Text}
				}
				for _, x := range vals {
					if !parses(f, x) {
						fails[f]++
						break
					}
				}
			}
		}
		for f, n := range fails {
			if float64(n) > (1-MinShare)*float64(len(rows)) {
				t.Errorf("%s: %s placed on a column whose values fail its parser (%d of %d rows)", c.system, f, n, len(rows))
			}
		}
	}
	score := float64(right) / float64(total)
	t.Logf("mapping suggest corpus score: %d of %d placements right (%.1f%%) over %d header sets", right, total, 100*score, len(corpus))
	fmt.Printf("mapping suggest corpus score: %d/%d = %.1f%% (%d header sets)\n", right, total, 100*score, len(corpus))
	if score < 0.9 {
		t.Errorf("score %.1f%%, want at least 90%%", 100*score)
	}
}

func orNone(f pbx.Field) string {
	if f == "" {
		return "none"
	}
	return string(f)
}
