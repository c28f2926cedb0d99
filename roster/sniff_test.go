package roster

import "testing"

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		name, text string
		want       rune
	}{
		{"comma", "a,b,c\n1,2,3\n", ','},
		{"semicolon", "a;b;c\n1;2;3\n", ';'},
		{"tab", "a\tb\n1\t2\n", '\t'},
		{"pipe", "a|b\n1|2\n", '|'},
		{"one column", "email\na@x.io\n", ','},
		{"empty", "", ','},
		{"semicolon beats free-text commas", "name;street;ext\nSmith, John;1 Main, Apt 2;1\nDoe;Elm, 5;2\n", ';'},
		{"consistency beats a busy title", "Report, 2024, all, sites, here\na;b\n1;2\n3;4\n", ';'},
		{"quoted parts ignored", "\"a,b,c,d\";x\n\"1,2,3,4\";y\n", ';'},
		{"quoted newline ignored", "a|b\n\"x\ny,z\"|1\n", '|'},
		{"tie prefers comma", "a,b;c\n", ','},
		{"more cells win a tie in lines", "a,b;c;d\n", ';'},
		{"cut last line still counted", "a;b;c\n1;2;3\n4;5", ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniffDelimiter([]byte(tt.text)); got != tt.want {
				t.Errorf("sniffDelimiter(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSepDirective(t *testing.T) {
	tests := []struct {
		text string
		want rune
		ok   bool
	}{
		{"sep=;\r\na;b\n", ';', true},
		{"SEP=|\na|b", '|', true},
		{"sep=\t\n", '\t', true},
		{"sep=,", ',', true},
		{"sep=\"\n", 0, false},
		{"sep=;;\n", 0, false},
		{"sep=\n", 0, false},
		{"separator;x\n", 0, false},
		{"a,b\n", 0, false},
	}
	for _, tt := range tests {
		got, ok := sepDirective([]byte(tt.text))
		if got != tt.want || ok != tt.ok {
			t.Errorf("sepDirective(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}
