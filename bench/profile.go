package bench

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
)

// startCPUProfile starts a CPU profile into path ("" = none) and returns
// the function that stops it, safe to call more than once.
func startCPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			f.Close()
		})
	}, nil
}

// writeHeapProfile writes the live heap into path ("" = none), after a
// collection so that the profile is of now.
func writeHeapProfile(path string) error {
	if path == "" {
		return nil
	}
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// halfWay is an apply's progress callback that writes a heap profile into
// path+suffix once half the plan's rows are done; nil without a path.
func halfWay(path, suffix string) func(done, total int) {
	if path == "" {
		return nil
	}
	taken := false
	return func(done, total int) {
		if !taken && total > 0 && done >= total/2 {
			taken = true
			writeHeapProfile(path + suffix)
		}
	}
}
