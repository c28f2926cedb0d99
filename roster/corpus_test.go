package roster

import (
	"archive/zip"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The compatibility corpus: small workbooks written by hand in the XML
// habits of the spreadsheet programs rosters come from, each read cell for
// cell as the program shows the sheet. Where a program shows a short date
// in its locale (Excel's built-in format 14, the East Asian built-in dates
// 27-36 and 50-58), pbxsync writes it ISO (yyyy-mm-dd): that is the one
// difference, on purpose.

// corpusBook is one workbook of the corpus.
type corpusBook struct {
	program  string // whose habits it has, and which
	ns       string // element prefix ("x:" for the Open XML SDK), "" for none
	date1904 bool
	formats  []corpusXF // the cell styles (cellXfs), 0 first
	strings  []string   // the shared strings, as <si> bodies
	sheet    string     // the <sheetData> body
	want     [][]string // the header row, then each data row, as shown
}

// corpusXF is one cell style: a built-in number format id, or a custom
// format code (given the id 164 and up).
type corpusXF struct {
	id   int
	code string
}

const mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
const relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

// zip writes the workbook's package.
func (b corpusBook) zip(t *testing.T) []byte {
	t.Helper()
	p := b.ns
	decl := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	xmlns := `xmlns="` + mainNS + `"`
	if p != "" {
		xmlns = `xmlns:` + strings.TrimSuffix(p, ":") + `="` + mainNS + `"`
	}
	wbPr := ""
	if b.date1904 {
		wbPr = `<` + p + `workbookPr date1904="1"/>`
	}
	var numFmts, xfs strings.Builder
	custom := 0
	for _, f := range b.formats {
		id := f.id
		if f.code != "" {
			id = 164 + custom
			custom++
			fmt.Fprintf(&numFmts, `<%snumFmt numFmtId="%d" formatCode="%s"/>`, p, id, xmlEscape(f.code))
		}
		fmt.Fprintf(&xfs, `<%sxf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`, p, id)
	}
	if custom > 0 {
		numFmts2 := fmt.Sprintf(`<%snumFmts count="%d">%s</%snumFmts>`, p, custom, numFmts.String(), p)
		numFmts.Reset()
		numFmts.WriteString(numFmts2)
	}
	var sst strings.Builder
	for _, s := range b.strings {
		fmt.Fprintf(&sst, `<%ssi>%s</%ssi>`, p, s, p)
	}
	parts := map[string]string{
		"[Content_Types].xml": decl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`</Types>`,
		"_rels/.rels": decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/_rels/workbook.xml.rels": decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relNS + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + relNS + `/styles" Target="styles.xml"/>` +
			`<Relationship Id="rId3" Type="` + relNS + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/workbook.xml": decl + `<` + p + `workbook ` + xmlns + ` xmlns:r="` + relNS + `">` + wbPr +
			`<` + p + `sheets><` + p + `sheet name="Roster" sheetId="1" r:id="rId1"/></` + p + `sheets></` + p + `workbook>`,
		"xl/styles.xml": decl + `<` + p + `styleSheet ` + xmlns + `>` + numFmts.String() +
			`<` + p + `fonts count="1"><` + p + `font><` + p + `sz val="11"/><` + p + `name val="Calibri"/></` + p + `font></` + p + `fonts>` +
			`<` + p + `fills count="1"><` + p + `fill><` + p + `patternFill patternType="none"/></` + p + `fill></` + p + `fills>` +
			`<` + p + `borders count="1"><` + p + `border/></` + p + `borders>` +
			`<` + p + `cellStyleXfs count="1"><` + p + `xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></` + p + `cellStyleXfs>` +
			fmt.Sprintf(`<%scellXfs count="%d">%s</%scellXfs>`, p, len(b.formats), xfs.String(), p) +
			`</` + p + `styleSheet>`,
		"xl/sharedStrings.xml": decl + fmt.Sprintf(`<%ssst %s count="%d" uniqueCount="%d">%s</%ssst>`, p, xmlns, len(b.strings), len(b.strings), sst.String(), p),
		"xl/worksheets/sheet1.xml": decl + `<` + p + `worksheet ` + xmlns + ` xmlns:r="` + relNS + `"` +
			` xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac">` +
			`<` + p + `sheetData>` + b.sheet + `</` + p + `sheetData></` + p + `worksheet>`,
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(parts[n]))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// builtinBook is a sheet with builtinSample in every built-in format 0-49:
// the header row names the format, the row under it shows the number.
func builtinBook() corpusBook {
	b := corpusBook{program: "Excel (Windows): built-in number formats 0-49, referred to by id without a <numFmt>"}
	var hdr, row strings.Builder
	b.want = [][]string{nil, nil}
	for id := 0; id <= 49; id++ {
		b.formats = append(b.formats, corpusXF{id: id})
		col := columnLetters(id)
		fmt.Fprintf(&hdr, `<c r="%s1" t="inlineStr"><is><t>fmt %d</t></is></c>`, col, id)
		fmt.Fprintf(&row, `<c r="%s2" s="%d"><v>%s</v></c>`, col, id, builtinSample)
		b.want[0] = append(b.want[0], fmt.Sprintf("fmt %d", id))
		b.want[1] = append(b.want[1], builtinShown[id])
	}
	b.sheet = `<row r="1">` + hdr.String() + `</row><row r="2">` + row.String() + `</row>`
	return b
}

func columnLetters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func corpus() []corpusBook {
	return []corpusBook{
		{
			program: "Excel 365 (Windows): shared strings with rich text runs and phonetic (furigana) runs, shared formulas, " +
				"built-in formats by id (14 date, 9 percent), Special > Phone Number, a 0000 extension, x14ac row attributes",
			formats: []corpusXF{{id: 0}, {id: 14}, {id: 9}, {code: `[<=9999999]###-####;(###) ###-####`}, {code: "0000"}},
			strings: []string{
				`<t>User ID</t>`, `<t>Name</t>`, `<t>Phone</t>`, `<t>Start</t>`, `<t>Share</t>`, `<t>Desk</t>`, `<t>Ext</t>`,
				`<t>jdoe@acme.example</t>`, `<t>ayamada@acme.example</t>`,
				`<r><rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr><t>Ann</t></r><r><rPr><sz val="11"/></rPr><t xml:space="preserve"> Lee</t></r>`,
				`<t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><phoneticPr fontId="1"/>`,
			},
			sheet: `<row r="1" spans="1:7" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>` +
				`<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c></row>` +
				`<row r="2" spans="1:7" x14ac:dyDescent="0.25"><c r="A2" t="s"><v>7</v></c><c r="B2" t="s"><v>9</v></c><c r="C2" s="3"><v>4155550101</v></c>` +
				`<c r="D2" s="1"><v>45000</v></c><c r="E2" s="2"><v>0.125</v></c>` +
				`<c r="F2" t="str"><f t="shared" ref="F2:F3" si="0">"Desk "&amp;ROW()</f><v>Desk 2</v></c><c r="G2" s="4"><v>42</v></c></row>` +
				`<row r="3" spans="1:7" x14ac:dyDescent="0.25"><c r="A3" t="s"><v>8</v></c><c r="B3" t="s"><v>10</v></c><c r="C3" s="3"><v>5550101</v></c>` +
				`<c r="D3" s="1"><v>45001.5</v></c><c r="E3" s="2"><v>1</v></c>` +
				`<c r="F3" t="str"><f t="shared" si="0"/><v>Desk 3</v></c><c r="G3" s="4"><v>7</v></c></row>`,
			want: [][]string{
				{"User ID", "Name", "Phone", "Start", "Share", "Desk", "Ext"},
				{"jdoe@acme.example", "Ann Lee", "(415) 555-0101", "2023-03-15", "13%", "Desk 2", "0042"},
				{"ayamada@acme.example", "山田", "555-0101", "2023-03-16", "100%", "Desk 3", "0007"},
			},
		},
		builtinBook(),
		{
			program:  "Excel 2011 for Mac: the 1904 date system (workbookPr date1904), dates as serial numbers",
			date1904: true,
			formats:  []corpusXF{{id: 0}, {id: 14}, {code: "m/d/yy h:mm"}, {id: 20}},
			sheet: `<row r="1"><c r="A1" t="inlineStr"><is><t>Start</t></is></c><c r="B1" t="inlineStr"><is><t>Badge</t></is></c><c r="C1" t="inlineStr"><is><t>Shift</t></is></c></row>` +
				`<row r="2"><c r="A2" s="1"><v>43538</v></c><c r="B2" s="2"><v>43538.75</v></c><c r="C2" s="3"><v>0.375</v></c></row>` +
				`<row r="3"><c r="A3" s="1"><v>1</v></c><c r="B3" s="2"><v>0</v></c><c r="C3" s="3"><v>0.5</v></c></row>`,
			want: [][]string{
				{"Start", "Badge", "Shift"},
				{"2023-03-15", "3/15/23 18:00", "9:00"},
				{"1904-01-02", "1/1/04 0:00", "12:00"},
			},
		},
		{
			program: "Excel, saved as Strict Open XML, and openpyxl's iso_dates: ISO 8601 date cells (t=\"d\"), " +
				"in a 1904 workbook too, and times of day alone",
			date1904: true,
			formats:  []corpusXF{{id: 0}, {id: 14}, {code: "h:mm:ss"}, {id: 22}},
			sheet: `<row r="1"><c r="A1" t="inlineStr"><is><t>Start</t></is></c><c r="B1" t="inlineStr"><is><t>Shift</t></is></c><c r="C1" t="inlineStr"><is><t>Stamp</t></is></c><c r="D1" t="inlineStr"><is><t>Raw</t></is></c></row>` +
				`<row r="2"><c r="A2" s="1" t="d"><v>1904-01-02T00:00:00</v></c><c r="B2" s="2" t="d"><v>02:39:59.99904</v></c>` +
				`<c r="C2" s="3" t="d"><v>2023-03-15T18:30:00Z</v></c><c r="D2" t="d"><v>2023-03-15</v></c></row>`,
			want: [][]string{
				{"Start", "Shift", "Stamp", "Raw"},
				{"1904-01-02", "2:40:00", "2023-03-15 18:30", "2023-03-15"},
			},
		},
		{
			program: "LibreOffice Calc: locale-prefixed formats ([$-409], [$$-409]) with backslash-escaped literals, [RED], " +
				"booleans, formulas with aca=\"false\" and cached text",
			formats: []corpusXF{{id: 0}, {code: `[$-409]0.00%`}, {code: `[$$-409]#,##0.00;[RED]\-[$$-409]#,##0.00`},
				{code: `MM/DD/YY`}, {code: `[<=9999999]###\-####;\(###\)\ ###\-####`}, {code: `BOOLEAN`}},
			strings: []string{`<t>User ID</t>`, `<t>Share</t>`, `<t>Budget</t>`, `<t>Start</t>`, `<t>Phone</t>`, `<t>Voice</t>`, `<t>Label</t>`, `<t>bmartin@acme.example</t>`},
			sheet: `<row r="1" customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false">` +
				`<c r="A1" s="0" t="s"><v>0</v></c><c r="B1" s="0" t="s"><v>1</v></c><c r="C1" s="0" t="s"><v>2</v></c><c r="D1" s="0" t="s"><v>3</v></c>` +
				`<c r="E1" s="0" t="s"><v>4</v></c><c r="F1" s="0" t="s"><v>5</v></c><c r="G1" s="0" t="s"><v>6</v></c></row>` +
				`<row r="2" customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false">` +
				`<c r="A2" s="0" t="s"><v>7</v></c><c r="B2" s="1" t="n"><v>0.12345</v></c><c r="C2" s="2" t="n"><v>-1234.565</v></c>` +
				`<c r="D2" s="3" t="n"><v>45000</v></c><c r="E2" s="4" t="n"><v>4155550190</v></c><c r="F2" s="5" t="b"><v>1</v></c>` +
				`<c r="G2" s="0" t="str"><f aca="false">LEFT(A2,7)</f><v>bmartin</v></c></row>`,
			want: [][]string{
				{"User ID", "Share", "Budget", "Start", "Phone", "Voice", "Label"},
				{"bmartin@acme.example", "12.35%", "-$1,234.57", "03/15/23", "(415) 555-0190", "TRUE", "bmartin"},
			},
		},
		{
			program: "Google Sheets: every format as a custom <numFmt> (money, percent, plain digits, text @), booleans",
			formats: []corpusXF{{id: 0}, {code: `"$"#,##0.00`}, {code: `0.00%`}, {code: `0`}, {code: `@`}, {code: `yyyy-mm-dd`}},
			strings: []string{`<t>User ID</t>`, `<t>Fee</t>`, `<t>Rate</t>`, `<t>Number</t>`, `<t>Ext</t>`, `<t>Since</t>`, `<t>jdoe@acme.example</t>`},
			sheet: `<row r="1"><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" s="0" t="s"><v>1</v></c><c r="C1" s="0" t="s"><v>2</v></c>` +
				`<c r="D1" s="0" t="s"><v>3</v></c><c r="E1" s="0" t="s"><v>4</v></c><c r="F1" s="0" t="s"><v>5</v></c></row>` +
				`<row r="2"><c r="A2" s="0" t="s"><v>6</v></c><c r="B2" s="1"><v>1234.565</v></c><c r="C2" s="2"><v>0.00125</v></c>` +
				`<c r="D2" s="3"><v>14155550100</v></c><c r="E2" s="4"><v>4155</v></c><c r="F2" s="5"><v>45000</v></c></row>`,
			want: [][]string{
				{"User ID", "Fee", "Rate", "Number", "Ext", "Since"},
				{"jdoe@acme.example", "$1,234.57", "0.13%", "14155550100", "4155", "2023-03-15"},
			},
		},
		{
			program: "WPS Office (zh-CN): East Asian built-in dates and times by id (31, 58, 32) and a custom 年月日 date",
			formats: []corpusXF{{id: 0}, {id: 31}, {id: 58}, {id: 32}, {code: `yyyy"年"m"月"d"日"`}},
			strings: []string{`<t>工号</t>`, `<t>入职</t>`, `<t>生日</t>`, `<t>班次</t>`, `<t>日期</t>`, `<t>wli@acme.example</t>`},
			sheet: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>` +
				`<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" s="1"><v>45000</v></c><c r="C2" s="2"><v>33000</v></c><c r="D2" s="3"><v>0.5</v></c><c r="E2" s="4"><v>45000</v></c></row>`,
			want: [][]string{
				{"工号", "入职", "生日", "班次", "日期"},
				{"wli@acme.example", "2023-03-15", "1990-05-07", "12:00:00", "2023年3月15日"},
			},
		},
		{
			program: "Tencent Docs: an empty cell written as a shared string without a value (<c t=\"s\"/>), and <v></v>",
			formats: []corpusXF{{id: 0}},
			strings: []string{`<t>User ID</t>`, `<t>First Name</t>`, `<t>Last Name</t>`, `<t>Extension</t>`, `<t>jdoe@acme.example</t>`, `<t>Jane</t>`},
			sheet: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>` +
				`<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2" t="s"/><c r="D2" t="s"><v></v></c></row>`,
			want: [][]string{
				{"User ID", "First Name", "Last Name", "Extension"},
				{"jdoe@acme.example", "Jane", "", ""},
			},
		},
		{
			program: "Exporters built on the .NET Open XML SDK and other streaming writers: namespace prefixes (x:), " +
				"inline strings, rows and cells without r attributes",
			ns:      "x:",
			formats: []corpusXF{{id: 0}, {id: 3}},
			sheet: `<x:row><x:c t="inlineStr"><x:is><x:t>User ID</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Name</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Seats</x:t></x:is></x:c></x:row>` +
				`<x:row><x:c t="inlineStr"><x:is><x:t>jdoe@acme.example</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:r><x:t>Jane </x:t></x:r><x:r><x:t>Doe</x:t></x:r></x:is></x:c><x:c s="1"><x:v>1234</x:v></x:c></x:row>` +
				`<x:row><x:c t="inlineStr"><x:is><x:t>amoreau@acme.example</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Aline Moreau</x:t></x:is></x:c><x:c s="1"><x:v>2</x:v></x:c></x:row>`,
			want: [][]string{
				{"User ID", "Name", "Seats"},
				{"jdoe@acme.example", "Jane Doe", "1,234"},
				{"amoreau@acme.example", "Aline Moreau", "2"},
			},
		},
	}
}

// TestCorpus reads every workbook of the corpus cell for cell.
func TestCorpus(t *testing.T) {
	programs := 0
	for _, b := range corpus() {
		name, _, _ := strings.Cut(b.program, ":")
		t.Run(name, func(t *testing.T) {
			data := b.zip(t)
			r, err := NewXLSX(bytes.NewReader(data), "corpus.xlsx", Options{HeaderRow: 1})
			if err != nil {
				t.Fatalf("%s: %v", b.program, err)
			}
			defer r.Close()
			got := [][]string{r.Headers()}
			for _, rec := range readAll(t, r) {
				got = append(got, rec.Values)
			}
			if len(got) != len(b.want) {
				t.Fatalf("%s: %d rows, want %d: %q", b.program, len(got), len(b.want), got)
			}
			for i := range b.want {
				for j := range b.want[i] {
					cell := ""
					if j < len(got[i]) {
						cell = got[i][j]
					}
					if cell != b.want[i][j] {
						t.Errorf("%s: cell %s%d = %q, the program shows %q", name, columnLetters(j), i+1, cell, b.want[i][j])
					}
				}
				if len(got[i]) != len(b.want[i]) {
					t.Errorf("%s: row %d has %d cells, want %d", name, i+1, len(got[i]), len(b.want[i]))
				}
			}
		})
		programs++
	}
	if programs < 5 {
		t.Errorf("the corpus has %d programs' workbooks, want at least 5", programs)
	}
}
