#!/usr/bin/env bash
# guide.sh: what the guide (issue 20) costs one pm observe: the same binary
# with PM_GUIDE=1 against PM_GUIDE=0, taking turns in one repository of SIZE
# files (bench/commit-vs-git.sh does the timing and the alternation). The
# guide works out the next step from the document the write already parsed
# and prints one line on stderr, so the two should be within noise;
# BenchmarkNextAfter in internal/incident gives the in-process cost alone.
#
#   bench/guide.sh                          # 1,000 files, 51 runs
#   RUNS=101 GUIDE_WORK=/dev/shm/g bench/guide.sh
#
# With RESULTS=FILE it appends a "guide-SIZE" line for bench/run: pm's
# median with the guide, then without, in the columns of pm and its peer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
RUNS=${RUNS:-51} SIZE=${SIZE:-1000}
W=${GUIDE_WORK:-${TMPDIR:-/tmp}/pm-bench-guide}
mkdir -p "$W/bin"
(cd "$root" && go build -o "$W/bin/pm" . && go build -o "$W/bin/onecommit" ./bench/cmd/onecommit)
# The incident grows by one entry a run; both sides write to the same one.
obs='observe -i bench-target "p99 latency 4 s on api-$N since the deploy"'
MODE=observe SIZES=$SIZE RUNS=$RUNS WORKDIR=$W BUILD=0 PREPARE=0 LABEL=guide \
	PM_CMD="PM_GUIDE=1 \"\$BIN/pm\" $obs" GIT_CMD="PM_GUIDE=0 \"\$BIN/pm\" $obs" \
	bash "$here/commit-vs-git.sh" | sed -e 's/git-ms/off-ms/' -e 's/pm\/git/on\/off/' -e 's/git-MB/off-MB/'
