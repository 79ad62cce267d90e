// Command pm keeps incident investigations and blameless post-mortems as
// markdown files in a git repository. See README.md.
package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	_ "time/tzdata" // .pm.yml time zones work on machines without a zone database

	"github.com/pm-tool/pm/internal/cli"
)

func main() {
	tuneGC()
	os.Exit(cli.Main(os.Args, cli.SystemEnv()))
}

// tuneGC trades memory pm has to spare for time. A command lives for tens
// of milliseconds and most of what it allocates stays live until it ends
// (the incidents it lists), so Go's default (collect when the heap has
// doubled) spent a quarter of a warm pm status with 10,000 incidents
// collecting garbage that was not there. While the live heap is small the
// heap may grow to five times it, up to a soft limit that keeps the peak
// of the listing commands where it was; once the live heap passes half
// that limit (100,000 incidents), Go's defaults come back, since under the
// limit the collector would run without pause and double the CPU time of
// a cold pm list. GOGC or GOMEMLIMIT, when set, win.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(gcLimit)
	watchHeap()
}

// gcLimit is the heap size past which the collector works as hard as it
// must (debug.SetMemoryLimit), below issue 17's 100 MB a command.
const gcLimit = 80 << 20

// gcSentinel is an object only a finalizer refers to: it runs after each
// collection. It holds a pointer so that it is not one of the tiny
// objects Go allocates together, whose finalizers may never run.
type gcSentinel struct{ _ *byte }

// watchHeap checks the live heap after the next collection, and again
// after each one until it is large.
func watchHeap() {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(live)
		if live[0].Value.Kind() == metrics.KindUint64 && live[0].Value.Uint64() > gcLimit/2 {
			debug.SetMemoryLimit(math.MaxInt64)
			debug.SetGCPercent(100)
			return
		}
		watchHeap()
	})
}
