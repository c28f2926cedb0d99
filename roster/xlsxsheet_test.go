package roster

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// sheetRow is a row as a test compares it.
type sheetRow struct {
	n     int
	cells []xlsxCell
}

// readSheetRows reads every row with next until an error; it copies the
// cells, which the readers reuse.
func readSheetRows(next func([]xlsxCell) (int, []xlsxCell, error)) ([]sheetRow, error) {
	var rows []sheetRow
	var buf []xlsxCell
	for {
		n, cells, err := next(buf)
		if err != nil {
			return rows, err
		}
		buf = cells
		cp := make([]xlsxCell, len(cells))
		for i, c := range cells {
			cp[i] = c
			cp[i].value = bytes.Clone(c.value)
		}
		rows = append(rows, sheetRow{n, cp})
	}
}

func equalRows(a, b []sheetRow) bool {
	return slices.EqualFunc(a, b, func(x, y sheetRow) bool {
		return x.n == y.n && slices.EqualFunc(x.cells, y.cells, func(c, d xlsxCell) bool {
			return c.col == d.col && c.typ == d.typ && c.style == d.style && bytes.Equal(c.value, d.value)
		})
	})
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
	`<dimension ref="A1:C3"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="20" customWidth="1"/></cols>`

func TestSheetReader(t *testing.T) {
	long := strings.Repeat("x", 3*sheetBufSize)
	tests := []struct {
		name, xml string
		want      []sheetRow
	}{
		{"Excel's own", sheetHead + `<sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="C1" s="2"><v>14155550100</v></c></row>` +
			`<row r="3"><c r="B3" t="str"><f>A1&amp;"x"</f><v>Ann &amp; Co</v></c></row></sheetData><pageMargins left="0.7"/></worksheet>`,
			[]sheetRow{{1, []xlsxCell{{col: 0, typ: "s", value: []byte("0")}, {col: 2, style: 2, value: []byte("14155550100")}}},
				{3, []xlsxCell{{col: 1, typ: "str", value: []byte(`Ann & Co`)}}}}},
		{"prefixed names, single quotes, spaces around =", `<x:worksheet xmlns:x="urn:main"><x:sheetData><x:row r = '2'><x:c r='B2' t = 'inlineStr'><x:is><x:t xml:space="preserve"> lead</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
			[]sheetRow{{2, []xlsxCell{{col: 1, typ: "inlineStr", value: []byte(" lead")}}}}},
		{"rows and cells without references", `<worksheet><sheetData><row><c><v>1</v></c><c><v>2</v></c></row><row><c t="b"><v>1</v></c></row></sheetData></worksheet>`,
			[]sheetRow{{1, []xlsxCell{{col: 0, value: []byte("1")}, {col: 1, value: []byte("2")}}}, {2, []xlsxCell{{col: 0, typ: "b", value: []byte("1")}}}}},
		{"rich inline text without its phonetic run", `<worksheet><sheetData><row r="4"><c r="A4" t="inlineStr"><is><r><rPr><b/></rPr><t>Zo</t></r><r><t>ë</t></r><rPh sb="0" eb="1"><t>ゾ</t></rPh></is></c></row></sheetData></worksheet>`,
			[]sheetRow{{4, []xlsxCell{{col: 0, typ: "inlineStr", value: []byte("Zoë")}}}}},
		{"references, CDATA, comments, line ends", "<worksheet><!-- a > comment --><sheetData><row r=\"1\"><c r=\"A1\" t=\"str\"><v>a&lt;b&gt;&#65;&#x42;&quot;&apos;\r\nz<![CDATA[<&>]]></v></c></row></sheetData></worksheet>",
			[]sheetRow{{1, []xlsxCell{{col: 0, typ: "str", value: []byte("a<b>AB\"'\nz<&>")}}}}},
		{"empty cells and rows", `<worksheet><sheetData><row r="1"/><row r="2"><c r="A2" s="3"/><c r="B2"><v></v></c></row></sheetData></worksheet>`,
			[]sheetRow{{1, nil}, {2, []xlsxCell{{col: 0, style: 3}, {col: 1}}}}},
		{"an attribute value with >", `<worksheet><sheetData><row r="1" x:note="a>b"><c r="A1" t="e"><v>#N/A</v></c></row></sheetData></worksheet>`,
			[]sheetRow{{1, []xlsxCell{{col: 0, typ: "e", value: []byte("#N/A")}}}}},
		{"text and tags longer than the buffer", `<worksheet><sheetData><row r="1" x="` + long + `"><c r="A1" t="inlineStr"><is><t>` + long + `</t></is></c></row></sheetData></worksheet>`,
			[]sheetRow{{1, []xlsxCell{{col: 0, typ: "inlineStr", value: []byte(long)}}}}},
		{"no sheet data", `<worksheet><dimension ref="A1"/></worksheet>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Byte by byte too, so every token straddles a read.
			for _, r := range []io.Reader{strings.NewReader(tt.xml), iotest.OneByteReader(strings.NewReader(tt.xml))} {
				got, err := readSheetRows(newSheetReader(r).next)
				if !errors.Is(err, errSheetEnd) {
					t.Fatalf("err = %v after %d rows", err, len(got))
				}
				if !equalRows(got, tt.want) {
					t.Errorf("rows\n got %+v\nwant %+v", got, tt.want)
				}
			}
			ref, err := readSheetRows(newTokenSheetReader(strings.NewReader(tt.xml)).next)
			if !errors.Is(err, errSheetEnd) || !equalRows(ref, tt.want) {
				t.Errorf("encoding/xml reads %+v, %v", ref, err)
			}
		})
	}
}

func TestSheetReaderErrors(t *testing.T) {
	for _, bad := range []string{
		`<worksheet><sheetData><row r="0"><c><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="2000000"></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c r="A1"><v>&bogus;</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>`,
		`<worksheet><sheetData><row r="1"><c r="A1" t="s`,
	} {
		r := newSheetReader(strings.NewReader(bad))
		_, err := readSheetRows(r.next)
		if err == nil || errors.Is(err, errSheetEnd) {
			t.Errorf("%s: err = %v, want an error", bad, err)
		}
		if _, _, again := r.next(nil); again != err {
			t.Errorf("%s: the error is not sticky: %v then %v", bad, err, again)
		}
	}
}

func TestColumnIndex(t *testing.T) {
	for ref, want := range map[string]int{"A1": 0, "Z9": 25, "AA10": 26, "xfd1048576": 16383, "BC3": 54} {
		if got, ok := columnIndex(ref); !ok || got != want {
			t.Errorf("columnIndex(%q) = %d, %v; want %d", ref, got, ok, want)
		}
	}
	for _, bad := range []string{"", "A", "1", "A1B", "XFE1", "AAAAAAA1", "$A$1"} {
		if _, ok := columnIndex(bad); ok {
			t.Errorf("columnIndex(%q) ok", bad)
		}
	}
}

// FuzzSheetReader holds the fast sheet scanner to encoding/xml: on any
// input that encoding/xml reads to the end of the sheet data, both give the
// same rows; on other input the scanner may fail, but must not panic.
func FuzzSheetReader(f *testing.F) {
	f.Add([]byte(sheetHead + `<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>2.5</v></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<worksheet><sheetData><row><c t="inlineStr"><is><r><t>a&amp;</t></r><rPh><t>x</t></rPh><t>b</t></is></c></row></sheetData></worksheet>`))
	f.Add([]byte("<worksheet><sheetData><row r='3'><c r='C3' t='str'><v><![CDATA[x]]>\r\ny&#10;</v></c></row></sheetData></worksheet>"))
	f.Add([]byte(`<a:worksheet><a:sheetData><a:row a:r="1" r="5"><a:c r="B5"/><c r="D5"><v>1</v></c></a:row></a:sheetData></a:worksheet>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ref, refErr := readSheetRows(newTokenSheetReader(bytes.NewReader(data)).next)
		got, err := readSheetRows(newSheetReader(iotest.HalfReader(bytes.NewReader(data))).next)
		if !errors.Is(refErr, errSheetEnd) {
			return
		}
		if !errors.Is(err, errSheetEnd) {
			t.Fatalf("encoding/xml reads %d rows to the end; the scanner fails after %d: %v", len(ref), len(got), err)
		}
		if !equalRows(got, ref) {
			t.Fatalf("rows differ:\nscanner  %+v\nencoding %+v", got, ref)
		}
	})
}

func sstTexts(t *testing.T, s *sharedStrings) []string {
	t.Helper()
	out := make([]string, len(s.ends))
	for i := range out {
		var ok bool
		if out[i], ok = s.get(i); !ok {
			t.Fatalf("string %d missing", i)
		}
	}
	return out
}

func TestReadSharedStrings(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">` +
		`<si><t>Ann</t></si><si><t xml:space="preserve"> Zoë &amp; Co </t></si>` +
		`<si><r><rPr><b/></rPr><t>Ri</t></r><r><t>ch</t></r><rPh sb="0" eb="1"><t>ゾ</t></rPh><phoneticPr fontId="1"/></si>` +
		`<si><t/></si><si><t>line&#10;two<![CDATA[<&>]]></t></si></sst>`
	want := []string{"Ann", " Zoë & Co ", "Rich", "", "line\ntwo<&>"}
	for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
		s, err := readSharedStrings(r, 1<<20, int64(len(in)))
		if err != nil {
			t.Fatal(err)
		}
		if got := sstTexts(t, s); !slices.Equal(got, want) {
			t.Errorf("strings %q, want %q", got, want)
		}
	}
	// The same, moved to a temporary file after 4 bytes.
	s, err := readSharedStrings(strings.NewReader(in), 4, int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if s.file == nil {
		t.Fatal("not moved to a file")
	}
	if got := sstTexts(t, s); !slices.Equal(got, want) {
		t.Errorf("from the file: %q, want %q", got, want)
	}
}

// FuzzSharedStrings holds the fast shared-strings reader to encoding/xml's
// reading, as FuzzSheetReader does for sheets.
func FuzzSharedStrings(f *testing.F) {
	f.Add([]byte(`<sst><si><t>a&amp;b</t></si><si><r><t>x</t></r><rPh><t>y</t></rPh></si></sst>`))
	f.Add([]byte("<x:sst xmlns:x='m'><x:si><x:t><![CDATA[c\r\n]]>\r\n</x:t></x:si></x:sst>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ref, refErr := readSharedStringsTokens(bytes.NewReader(data), 1<<20)
		got, err := readSharedStrings(iotest.HalfReader(bytes.NewReader(data)), 1<<20, int64(len(data)))
		if refErr != nil {
			return
		}
		if err != nil {
			t.Fatalf("encoding/xml reads %d strings; the scanner fails: %v", len(ref.ends), err)
		}
		if a, b := sstTexts(t, got), sstTexts(t, ref); !slices.Equal(a, b) {
			t.Fatalf("strings differ:\nscanner  %q\nencoding %q", a, b)
		}
	})
}
