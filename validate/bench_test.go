package validate

import (
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
)

// The benchmarks validate generated rosters in which every row is distinct
// (its own login, e-mail, extension, number and MAC), so no cache can answer
// from an earlier row, and every row is valid, so the whole of every rule
// runs. Run them on one core:
//
//	go test ./validate -run '^$' -bench . -benchtime 1000000x -cpu 1

// benchForm is how the generated rows write their numbers.
type benchForm int

const (
	formE164     benchForm = iota // "+14152001234"
	formNational                  // "(415) 200-1234", as a US survey has it
	formMixed                     // one row each
)

// benchState is company bench with one US site of 7-digit extensions (so a
// million users fit one dial plan) and the two models of testState.
func benchState() *pbx.State {
	st := testState()
	st.Company = pbx.Company{ID: "bench", Name: "Bench", Plan: "C2", SMS: true}
	st.Sites = map[string]*pbx.Site{"": {Company: "bench", Region: "US", ExtLen: 7,
		Reserved: []pbx.ExtRange{{From: "911", To: "911"}, {From: "9000000", To: "9999999"}}}}
	return st
}

// benchGen fills one reused mapped row with the texts of row i. Row keeps no
// reference to the mapped row, only to the (immutable) strings it reads.
type benchGen struct {
	form benchForm
	m    *mapping.Mapped
	buf  []byte
}

func newBenchGen(form benchForm) *benchGen {
	vals := kv{
		pbx.FFirstName: "Jane", pbx.FLastName: "Doe", pbx.FStationType: "Standard", pbx.FVoiceEnabled: "yes",
		pbx.FModel: "Yealink T42G", pbx.FStreet: "1 Main St", pbx.FCity: "San Francisco", pbx.FRegion: "CA",
		pbx.FPostal: "94105", pbx.FCountry: "US",
		// filled per row:
		pbx.FUserID: "", pbx.FEmail: "", pbx.FExtension: "", pbx.FNumber: "", pbx.FMAC: "",
	}
	return &benchGen{form: form, m: mapped(2, vals), buf: make([]byte, 0, 64)}
}

// benchNumber is the i-th number: +1 415 EEE LLLL with exchange 200 + i/10000.
func benchNumber(i int) (exchange, line int) { return 200 + i/10000, i % 10000 }

func (g *benchGen) set(f pbx.Field, b []byte) {
	v := g.m.Values.At(f)
	v.Text = string(b)
	v.Cell.Row = g.m.Row
	g.m.Values.Set(f, v)
}

// pad appends n as exactly width digits.
func pad(b []byte, n, width int) []byte {
	var d [20]byte
	s := strconv.AppendInt(d[:0], int64(n), 10)
	for k := len(s); k < width; k++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

const hexDigits = "0123456789ABCDEF"

// row returns the mapped row i (its line is i+2).
func (g *benchGen) row(i int) *mapping.Mapped {
	g.m.Row = i + 2
	b := g.buf[:0]

	b = append(strconv.AppendInt(append(b, 'u'), int64(i), 10), "@Bench.Example"...)
	g.set(pbx.FUserID, b)
	b = append(strconv.AppendInt(append(b[:0], "first.last"...), int64(i), 10), "@bench.example"...)
	g.set(pbx.FEmail, b)

	ex, ln := benchNumber(i)
	form := g.form
	if form == formMixed {
		form = benchForm(i & 1)
	}
	if form == formE164 {
		b = pad(pad(append(b[:0], "+1415"...), ex, 3), ln, 4)
	} else {
		b = pad(append(pad(append(b[:0], "(415) "...), ex, 3), '-'), ln, 4)
	}
	g.set(pbx.FNumber, b)
	g.set(pbx.FExtension, pad(pad(b[:0], ex, 3), ln, 4))

	b = append(b[:0], "80:5E:C0"...)
	for shift := 20; shift >= 0; shift -= 4 {
		if shift%8 == 4 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[(i>>shift)&0xf])
	}
	g.set(pbx.FMAC, b)
	g.buf = b
	return g.m
}

// TestBenchRowsAreValid: the rows the benchmarks validate are distinct and
// pass every rule, so the benchmarks time the whole of the rules.
func TestBenchRowsAreValid(t *testing.T) {
	const n = 3000
	for _, form := range []benchForm{formE164, formNational, formMixed} {
		st := benchState()
		g := newBenchGen(form)
		c := New(st)
		var rows []*pbx.Row
		for _, i := range append(seq(n), 999_999, 500_000, 123_456) {
			r, ps := c.Row(g.row(i))
			if len(ps) != 0 {
				t.Fatalf("form %d row %d: %v", form, i, ps)
			}
			rows = append(rows, r)
			e := r.Numbers[0]
			st.Numbers[e] = &pbx.Number{E164: e, Company: "bench", Location: "loc"}
		}
		if ps := Roster(st, rows); len(ps) != 0 {
			t.Fatalf("form %d: roster: %v", form, ps[:min(len(ps), 5)])
		}
		if ps := Live(st, rows); len(ps) != 0 {
			t.Fatalf("form %d: live: %v", form, ps[:min(len(ps), 5)])
		}
		if r := rows[n+1]; r.User.ID != "u500000@bench.example" || r.Numbers[0] != "+14152500000" ||
			r.User.Extension != "2500000" || r.Device.MAC != "805ec007a120" {
			t.Errorf("row 500000 = %+v %v %+v", r.User, r.Numbers, r.Device)
		}
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// cpuTime is the CPU time the process has used (user and system). On a
// shared machine the wall-clock rate depends on the neighbours; the rate per
// CPU second much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkGenerate is the cost of making the rows the other benchmarks
// validate, to subtract from theirs.
func BenchmarkGenerate(b *testing.B) {
	g := newBenchGen(formMixed)
	i := 0
	for b.Loop() {
		g.row(i)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRow is the field and row rules (validate.Checker.Row), one row
// per op, every row distinct.
func BenchmarkRow(b *testing.B) {
	for _, bc := range []struct {
		name string
		form benchForm
	}{{"e164", formE164}, {"national", formNational}, {"mixed", formMixed}} {
		b.Run(bc.name, func(b *testing.B) {
			g := newBenchGen(bc.form)
			c := New(benchState())
			b.ReportAllocs()
			i := 0
			cpu0 := cpuTime()
			for b.Loop() {
				if r, _ := c.Row(g.row(i)); r == nil {
					b.Fatalf("row %d invalid", i)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(b.N)/(cpuTime()-cpu0).Seconds(), "rows/cpu-s")
		})
	}
}

// BenchmarkRoster1M validates a roster of 1,000,000 distinct rows per op the
// way the importer does: Row for each, then Roster and Live over the valid
// rows, against a state whose inventory holds the million numbers. It
// reports the rate of the whole and of each stage.
func BenchmarkRoster1M(b *testing.B) {
	const n = 1_000_000
	st := benchState()
	for i := range n {
		ex, ln := benchNumber(i)
		e := pbx.E164("+1415" + string(pad(pad(nil, ex, 3), ln, 4)))
		st.Numbers[e] = &pbx.Number{E164: e, Company: "bench", Location: "loc"}
	}
	var rowT, rosterT, liveT time.Duration
	cpu0 := cpuTime()
	for b.Loop() {
		g := newBenchGen(formMixed)
		c := New(st)
		rows := make([]*pbx.Row, 0, n)
		t0 := time.Now()
		for i := range n {
			r, ps := c.Row(g.row(i))
			if len(ps) != 0 {
				b.Fatalf("row %d: %v", i, ps)
			}
			rows = append(rows, r)
		}
		t1 := time.Now()
		if ps := Roster(st, rows); len(ps) != 0 {
			b.Fatalf("roster: %v", ps[0])
		}
		t2 := time.Now()
		if ps := Live(st, rows); len(ps) != 0 {
			b.Fatalf("live: %v", ps[0])
		}
		t3 := time.Now()
		rowT += t1.Sub(t0)
		rosterT += t2.Sub(t1)
		liveT += t3.Sub(t2)
		runtime.KeepAlive(rows)
	}
	rate := func(d time.Duration) float64 { return float64(n*b.N) / d.Seconds() }
	b.ReportMetric(rate(cpuTime()-cpu0), "rows/cpu-s")
	b.ReportMetric(rate(rowT+rosterT+liveT), "rows/s")
	b.ReportMetric(rate(rowT), "row-rows/s")
	b.ReportMetric(rate(rosterT), "roster-rows/s")
	b.ReportMetric(rate(liveT), "live-rows/s")
}
