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
# (bench/valestyle), runs each tool once to warm the file cache and then
# three times, and prints the median wall time, the peak memory of the
# median run (/usr/bin/time -f %M) and the ratio. pm runs all its rules
# (structure, secrets and language); Vale runs only the word lists.
#
# Targets: pm under 1.5 s on 2 cores, at least 10x faster than Vale.
set -eu

N=${N:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/lint-vs-vale.XXXXXX")}
VALE_VERSION=${VALE_VERSION:-v3.22.0}
mkdir -p "$WORK/bin"

if [ ! -x /usr/bin/time ]; then
	echo "lint-vs-vale: /usr/bin/time is needed for peak memory (apt-get install time)" >&2
	exit 2
fi

echo "work folder: $WORK"
echo "machine: $(nproc) CPUs, $(go version | cut -d' ' -f3-)"

cd "$ROOT"
go build -o "$WORK/bin/pm" .
if [ ! -x "$WORK/bin/vale" ]; then
	echo "installing vale $VALE_VERSION into $WORK/bin ..."
	GOBIN="$WORK/bin" go install "github.com/vale-cli/vale/v3/cmd/vale@$VALE_VERSION"
fi
if [ ! -d "$WORK/corpus/postmortems" ] || [ "$(ls "$WORK/corpus/postmortems" | wc -l)" -ne "$N" ]; then
	rm -rf "$WORK/corpus"
	go run ./bench/gen -n "$N" -out "$WORK/corpus"
fi
rm -rf "$WORK/vale"
go run ./bench/valestyle -words internal/lint/words/words.yml -out "$WORK/vale"

FILES="$WORK/corpus/postmortems"
echo "corpus: $(ls "$FILES" | wc -l) files, $(du -sh "$FILES" | cut -f1)"

# measure NAME CMD...: runs CMD once to warm up, then three times; prints
# "seconds kilobytes" of the median run.
measure() {
	name=$1
	shift
	"$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || true
	: >"$WORK/$name.runs"
	for _ in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$@" >/dev/null 2>&1 || true
		tail -n 1 "$WORK/$name.time" >>"$WORK/$name.runs"
	done
	sort -n "$WORK/$name.runs" | sed -n 2p
}

set -- $(measure pm "$WORK/bin/pm" -C "$WORK/corpus" lint --format text)
PM_S=$1 PM_KB=$2
set -- $(cd "$WORK/vale" && measure vale "$WORK/bin/vale" --no-exit --output line "$FILES")
VALE_S=$1 VALE_KB=$2

PM_FINDINGS=$(grep -c '^[^ ]' "$WORK/pm.out" || true)
PM_LANG=$(grep -cE ' (blame-words|human-error|counterfactual|hindsight|person-as-cause): ' "$WORK/pm.out" || true)
VALE_ALERTS=$(grep -c . "$WORK/vale.out" || true)

echo
printf '%-6s %8s %10s %10s\n' tool seconds "peak MB" findings
printf '%-6s %8s %10s %10s   (%s of them language rules)\n' pm "$PM_S" "$((PM_KB / 1024))" "$PM_FINDINGS" "$PM_LANG"
printf '%-6s %8s %10s %10s\n' vale "$VALE_S" "$((VALE_KB / 1024))" "$VALE_ALERTS"
echo
awk -v p="$PM_S" -v v="$VALE_S" -v pk="$PM_KB" -v vk="$VALE_KB" 'BEGIN {
	if (p <= 0) p = 0.01
	printf "pm is %.1fx faster than vale and uses %.1fx less memory (median of 3)\n", v / p, vk / pk
	printf "targets: pm under 1.5 s: %s; at least 10x faster: %s\n", (p < 1.5 ? "yes" : "NO"), (v / p >= 10 ? "yes" : "NO")
}'
