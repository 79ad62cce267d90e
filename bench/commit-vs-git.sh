#!/usr/bin/env bash
# commit-vs-git.sh: how long pm takes to commit one incident file, against
# `git add FILE && git commit`, in generated repositories of 1,000 and
# 100,000 files (1,000 folders of 100). Prints the median of RUNS runs of
# each and the ratio pm/git (below 1.0: pm is faster).
#
#   bench/commit-vs-git.sh            # 9 runs per size, repos in a new temp folder
#   RUNS=15 SIZES=100000 WORKDIR=/dev/shm/pmb bench/commit-vs-git.sh
#
# The runs alternate between a new file and an update of it, and pm and git
# take turns, so that disk hiccups hit both alike. Every change is written
# before the clock starts; only the commit is timed.
#
# MODE picks what pm does:
#   MODE=observe (default)  `pm observe TEXT` on an open incident, against
#                           appending the same entry line to a file and
#                           `git add FILE && git commit`
#   MODE=new                `pm new TITLE` (template, id, file, commit, the
#                           scan for earlier incidents), against writing an
#                           incident file of the same size and committing it
#   MODE=commit             bench/cmd/onecommit: only internal/repo's commit
#                           path (find, lock, identity, commit) on a file
#                           changed beforehand, against git add + commit
# The git side never pays for writing its file; pm's time includes it.
# Peak memory (pm-MB, git-MB: the larger of git add's and git commit's) is
# taken from the warm-up runs, under /usr/bin/time when it is installed,
# so that the timed runs do not pay for the wrapper. With RESULTS=FILE each
# size appends a tab-separated line (MODE-SIZE, runs, pm seconds and KB,
# git seconds and KB) to FILE, for bench/run.
# PM_CMD and GIT_CMD override the commands (run with eval in the repository,
# $FILE the changed file, $N the run number); PREPARE=0 when GIT_CMD writes
# its own change (bench/journal.sh: pm against pm), LABEL names the
# RESULTS line in place of MODE. SETUP, when set, runs (eval)
# in each repository once it is made, before the runs: a hook, signing, a
# filter; give each SETUP its own WORKDIR (bench/git-features.sh does).
set -euo pipefail

RUNS=${RUNS:-9}
SIZES=${SIZES:-"1000 100000"}
MODE=${MODE:-observe}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
WORKDIR=${WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/pm-bench.XXXXXX")}
mkdir -p "$WORKDIR/bin" "$WORKDIR/home"
# Build before HOME changes below, so the usual Go caches are used.
# BUILD=0: WORKDIR/bin holds them already (bench/run builds pm once).
if [ "${BUILD:-1}" != 0 ]; then
	(cd "$root" && go build -o "$WORKDIR/bin/onecommit" ./bench/cmd/onecommit && go build -o "$WORKDIR/bin/pm" .)
fi
BIN=$WORKDIR/bin

# A world of its own: no user or system config, a fixed identity.
export HOME=$WORKDIR/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$WORKDIR/home/.gitconfig
export GIT_AUTHOR_NAME="Bench Responder" GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME="Bench Responder" GIT_COMMITTER_EMAIL=bench@example.com
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

case $MODE in
observe) default_pm='"$BIN/pm" observe -i bench-target "p99 latency 4 s on api-$N since the deploy"' ;;
new) default_pm='"$BIN/pm" new "Bench incident $$ $N" --service api' ;;
commit) default_pm='"$BIN/onecommit" -m "pm(bench): note: $FILE" "$FILE"' ;;
*) echo "MODE must be observe, new or commit" >&2; exit 2 ;;
esac
PM_CMD=${PM_CMD:-$default_pm}
GIT_CMD=${GIT_CMD:-'git add "$FILE" && git commit -q -m "git(bench): note: $FILE"'}

now_ns() { date +%s%N; }

# make_repo DIR FILES: FILES files in FILES/100 folders plus 50 incidents,
# committed with git fast-import and checked out.
make_repo() {
	local dir=$1 n=$2
	if [ -f "$dir/.git/pm-bench-ready" ]; then return; fi
	rm -rf "$dir"
	git init -q -b main "$dir"
	awk -v n="$n" 'BEGIN {
		print "commit refs/heads/main"
		print "committer Bench <bench@example.com> 1700000000 +0000"
		print "data 5"; print "base"
		for (i = 0; i < n; i++) {
			d = int(i / 100)
			c = sprintf("file %d of folder %d\n", i % 100, d)
			printf "M 100644 inline dir%03d/file%06d.txt\ndata %d\n%s\n", d, i, length(c), c
		}
		for (i = 0; i < 50; i++) {
			c = sprintf("# incident %d\n", i)
			printf "M 100644 inline postmortems/2025-01-%02d-old-%d.md\ndata %d\n%s\n", i % 28 + 1, i, length(c), c
		}
	}' | git -C "$dir" fast-import --quiet
	git -C "$dir" reset -q --hard main
	git -C "$dir" status --porcelain >/dev/null # refresh the index once
	touch "$dir/.git/pm-bench-ready"
}

# prepare WHO N: the change the git side (and pm in MODE=commit) commits,
# written before the clock starts; prints the file's name.
prepare() {
	local who=$1 N=$2 FILE
	mkdir -p postmortems
	case $MODE in
	observe)
		FILE="postmortems/bench-git-target.md"
		printf -- '- `%s` **observe** p99 latency 4 s on api-%d since the deploy _(Bench Responder)_\n' "$(date -u +%FT%TZ)" "$N" >>"$FILE" ;;
	new)
		FILE="postmortems/bench-git-$$-$N.md"
		head -c 1500 "$BIN/template.md" >"$FILE" ;;
	commit)
		FILE="postmortems/bench-$who-$$-$((N / 2)).md"
		printf -- '- `%s` **note** run %d\n' "$(date -u +%FT%TZ)" "$N" >>"$FILE" ;;
	esac
	echo "$FILE"
}

# one_run WHO CMD N [KBFILE]: prepare the change where needed and print the
# microseconds CMD takes. With KBFILE, CMD runs in bash under /usr/bin/time,
# which writes the peak memory in kilobytes to KBFILE.
one_run() {
	local who=$1 cmd=$2 N=$3 kb=${4:-} FILE=""
	if [ "$who" = git ] && [ "${PREPARE:-1}" != 0 ] || [ "$MODE" = commit ]; then
		FILE=$(prepare "$who" "$N")
	fi
	local start end
	start=$(now_ns)
	if [ -n "$kb" ]; then
		BIN=$BIN FILE=$FILE N=$N /usr/bin/time -f %M -o "$kb" bash -c "$cmd" >/dev/null 2>"$WORKDIR/stderr"
	else
		eval "$cmd" >/dev/null 2>"$WORKDIR/stderr"
	fi || { echo "$who failed: $cmd" >&2; cat "$WORKDIR/stderr" >&2; exit 1; }
	end=$(now_ns)
	echo $(((end - start) / 1000)) # microseconds
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

echo "pm one-file commit vs git add + git commit"
echo "machine: $(nproc) cores, $(uname -sr), $(git --version)"
echo "work folder: $WORKDIR ($(df -PT "$WORKDIR" | awk 'NR == 2 { print $2 }'))"
echo "pm command: $PM_CMD"
echo "git command: $GIT_CMD"
echo
printf '%-8s %5s %9s %10s %10s %7s %6s %6s\n' files runs index-MB pm-ms git-ms pm/git pm-MB git-MB
for size in $SIZES; do
	dir=$WORKDIR/repo-$size
	make_repo "$dir" "$size"
	cd "$dir"
	git reset -q --hard main
	git clean -qfd postmortems
	if [ "$MODE" != commit ]; then
		# The incident pm observe writes to, and a sample of pm new's output
		# for the git side of MODE=new.
		"$BIN/pm" new "Bench target" >/dev/null
		mv postmortems/*-bench-target.md postmortems/bench-target.md
		sed -i 's/^id: .*/id: bench-target/' postmortems/bench-target.md
		cp postmortems/bench-target.md "$BIN/template.md"
		git add -A postmortems && git commit -q -m "bench target"
	fi
	if [ -n "${SETUP:-}" ]; then eval "$SETUP"; fi
	# One warm-up each (page cache, pack index), not counted.
	# They measure the peak memory where /usr/bin/time is installed.
	rm -f "$WORKDIR/pm.kb" "$WORKDIR/git.kb"
	mem=""
	[ -x /usr/bin/time ] && mem=$WORKDIR
	one_run pm "$PM_CMD" 0 ${mem:+"$mem/pm.kb"} >/dev/null
	one_run git "$GIT_CMD" 0 ${mem:+"$mem/git.kb"} >/dev/null
	pm_kb=$(tail -n 1 "$WORKDIR/pm.kb" 2>/dev/null || echo 0)
	git_kb=$(tail -n 1 "$WORKDIR/git.kb" 2>/dev/null || echo 0)
	pm_times=() git_times=()
	for ((i = 1; i <= RUNS; i++)); do
		pm_times+=("$(one_run pm "$PM_CMD" "$i")")
		git_times+=("$(one_run git "$GIT_CMD" "$i")")
	done
	if [ -n "$(git status --porcelain)" ]; then
		echo "warning: $dir is not clean after the runs:" >&2
		git status --porcelain | head -5 >&2
	fi
	pm_med=$(printf '%s\n' "${pm_times[@]}" | median)
	git_med=$(printf '%s\n' "${git_times[@]}" | median)
	index_mb=$(awk -v b="$(wc -c <.git/index)" 'BEGIN { printf "%.1f", b / 1e6 }')
	printf '%-8s %5d %9s %10s %10s %7s %6d %6d\n' "$size" "$RUNS" "$index_mb" "$(ms "$pm_med")" "$(ms "$git_med")" \
		"$(awk -v p="$pm_med" -v g="$git_med" 'BEGIN { printf "%.2f", p / g }')" $((pm_kb / 1024)) $((git_kb / 1024))
	if [ -n "${RESULTS:-}" ]; then
		printf '%s-%s\t%s\t%s\t%s\t%s\t%s\n' "${LABEL:-$MODE}" "$size" "$RUNS" "$(awk -v us="$pm_med" 'BEGIN { printf "%.4f", us / 1e6 }')" "$pm_kb" \
			"$(awk -v us="$git_med" 'BEGIN { printf "%.4f", us / 1e6 }')" "$git_kb" >>"$RESULTS"
	fi
	[ -n "${VERBOSE:-}" ] && echo "  pm runs (us): ${pm_times[*]}" && echo "  git runs (us): ${git_times[*]}"
	cd - >/dev/null
done
