#!/usr/bin/env bash
# git-features.sh: what each git feature pm honours costs one pm observe,
# beside what it costs git add + git commit (issue 11). pm hands these
# commits to git (README, Git behaviour), so both sides pay the feature;
# the "none" row is pm's in-process path. A repository of SIZE files each.
#
#   bench/git-features.sh                 # 1,000 files, 9 runs each
#   RUNS=15 SIZE=100000 bench/git-features.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
RUNS=${RUNS:-9} SIZE=${SIZE:-1000}
W=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/pm-features.XXXXXX")}
mkdir -p "$W/bin"
(cd "$root" && go build -o "$W/bin/pm" . && go build -o "$W/bin/onecommit" ./bench/cmd/onecommit)
hook='mkdir -p .git/hooks && printf "#!/bin/sh\nexit 0\n" > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit'
ssh='ssh-keygen -q -t ed25519 -N "" -f .git/bench-key && git config gpg.format ssh && git config user.signingkey "$PWD/.git/bench-key.pub" && git config commit.gpgsign true'
filter='printf "*.md filter=cat\n" > .git/info/attributes && git config filter.cat.clean cat && git config filter.cat.smudge cat'
split='git update-index --split-index'
printf '%-14s %10s %10s %7s\n' feature pm-ms git-ms pm/git
for f in none hook ssh filter split; do
	case $f in none) s="" ;; hook) s=$hook ;; ssh) s=$ssh ;; filter) s=$filter ;; split) s=$split ;; esac
	out=$(MODE=observe SIZES=$SIZE RUNS=$RUNS WORKDIR="$W/$f" BUILD=0 SETUP="$s" \
		bash -c "mkdir -p '$W/$f/bin' && cp '$W/bin/pm' '$W/bin/onecommit' '$W/$f/bin/' && bash '$here/commit-vs-git.sh'" | tail -n 1)
	# files runs index-MB pm-ms git-ms pm/git ...
	echo "$out" | awk -v f="$f" '{ printf "%-14s %10s %10s %7s\n", f, $4, $5, $6 }'
done
