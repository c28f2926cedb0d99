package validate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pbxsync/pbxsync/pbx"
	"golang.org/x/text/unicode/norm"
)

// statusWords are the HR status values pbxsync knows, folded (lower case,
// no accents, single spaces), in English, German, French and Spanish. A
// profile's value map (`map:` under `status`) turns any other word into
// active, leaver or keep.
var statusWords = func() map[string]pbx.HRStatus {
	m := map[string]pbx.HRStatus{}
	add := func(s pbx.HRStatus, words ...string) {
		for _, w := range words {
			m[foldStatus(w)] = s
		}
	}
	add(pbx.HRActive, "active", "activ", "employed", "current", "hired", "rehired",
		"aktiv", "beschäftigt", "angestellt",
		"actif", "active", "en poste", "en activité",
		"activo", "activa", "alta", "en activo")
	add(pbx.HRLeaver, "leaver", "terminated", "inactive", "left", "former", "withdrawn", "resigned", "retired", "deceased",
		"ausgeschieden", "ausgetreten", "inaktiv", "gekündigt", "ehemalig",
		"sorti", "sortie", "inactif", "inactive", "parti", "partie", "départ", "démissionnaire",
		"baja", "de baja", "dado de baja", "dada de baja", "inactivo", "inactiva", "cesado", "cesada", "jubilado")
	add(pbx.HRKeep, "keep", "leave of absence", "on leave", "loa", "leave", "suspended", "parental leave", "sabbatical",
		"beurlaubt", "ruhend", "elternzeit", "mutterschutz", "sabbatical", "freigestellt",
		"congé", "en congé", "congé parental", "en congé parental", "congé maternité", "en congé maternité",
		"congé sans solde", "en congé sans solde", "suspendu", "en disponibilité",
		"excedencia", "de permiso", "permiso", "licencia", "baja temporal", "baja maternal", "baja por maternidad",
		"baja por paternidad", "suspendido")
	return m
}()

// StatusNames are the canonical status values, which a profile's value map
// may name.
var StatusNames = []string{string(pbx.HRActive), string(pbx.HRLeaver), string(pbx.HRKeep)}

// Status returns what an HR status value means, matched without regard to
// case, accents and spacing.
func Status(s string) (pbx.HRStatus, bool) {
	st, ok := statusWords[foldStatus(s)]
	return st, ok
}

// foldStatus lower-cases s, removes its accents and collapses its spaces,
// hyphens and underscores to one space.
func foldStatus(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == ' ' || r == '-' || r == '_' || r == '\u00a0':
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// monthFirst are the countries that write a date's month before its day
// (03/31/2027); everywhere else 31/03/2027 is the day first.
var monthFirst = map[string]bool{"US": true, "PH": true, "FM": true, "MH": true, "PW": true, "AS": true, "GU": true, "PR": true, "VI": true, "MP": true, "UM": true}

// excelEpoch is day 0 of Excel's 1900 date system (its serial 60 is the
// 29 February 1900 that never was, so serials from 61 count from here).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// ExitDate parses a date as HR exports write it: 2027-03-31 (with or
// without a time after it), 31.03.2027, 31/03/2027 or 03/31/2027 (day or
// month first by the site's region, unless one of them is over 12; a
// profile's date_order rewrites them as 2027-03-31 first), 31-03-2027, and an
// Excel serial (46477). It returns the date as "2027-03-31".
func ExitDate(s, region string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("2006-01-02"), nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n == float64(int(n)) {
		if n < 61 || n > 2958465 { // before 1 March 1900 or after 9999-12-31
			return "", errors.New("a number, but not an Excel date serial (61 to 2958465)")
		}
		return excelEpoch.AddDate(0, 0, int(n)).Format("2006-01-02"), nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '/' || r == '-' })
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(parts) != 3 || len(p) > 4 {
			return "", errors.New("not a day, month and year")
		}
		n[i] = v
	}
	var day, month, year int
	switch {
	case len(parts) != 3:
		return "", errors.New("not a day, month and year")
	case len(parts[0]) == 4: // 2027-03-31, 2027/03/31
		year, month, day = n[0], n[1], n[2]
	case len(parts[2]) != 4:
		return "", errors.New("the year needs its four digits")
	case strings.Contains(s, "/") && n[0] <= 12 && (n[1] > 12 || monthFirst[strings.ToUpper(region)]):
		month, day, year = n[0], n[1], n[2]
	default:
		day, month, year = n[0], n[1], n[2]
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 {
		return "", fmt.Errorf("there is no month %d", month)
	}
	if t.Day() != day {
		return "", fmt.Errorf("month %d of %d has no day %d", month, year, day)
	}
	return t.Format("2006-01-02"), nil
}

// checkStatus checks and sets the HR status and the exit date.
func (rc *rowCheck) checkStatus() {
	if text, ok := rc.text(xStatus); ok {
		if text == "" {
			rc.row.HRStatus = pbx.HRActive
		} else if st, ok := Status(text); ok {
			rc.row.HRStatus = st
		} else {
			rc.ps.add(rc.cell(xStatus), CodeStatusUnknown, text, pbx.ErrInvalid,
				fmt.Sprintf("status %q is not one pbxsync knows", text),
				"write one of active, leaver, keep (or Active, Terminated, Leave of absence; aktiv, ausgeschieden, beurlaubt; actif, sorti, en congé; activo, baja, excedencia), or map it with map: under status in the profile")
		}
	}
	if text, _ := rc.text(xExitDate); text != "" {
		region := ""
		if rc.site != nil {
			region = rc.site.Region
		}
		d, err := ExitDate(text, region)
		if err != nil {
			rc.ps.add(rc.cell(xExitDate), CodeExitDateInvalid, text, pbx.ErrInvalid,
				fmt.Sprintf("exit date %q is not a date: %v", text, err),
				"write the date as 2027-03-31, 31.03.2027 or 31/03/2027 (03/31/2027 in the US), or say the file's order with date_order: under exit_date in the profile")
			return
		}
		rc.row.ExitDate = d
	}
}
