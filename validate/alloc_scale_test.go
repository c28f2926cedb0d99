package validate_test

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/validate"
)

// scaleAreas are the area codes of scaleState's pool, as `pbxsync gen
// state` cuts its inventory from 25 area codes.
var scaleAreas = []string{"212", "213", "312", "415", "617", "646", "702", "713", "718", "805", "818", "917", "202",
	"303", "404", "503", "602", "206", "305", "512", "614", "615", "704", "801", "916"}

// scaleState is a company shaped like a generated one at the size of the
// 100k benchmark: sites hq and branch (7-digit extensions, one dial plan;
// branch reserves 9000000-9099999), lab with a dial plan of its own (4
// digits); free numbers of 25 area codes at hq and branch, the same last 7
// digits in each area code (every 13th held by a user of extension
// 3000000 and up, every 17th a common-area phone's) and 1,000 at lab; a hunt group on 1000500 and an auto attendant on
// 6100000.
func scaleState(free int) *pbx.State {
	st := pbx.NewState(pbx.Company{ID: "acme"})
	st.Sites["hq"] = &pbx.Site{Company: "acme", Code: "hq", Region: "US", ExtLen: 7}
	st.Sites["branch"] = &pbx.Site{Company: "acme", Code: "branch", Region: "US", ExtLen: 7,
		Reserved: []pbx.ExtRange{{From: "9000000", To: "9099999"}}}
	st.Sites["lab"] = &pbx.Site{Company: "acme", Code: "lab", Region: "US", ExtLen: 4, OwnDialPlan: true}
	st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Extension: "1000500"}
	st.AAs["main"] = &pbx.AutoAttendant{ID: "main", Company: "acme", Extension: "6100000"}
	total := free + free/10
	for i := range total {
		area := scaleAreas[i%len(scaleAreas)]
		e := pbx.E164(fmt.Sprintf("+1%s%07d", area, 2_000_000+i/len(scaleAreas)*7))
		n := &pbx.Number{E164: e, Company: "acme", Site: []string{"hq", "branch"}[i/7%2]}
		switch {
		case i%13 == 0:
			id := pbx.UserID(fmt.Sprintf("held%d@acme.example", i))
			n.Target = pbx.UserTarget(id)
			st.Users[id] = &pbx.User{ID: id, Company: "acme", Site: n.Site, Extension: pbx.Extension(fmt.Sprintf("3%06d", i/13)),
				VoiceEnabled: true, Status: pbx.StatusActive}
		case i%17 == 0:
			st.Lines[pbx.LineKey(pbx.MAC(fmt.Sprintf("lobby%d", i)), 1)] = &pbx.DeviceLine{Number: e, Port: 1}
		}
		st.Numbers[e] = n
	}
	for i := range 1000 {
		e := pbx.E164(fmt.Sprintf("+1415600%04d", i))
		st.Numbers[e] = &pbx.Number{E164: e, Company: "acme", Site: "lab"}
	}
	return st
}

// scaleRows are n rows of new users asking the pool, as the benchmark's
// auto roster does and more: most by area code with an auto extension, one
// in 50 by site (every 7th of those at lab), one in 20 with a number of its
// own and an auto extension (the number's digits, or the next free where
// another row or user has them).
func scaleRows(n int) []*pbx.Row {
	rows := make([]*pbx.Row, n)
	for i := range rows {
		id := fmt.Sprintf("u%d@acme.example", i)
		site := []string{"hq", "branch"}[i%5/4]
		switch {
		case i%50 == 7:
			if i%7 == 0 {
				site = "lab"
			}
			rows[i] = asks(i+2, id, site, "ne", "")
		case i%20 == 13:
			rows[i] = asks(i+2, id, site, "e", fmt.Sprintf("+1646%07d", 8_000_000+i))
		default:
			rows[i] = asks(i+2, id, site, "ne:"+scaleAreas[(i*7)%len(scaleAreas)], "")
		}
	}
	return rows
}

// At the size of the benchmark the picks stay sound: every row is served,
// no number or extension is picked twice or is someone else's, picks are
// deterministic, and once the picks are applied the same rows pick nothing.
func TestAllocateAtScale(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	st := scaleState(2 * n)
	rows := scaleRows(n)
	if ps := validate.Allocate(st, rows, ""); len(ps) > 0 {
		t.Fatalf("%d problems, the first: %v", len(ps), ps[0])
	}
	lobby := map[pbx.E164]bool{}
	for _, l := range st.Lines {
		lobby[l.Number] = true
	}
	given := map[pbx.E164]bool{}
	for _, r := range rows {
		if r.Alloc.PickedNumber == "" {
			given[r.Numbers[0]] = true
		}
	}
	used := map[string]string{} // "scope/ext" -> who
	for _, u := range st.Users {
		used[st.Site(u.Site).ExtScope()+"/"+string(u.Extension)] = string(u.ID)
	}
	numbers := map[pbx.E164]int{}
	for _, r := range rows {
		a, site := r.Alloc, st.Site(r.User.Site)
		if len(r.Numbers) != 1 || r.User.Extension == "" || a.PickedExt != r.User.Extension || r.AnyFaulty() {
			t.Fatalf("row %d: numbers %v, extension %q, pick %+v: want one number and a picked extension", r.Line, r.Numbers, r.User.Extension, a)
		}
		e := r.Numbers[0]
		if line, ok := numbers[e]; ok {
			t.Fatalf("%s is on rows %d and %d", e, line, r.Line)
		}
		numbers[e] = r.Line
		if a.Number {
			n := st.Numbers[e]
			switch {
			case a.PickedNumber != e || n == nil || n.Target != "" || lobby[e] || given[e]:
				t.Fatalf("row %d picked %s (%+v): not a free number of the pool", r.Line, e, n)
			case a.Area != "" && !strings.HasPrefix(string(e), "+1"+a.Area):
				t.Fatalf("row %d asked for area code %s and got %s", r.Line, a.Area, e)
			case a.Area == "" && n.Site != r.User.Site:
				t.Fatalf("row %d of site %s got %s of site %s", r.Line, r.User.Site, e, n.Site)
			}
		}
		if err := site.CheckExtension(r.User.Extension); err != nil {
			t.Fatalf("row %d: %v", r.Line, err)
		}
		key := site.ExtScope() + "/" + string(r.User.Extension)
		for _, g := range []string{"1000500", "6100000"} {
			if string(r.User.Extension) == g {
				t.Fatalf("row %d picked the extension %s of a group", r.Line, g)
			}
		}
		if who, ok := used[key]; ok {
			t.Fatalf("row %d picked extension %s, which %s has", r.Line, key, who)
		}
		used[key] = fmt.Sprintf("row %d", r.Line)
	}

	again := scaleRows(n)
	validate.Allocate(st, again, "") // Allocate reads the state, never writes it
	for i, r := range again {
		if r.Numbers[0] != rows[i].Numbers[0] || r.User.Extension != rows[i].User.Extension {
			t.Fatalf("row %d picked %s %s, then %s %s: not deterministic", r.Line, rows[i].Numbers[0], rows[i].User.Extension, r.Numbers[0], r.User.Extension)
		}
	}

	// The picks applied: each row's user holds its number and extension.
	applied := scaleState(2 * n)
	for _, r := range rows {
		applied.Users[r.User.ID] = &pbx.User{ID: r.User.ID, Company: "acme", Site: r.User.Site, Extension: r.User.Extension,
			VoiceEnabled: true, Status: pbx.StatusActive}
		num := applied.Numbers[r.Numbers[0]]
		if num == nil { // a number of the row's own, new to the inventory
			num = &pbx.Number{E164: r.Numbers[0], Company: "acme", Site: r.User.Site}
			applied.Numbers[num.E164] = num
		}
		num.Target = pbx.UserTarget(r.User.ID)
	}
	resync := scaleRows(n)
	if ps := validate.Allocate(applied, resync, ""); len(ps) > 0 {
		t.Fatalf("the re-sync: %d problems, the first: %v", len(ps), ps[0])
	}
	for i, r := range resync {
		if a := r.Alloc; a.PickedNumber != "" || a.PickedExt != "" || r.AnyFaulty() {
			t.Fatalf("the re-sync of row %d picked %q %q (faulty: %v); the user holds %s %s", r.Line, a.PickedNumber, a.PickedExt, r.AnyFaulty(), rows[i].Numbers[0], rows[i].User.Extension)
		}
		if r.Numbers[0] != rows[i].Numbers[0] || r.User.Extension != rows[i].User.Extension {
			t.Fatalf("the re-sync of row %d gives %s %s; the user holds %s %s", r.Line, r.Numbers[0], r.User.Extension, rows[i].Numbers[0], rows[i].User.Extension)
		}
	}
}

// BenchmarkAllocateAreas picks for 100,000 rows (PBXSYNC_BENCH_ROWS is not
// read: the size of the end-to-end benchmark) shaped like scaleRows, from
// scaleState's pool of 25 area codes and three sites.
func BenchmarkAllocateAreas(b *testing.B) {
	const n = 100_000
	st := scaleState(2 * n)
	b.ReportAllocs()
	var cpu time.Duration // the process's CPU time in the timed parts: steadier than wall time on a shared machine
	for b.Loop() {
		b.StopTimer()
		rows := scaleRows(n)
		runtime.GC() // the rows' making is not the allocation's garbage
		b.StartTimer()
		cpu0 := processCPU()
		if ps := validate.Allocate(st, rows, ""); len(ps) > 0 {
			b.Fatal(ps[0])
		}
		cpu += processCPU() - cpu0
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// processCPU is the CPU time the process has used (user and system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
