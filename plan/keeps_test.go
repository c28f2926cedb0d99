package plan_test

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// TestPlanKeepsNoRosterText: the plan's strings are its own, not pieces of
// the roster's records (encoding/csv makes one string a record, and one
// piece of it kept would keep the whole record for as long as the plan).
func TestPlanKeepsNoRosterText(t *testing.T) {
	record := "cat@acme.example,Cat,Newman,Cat@Acme.example,1003"
	cut := func(v string) string { // a piece of the record, as encoding/csv gives
		i := strings.Index(record, v)
		return record[i : i+len(v)]
	}
	r := joiner(2, cut("cat@acme.example"), cut("1003"), "+14155550100", "805ec0000003")
	r.User.FirstName, r.User.LastName, r.User.Email = cut("Cat"), cut("Newman"), cut("Cat@Acme.example")
	st := live()
	p, err := plan.Make(st, []*pbx.Row{r}, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(record)))
	inRecord := func(what, s string) {
		if s == "" {
			return
		}
		if at := uintptr(unsafe.Pointer(unsafe.StringData(s))); at >= start && at < start+uintptr(len(record)) {
			t.Errorf("%s %q is a piece of the roster's record", what, s)
		}
	}
	if len(p.Changes) == 0 || len(p.Rows) != 1 {
		t.Fatalf("%d changes, %d rows", len(p.Changes), len(p.Rows))
	}
	for _, c := range p.Changes {
		inRecord("the key of "+string(c.Action)+" "+string(c.Kind), c.Key)
		inRecord("the reason of "+c.Key, c.Reason)
		for _, f := range c.Fields.All() {
			inRecord(c.Key+"'s "+f.Field+" before", f.Before)
			inRecord(c.Key+"'s "+f.Field, f.After)
		}
	}
	for _, rp := range p.Rows {
		inRecord("the key of row "+rp.Key, rp.Key)
	}
}
