package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/validate"
)

// propertyStore is an embedded store in a test's directory, seeded with
// propertySeed's company; closed when the test ends.
func propertyStore(t *testing.T) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pbxsync.db"))
	must(t, err)
	t.Cleanup(func() { st.Close() })
	must(t, st.Migrate(ctx))
	must(t, st.Seed(ctx, propertySeed()))
	return st
}

// The first pass of a roster planned in slices looks up other companies'
// logins, e-mails, numbers and devices in parts as it reads (slices.go,
// lookUpForeign): with a part of one value, every row's look-up is its own,
// and the check and plan are still those of the whole roster, each value
// of the other company found.
func TestSlicesLookUpForeignInParts(t *testing.T) {
	ctx := context.Background()
	st := propertyStore(t)
	other, err := importer.DecodeSeed(strings.NewReader(`{
  "company": {"id": "globex", "name": "Globex", "plan": "C2", "sms": true},
  "sites": [{"code": "hq", "name": "HQ", "region": "US", "ext_len": 4}],
  "numbers": [{"site": "hq", "range": "+12125550100-+12125550109", "routing": "aa:main"}]
}`), "globex")
	must(t, err)
	must(t, st.Seed(ctx, other))
	dir := t.TempDir()
	write := func(name, text string) importer.Source {
		path := filepath.Join(dir, name)
		must(t, os.WriteFile(path, []byte(text), 0o644))
		return importer.Source{Path: path}
	}
	const header = "User ID,First Name,Last Name,Email,Extension,Phone Number,Phone Model,MAC Address,Port,E911 Street,E911 City,E911 State,E911 Postal Code,E911 Country\n"
	// Globex's user, with a number and a phone.
	g := write("globex.csv", header+"g1@globex.example,G,One,g1@globex.example,2001,+12125550101,phone,80:5e:c0:00:00:09,1,1 Main St,New York,NY,10001,US\n")
	gp, _, err := importer.Plan(ctx, st, g, importer.Options{Company: "globex"})
	must(t, err)
	if _, err := importer.Apply(ctx, st, gp, apply.Options{}); err != nil {
		t.Fatal(err)
	}

	// Acme's roster names them on rows far apart, between rows of its own.
	var b strings.Builder
	b.WriteString(header)
	own := func(i int) {
		b.WriteString(strings.NewReplacer("N", string(rune('0'+i))).Replace(
			"uN@acme.example,FN,LN,uN@acme.example,200N,+1415555010N,,,,100 Main St,San Francisco,CA,94105,US\n"))
	}
	own(1)
	b.WriteString("g1@globex.example,G,One,x@acme.example,,,,,,100 Main St,San Francisco,CA,94105,US\n")
	own(2)
	b.WriteString("u8@acme.example,A,B,g1@globex.example,,,,,,100 Main St,San Francisco,CA,94105,US\n")
	own(3)
	b.WriteString("u9@acme.example,A,B,u9@acme.example,,+12125550101,,,,100 Main St,San Francisco,CA,94105,US\n")
	own(4)
	b.WriteString("u0@acme.example,A,B,u0@acme.example,,+14155550109,phone,80:5e:c0:00:00:09,1,100 Main St,San Francisco,CA,94105,US\n")
	own(5)
	src := write("acme.csv", b.String())
	opts := importer.Options{Company: "acme", Full: true}

	whole, cw, err := importer.Plan(ctx, st, src, opts)
	must(t, err)
	defer importer.SetForeignChunk(1)()
	opts.Slice = 1
	cut, cs, err := importer.Plan(ctx, st, src, opts)
	must(t, err)
	if cut.Spilled() {
		_, err := cut.Load(allOf(cut))
		must(t, err)
	}
	if got, want := problemsText(cs), problemsText(cw); got != want {
		t.Fatalf("the check in slices, looked up a value at a time, is not the check whole:\n--- whole\n%s--- in slices\n%s", want, got)
	}
	if got, want := planText(cut), planText(whole); got != want {
		t.Fatalf("the plan in slices is not the plan whole:\n--- whole\n%s--- in slices\n%s", want, got)
	}
	found := map[string]bool{}
	for _, p := range cs.Problems {
		found[p.Code] = true
	}
	for _, code := range []string{validate.CodeUserIDForeign, validate.CodeEmailForeign, validate.CodeNumberForeign, validate.CodeMACForeign} {
		if !found[code] {
			t.Errorf("no %s among the problems of the check in slices:\n%s", code, problemsText(cs))
		}
	}
}

// A state loaded with its free numbers in the compact pool (what check asks
// of the store for a roster that may be sliced) answers for every number as
// the state loaded whole does.
func TestLoadCompactPoolAsWhole(t *testing.T) {
	ctx := context.Background()
	st := propertyStore(t)
	path := filepath.Join(t.TempDir(), "r.csv")
	must(t, os.WriteFile(path, []byte("User ID,First Name,Last Name,Email,Extension,Phone Number\n"+
		"u1@acme.example,A,B,u1@acme.example,2001,+14155550101\n"), 0o644))
	p, _, err := importer.Plan(ctx, st, importer.Source{Path: path}, importer.Options{Company: "acme"})
	must(t, err)
	if _, err := importer.Apply(ctx, st, p, apply.Options{}); err != nil {
		t.Fatal(err)
	}

	whole, err := st.Load(ctx, "acme")
	must(t, err)
	compact, err := st.Load(pbx.WithCompactPool(ctx), "acme")
	must(t, err)
	free := 0
	for e, n := range whole.Numbers {
		if n.Target == "" {
			free++
		}
		if got := compact.Number(e); got == nil || !reflect.DeepEqual(*got, *n) {
			t.Errorf("compact Number(%s) = %+v, want %+v", e, got, n)
		}
	}
	if free < propertyNumbers-2 || compact.Pooled() != free || len(compact.Numbers) != len(whole.Numbers)-free {
		t.Fatalf("compact: %d pooled and %d in Numbers; whole: %d numbers, %d free", compact.Pooled(), len(compact.Numbers), len(whole.Numbers), free)
	}
	compact.ExpandPool()
	if !reflect.DeepEqual(compact.Numbers, whole.Numbers) {
		t.Fatal("the compact state expanded is not the state loaded whole")
	}
}
