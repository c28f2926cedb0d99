package storetest

import (
	"bytes"
	"os"
	"testing"
)

// TestBatchFileShared: the batching code is one file kept the same in both
// stores (until it moves to a package of its own).
func TestBatchFileShared(t *testing.T) {
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, rest, ok := bytes.Cut(b, []byte("\n"))
		if !ok || !bytes.HasPrefix(b, []byte("package ")) {
			t.Fatalf("%s does not start with its package clause", path)
		}
		return rest
	}
	if !bytes.Equal(read("../sqlite/batch.go"), read("../postgres/batch.go")) {
		t.Fatal("sqlite/batch.go and postgres/batch.go differ beyond their package clause: change both the same way " +
			"(e.g. sed 's/^package postgres$/package sqlite/' postgres/batch.go > sqlite/batch.go)")
	}
}
