//go:build libreoffice

package roster

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusLibreOffice (scripts/libreoffice) puts LibreOffice Calc in the
// loop of the corpus: each workbook of the corpus is re-saved by
// LibreOffice as XLSX (in LibreOffice's own XML habits) and exported as
// CSV as LibreOffice shows it; pbxsync must read the re-saved workbook as
// LibreOffice shows it.
func TestCorpusLibreOffice(t *testing.T) {
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("LibreOffice is needed: apt-get install -y libreoffice-calc-nogui")
	}
	dir := t.TempDir()
	var files []string
	for i, b := range corpus() {
		path := filepath.Join(dir, "book"+string(rune('a'+i))+".xlsx")
		if err := os.WriteFile(path, b.zip(t), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	profile := "-env:UserInstallation=file://" + filepath.Join(dir, "profile")
	convert := func(to, outdir string, files []string) {
		args := append([]string{profile, "--headless", "--norestore", "--convert-to", to, "--outdir", outdir}, files...)
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
	}
	resaved := filepath.Join(dir, "resaved")
	convert("xlsx", resaved, files)
	var again []string
	for _, f := range files {
		again = append(again, filepath.Join(resaved, filepath.Base(f)))
	}
	shownDir := filepath.Join(dir, "shown")
	convert(`csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,true,false,false`, shownDir, again)
	compared := 0
	for i, b := range corpus() {
		name, _, _ := strings.Cut(b.program, ":")
		data, err := os.ReadFile(filepath.Join(shownDir, strings.TrimSuffix(filepath.Base(files[i]), ".xlsx")+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		shown, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		rd, err := Open(again[i], Options{HeaderRow: 1})
		if err != nil {
			t.Fatalf("%s re-saved by LibreOffice: %v", name, err)
		}
		got := [][]string{rd.Headers()}
		for _, rec := range readAll(t, rd) {
			got = append(got, rec.Values)
		}
		rd.Close()
		for y := range shown {
			for x := range shown[y] {
				g := ""
				if y < len(got) && x < len(got[y]) {
					g = got[y][x]
				}
				switch lo := Clean(shown[y][x]); {
				case g == lo:
					compared++
				case withoutSeconds(g) == withoutSeconds(lo):
					// LibreOffice cuts a time to its second; Excel, and pbxsync, round it.
					t.Logf("%s: %s%d: pbxsync reads %q as Excel rounds the seconds, LibreOffice shows %q", name, columnLetters(x), y+1, g, lo)
					compared++
				default:
					t.Errorf("%s: %s%d: pbxsync reads %q, LibreOffice shows %q", name, columnLetters(x), y+1, g, lo)
				}
			}
		}
	}
	t.Logf("%d cells of %d workbooks re-saved by LibreOffice: pbxsync reads each as LibreOffice shows it", compared, len(files))
}

// withoutSeconds is a time's text without the digits of its seconds.
func withoutSeconds(s string) string {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return s
	}
	j := i + 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return s[:i+1] + s[j:]
}
