package incident

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Parallel calls fn(0) … fn(n-1) on at most workers goroutines
// (GOMAXPROCS when workers ≤ 0), each taking the next index as soon as it
// is free, and returns when all calls have. fn puts its result at its
// index of a slice the caller made, so the order of the results is that of
// the input however the calls interleave. Once a call fails no index is
// handed out any more (the calls under way finish), and the first error is
// returned.
//
// It is pm's one bounded parallel loop: pm lint's files (lint), reading
// and parsing incident files (repo) and rendering site pages (site) all
// use it. It lives here, in the one package below all three, although it
// is not about incidents.
func Parallel(n, workers int, fn func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					next.Store(int64(n))
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
