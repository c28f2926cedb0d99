package importer

import (
	"runtime"
	"runtime/metrics"
	"testing"
)

func heapGoal(t *testing.T) uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Skip("this Go has no /gc/heap/goal:bytes")
	}
	return s[0].Value.Uint64()
}

// What the checked rows held is let go before the apply: Handover sets the
// collector's goal from what is still held, not from the planning's peak.
func TestHandoverLowersTheGoal(t *testing.T) {
	const mib = 1 << 20
	checked := make([][]byte, 256) // 256 MiB, as the rows and the live state of a large roster
	for i := range checked {
		checked[i] = make([]byte, mib)
	}
	runtime.GC()
	held := heapGoal(t)
	if held < 256*mib {
		t.Fatalf("goal %d MiB while 256 MiB are held", held/mib)
	}
	runtime.KeepAlive(checked)
	checked = nil
	Handover()
	if after := heapGoal(t); after > 128*mib {
		t.Errorf("goal after Handover %d MiB, want under 128 MiB (it was %d MiB with the rows held)", after/mib, held/mib)
	}
}

func heapFree(t *testing.T) uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Skip("this Go has no /memory/classes/heap/free:bytes")
	}
	return s[0].Value.Uint64()
}

// The pages the checked rows held leave the resident set at the hand-over,
// not over the following seconds: free heap memory not yet given back to
// the system falls to a little.
func TestHandoverGivesTheMemoryBack(t *testing.T) {
	const mib = 1 << 20
	checked := make([][]byte, 256)
	for i := range checked {
		checked[i] = make([]byte, mib)
		checked[i][0] = 1
	}
	runtime.KeepAlive(checked)
	checked = nil
	Handover()
	if free := heapFree(t); free > 64*mib {
		t.Errorf("%d MiB of free heap still held from the system after Handover, want under 64 MiB", free/mib)
	}
}
