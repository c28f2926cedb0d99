package bench

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// memWatch follows the memory of the process during a stage: the peak of
// the live heap (sampled every few milliseconds from runtime/metrics, which
// does not stop the world), the heap reserved from the OS (MemStats.HeapSys,
// which never shrinks) and the peak resident set (VmHWM of /proc/self/status,
// reset at the start of each stage through /proc/self/clear_refs where Linux
// allows it).
type memWatch struct {
	mu       sync.Mutex
	cpu      time.Duration // process CPU time when the stage (or part) began
	peakHeap uint64
	stop     chan struct{}
	done     chan struct{}
	// rssReset says whether VmHWM could be reset: when not, a stage's peak
	// RSS is the process's peak so far.
	rssReset bool
}

const heapMetric = "/memory/classes/heap/objects:bytes"

// startWatch resets the peak RSS and starts sampling. With settle, it first
// settles the heap (a GC, and free memory handed back to the OS), for a
// stage that is to start from a clean slate; without, the stage goes on
// from the heap as the previous one left it, as in one CLI run.
func startWatch(settle bool) *memWatch {
	if settle {
		runtime.GC()
		debug.FreeOSMemory()
	}
	w := &memWatch{stop: make(chan struct{}), done: make(chan struct{})}
	w.rssReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	w.peakHeap = liveHeap()
	w.cpu = cpuTime()
	go w.sample()
	return w
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func liveHeap() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		return s[0].Value.Uint64()
	}
	return 0
}

func (w *memWatch) sample() {
	defer close(w.done)
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	s := []metrics.Sample{{Name: heapMetric}}
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
			metrics.Read(s)
			if s[0].Value.Kind() == metrics.KindUint64 {
				v := s[0].Value.Uint64()
				w.mu.Lock()
				w.peakHeap = max(w.peakHeap, v)
				w.mu.Unlock()
			}
		}
	}
}

// end stops sampling and fills the memory figures of st.
func (w *memWatch) end(st *Stage) {
	close(w.stop)
	<-w.done
	w.fill(st)
}

// cut fills the memory figures of st, a part of the stage that ends now,
// and starts the peaks afresh for the next part, without settling the heap.
func (w *memWatch) cut(st *Stage) {
	w.fill(st)
	w.cpu = cpuTime()
	w.mu.Lock()
	w.peakHeap = liveHeap()
	w.mu.Unlock()
	if w.rssReset {
		os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	}
}

func (w *memWatch) fill(st *Stage) {
	w.mu.Lock()
	st.PeakHeap = max(w.peakHeap, liveHeap())
	w.mu.Unlock()
	st.HeapSys = heapSys()
	st.PeakRSS = peakRSS()
	st.CPU = cpuTime() - w.cpu
}

// heapSys is MemStats.HeapSys, read from runtime/metrics (no stop of the world).
func heapSys() uint64 {
	names := []string{
		"/memory/classes/heap/free:bytes", "/memory/classes/heap/objects:bytes",
		"/memory/classes/heap/released:bytes", "/memory/classes/heap/stacks:bytes",
		"/memory/classes/heap/unused:bytes",
	}
	s := make([]metrics.Sample, len(names))
	for i, n := range names {
		s[i].Name = n
	}
	metrics.Read(s)
	var sum uint64
	for _, x := range s {
		if x.Value.Kind() == metrics.KindUint64 {
			sum += x.Value.Uint64()
		}
	}
	return sum
}

// peakRSS is VmHWM of /proc/self/status in bytes, -1 when unknown.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			f := bytes.Fields(rest)
			if len(f) == 0 {
				return -1
			}
			kb, err := strconv.ParseInt(string(f[0]), 10, 64)
			if err != nil {
				return -1
			}
			return kb << 10
		}
	}
	return -1
}
