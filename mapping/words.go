package mapping

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/pbxsync/pbxsync/pbx"
)

// headerWords place a header no profile knows, in the languages HR, payroll
// and PBX exports are written in (English, German, French, Spanish, Italian,
// Dutch, Portuguese) and the attribute names of a directory export (AD,
// LDAP). Words are written folded (lower case, no accents, ß as ss). A
// header matches a word when its folded key is the word, when one of its
// words is, or, for words of five letters or more, when its key contains
// it; the strongest match wins, so "Mitarbeiternummer" is an employee
// number, not a phone number.
var headerWords = []struct {
	field pbx.Field
	words []string
}{
	{pbx.FMAC, []string{"mac", "macaddress", "macadresse", "adressemac", "direccionmac", "indirizzomac", "macadres", "enderecomac", "hardware", "hardwareaddress"}},
	{pbx.FEmail, []string{"email", "mail", "emailaddress", "courriel", "adressemail", "correo", "correoelectronico", "postaelettronica",
		"emailadres", "emailadresse", "enderecodeemail"}},
	{pbx.FFirstName, []string{"firstname", "givenname", "first", "forename", "vorname", "prenom", "nombre", "nome", "primeironome",
		"voornaam", "roepnaam"}},
	{pbx.FLastName, []string{"lastname", "surname", "familyname", "last", "sn", "nachname", "familienname", "nomdefamille", "nom",
		"apellido", "apellidos", "cognome", "achternaam", "sobrenome", "apelido"}},
	{pbx.FUserID, []string{"userid", "login", "username", "upn", "userprincipalname", "samaccountname", "benutzername", "anmeldename",
		"benutzerkennung", "identifiant", "nomdutilisateur", "usuario", "nombredeusuario", "nomeutente", "gebruikersnaam",
		"usuario", "utilizador", "nomedeusuario"}},
	{pbx.FExternalID, []string{"external", "employee", "employeeid", "employeenumber", "personnel", "staff", "badge", "hrid",
		"mitarbeiternummer", "personalnummer", "personalnr", "matricule", "numerodemployé", "numerodeempleado", "legajo",
		"matricola", "personeelsnummer", "matricula"}},
	{pbx.FExtension, []string{"extension", "ext", "extn", "internal", "ipphone", "nebenstelle", "durchwahl", "nebenstellennummer",
		"poste", "numerodeposte", "extension", "extensión", "anexo", "interno", "toestel", "toestelnummer", "extensie", "ramal"}},
	{pbx.FModel, []string{"model", "phonetype", "devicetype", "handset", "modell", "geratetyp", "endgerat", "telefonmodell",
		"modele", "modelo", "modello", "toesteltype"}},
	{pbx.FNumber, []string{"did", "ddi", "telephone", "telephonenumber", "direct", "number", "phone", "tel", "telefonnummer", "rufnummer",
		"telefon", "festnetz", "numerodetelephone", "lignedirecte", "sda", "telefono", "numerodetelefono", "numeroditelefono",
		"telefoonnummer", "telefoon", "telefone", "numerodetelefone"}},
	{pbx.FStationType, []string{"station", "license", "licence", "seat", "lizenz", "licenza", "licencia", "licentie", "licenca"}},
	{pbx.FSite, []string{"site", "office", "branch", "physicaldeliveryofficename", "standort", "niederlassung", "etablissement",
		"sede", "oficina", "filiale", "vestiging", "filial", "unidade"}},
	{pbx.FPort, []string{"port", "ataport", "lineport"}},
	{pbx.FStreet, []string{"street", "address", "streetaddress", "strasse", "anschrift", "rue", "adresse", "calle", "direccion",
		"indirizzo", "via", "straat", "adres", "endereco", "morada", "rua"}},
	{pbx.FCity, []string{"city", "town", "l", "ort", "stadt", "ville", "ciudad", "localidad", "citta", "comune", "plaats",
		"woonplaats", "stad", "cidade", "localidade"}},
	{pbx.FRegion, []string{"state", "province", "region", "st", "bundesland", "provincia", "regione", "provincie", "estado", "distrito"}},
	{pbx.FPostal, []string{"zip", "postal", "postcode", "postalcode", "plz", "postleitzahl", "codepostal", "cp", "codigopostal",
		"cap", "cep"}},
	{pbx.FCountry, []string{"country", "c", "co", "land", "pays", "pais", "paese", "nazione"}},
}

// foldKey is a header's key with accents removed: "Prénom" -> "prenom",
// "Straße" -> "strasse".
func foldKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ß':
			b.WriteString("ss")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if f, ok := foldLetters[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// headerField is the field a header's words suggest, the word that decided
// it, and how strongly: 3 for the whole header, 2 for one of its words, 1
// for a part of a word.
func headerField(header string) (f pbx.Field, word string, strength int) {
	key := foldKey(header)
	var words []string
	for _, w := range strings.FieldsFunc(header, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		words = append(words, foldKey(w))
	}
	best := 0
	for _, hw := range headerWords {
		for _, w := range hw.words {
			s := 0
			switch {
			case key == w:
				s = 3
			case containsString(words, w):
				s = 2
			case len(w) >= 5 && strings.Contains(key, w):
				s = 1
			}
			// The strongest match wins; among equals, the first field of
			// the table ("Handset MAC" is a MAC, "Employee Number" an ID).
			if s > best {
				best, f, word, strength = s, hw.field, w, s
			}
		}
	}
	return f, word, strength
}

func containsString(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// keywordField is the field a header's words suggest (see headerField).
func keywordField(header string) (pbx.Field, bool) {
	f, _, s := headerField(header)
	return f, s > 0
}
