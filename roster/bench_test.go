package roster

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

const benchRows = 10_000

// benchCSV is a 10-column roster of benchRows rows, one quoted cell a row.
func benchCSV() []byte {
	var b bytes.Buffer
	b.WriteString("user_id,first_name,last_name,email,extension,number,mac,model,site,street\r\n")
	for i := range benchRows {
		fmt.Fprintf(&b, "u%d@example.com,First%d,Last%d,u%d@example.com,%d,+1415555%04d,0004F2%06X,VVX 450,HQ,\"%d Main St, Suite 4\"\r\n",
			i, i, i, i, 1000+i, i, i, i)
	}
	return b.Bytes()
}

func BenchmarkCSV(b *testing.B) {
	data := benchCSV()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	cpu := cpuTime()
	for b.Loop() {
		r, err := NewCSV(bytes.NewReader(data), "bench.csv", Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
	}
	reportRows(b, rows, cpu)
}

// reportRows reports rows/s (wall time) and the CPU time per row, which a
// loaded machine disturbs far less.
func reportRows(b *testing.B, rows int, cpuStart int64) {
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	if cpu := cpuTime() - cpuStart; cpu > 0 && rows > 0 {
		b.ReportMetric(float64(cpu)/float64(rows)/1e3, "cpu-µs/row")
	}
}

func BenchmarkXLSX(b *testing.B) {
	rows := sheetRows{1: {"user_id", "first_name", "last_name", "email", "extension", "number", "mac", "model", "site", "street"}}
	for i := range benchRows {
		rows[i+2] = []any{fmt.Sprintf("u%d@example.com", i), fmt.Sprintf("First%d", i), fmt.Sprintf("Last%d", i),
			fmt.Sprintf("u%d@example.com", i), 1000 + i, styled{sBold, 14155550000 + int64(i)}, styled{sBold, 412345678000 + int64(i)},
			"VVX 450", "HQ", fmt.Sprintf("%d Main St", i)}
	}
	path := writeXLSX(b, b.TempDir(), "bench.xlsx", []string{"S"}, map[string]sheetRows{"S": rows})
	b.ReportAllocs()
	n := 0
	cpu := cpuTime()
	for b.Loop() {
		r, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		r.Close()
	}
	reportRows(b, n, cpu)
}
