// Command pm keeps incident investigations and blameless post-mortems as
// markdown files in a git repository. See README.md.
package main

import (
	"os"
	"runtime/debug"
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
// collecting garbage that was not there. The heap may now grow to five
// times what is live, up to a soft limit that keeps the peak of the
// largest commands near what it was; GOGC and GOMEMLIMIT, when set, win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(gcLimit)
	}
}

// gcLimit is the heap size past which the collector works as hard as it
// must (debug.SetMemoryLimit), below issue 17's 100 MB a command.
const gcLimit = 80 << 20
