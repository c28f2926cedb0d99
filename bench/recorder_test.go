package bench

import (
	"testing"
	"time"
)

func TestRecorderNamesTheGaps(t *testing.T) {
	w := startWatch(false)
	defer w.end(&Stage{})
	r := newRecorder(nil, w)
	time.Sleep(2 * time.Millisecond)
	r.Stage("validate", -1)
	time.Sleep(2 * time.Millisecond)
	r.Done()
	r.Done() // idempotent
	time.Sleep(2 * time.Millisecond)
	r.Stage("cross-row", 10)
	time.Sleep(2 * time.Millisecond)
	r.Done()
	time.Sleep(2 * time.Millisecond)
	r.Stage("empty gap before me", 1)
	r.Done()
	time.Sleep(2 * time.Millisecond)
	var names []string
	for _, s := range r.finish() {
		names = append(names, s.Name)
		if s.Wall < 0 {
			t.Errorf("stage %s has a negative time", s.Name)
		}
	}
	want := []string{"load", "validate", "after validate", "cross-row", "after cross-row", "empty gap before me", "plan"}
	if len(names) != len(want) {
		t.Fatalf("stages %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("stages %v, want %v", names, want)
		}
	}
}
