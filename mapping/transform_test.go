package mapping

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitName(t *testing.T) {
	tests := []struct{ in, first, last string }{
		{"Ada Lovelace", "Ada", "Lovelace"},
		{"Lovelace, Ada", "Ada", "Lovelace"},
		{"  Hopper ,  Grace Brewster ", "Grace Brewster", "Hopper"},
		{"Mary Ann Smith", "Mary Ann", "Smith"},
		{"Ludwig van Beethoven", "Ludwig", "van Beethoven"},
		{"Juan de la Cruz", "Juan", "de la Cruz"},
		{"Martin Luther King Jr.", "Martin Luther", "King Jr."},
		{"King Jr., Martin Luther", "Martin Luther", "King Jr."},
		{"Van Morrison", "Van", "Morrison"},
		{"Reception", "Reception", ""},
		{"José   Álvarez", "José", "Álvarez"},
		{"", "", ""},
	}
	for _, tt := range tests {
		first, last := splitName(tt.in)
		if first != tt.first || last != tt.last {
			t.Errorf("splitName(%q) = %q, %q; want %q, %q", tt.in, first, last, tt.first, tt.last)
		}
	}
}

func TestCIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"Ada Lovelace" <4155550101>`, "4155550101"},
		{`Ada <+1 415 555 0101>`, "+1 415 555 0101"},
		{`<4155550101>`, "4155550101"},
		{`4155550101`, "4155550101"},
		{`"Ada" <>`, ""},
		{`"Ada" <4155550101`, "4155550101"},
	}
	for _, tt := range tests {
		if got := cidNumber(tt.in); got != tt.want {
			t.Errorf("cidNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTrimPrefixFold(t *testing.T) {
	tests := []struct {
		in       string
		prefixes []string
		want     string
	}{
		{"SEP001B54ABCDEF", []string{"SEP"}, "001B54ABCDEF"},
		{"sep001b54abcdef", []string{"SEP"}, "001b54abcdef"},
		{"ATA001B54ABCDEF", []string{"SEP", "ATA"}, "001B54ABCDEF"},
		{"001B54ABCDEF", []string{"SEP"}, "001B54ABCDEF"},
		{"SE", []string{"SEP"}, "SE"},
	}
	for _, tt := range tests {
		if got := trimPrefixFold(tt.in, tt.prefixes); got != tt.want {
			t.Errorf("trimPrefixFold(%q, %q) = %q, want %q", tt.in, tt.prefixes, got, tt.want)
		}
	}
}

func TestLastDigits(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"+1 (415) 555-0123", 4, "0123"},
		{"+14155550123", 3, "123"},
		{"4155550123", 10, "4155550123"},
		{"12", 4, "12"},
		{"x", 4, ""},
		{"", 4, ""},
	}
	for _, tt := range tests {
		if got := lastDigits(tt.in, tt.n); got != tt.want {
			t.Errorf("lastDigits(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestAddPrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4155550101", "+14155550101"},
		{"(415) 555-0101", "+1(415) 555-0101"},
		{"+14155550101", "+14155550101"},
		{"0014155550101", "0014155550101"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := addPrefix(tt.in, "+1"); got != tt.want {
			t.Errorf("addPrefix(%q, +1) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestToLogin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ada.Lovelace@ACME.example", "ada.lovelace@acme.example"},
		{"JÁlvarez@acme.example", "jalvarez@acme.example"},
		{"mo'brien@acme.example", "mobrien@acme.example"},
		{"a van beethoven@acme.example", "avanbeethoven@acme.example"},
		{"sjørgensen@acme.example", "sjorgensen@acme.example"},
		{"tstraße@acme.example", "tstrasse@acme.example"},
		{"ada+pbx_1-x@acme.example", "ada+pbx_1-x@acme.example"},
	}
	for _, tt := range tests {
		if got := toLogin(tt.in); got != tt.want {
			t.Errorf("toLogin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWithCountryCode(t *testing.T) {
	tests := []struct{ code, national, want string }{
		{"1", "415 555 0101", "+1 415 555 0101"},
		{"+44", "20 7946 0958", "+44 20 7946 0958"},
		{"0049", "30 901820", "+49 30 901820"},
		{"1", "+1 415 555 0101", "+1 415 555 0101"},
		{"1", "0014155550101", "0014155550101"},
		{"", "415 555 0101", "415 555 0101"},
		{"1", "", ""},
	}
	for _, tt := range tests {
		if got := withCountryCode(tt.code, tt.national); got != tt.want {
			t.Errorf("withCountryCode(%q, %q) = %q, want %q", tt.code, tt.national, got, tt.want)
		}
	}
}

func TestSplitMulti(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"+14155550101; +14155550102", []string{"+14155550101", "+14155550102"}},
		{"4155550101|4155550102", []string{"4155550101", "4155550102"}},
		{"4155550101, 4155550102", []string{"4155550101", "4155550102"}},
		{"4155550101\r\n4155550102\n", []string{"4155550101", "4155550102"}},
		{";;4155550101;;", []string{"4155550101"}},
		{"(415) 555-0101", []string{"(415) 555-0101"}},
	}
	for _, tt := range tests {
		if got := splitMulti(tt.in, defaultSeparators); !slices.Equal(got, tt.want) {
			t.Errorf("splitMulti(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPipeline checks each transform through a compiled Source, and their order.
func TestPipeline(t *testing.T) {
	tests := []struct {
		name  string
		src   Source
		in    string
		text  string
		parts []string
	}{
		{"trim only", Source{}, "  Ada  ", "Ada", nil},
		{"cid_number", Source{CIDNumber: true}, `"Ada" <4155550101>`, "4155550101", nil},
		{"trim_prefix", Source{TrimPrefix: []string{"SEP"}}, "SEP001B54ABCDEF", "001B54ABCDEF", nil},
		{"replace", Source{Replace: map[string]string{"/": " "}}, "yealink/t42g", "yealink t42g", nil},
		{"replace longest first", Source{Replace: map[string]string{"-": " ", "--": "/"}}, "a--b-c", "a/b c", nil},
		{"name_part first", Source{NamePart: "first"}, "Lovelace, Ada", "Ada", nil},
		{"name_part last", Source{NamePart: "Last"}, "Ada Lovelace", "Lovelace", nil},
		{"map hit", Source{Map: map[string]string{"Premium": "premium", "Y": "yes"}}, " y ", "yes", nil},
		{"map miss passes through", Source{Map: map[string]string{"Y": "yes"}}, "maybe", "maybe", nil},
		{"map ignores case and punctuation", Source{Map: map[string]string{"Std.": "standard"}}, "STD", "standard", nil},
		{"last_digits", Source{LastDigits: 4}, "+1 415 555 0123", "0123", nil},
		{"prefix", Source{Prefix: "+1"}, "4155550101", "+14155550101", nil},
		{"prefix kept off international", Source{Prefix: "+1"}, "+442079460958", "+442079460958", nil},
		{"login", Source{Login: true}, "JÁlvarez@ACME.example", "jalvarez@acme.example", nil},
		{"lower", Source{Lower: true}, "Yealink T42G", "yealink t42g", nil},
		{"empty stays empty", Source{Prefix: "+1", Map: map[string]string{"": "x"}}, "  ", "", nil},
		{"multi", Source{Multi: true}, "4155550101; 4155550102", "4155550101; 4155550102", []string{"4155550101", "4155550102"}},
		{"multi one part", Source{Multi: true}, "4155550101", "4155550101", []string{"4155550101"}},
		{"multi empty", Source{Multi: true}, "", "", nil},
		{"multi then prefix per part", Source{Multi: true, Prefix: "+1"}, "4155550101|+14155550102",
			"+14155550101; +14155550102", []string{"+14155550101", "+14155550102"}},
		{"multi own separators", Source{Multi: true, Separators: "/"}, "4155550101 / 4155550102, x",
			"4155550101; 4155550102, x", []string{"4155550101", "4155550102, x"}},
		{"cid before map", Source{CIDNumber: true, Map: map[string]string{"4155550100": "main"}}, `"ACME" <4155550100>`, "main", nil},
		{"trim_prefix before name", Source{TrimPrefix: []string{"Dr. "}, NamePart: "first"}, "Dr. Ada Lovelace", "Ada", nil},
		{"map before prefix", Source{Map: map[string]string{"main": "4155550100"}, Prefix: "+1"}, "Main", "+14155550100", nil},
		{"last_digits before prefix", Source{LastDigits: 4, Prefix: "9"}, "+1 415 555 0123", "90123", nil},
		{"date_order mdy", Source{DateOrder: "mdy"}, "3/4/2027", "2027-03-04", nil},
		{"date_order dmy", Source{DateOrder: "DMY"}, "03.04.2027", "2027-04-03", nil},
		{"date_order ymd", Source{DateOrder: "ymd"}, "2027/4/3", "2027-04-03", nil},
		{"date_order leaves a serial", Source{DateOrder: "mdy"}, "46477", "46477", nil},
		{"date_order leaves a two-digit year", Source{DateOrder: "dmy"}, "03.04.27", "03.04.27", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := compilePipeline(&tt.src)
			if err != nil {
				t.Fatal(err)
			}
			var v Value
			p.apply(&v, tt.in, "")
			if v.Text != tt.text || !slices.Equal(v.Parts, tt.parts) {
				t.Errorf("apply(%q) = %q %q, want %q %q", tt.in, v.Text, v.Parts, tt.text, tt.parts)
			}
			if tt.parts == nil && v.Parts != nil {
				t.Errorf("apply(%q) parts = %q, want nil", tt.in, v.Parts)
			}
		})
	}
}

func TestFillMask(t *testing.T) {
	tests := []struct{ mask, digits, want string }{
		{"415555XXXX", "5201", "4155555201"},
		{"+1 415 555 XXXX", "5201", "+1 415 555 5201"},
		{"4155550XXX", "5201", "4155550201"},
		{"41555XXXXX", "201", "41555XX201"}, // too few digits: the X's left show
		{"4155550121", "5201", "4155550121"},
		{"415555xxxx", "52-01", "4155555201"},
		{"XXXX", "", "XXXX"},
	}
	for _, tt := range tests {
		if got := fillMask(tt.mask, tt.digits); got != tt.want {
			t.Errorf("fillMask(%q, %q) = %q, want %q", tt.mask, tt.digits, got, tt.want)
		}
	}
}

func TestDateOrderUnknown(t *testing.T) {
	if _, err := compilePipeline(&Source{DateOrder: "dm"}); err == nil || !strings.Contains(err.Error(), "none of dmy") {
		t.Errorf("date_order dm: %v", err)
	}
}
