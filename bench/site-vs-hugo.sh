#!/usr/bin/env bash
# Times `pm site` against Hugo building the same generated post-mortems with
# a minimal layout (a page per incident, a list per section and per
# taxonomy term), and prints wall time, peak memory and the ratio.
#
#   bash bench/site-vs-hugo.sh              # 10,000 incidents, best of 3
#   N=2000 RUNS=5 bash bench/site-vs-hugo.sh
#
# Targets (issue 5): pm at least 2x faster than Hugo, under 500 MB. Each run
# writes into a new output folder, so neither tool gets to skip work. It
# installs Debian's hugo (and GNU time) when they are missing, as root.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
RUNS=${RUNS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pm-site-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if ! command -v hugo >/dev/null; then
	apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q hugo >/dev/null
fi
if [ ! -x /usr/bin/time ]; then
	apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null
fi

go build -o "$WORK/pm" .
go run ./bench/gen -n "$N" -out "$WORK/repo" >/dev/null
echo "corpus: $N incidents ($(du -sh "$WORK/repo/postmortems" | cut -f1)), $(nproc) cores, $(hugo version | cut -d' ' -f2)"

# The Hugo site: the same markdown files as content, a minimal layout.
H="$WORK/hugo"
mkdir -p "$H/content/incidents" "$H/layouts/_default"
cp "$WORK/repo/postmortems/"*.md "$H/content/incidents/"
cat >"$H/config.toml" <<'TOML'
baseURL = "https://postmortems.example.com/"
title = "Post-mortems"
disableKinds = ["sitemap", "robotsTXT", "404"]
[taxonomies]
  tag = "tags"
  service = "services"
TOML
cat >"$H/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
cat >"$H/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.severity }} {{ .Params.status }}</p>{{ .Content }}{{ end }}
HTML
cat >"$H/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML
cat >"$H/layouts/index.html" <<'HTML'
{{ define "main" }}<h1>{{ .Site.Title }}</h1><table>{{ range .Site.RegularPages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.severity }}</td><td>{{ .Params.status }}</td></tr>{{ end }}</table>{{ end }}
HTML

# measure NAME CMD...: runs CMD RUNS times into a fresh $WORK/out, prints
# the best wall time and the peak memory of that run.
measure() {
	local name=$1 best="" mem="" t m
	shift
	for _ in $(seq "$RUNS"); do
		rm -rf "$WORK/out"
		/usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
		read -r t m <"$WORK/time"
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t mem=$m; fi
	done
	printf '%-5s %7.2f s %7.0f MB  (%s files)\n' "$name" "$best" "$((mem / 1024))" "$(find "$WORK/out" -type f | wc -l)" >&2
	echo "$best $mem"
}

echo "best of $RUNS runs, each into a new folder:"
read -r pm_t pm_m < <(measure pm "$WORK/pm" -C "$WORK/repo" site --out "$WORK/out")
read -r hugo_t hugo_m < <(measure hugo hugo --quiet --source "$H" --destination "$WORK/out")
awk -v p="$pm_t" -v h="$hugo_t" -v pm="$pm_m" 'BEGIN{
	printf "pm is %.1fx as fast as hugo (target 2x); pm peak memory %.0f MB (target < 500 MB)\n", h/p, pm/1024
}'
