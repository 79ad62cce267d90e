package incident

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestParallel(t *testing.T) {
	// Every index once, results in input order, never more than workers
	// at a time.
	for _, workers := range []int{1, 3, 0} {
		const n = 200
		out := make([]int, n)
		var running, most atomic.Int64
		err := Parallel(n, workers, func(i int) error {
			r := running.Add(1)
			for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
			}
			if i%17 == 0 {
				time.Sleep(time.Millisecond)
			}
			out[i] += i * i
			running.Add(-1)
			return nil
		})
		if err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		for i, v := range out {
			if v != i*i {
				t.Fatalf("workers %d: out[%d] = %d, want %d", workers, i, v, i*i)
			}
		}
		if workers > 0 && most.Load() > int64(workers) {
			t.Errorf("workers %d: %d calls at once", workers, most.Load())
		}
	}

	// Nothing to do: no call, no error.
	if err := Parallel(0, 4, func(int) error { t.Error("called"); return nil }); err != nil {
		t.Errorf("n 0: %v", err)
	}

	// The first error stops the loop: with one worker nothing after the
	// failing index runs.
	boom := errors.New("boom")
	var calls atomic.Int64
	err := Parallel(100, 1, func(i int) error {
		calls.Add(1)
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls.Load() != 11 {
		t.Errorf("error at 10: err %v after %d calls, want boom after 11", err, calls.Load())
	}
	// With several, the calls under way finish and no new one starts.
	calls.Store(0)
	err = Parallel(1000, 4, func(i int) error {
		calls.Add(1)
		return boom
	})
	if !errors.Is(err, boom) || calls.Load() > 4 {
		t.Errorf("every call fails: err %v after %d calls, want boom after at most 4", err, calls.Load())
	}
}
