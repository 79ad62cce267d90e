#!/usr/bin/env bash
# watch.sh: how long a responder's entry takes to appear in a teammate's
# pm watch, and what sync: auto adds to one command (issue 14). Two clones
# of one bare repository on this machine (a local remote: the network's
# own latency comes on top).
#
#   bench/watch.sh                  # 100 entries, default refresh (2 s)
#   N=20 EVERY=1s bench/watch.sh
#
# Alice writes N entries with sync: auto, a random 0.2-1.2 s apart (so that
# entries land at every phase of Bob's refresh); Bob runs pm watch, piped,
# each line stamped as it arrives. An entry's latency runs from the start
# of Alice's command to the line in Bob's watch. Then pm observe with
# sync: auto and with --no-sync take turns, RUNS times each.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
N=${N:-100} EVERY=${EVERY:-2s} RUNS=${RUNS:-21}
W=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/pm-watch.XXXXXX")}
rm -rf "$W/remote.git" "$W/alice" "$W/bob"
mkdir -p "$W/bin" "$W/home"
(cd "$root" && go build -o "$W/bin/pm" .)
pm=$W/bin/pm
export HOME=$W/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$W/home/.gitconfig
export GIT_AUTHOR_NAME=Alice GIT_AUTHOR_EMAIL=alice@example.com GIT_COMMITTER_NAME=Alice GIT_COMMITTER_EMAIL=alice@example.com
unset GIT_DIR GIT_WORK_TREE PM_NOW
now_ns() { date +%s%N; }

git init -q --bare -b main "$W/remote.git"
git clone -q "$W/remote.git" "$W/alice" 2>/dev/null
cd "$W/alice"
printf 'sync: auto\n' >.pm.yml
git add .pm.yml && git commit -q -m 'Set up pm' && git push -q origin main
"$pm" new "Watch bench" >/dev/null 2>&1
git clone -q "$W/remote.git" "$W/bob"

# Bob's watch, each line stamped with the time it arrived.
(cd "$W/bob" && GIT_AUTHOR_NAME=Bob GIT_AUTHOR_EMAIL=bob@example.com "$pm" watch --every "$EVERY" |
	while IFS= read -r line; do printf '%s %s\n' "$(now_ns)" "$line"; done >"$W/watch.log") &
watch_pid=$!
sleep 1
: >"$W/sent.log"
for ((i = 1; i <= N; i++)); do
	t0=$(now_ns)
	"$pm" observe "bench entry $i of $N" >/dev/null 2>>"$W/alice.err"
	printf '%s %s\n' "$t0" "$i" >>"$W/sent.log"
	sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.2 + r / 32768 }')"
done
sleep "$(awk -v e="${EVERY%s}" 'BEGIN { print 2 * e + 1 }')"
pkill -P "$watch_pid" 2>/dev/null || true
kill "$watch_pid" 2>/dev/null || true
wait 2>/dev/null || true
notshared=$(grep -c 'not shared yet' "$W/alice.err" || true)

echo "pm watch latency: $N entries, refresh $EVERY, local bare remote; $(nproc) cores, $(git --version)"
awk -v n="$N" '
	FNR == NR { sent[$2] = $1; next }
	match($0, /bench entry [0-9]+ of/) {
		split(substr($0, RSTART, RLENGTH), p, " "); i = p[3]
		if ((i in sent) && !(i in got)) { got[i] = ($1 - sent[i]) / 1e6; k++ }
	}
	END {
		m = 0; for (i in got) v[++m] = got[i]
		for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
		if (m == 0) { print "no entry arrived"; exit 1 }
		printf "arrived: %d of %d\nlatency median %.2f s, p95 %.2f s, max %.2f s\n", m, n, v[int((m + 1) / 2)] / 1000, v[int(0.95 * m + 0.999)] / 1000, v[m] / 1000
	}' "$W/sent.log" "$W/watch.log"
echo "entries not shared at once by Alice's sync: auto: $notshared"

# What sync: auto adds to one pm observe: with it and without, in turns.
cd "$W/alice"
on=() off=()
for ((i = 1; i <= RUNS; i++)); do
	t0=$(now_ns); "$pm" observe "auto $i" >/dev/null 2>&1; t1=$(now_ns)
	"$pm" --no-sync observe "plain $i" >/dev/null 2>&1; t2=$(now_ns)
	on+=($(((t1 - t0) / 1000))) off+=($(((t2 - t1) / 1000)))
done
med() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }'; }
echo "pm observe, $RUNS runs each: with sync: auto $(med "${on[@]}") ms, --no-sync $(med "${off[@]}") ms (median)"

# Offline (issue 14): the remote unreachable, 10 entries commit here, each
# saying "not shared yet"; back online, one pm sync shares them all.
mv "$W/remote.git" "$W/remote-away.git"
off_times=() said=0
for ((i = 1; i <= 10; i++)); do
	t0=$(now_ns)
	if "$pm" observe "offline $i" 2>"$W/offline.err" >/dev/null; then :; else echo "offline entry $i failed" >&2; cat "$W/offline.err" >&2; exit 1; fi
	t1=$(now_ns)
	off_times+=($(((t1 - t0) / 1000)))
	grep -q 'not shared yet' "$W/offline.err" && said=$((said + 1))
done
mv "$W/remote-away.git" "$W/remote.git"
slowest=$(printf '%s\n' "${off_times[@]}" | sort -n | tail -n 1)
sync_out=$("$pm" sync)
echo "offline: 10 entries committed here, slowest $(awk -v u="$slowest" 'BEGIN { printf "%.1f", u / 1000 }') ms, median $(med "${off_times[@]}") ms; $said of 10 said \"not shared yet\"; then pm sync: $sync_out"
[ -z "$(git log --oneline origin/main..HEAD)" ] && echo "every offline entry is on the remote" || { echo "not all shared" >&2; exit 1; }
