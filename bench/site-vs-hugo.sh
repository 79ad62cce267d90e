#!/usr/bin/env bash
# Times `pm site` against Hugo building the same generated post-mortems with
# a minimal layout (a page per incident, a list per section and per
# taxonomy term), and prints wall time, peak memory and the ratio.
#
#   bash bench/site-vs-hugo.sh              # 10,000 incidents, median of 3
#   N=2000 RUNS=5 bash bench/site-vs-hugo.sh
#
# Targets (issue 5): pm at least 2x faster than Hugo, under 500 MB. Each run
# writes into a new output folder, so neither tool gets to skip work. It
# installs Debian's hugo (and GNU time) when they are missing, as root.
# WORK=DIR keeps the corpus (DIR/corpus, shared with lint-vs-vale.sh) and
# the Hugo site for the next run; without it a temporary folder is removed
# at the end. With RESULTS=FILE it appends one tab-separated line (site,
# runs, pm seconds and KB, Hugo seconds and KB, pm's and Hugo's HTML pages)
# to FILE, for bench/run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. bench/lib.sh
N=${N:-10000}
RUNS=${RUNS:-3}
if [ -z "${WORK:-}" ]; then
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/pm-site-bench.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
fi

need hugo hugo
need /usr/bin/time time

mkdir -p "$WORK/bin"
[ "${BUILD:-1}" = 0 ] || go build -o "$WORK/bin/pm" . # BUILD=0: bench/run built it
corpus "$WORK/corpus" "$N"
echo "corpus: $N incidents ($(du -sh "$WORK/corpus/postmortems" | cut -f1)), $(nproc) cores, $(hugo version | cut -d' ' -f2)"

# The Hugo site: the same markdown files as content, a minimal layout.
H="$WORK/hugo"
if [ ! -d "$H/content/incidents" ] || [ "$(ls "$H/content/incidents" | wc -l)" -ne "$N" ]; then
	rm -rf "$H"
	mkdir -p "$H/content/incidents"
	cp "$WORK/corpus/postmortems/"*.md "$H/content/incidents/"
fi
mkdir -p "$H/layouts/_default"
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

# once NAME CMD...: runs CMD into a fresh $WORK/site-out, appends "seconds
# kilobytes" to $WORK/site-NAME and notes how many HTML pages it wrote.
once() {
	local name=$1
	shift
	rm -rf "$WORK/site-out"
	timed "$WORK/site-$name" "$@"
	find "$WORK/site-out" -type f -name '*.html' | wc -l >"$WORK/site-$name.pages"
}

# The runs alternate, so a slow spell of the machine (a shared disk, say)
# does not fall on one tool only.
echo "median of $RUNS alternating runs, each into a new folder:"
rm -f "$WORK/site-pm" "$WORK/site-hugo"
for _ in $(seq "$RUNS"); do
	once pm "$WORK/bin/pm" -C "$WORK/corpus" site --out "$WORK/site-out"
	once hugo hugo --quiet --source "$H" --destination "$WORK/site-out"
done
for name in pm hugo; do
	median "$WORK/site-$name" | awk -v n="$name" -v f="$(cat "$WORK/site-$name.pages")" -v all="$(cut -d' ' -f1 "$WORK/site-$name" | tr '\n' ' ')" \
		'{printf "%-5s %7.2f s %6.0f MB  (%s pages; runs: %s)\n", n, $1, $2/1024, f, all}'
done
read -r pm_t pm_m < <(median "$WORK/site-pm")
read -r hugo_t hugo_m < <(median "$WORK/site-hugo")
awk -v p="$pm_t" -v h="$hugo_t" -v pm="$pm_m" 'BEGIN{
	printf "pm is %.1fx as fast as hugo (target 2x); pm peak memory %.0f MB (target < 500 MB)\n", h/p, pm/1024
}'
if [ -n "${RESULTS:-}" ]; then
	printf 'site\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$RUNS" "$pm_t" "$pm_m" "$hugo_t" "$hugo_m" \
		"$(cat "$WORK/site-pm.pages")" "$(cat "$WORK/site-hugo.pages")" >>"$RESULTS"
fi
