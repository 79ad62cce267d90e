// Command pm keeps incident investigations and blameless post-mortems as
// markdown files in a git repository. See README.md.
package main

import (
	"os"
	_ "time/tzdata" // .pm.yml time zones work on machines without a zone database

	"github.com/pm-tool/pm/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args, cli.SystemEnv())) }
