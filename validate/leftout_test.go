package validate

import (
	"errors"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
)

func TestLeftOut(t *testing.T) {
	owner := kv{pbx.FUserID: "ada@acme.example", pbx.FFirstName: "Ada", pbx.FLastName: "Lovelace",
		pbx.FNumber: "+1 415 555 0101", pbx.FMAC: "80:5e:c0:12:34:56", pbx.FModel: "yealink-t42g"}
	secondLine := mapped(2, owner)
	secondLine.LeftOut = []mapping.LeftOutValue{{What: "line", Value: mapping.Value{Text: "5399",
		Cell: pbx.Cell{File: testFile, Row: 2, Col: 30, Header: "DIRECTORY NUMBER  2"}}}}
	tests := []struct {
		name    string
		m       *mapping.Mapped
		row     bool   // a row comes out
		code    string // the one warning
		mention []string
	}{
		{"a phone's second line", secondLine, true, CodeLineLeftOut, []string{"5399", "DIRECTORY NUMBER  2", "80:5e:c0:12:34:56"}},
		{"a lobby phone: created, a common-area phone", mapped(3, kv{pbx.FUserID: "", pbx.FExtension: "5300", pbx.FNumber: "+1 415 555 5300",
			pbx.FMAC: "805ec0123400", pbx.FModel: "yealink-t42g", pbx.FStationType: "standard"}), true, "", nil},
		{"a phone tied to an extension, no number", mapped(3, kv{pbx.FUserID: "", pbx.FExtension: "5300", pbx.FNumber: "",
			pbx.FMAC: "805ec0123400", pbx.FModel: "yealink-t42g"}), false, CodeDeviceLeftOut, []string{"805ec0123400", "5300"}},
		{"a derived login from nothing", mapped(4, kv{pbx.FUserID: "@acme.example", pbx.FMAC: "805ec0123401"}), false, CodeDeviceLeftOut, []string{"805ec0123401"}},
		{"a number for the inventory", mapped(5, kv{pbx.FNumber: "4155554200", pbx.FNumberLabel: "Main"}), false, CodeNumberLeftOut, []string{"4155554200"}},
		{"a user", mapped(6, owner), true, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row, ps := New(testState()).Row(tt.m)
			if (row != nil) != tt.row {
				t.Errorf("row = %v, want a row: %v (problems %v)", row, tt.row, ps)
			}
			var found []*pbx.Problem
			for _, p := range ps {
				if p.Blocking() {
					t.Errorf("blocking problem %v", p)
				}
				if errors.Is(p.Err, ErrLeftOut) {
					found = append(found, p)
				}
			}
			if tt.code == "" {
				if len(found) > 0 {
					t.Errorf("warnings %v, want none", found)
				}
				return
			}
			if len(found) != 1 || found[0].Code != tt.code || found[0].Severity != pbx.SevWarning {
				t.Fatalf("left-out warnings %v, want one %s warning", found, tt.code)
			}
			for _, s := range tt.mention {
				if !strings.Contains(found[0].Message, s) {
					t.Errorf("message %q does not name %q", found[0].Message, s)
				}
			}
		})
	}
}
