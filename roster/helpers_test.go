package roster

import (
	"errors"
	"io"
	"testing"
	"unicode/utf16"

	"github.com/pbxsync/pbxsync/pbx"
)

// readAll reads every record of r, failing the test on an error.
func readAll(t testing.TB, r Reader) []Record {
	t.Helper()
	var recs []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		recs = append(recs, rec)
	}
}

// codes lists the codes of problems, checking that each wraps pbx.ErrRead.
func codes(t testing.TB, probs []*pbx.Problem) []string {
	t.Helper()
	var cs []string
	for _, p := range probs {
		if !errors.Is(p, pbx.ErrRead) {
			t.Errorf("problem %v does not wrap pbx.ErrRead", p)
		}
		if p.Message == "" || p.Hint == "" {
			t.Errorf("problem %s lacks a message or a hint: %+v", p.Code, p)
		}
		cs = append(cs, p.Code)
	}
	return cs
}

// utf16Bytes encodes s as UTF-16, with or without a byte order mark.
func utf16Bytes(s string, bigEndian, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// onlyReader hides every method but Read (no Seek), as a pipe would.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }
