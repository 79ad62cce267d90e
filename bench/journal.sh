#!/usr/bin/env bash
# journal.sh: what the journal (issue 12) costs one pm observe: pm as built
# against the same commit built with the tag pmbench_nojournal, which leaves
# the journal out and nothing else, taking turns in one repository of SIZE
# files (bench/commit-vs-git.sh does the timing and the alternation).
#
#   bench/journal.sh                          # 1,000 files, 51 runs, on disk
#   RUNS=101 JOURNAL_WORK=/dev/shm/j bench/journal.sh
#
# The journal's cost is two disk flushes (the record and its folder), so the
# repository is on disk by default: JOURNAL_WORK, /var/tmp/pm-bench-journal
# unless set (on tmpfs a flush costs nothing and so does the journal). With
# RESULTS=FILE it appends a "journal-SIZE" line for bench/run: pm's median
# with the journal, then without, in the columns of pm and its peer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
RUNS=${RUNS:-51} SIZE=${SIZE:-1000}
W=${JOURNAL_WORK:-/var/tmp/pm-bench-journal}
mkdir -p "$W/bin"
(cd "$root" && go build -o "$W/bin/pm" . && go build -tags pmbench_nojournal -o "$W/bin/pm-nojournal" . &&
	go build -o "$W/bin/onecommit" ./bench/cmd/onecommit)
# The incident grows by one entry a run; both builds write to the same one.
obs='observe -i bench-target "p99 latency 4 s on api-$N since the deploy"'
MODE=observe SIZES=$SIZE RUNS=$RUNS WORKDIR=$W BUILD=0 PREPARE=0 LABEL=journal \
	PM_CMD="\"\$BIN/pm\" $obs" GIT_CMD="\"\$BIN/pm-nojournal\" $obs" \
	bash "$here/commit-vs-git.sh" | sed -e 's/git-ms/off-ms/' -e 's/pm\/git/on\/off/' -e 's/git-MB/off-MB/'
