#!/usr/bin/env bash
# Whole process against whole process: `hush redact` and `gitleaks stdin` on
# the same 4.5 MB agent-shaped request. Prints the median of each and the
# ratio. The machine is shared and noisy, so runs are interleaved and the
# medians are what count.
#
#   bench/redact-vs-gitleaks.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/hush" ./cmd/hush
go run ./bench/agentreq -size 4718592 >"$work/req.json"
if ! command -v gitleaks >/dev/null; then
	GOBIN="$work" go install github.com/zricethezav/gitleaks/v8@v8.30.1
	PATH="$work:$PATH"
fi
export HUSH_HOME="$work/home"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# bash's time keyword times the process alone, without forking a clock
# around it; TIMEFORMAT prints wall seconds with millisecond resolution.
TIMEFORMAT=%R
: >"$work/hush.t"; : >"$work/gitleaks.t"
for ((i = 0; i < runs; i++)); do
	{ time "$work/hush" redact --no-env <"$work/req.json" >/dev/null; } 2>>"$work/hush.t"
	{ time gitleaks stdin --no-banner --exit-code 0 <"$work/req.json" >/dev/null 2>&1; } 2>>"$work/gitleaks.t"
done
# Seconds to microseconds, for the report below.
h=$(awk '{print $1*1e6}' "$work/hush.t" | median); g=$(awk '{print $1*1e6}' "$work/gitleaks.t" | median)
bytes=$(wc -c <"$work/req.json")
awk -v h="$h" -v g="$g" -v b="$bytes" -v n="$runs" 'BEGIN {
	printf "input: %d bytes, %d interleaved runs each\n", b, n
	printf "hush redact:    median %9.1f ms  (%.0f MB/s whole process)\n", h/1000, b/h
	printf "gitleaks stdin: median %9.1f ms  (%.2f MB/s)\n", g/1000, b/g
	printf "ratio: hush is %.0fx faster\n", g/h
}'
