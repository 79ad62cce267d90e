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

mkdir -p "$WORK/bin" && go build -o "$WORK/bin/pm" .
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

# once NAME CMD...: runs CMD into a fresh $WORK/out and appends
# "seconds kilobytes" to $WORK/NAME.
once() {
	local name=$1
	shift
	rm -rf "$WORK/out"
	/usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
	cat "$WORK/time" >>"$WORK/times-$name"
	find "$WORK/out" -type f | wc -l >"$WORK/times-$name.files"
}

# The runs alternate, so a slow spell of the machine (a shared disk, say)
# does not fall on one tool only; each tool's best run counts.
echo "best of $RUNS alternating runs, each into a new folder:"
for _ in $(seq "$RUNS"); do
	once pm "$WORK/bin/pm" -C "$WORK/repo" site --out "$WORK/out"
	once hugo hugo --quiet --source "$H" --destination "$WORK/out"
done
for name in pm hugo; do
	sort -n "$WORK/times-$name" | head -1 | awk -v n="$name" -v f="$(cat "$WORK/times-$name.files")" -v all="$(cut -d' ' -f1 "$WORK/times-$name" | tr '\n' ' ')" \
		'{printf "%-5s %7.2f s %6.0f MB  (%s files; runs: %s)\n", n, $1, $2/1024, f, all}'
done
pm_t=$(sort -n "$WORK/times-pm" | head -1 | cut -d' ' -f1)
pm_m=$(sort -n "$WORK/times-pm" | head -1 | cut -d' ' -f2)
hugo_t=$(sort -n "$WORK/times-hugo" | head -1 | cut -d' ' -f1)
awk -v p="$pm_t" -v h="$hugo_t" -v pm="$pm_m" 'BEGIN{
	printf "pm is %.1fx as fast as hugo (target 2x); pm peak memory %.0f MB (target < 500 MB)\n", h/p, pm/1024
}'
