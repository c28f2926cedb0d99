package roster

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// cellTexter turns XLSX cells into the text a person sees: shared and
// inline strings as they are, booleans as TRUE/FALSE, cached formula results
// as cached, numbers in a General format with all their digits (see
// generalNumber), and numbers in any other format (dates, times, percents,
// phone numbers, currency, zero-padded, scientific...) as Excel shows them
// (numfmt.go chooses the section and rounds, excelize lays out the digits).
//
// Formats are parsed once per cell style. The laying out runs in a one-cell
// scratch workbook that carries one section's number format; only cells
// whose style has a non-General format pay for it.
type cellTexter struct {
	meta   *excelize.File // the workbook's styles and properties
	sst    *sharedStrings
	styles map[int]cellStyle // by cell style index

	probe    *excelize.File // the scratch workbook
	date1904 bool
}

// cellStyle is what the text of a cell needs from its style.
type cellStyle struct {
	general bool       // General format: numbers as generalNumber writes them
	zeros   int        // a "000000" format (zero-padded to this width): written directly
	format  *numFormat // the number format, when not General
}

const probeSheet, probeCell = "Sheet1", "A1"

func newCellTexter(meta *excelize.File, sst *sharedStrings) *cellTexter {
	x := &cellTexter{meta: meta, sst: sst, styles: map[int]cellStyle{}}
	if meta != nil {
		if props, err := meta.GetWorkbookProps(); err == nil && props.Date1904 != nil {
			x.date1904 = *props.Date1904
		}
	}
	return x
}

// style returns the number format facts of cell style i.
func (x *cellTexter) style(i int) cellStyle {
	if i == 0 {
		return cellStyle{general: true}
	}
	if st, ok := x.styles[i]; ok {
		return st
	}
	st := cellStyle{general: true}
	if x.meta != nil {
		if s, err := x.meta.GetStyle(i); err == nil {
			code := builtinFormat(x.formatID(i, s.NumFmt))
			if s.CustomNumFmt != nil {
				code = *s.CustomNumFmt
			}
			if nf := parseNumFormat(code); nf != nil {
				st = cellStyle{format: nf, zeros: zeroPadWidth(code)}
			}
		}
	}
	x.styles[i] = st
	return st
}

// formatID is the number format id of cell style i: excelize's, or the
// one the styles part gives when excelize does not know the id (the
// currency formats 5-8 of Excel's locale-dependent list, used by id
// without a <numFmt>). GetStyle has loaded the styles part by then.
func (x *cellTexter) formatID(i, id int) int {
	if id != 0 || x.meta.Styles == nil || x.meta.Styles.CellXfs == nil || i >= len(x.meta.Styles.CellXfs.Xf) {
		return id
	}
	if n := x.meta.Styles.CellXfs.Xf[i].NumFmtID; n != nil {
		return *n
	}
	return id
}

// probeStyle adds a style with the number format to the scratch workbook.
// The scratch workbook counts dates from 1900 (format moves a 1904 date
// there: excelize misreads the first 61 days of 1904).
func (x *cellTexter) probeStyle(numFmt int, custom *string) (int, error) {
	if x.probe == nil {
		x.probe = excelize.NewFile(excelize.Options{ShortDatePattern: isoDate})
	}
	return x.probe.NewStyle(&excelize.Style{NumFmt: numFmt, CustomNumFmt: custom})
}

// days1904 is the serial number of 1904-01-01 in the 1900 date system.
const days1904 = 1462

// text returns the text of one cell, or false when the cell refers to a
// shared string the workbook does not have.
func (x *cellTexter) text(c *xlsxCell) (string, bool) {
	switch c.typ {
	case "s":
		ref := strings.TrimSpace(string(c.value))
		if ref == "" {
			return "", true // <c t="s"/>, as Tencent Docs writes an empty cell: empty, as Excel reads it
		}
		i, err := strconv.Atoi(ref)
		if err != nil {
			return "", false
		}
		return x.sst.get(i)
	case "inlineStr", "str", "e":
		return string(c.value), true
	case "b":
		switch strings.TrimSpace(string(c.value)) {
		case "1", "true":
			return "TRUE", true
		case "0", "false":
			return "FALSE", true
		}
		return string(c.value), true
	case "d":
		return x.date(c), true
	}
	raw := strings.TrimSpace(string(c.value))
	if raw == "" {
		return "", true
	}
	if st := x.style(c.style); !st.general {
		if st.zeros > 0 {
			if s, ok := zeroPad(raw, st.zeros); ok {
				return s, true
			}
		}
		if s, ok := x.format(raw, st.format); ok {
			return s, true
		}
	}
	return generalNumber(raw), true
}

// format shows a stored number in a number format as Excel does; false
// when Excel shows it as General (a text section, a date past the
// calendar, not a number).
func (x *cellTexter) format(raw string, nf *numFormat) (string, bool) {
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return "", false
	}
	sec, v, ok := nf.section(v)
	if !ok {
		return "", false
	}
	if sec.empty {
		return "", true
	}
	if sec.eng > 0 {
		return engineering(v, sec.eng, sec.places), true
	}
	if sec.probe == 0 {
		code := sec.code
		id, err := x.probeStyle(0, &code)
		if err != nil {
			return "", false
		}
		sec.probe = id
	}
	v = roundShown(v, sec.decimals)
	if x.date1904 && sec.date && !sec.elapsed {
		if v += days1904; v >= maxDateSerial {
			return "", false // past 9999-12-31: Excel shows ####
		}
	}
	digits := ""
	if sec.subsec > 0 {
		v, digits = splitSecond(v, sec.subsec)
	}
	if x.probe.SetCellDefault(probeSheet, probeCell, strconv.FormatFloat(v, 'f', -1, 64)) != nil ||
		x.probe.SetCellStyle(probeSheet, probeCell, probeCell, sec.probe) != nil {
		return "", false
	}
	s, err := x.probe.GetCellValue(probeSheet, probeCell)
	if err != nil {
		return "", false
	}
	if zeros := "." + strings.Repeat("0", sec.subsec); digits != "" {
		if i := strings.LastIndex(s, zeros); i >= 0 {
			s = s[:i+1] + digits + s[i+len(zeros):]
		}
	}
	if sec.fraction && v != 0 && math.Abs(v) < 1 {
		s = strings.TrimPrefix(s, "0") // " 1/2": a fraction below one has no whole part
	}
	return s, true
}

// zeroPadWidth is the width of a format that only pads with zeros
// ("000000", as sheets format extensions and MACs to keep their leading
// zeros), or 0 for any other format.
func zeroPadWidth(code string) int {
	if code == "" || len(code) > 30 || strings.Trim(code, "0") != "" {
		return 0
	}
	return len(code)
}

// zeroPad writes a stored whole number padded with zeros to width, as a
// "000000" format shows it; false for anything but a whole number from 0
// to 10^15 (the rest goes through excelize).
func zeroPad(raw string, width int) (string, bool) {
	if len(raw) == 0 || len(raw) > 15 {
		return "", false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return "", false
		}
	}
	raw = strings.TrimLeft(raw, "0")
	if len(raw) >= width {
		return raw, true
	}
	return strings.Repeat("0", width-len(raw)) + raw, true
}

// date shows an ISO 8601 date cell (t="d", as strict OOXML writes dates):
// in its style's format when it has one, else as stored. The date becomes
// the serial number Excel keeps (days since the workbook's epoch, 1900 or
// 1904; a time alone is a fraction of a day), shown as any number is.
func (x *cellTexter) date(c *xlsxCell) string {
	raw := strings.TrimSpace(string(c.value))
	st := x.style(c.style)
	if st.general {
		return raw
	}
	serial, ok := dateSerial(raw, x.date1904)
	if !ok {
		return raw
	}
	if s, ok := x.format(strconv.FormatFloat(serial, 'f', -1, 64), st.format); ok {
		return s
	}
	return raw
}

// dateSerial is the serial number Excel stores for an ISO 8601 date, date
// and time, or time of day; false for anything else, or a date before the
// epoch.
func dateSerial(raw string, date1904 bool) (float64, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02", "15:04:05.999999999", "15:04"} {
		tm, err := time.Parse(layout, raw)
		if err != nil {
			continue
		}
		clock := time.Duration(tm.Hour())*time.Hour + time.Duration(tm.Minute())*time.Minute +
			time.Duration(tm.Second())*time.Second + time.Duration(tm.Nanosecond())
		frac := clock.Seconds() / 86400
		if layout[0] == '1' { // a time of day alone
			return frac, true
		}
		day := time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, time.UTC)
		epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		switch {
		case date1904:
			epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
		case day.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)):
			epoch = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC) // Excel's 1900-02-29 comes after
		}
		days := day.Sub(epoch).Hours() / 24
		if days < 0 {
			return 0, false
		}
		return math.Round(days) + frac, true
	}
	return 0, false
}

func (x *cellTexter) close() error {
	err := x.sst.close()
	if x.probe != nil {
		if perr := x.probe.Close(); err == nil {
			err = perr
		}
	}
	return err
}

// generalNumber writes a number stored in a General-format cell with all
// its digits and no exponent: an integer as every digit the file stores
// (phone numbers and MACs that Excel took for numbers, which a narrow
// column shows as 4.14156E+11), anything else with Excel's 15 significant
// digits. Text that is not a number is returned as it is; a magnitude
// beyond 1E+21 or below 1E-10 keeps an exponent, as Excel shows it.
func generalNumber(raw string) string {
	if n, ok := plainInteger(raw); ok {
		return n
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return raw
	}
	if a := math.Abs(v); a != 0 && (a >= 1e21 || a < 1e-10) {
		return strconv.FormatFloat(v, 'G', 15, 64)
	}
	return plainNumber(v)
}

// plainNumber writes v without exponent, rounded to 15 significant digits.
func plainNumber(v float64) string {
	s := strconv.FormatFloat(v, 'e', 14, 64) // [-]d.dddddddddddddde±XX
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, expText, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	if digits == "" {
		return "0"
	}
	var out string
	switch {
	case exp >= len(digits)-1:
		out = digits + strings.Repeat("0", exp-len(digits)+1)
	case exp >= 0:
		out = digits[:exp+1] + "." + digits[exp+1:]
	default:
		out = "0." + strings.Repeat("0", -exp-1) + digits
	}
	if neg {
		out = "-" + out
	}
	return out
}

// plainInteger normalises a stored integer written as plain digits
// ("+0414155550100" -> "414155550100"); false for anything else.
func plainInteger(raw string) (string, bool) {
	sign := ""
	s := raw
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			sign = "-"
		}
		s = s[1:]
	}
	if s == "" {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "0", true
	}
	return sign + s, true
}
