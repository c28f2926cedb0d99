package validate

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestRosterClean(t *testing.T) {
	st := testState()
	rows := validRows(t, st, person(1), person(2), person(3))
	if ps := Roster(st, rows); len(ps) != 0 {
		t.Errorf("clean roster: %v", ps)
	}
}

func TestRosterDuplicates(t *testing.T) {
	ata := func(i int, mac, model, port string) kv {
		return with(person(i), kv{pbx.FMAC: mac, pbx.FModel: model, pbx.FPort: port})
	}
	for _, c := range []struct {
		name   string
		second kv // row 3, after person(1) on row 2
		code   string
		field  pbx.Field
		value  string
	}{
		{"user ID", with(person(2), kv{pbx.FUserID: "U1@ACME.example"}), CodeDuplicateUserID, pbx.FUserID, "u1@acme.example"},
		{"e-mail any case", with(person(2), kv{pbx.FEmail: "First.Last1@acme.example"}), CodeDuplicateEmail, pbx.FEmail, "First.Last1@acme.example"},
		{"extension", with(person(2), kv{pbx.FExtension: "4001"}), CodeDuplicateExtension, pbx.FExtension, "4001"},
		{"derived extension", with(person(2), kv{pbx.FExtension: "", pbx.FNumber: "+1 415 555 4001"}), CodeDuplicateExtension, pbx.FNumber, "4001"},
		{"number", with(person(2), kv{pbx.FNumber: "(415) 555-0101"}), CodeDuplicateNumber, pbx.FNumber, "+14155550101"},
		{"device port", with(person(2), kv{pbx.FMAC: "80-5E-C0-00-00-01"}), CodeDuplicateDevicePort, pbx.FMAC, "80:5e:c0:00:00:01 port 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := testState()
			rows := validRows(t, st, person(1), c.second)
			ps := Roster(st, rows)
			if c.code == CodeDuplicateNumber {
				// a problem on both rows, each naming the other
				if len(ps) != 2 || ps[0].Cell.Row != 2 || !strings.Contains(ps[0].Message, "also on row 3") {
					t.Fatalf("want the first row flagged too, naming row 3: %v", ps)
				}
				ps = ps[1:]
			}
			p := wantOne(t, ps, c.code, pbx.ErrDuplicate, 3, c.field, c.value)
			if !strings.Contains(p.Message, "also on row 2") {
				t.Errorf("message does not name the first row: %q", p.Message)
			}
		})
	}

	t.Run("ATA ports", func(t *testing.T) {
		st := testState()
		rows := validRows(t, st, ata(1, "00:0b:82:00:00:01", "grandstream-ht802", "1"), ata(2, "00:0b:82:00:00:01", "grandstream-ht802", "2"))
		if ps := Roster(st, rows); len(ps) != 0 {
			t.Errorf("two ports of one ATA: %v", ps)
		}
	})
	t.Run("MAC with two models", func(t *testing.T) {
		st := testState()
		st.Models["cisco-spa112"] = &pbx.DeviceModel{Name: "cisco-spa112", Kind: pbx.KindATA, Ports: 2, MaxLines: 1}
		rows := validRows(t, st, ata(1, "00:0b:82:00:00:01", "grandstream-ht802", "1"), ata(2, "00:0b:82:00:00:01", "Cisco SPA112", "2"))
		ps := Roster(st, rows)
		p := wantOne(t, ps, CodeDuplicateMACModel, pbx.ErrDuplicate, 3, pbx.FModel, "cisco-spa112")
		if !strings.Contains(p.Message, "row 2") {
			t.Errorf("message does not name the first row: %q", p.Message)
		}
	})
}

// Every later row is reported, each naming the first.
func TestRosterEveryRepeat(t *testing.T) {
	st := testState()
	rows := validRows(t, st, person(1), with(person(2), kv{pbx.FUserID: "u1@acme.example"}), person(3),
		with(person(4), kv{pbx.FUserID: "u1@acme.example"}))
	ps := Roster(st, rows)
	if len(ps) != 2 || ps[0].Cell.Row != 3 || ps[1].Cell.Row != 5 {
		t.Fatalf("problems = %v", ps)
	}
	for _, p := range ps {
		if !errors.Is(p, pbx.ErrDuplicate) || !p.Blocking() || !strings.Contains(p.Message, "also on row 2") {
			t.Errorf("%v", p)
		}
	}
}

// Extensions are unique per site where the site has its own dial plan.
func TestRosterExtensionScope(t *testing.T) {
	london := func(i int, ext string) kv {
		return with(person(i), kv{pbx.FSite: "lon", pbx.FNumber: fmt.Sprintf("020 7946 %04d", i), pbx.FExtension: ext})
	}
	st := testState()
	rows := validRows(t, st, with(person(1), kv{pbx.FExtension: "4100"}), london(2, "4100"))
	if ps := Roster(st, rows); len(ps) != 0 {
		t.Errorf("same extension in two dial plans: %v", ps)
	}
	rows = validRows(t, st, london(1, "4100"), london(2, "4100"))
	wantOne(t, Roster(st, rows), CodeDuplicateExtension, pbx.ErrDuplicate, 3, pbx.FExtension, "4100")

	// Without a state every extension is in the company's scope.
	rows = validRows(t, st, with(person(1), kv{pbx.FExtension: "4100"}), london(2, "4100"))
	wantOne(t, Roster(nil, rows), CodeDuplicateExtension, pbx.ErrDuplicate, 3, pbx.FExtension, "4100")
}
