#!/usr/bin/env bash
# history.sh: how the outage path and the listing commands behave in a
# repository with a long history (issue 17): a copy of a bench/gen corpus,
# committed, with one open incident, and for each command the median of
# RUNS runs, cold (pm's metadata cache removed before each run) and warm
# (the cache left from the run before), with peak memory. The open
# incidents bench/gen makes are marked resolved in the copy. Up to 20,000
# incidents, pm site too: a whole build cold, one after an incident
# changed warm, and whether that site is the same bytes as a whole build.
#
#   bench/history.sh CORPUS                 # CORPUS/postmortems from bench/gen
#   RUNS=9 PM=/path/to/pm bench/history.sh CORPUS
#   COLD_RUNS=1 EXTRA=100000 bench/history.sh CORPUS-OF-100000
#
# CORPUS is copied (the runs write into it); EXTRA=N adds N other files in
# N/100 folders to the copy, as a monorepo has. With RESULTS=FILE each
# command appends "history-CMD-N  runs  cold-s cold-KB cold-cpu  warm-s
# warm-KB warm-cpu" (tab-separated) to FILE, for bench/run. PM defaults to WORK/bin/pm built from this tree.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
corpus=$(cd "$1" && pwd)
RUNS=${RUNS:-5}
COLD_RUNS=${COLD_RUNS:-$RUNS}
EXTRA=${EXTRA:-0}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/pm-history.XXXXXX")}
mkdir -p "$WORK/bin" "$WORK/home" "$WORK/logs"
if [ -z "${PM:-}" ]; then
	(cd "$root" && go build -o "$WORK/bin/pm" .)
	PM=$WORK/bin/pm
fi
export HOME=$WORK/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$WORK/home/.gitconfig
export GIT_AUTHOR_NAME="Bench Responder" GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME="Bench Responder" GIT_COMMITTER_EMAIL=bench@example.com
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE PM_INCIDENT

n=$(ls "$corpus/postmortems" | wc -l)
repo=$WORK/repo-$n-$EXTRA
rm -rf "$repo"
mkdir -p "$repo"
cp -a "$corpus/postmortems" "$repo/"
if [ "$EXTRA" -gt 0 ]; then
	awk -v n="$EXTRA" -v dir="$repo" 'BEGIN {
		for (i = 0; i < n; i++) {
			d = sprintf("%s/dir%04d", dir, int(i / 100))
			if (i % 100 == 0) system("mkdir -p " d)
			printf "file %d\n", i > (d sprintf("/file%06d.txt", i))
			close(d sprintf("/file%06d.txt", i))
		}
	}'
fi
# bench/gen leaves some incidents open; an archive has one open at most.
find "$repo/postmortems" -name '*.md' -exec sed -i -E '0,/^status:/s/^status: (investigating|mitigated)$/status: resolved/' {} +
(cd "$repo" && git init -q -b main && git add -A && git commit -q -m history)
# The one open incident the log commands choose without -i.
"$PM" -C "$repo" new "Checkout latency" --service api >/dev/null

cache_files() { rm -f "$repo/.git/pm/cache"; }

# run FILE CMD...: CMD once under /usr/bin/time, appending "seconds
# peak-KB cpu-seconds" to FILE. The CPU time (user + system) is printed
# beside the wall time because on a shared machine the wall time mostly
# measures the other work.
run() {
	local file=$1 rc=0
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$file.time" "$@" >"$file.out" 2>"$file.err" || rc=$?
	if [ "$rc" -ge 2 ]; then
		echo "failed (exit $rc): $*" >&2
		tail -n 5 "$file.err" >&2
		return 1
	fi
	tail -n 1 "$file.time" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' >>"$file"
}

# one NAME CMD...: cold and warm medians of CMD in the repository.
one() {
	local name=$1
	shift
	: >"$WORK/logs/$name-cold"
	for _ in $(seq "$COLD_RUNS"); do
		cache_files
		run "$WORK/logs/$name-cold" "$@"
	done
	"$@" >/dev/null 2>&1 || true # leave a cache for the warm runs
	: >"$WORK/logs/$name-warm"
	for _ in $(seq "$RUNS"); do
		run "$WORK/logs/$name-warm" "$@"
	done
	cold=$(median "$WORK/logs/$name-cold") warm=$(median "$WORK/logs/$name-warm")
	printf '%-8s cold %s s %s KB cpu %s s   warm %s s %s KB cpu %s s\n' "$name" ${cold} ${warm}
	if [ -n "${RESULTS:-}" ]; then
		printf 'history-%s-%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$n" "$RUNS" ${cold} ${warm} >>"$RESULTS"
	fi
}

cd "$repo"
echo "$n incidents, $EXTRA other files, $COLD_RUNS cold and $RUNS warm runs, $PM"
one observe "$PM" observe "p99 latency 4 s on api"
one status "$PM" status
one list "$PM" list
one actions "$PM" actions
one stats "$PM" stats
one related "$PM" related
one new "$PM" new "x" --service api

# pm site, up to 20,000 incidents: cold is a whole build (no metadata
# cache, no memo), warm a build after an editor appended a paragraph to
# one incident, a different one each run, with the memo of the build
# before. The last site is then compared with a whole build of the same
# files: the result must be the same bytes.
if [ "$n" -le 20000 ]; then
	out=$WORK/site-$n
	: >"$WORK/logs/site-cold"
	for _ in $(seq "$COLD_RUNS"); do
		rm -f .git/pm/cache .git/pm/site
		run "$WORK/logs/site-cold" "$PM" site --out "$out"
	done
	files=(postmortems/*.md)
	: >"$WORK/logs/site-warm"
	for i in $(seq "$RUNS"); do
		printf '\nA paragraph added after the review (%d).\n' "$i" >>"${files[$((i * 7919 % ${#files[@]}))]}"
		run "$WORK/logs/site-warm" "$PM" site --out "$out"
	done
	mv .git/pm/site "$WORK/memo"
	"$PM" site --out "$out-whole" >/dev/null 2>&1
	mv "$WORK/memo" .git/pm/site
	same=identical
	diff -rq "$out" "$out-whole" >"$WORK/logs/site-diff" || same=different
	cold=$(median "$WORK/logs/site-cold") warm=$(median "$WORK/logs/site-warm")
	printf '%-8s cold %s s %s KB cpu %s s   warm %s s %s KB cpu %s s   (whole, then one changed: %s to a whole build)\n' site ${cold} ${warm} "$same"
	if [ -n "${RESULTS:-}" ]; then
		printf 'history-site-%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$RUNS" ${cold} ${warm} "$same" >>"$RESULTS"
	fi
	rm -rf "$out-whole"
fi
