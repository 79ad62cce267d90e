#!/bin/sh
# lint-vs-vale.sh: pm lint against Vale on the same 10,000 generated
# post-mortems, with the same word lists (issue 4).
#
#   bench/lint-vs-vale.sh            # N=10000, work folder in /tmp
#   N=2000 WORK=/tmp/lvv bench/lint-vs-vale.sh
#
# It builds pm, installs Vale 3.22 with go install into the work folder (the
# module moved from errata-ai to vale-cli; newer versions need modules that
# are not served everywhere), generates the post-mortems with bench/gen,
# writes a Vale style whose existence rules carry pm's word lists
# (bench/valestyle), runs pm once to warm the file cache and then each tool
# RUNS (3) times in turn, and prints the median wall time, the peak memory of
# the median run (/usr/bin/time -f %M) and the ratio. pm runs all its rules
# (structure, secrets and language); Vale runs only the word lists.
# VALE_DIR (default WORK/bin) is where Vale is installed, or found when it
# is there already. With RESULTS=FILE it appends one tab-separated line
# (lint, runs, pm seconds and KB, Vale seconds and KB, files, files) to FILE,
# for bench/run.
#
# Targets: pm under 1.5 s on 2 cores, at least 10x faster than Vale.
set -eu

N=${N:-10000}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/lint-vs-vale.XXXXXX")}
VALE_VERSION=${VALE_VERSION:-v3.22.0}
VALE_DIR=${VALE_DIR:-$WORK/bin}
mkdir -p "$WORK/bin" "$VALE_DIR"
need /usr/bin/time time

echo "work folder: $WORK"
echo "machine: $(nproc) CPUs, $(go version | cut -d' ' -f3-)"

cd "$ROOT"
[ "${BUILD:-1}" = 0 ] || go build -o "$WORK/bin/pm" . # BUILD=0: bench/run built it
if [ ! -x "$VALE_DIR/vale" ]; then
	echo "installing vale $VALE_VERSION into $VALE_DIR ..."
	GOBIN="$VALE_DIR" go install "github.com/vale-cli/vale/v3/cmd/vale@$VALE_VERSION"
fi
corpus "$WORK/corpus" "$N"
rm -rf "$WORK/vale"
go run ./bench/valestyle -words internal/lint/words/words.yml -out "$WORK/vale"

FILES="$WORK/corpus/postmortems"
echo "corpus: $(ls "$FILES" | wc -l) files, $(du -sh "$FILES" | cut -f1)"

# One pm run warms the file cache for both (not counted); then the tools
# take turns, so that a busy spell of the machine falls on both alike.
"$WORK/bin/pm" -C "$WORK/corpus" lint --format text >/dev/null 2>&1 || true
: >"$WORK/lint-pm"
: >"$WORK/lint-vale"
for _ in $(seq "$RUNS"); do
	timed "$WORK/lint-pm" "$WORK/bin/pm" -C "$WORK/corpus" lint --format text
	(cd "$WORK/vale" && timed "$WORK/lint-vale" "$VALE_DIR/vale" --no-exit --output line "$FILES")
done
r=$(median "$WORK/lint-pm")
set -- $r
PM_S=$1 PM_KB=$2
r=$(median "$WORK/lint-vale")
set -- $r
VALE_S=$1 VALE_KB=$2

PM_FINDINGS=$(grep -c '^[^ ]' "$WORK/lint-pm.out" || true)
PM_LANG=$(grep -cE ' (blame-words|human-error|counterfactual|hindsight|person-as-cause): ' "$WORK/lint-pm.out" || true)
VALE_ALERTS=$(grep -c . "$WORK/lint-vale.out" || true)

echo
printf '%-6s %8s %10s %10s\n' tool seconds "peak MB" findings
printf '%-6s %8s %10s %10s   (%s of them language rules)\n' pm "$PM_S" "$((PM_KB / 1024))" "$PM_FINDINGS" "$PM_LANG"
printf '%-6s %8s %10s %10s\n' vale "$VALE_S" "$((VALE_KB / 1024))" "$VALE_ALERTS"
echo
awk -v p="$PM_S" -v v="$VALE_S" -v pk="$PM_KB" -v vk="$VALE_KB" -v runs="$RUNS" 'BEGIN {
	if (p <= 0) p = 0.01
	printf "pm is %.1fx faster than vale and uses %.1fx less memory (median of %d)\n", v / p, vk / pk, runs
	printf "targets: pm under 1.5 s: %s; at least 10x faster: %s\n", (p < 1.5 ? "yes" : "NO"), (v / p >= 10 ? "yes" : "NO")
}'
if [ -n "${RESULTS:-}" ]; then
	n=$(ls "$FILES" | wc -l)
	printf 'lint\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$RUNS" "$PM_S" "$PM_KB" "$VALE_S" "$VALE_KB" "$n" "$n" >>"$RESULTS"
fi
