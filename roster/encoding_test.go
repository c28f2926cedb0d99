package roster

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestLookupEncoding(t *testing.T) {
	tests := []struct {
		name, want string
		nilDecoder bool
	}{
		{"", EncUTF8, true},
		{"UTF-8", EncUTF8, true},
		{"utf8", EncUTF8, true},
		{"utf-16le", EncUTF16LE, false},
		{"UTF-16", EncUTF16LE, false},
		{"utf-16be", EncUTF16BE, false},
		{"windows-1252", EncWindows1252, false},
		{"CP1252", EncWindows1252, false},
		{"iso-8859-1", EncWindows1252, false}, // WHATWG: latin1 is read as windows-1252
		{"unicode-1-1-utf-8", EncUTF8, true},
		{"shift_jis", "shift_jis", false},
	}
	for _, tt := range tests {
		got, enc, err := lookupEncoding(tt.name)
		if err != nil || got != tt.want || (enc == nil) != tt.nilDecoder {
			t.Errorf("lookupEncoding(%q) = %q, %v, %v; want %q", tt.name, got, enc, err, tt.want)
		}
	}
	if _, _, err := lookupEncoding("klingon"); err == nil {
		t.Error("unknown encoding accepted")
	}
}

func TestDetectEncoding(t *testing.T) {
	tests := []struct {
		name  string
		head  []byte
		atEOF bool
		want  string
	}{
		{"ascii", []byte("a,b\n"), true, EncUTF8},
		{"utf-8", []byte("Zoë,1\n"), true, EncUTF8},
		{"utf-8 BOM", []byte("\xEF\xBB\xBFa"), true, EncUTF8},
		{"utf-16le BOM", []byte("\xFF\xFEa\x00"), true, EncUTF16LE},
		{"utf-16be BOM", []byte("\xFE\xFF\x00a"), true, EncUTF16BE},
		{"utf-16le no BOM", utf16Bytes("Name,Ext\n", false, false), true, EncUTF16LE},
		{"utf-16be no BOM", utf16Bytes("Name,Ext\n", true, false), true, EncUTF16BE},
		{"cp1252", []byte("Jos\xe9\n"), true, EncWindows1252},
		{"utf-8 cut mid-character in a window", []byte("Zo\xc3"), false, EncUTF8},
		{"the same cut at the end of the file", []byte("Zo\xc3"), true, EncWindows1252},
	}
	for _, tt := range tests {
		if got := detectEncoding(tt.head, tt.atEOF); got != tt.want {
			t.Errorf("%s: detectEncoding = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestDetectSeekable(t *testing.T) {
	big := strings.Repeat("é,1\n", peekSize) // valid UTF-8, characters cut at read boundaries
	tests := []struct {
		name, data, want string
	}{
		{"short", "a,b\n", EncUTF8},
		{"long utf-8", big, EncUTF8},
		{"long, bad byte at the end", big + "\xe9", EncWindows1252},
		{"long, bad byte after the head", big[:peekSize+1] + "\xff" + big[peekSize+1:], EncWindows1252},
		{"utf-16 BOM", "\xFF\xFE" + big, EncUTF16LE},
	}
	for _, tt := range tests {
		rs := bytes.NewReader([]byte("skip" + tt.data))
		rs.Seek(4, io.SeekStart)
		got, ok, err := detectSeekable(rs)
		if err != nil || !ok || got != tt.want {
			t.Errorf("%s: detectSeekable = %s, %v, %v; want %s", tt.name, got, ok, err, tt.want)
		}
		if pos, _ := rs.Seek(0, io.SeekCurrent); pos != 4 {
			t.Errorf("%s: left the reader at %d, want 4", tt.name, pos)
		}
	}
}

func TestCRReader(t *testing.T) {
	got, err := io.ReadAll(crReader{strings.NewReader("a,b\r1,2\r")})
	if err != nil || string(got) != "a,b\n1,2\n" {
		t.Errorf("crReader = %q, %v", got, err)
	}
}
