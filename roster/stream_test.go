package roster_test

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/roster"
)

// The streaming benchmarks read a large roster and map every row with the
// profile mapping.Detect picks, as importer.Check does, and report rows/s
// and the largest heap seen. Sizes and the folder that keeps the generated
// files come from the environment, so the same benchmark measures the
// 1,000,000-row CSV and the 200,000-row XLSX of issue 8 (see
// /work/notes/bench-reading.md):
//
//	PBXSYNC_STREAM_CSV_ROWS   rows of the CSV  (default 20000)
//	PBXSYNC_STREAM_XLSX_ROWS  rows of the XLSX (default 20000)
//	PBXSYNC_STREAM_DIR        where the files are written once and reused (default: a temporary folder)
//	PBXSYNC_STREAM_SST_MEMORY Options.MaxXMLInMemory for the XLSX (default: the default)

var streamHeaders = []string{"Email", "First Name", "Last Name", "Employee ID", "Phone Number", "Ext", "Station",
	"Phone Model", "MAC Address", "Site", "Street", "City", "State", "Zip", "Country"}

// streamRow is row i of the generated roster: per-row texts (e-mail, names,
// employee ID, MAC) and a handful of values repeated down the file.
func streamRow(i int) []string {
	return []string{
		fmt.Sprintf("user%07d@acme.example", i), fmt.Sprintf("First%d", i), fmt.Sprintf("Last%d", i),
		fmt.Sprintf("E%07d", i), fmt.Sprintf("+1 415 %03d %04d", 200+i/10000%800, i%10000), fmt.Sprintf("%06d", i%1000000),
		[]string{"standard", "premium", "basic"}[i%3], []string{"yealink-t42g", "polycom-vvx450", "cisco-8841"}[i%3],
		fmt.Sprintf("805ec0%06x", i), "sfo", "100 Market St", "San Francisco", "CA", "94105", "US",
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// streamFile returns the path of a generated roster, writing it first
// unless PBXSYNC_STREAM_DIR already holds it.
func streamFile(b *testing.B, ext string, rows int, write func(io.Writer, int) error) string {
	b.Helper()
	dir := os.Getenv("PBXSYNC_STREAM_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("roster-%d.%s", rows, ext))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := write(w, rows); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// writeStreamCSV writes the roster as CSV, CRLF, the street quoted.
func writeStreamCSV(w io.Writer, rows int) error {
	line := func(cells []string, data bool) {
		for j, c := range cells {
			if j > 0 {
				io.WriteString(w, ",")
			}
			if j == 10 && data {
				c = `"` + c + `, Suite 4"`
			}
			io.WriteString(w, c)
		}
		io.WriteString(w, "\r\n")
	}
	line(streamHeaders, false)
	for i := range rows {
		line(streamRow(i), true)
	}
	return nil
}

// writeStreamXLSX writes the roster as Excel saves one: every text in the
// shared string table, numbers as numbers (the extension zero-padded by its
// format, the phone number as a styled General number), a title row above
// the header. The string table is laid out so a row's strings are found by
// arithmetic: the generator keeps nothing per row in memory.
func writeStreamXLSX(w io.Writer, rows int) error {
	zw := zip.NewWriter(w)
	part := func(name, body string) error {
		f, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(f, body)
		}
		return err
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	parts := [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook ` + ns + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Site survey" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		// Styles: 0 default, 1 bold (General), 2 "000000" (the extension).
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet ` + ns + `><numFmts count="1"><numFmt numFmtId="164" formatCode="000000"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`},
	}
	for _, p := range parts {
		if err := part(p[0], p[1]); err != nil {
			return err
		}
	}
	// Shared strings: the title, the headers, the repeated values, then five
	// per row (e-mail, first, last, employee ID, MAC).
	fixed := append([]string{"Site survey: San Francisco HQ"}, streamHeaders...)
	repeated := []string{"standard", "premium", "basic", "yealink-t42g", "polycom-vvx450", "cisco-8841",
		"sfo", "100 Market St", "San Francisco", "CA", "94105", "US"}
	fixed = append(fixed, repeated...)
	idx := map[string]int{}
	for i, s := range fixed {
		idx[s] = i
	}
	perRow := []int{0, 1, 2, 3, 8} // columns of streamRow with a text of their own
	sst, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	total := len(fixed) + len(perRow)*rows
	fmt.Fprintf(sst, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst %s count="%d" uniqueCount="%d">`, ns, total, total)
	for _, s := range fixed {
		fmt.Fprintf(sst, "<si><t>%s</t></si>", s)
	}
	for i := range rows {
		r := streamRow(i)
		for _, c := range perRow {
			fmt.Fprintf(sst, "<si><t>%s</t></si>", r[c])
		}
	}
	io.WriteString(sst, "</sst>")

	sheet, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	fmt.Fprintf(sheet, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<worksheet %s><dimension ref="A1:O%d"/><sheetData>`, ns, rows+3)
	fmt.Fprintf(sheet, `<row r="1"><c r="A1" t="s" s="1"><v>0</v></c></row><row r="3">`)
	for j := range streamHeaders {
		fmt.Fprintf(sheet, `<c r="%s3" t="s" s="1"><v>%d</v></c>`, col(j), 1+j)
	}
	io.WriteString(sheet, "</row>")
	for i := range rows {
		r := streamRow(i)
		n := i + 4
		fmt.Fprintf(sheet, `<row r="%d">`, n)
		for j, v := range r {
			ref := col(j) + strconv.Itoa(n)
			switch j {
			case 4: // the phone number, typed as a number (no +, no spaces)
				fmt.Fprintf(sheet, `<c r="%s" s="1"><v>1415%03d%04d</v></c>`, ref, 200+i/10000%800, i%10000)
			case 5: // the extension, a number shown zero-padded
				fmt.Fprintf(sheet, `<c r="%s" s="2"><v>%d</v></c>`, ref, i%1000000)
			default:
				k, ok := idx[v]
				if !ok {
					for p, c := range perRow {
						if c == j {
							k = len(fixed) + i*len(perRow) + p
						}
					}
				}
				fmt.Fprintf(sheet, `<c r="%s" t="s"><v>%d</v></c>`, ref, k)
			}
		}
		io.WriteString(sheet, "</row>")
	}
	io.WriteString(sheet, "</sheetData></worksheet>")
	return zw.Close()
}

func col(j int) string { return string(rune('A' + j)) }

// streamMap reads and maps every row of path; it returns the rows read,
// the largest heap in use (sampled every 10,000 rows, garbage included) and
// the live heap after the last row.
func streamMap(b *testing.B, path string) (n int, peak, live uint64) {
	b.Helper()
	rd, err := roster.Open(path, roster.Options{MaxXMLInMemory: int64(envInt("PBXSYNC_STREAM_SST_MEMORY", 0))})
	if err != nil {
		b.Fatal(err)
	}
	defer rd.Close()
	p, _ := mapping.Detect(rd.Headers())
	if p == nil || p.Name != "pbxsync" {
		b.Fatalf("Detect = %v", p)
	}
	bind, problems := p.Bind(rd.File(), rd.Sheet(), rd.HeaderRow(), rd.Headers())
	if len(problems) > 0 || len(bind.Unknown()) > 0 {
		b.Fatalf("bind: %v, unknown %q", problems, bind.Unknown())
	}
	var ms runtime.MemStats
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		m := bind.Map(rec.Row, rec.Values)
		if n == 0 {
			if v, _ := m.Get("user_id"); v.Text != "user0000000@acme.example" {
				b.Fatalf("first row user_id = %q", v.Text)
			}
		}
		n++
		if n%10000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapInuse)
	// What the reader and the binding hold at the end (shared strings
	// included), garbage collected.
	runtime.GC()
	runtime.ReadMemStats(&ms)
	live = ms.HeapAlloc
	return n, peak, live
}

func benchStream(b *testing.B, ext, env string, write func(io.Writer, int) error) {
	rows := envInt(env, 20000)
	path := streamFile(b, ext, rows, write)
	var peak, live uint64
	total := 0
	b.ResetTimer()
	for b.Loop() {
		n, p, l := streamMap(b, path)
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
		total += n
		peak, live = max(peak, p), max(live, l)
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(live)/(1<<20), "live-heap-MiB")
}

// BenchmarkStreamCSV reads and maps a generated CSV roster.
func BenchmarkStreamCSV(b *testing.B) {
	benchStream(b, "csv", "PBXSYNC_STREAM_CSV_ROWS", writeStreamCSV)
}

// BenchmarkStreamXLSX reads and maps a generated, Excel-like XLSX roster.
func BenchmarkStreamXLSX(b *testing.B) {
	benchStream(b, "xlsx", "PBXSYNC_STREAM_XLSX_ROWS", writeStreamXLSX)
}

// TestStreamFilesRead checks the generated rosters the benchmarks measure:
// every row read, the number and the zero-padded extension of the XLSX as
// the CSV writes them.
func TestStreamFilesRead(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		ext   string
		write func(io.Writer, int) error
	}{{"csv", writeStreamCSV}, {"xlsx", writeStreamXLSX}} {
		path := filepath.Join(dir, "r."+tc.ext)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := tc.write(f, 1234); err != nil {
			t.Fatal(err)
		}
		f.Close()
		rd, err := roster.Open(path, roster.Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			want := streamRow(n)
			if tc.ext == "xlsx" {
				want[4] = fmt.Sprintf("1415%03d%04d", 200+n/10000%800, n%10000)
			} else {
				want[10] += ", Suite 4"
			}
			for j := range want {
				if rec.Values[j] != want[j] {
					t.Fatalf("%s row %d column %s = %q, want %q", tc.ext, rec.Row, streamHeaders[j], rec.Values[j], want[j])
				}
			}
			n++
		}
		rd.Close()
		if n != 1234 {
			t.Errorf("%s: %d rows", tc.ext, n)
		}
	}
}
