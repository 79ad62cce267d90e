package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTuneGC: a small heap may grow five times under the soft limit; once
// the live heap passes half the limit, Go's defaults come back (no limit,
// GOGC 100), so a large listing does not collect without pause.
func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	tuneGC()
	if p := gcPercent(); p != 400 {
		t.Fatalf("GC percent %d after tuneGC, want 400", p)
	}
	if l := debug.SetMemoryLimit(-1); l != gcLimit {
		t.Fatalf("memory limit %d, want %d", l, gcLimit)
	}
	live := make([][]byte, 0, 64)
	for range 64 {
		live = append(live, make([]byte, 1<<20)) // 64 MB, past half the limit
	}
	for i := 0; i < 50 && debug.SetMemoryLimit(-1) != math.MaxInt64; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the finalizer runs on its own goroutine
	}
	runtime.KeepAlive(live)
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Fatalf("memory limit still %d with a live heap of 64 MB", l)
	}
	if p := gcPercent(); p != 100 {
		t.Fatalf("GC percent %d with a large live heap, want 100", p)
	}
}

// gcPercent reads the GC percent (SetGCPercent sets it to read it).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}
