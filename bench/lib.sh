# shellcheck shell=sh
# lib.sh: what the bench scripts share, so that bench/run and the scripts it
# calls install tools and time commands the same way. POSIX sh; source it:
#
#	. "$(dirname "$0")/lib.sh"

# corpus DIR N: DIR/postmortems holds N post-mortems from bench/gen, made
# anew unless it has N files already (ROOT: the module's folder).
corpus() {
	if [ -d "$1/postmortems" ] && [ "$(ls "$1/postmortems" | wc -l)" -eq "$2" ]; then
		return 0
	fi
	rm -rf "$1"
	(cd "$ROOT" && go run ./bench/gen -n "$2" -out "$1" >/dev/null)
}

# need COMMAND PACKAGE: installs Debian's PACKAGE with apt-get (as root) when
# COMMAND is missing.
need() {
	if command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; then
		return 0
	fi
	echo "installing $2 with apt-get ..." >&2
	apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
}

# timed FILE CMD...: runs CMD once under /usr/bin/time and appends
# "seconds peak-kilobytes" to FILE; its output goes to FILE.out and FILE.err.
# Exit status 1 counts as a result (pm lint exits 1 when it finds something);
# 2 and above is a failure: the tail of its stderr, and a non-zero return.
timed() {
	_t_file=$1
	shift
	_t_rc=0
	/usr/bin/time -f '%e %M' -o "$_t_file.time" "$@" >"$_t_file.out" 2>"$_t_file.err" || _t_rc=$?
	if [ "$_t_rc" -ge 2 ]; then
		echo "failed (exit $_t_rc): $*" >&2
		tail -n 5 "$_t_file.err" >&2
		return 1
	fi
	tail -n 1 "$_t_file.time" >>"$_t_file"
}

# median FILE: the median line of FILE's "seconds kilobytes" lines, by
# seconds; the peak memory printed is that run's.
median() {
	sort -n "$1" | sed -n "$((($(wc -l <"$1") + 1) / 2))p"
}

# measure FILE RUNS CMD...: runs CMD once to warm the file cache (not
# counted), then RUNS times with timed, and prints the median run.
measure() {
	_m_file=$1 _m_runs=$2
	shift 2
	: >"$_m_file"
	timed "$_m_file" "$@" || return 1
	: >"$_m_file"
	_m_i=0
	while [ "$_m_i" -lt "$_m_runs" ]; do
		timed "$_m_file" "$@" || return 1
		_m_i=$((_m_i + 1))
	done
	median "$_m_file"
}
