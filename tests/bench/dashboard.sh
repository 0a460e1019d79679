#!/usr/bin/env bash
# dashboard.sh — the dashboard's campaign pages at scale: one campaign of
# 10,000 organisations × 27 items (tests/bench/gen_campaign.c), asked for
# by the admin's browser over mutual TLS on one keep-alive connection
# (release itakud): the campaign overview and the first heatmap page (100
# organisations), also sorted by an item and filtered, and the campaigns
# list, 100 requests each; the reference is GET /api/v1/whoami on the same
# connection in the same run. Prints median and p99 (time to the last
# byte as curl sees it: an upper bound of the server's time, which on a
# busy machine includes waiting for a core), the CPU time itakud spent per
# request (/proc: the server's own time), each median as a ratio to the
# reference's, p99 against the issue's target (< 100 ms) and the heatmap
# page's weight against its target (< 300 KB). Not part of `make check`.
# ORGS=N changes the size.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
ORGS=${ORGS:-10000}
W=$(mktemp -d /tmp/itaku-bench-dash.XXXXXX)
SRV=
trap 'kill $SRV 2>/dev/null; rm -rf "$W"' EXIT
bin/itaku init "$W/inst" --demo >/dev/null
. "$ROOT/tests/bench/lib.sh"
link_itaku "$W/gen_campaign" tests/bench/gen_campaign.c
CID=$("$W/gen_campaign" "$W/inst/itaku.db" "$ORGS")
echo "generated campaign $CID: $ORGS organisations"
INST=$W/inst
start_itakud
N=100
TCK=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$SRV/stat"; }
measure() { # PATH LABEL: prints "median p99 size" and a line
	local c0 c1
	URL=https://localhost:$PORT$1
	c0=$(cpu)
	timed "$N" ""
	c1=$(cpu)
	read -r med p99 max <<<"$(stats "$W/t.txt")"
	echo "$2: median $med ms, p99 $p99 ms, max $max ms, $(size) bytes;" \
		"itakud CPU $(awk -v a="$c0" -v b="$c1" -v t="$TCK" -v n="$N" 'BEGIN { printf "%.1f", (b - a) * 1000 / t / (n + 1) }') ms a request" >&2
	echo "$med $p99 $(size)"
}
read -r ref _ _ <<<"$(measure /api/v1/whoami "whoami (reference)")"
report() { # LABEL MEDIAN P99 SIZE [SIZE-TARGET-KB]
	awk -v l="$1" -v m="$2" -v r="$ref" -v p="$3" -v s="$4" -v t="${5:-0}" 'BEGIN {
		printf "  %s / whoami, medians: %.2f; p99 / target 100 ms: %.2f", l, m / r, p / 100
		if (t > 0) printf "; size / target %d KB: %.2f", t, s / (t * 1000)
		printf "\n" }'
}
read -r med p99 sz <<<"$(measure "/admin/campaigns/$CID" "overview ($ORGS organisations)")"
report overview "$med" "$p99" "$sz"
read -r med p99 sz <<<"$(measure "/admin/campaigns/$CID/heatmap" "heatmap, first page (100 organisations × 27 items)")"
report "heatmap page" "$med" "$p99" "$sz" 300
read -r med p99 sz <<<"$(measure "/admin/campaigns/$CID/heatmap?sort=item&item=3.1&cols=weakest&offset=5000" \
	"heatmap sorted by an item, items weakest first, page 51")"
report "heatmap by item" "$med" "$p99" "$sz" 300
read -r med p99 sz <<<"$(measure "/admin/campaigns/$CID/heatmap?variant=low-it&status=accepted&below=1" \
	"heatmap filtered (variant, status, below)")"
report "heatmap filtered" "$med" "$p99" "$sz" 300
read -r med p99 sz <<<"$(measure /admin/campaigns "campaigns list")"
report "campaigns list" "$med" "$p99" "$sz"
