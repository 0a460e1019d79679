#!/usr/bin/env bash
# dashboard-chains.sh — the dashboard's chains page and printable report at
# scale: one campaign of 10,000 organisations in 5 tiers with diamonds and
# cycles, every one answered (tests/bench/bench_chains.c, through the
# upload's own functions, as chains.sh). Over mutual TLS on one keep-alive
# connection to a release itakud, 100 requests each (the first, the
# connection's set-up, left out):
#  - the references, measured in the same run: GET /api/v1/whoami, and the
#    chains API (the same graph as JSON, default page);
#  - /admin/campaigns/{id}/chains (200 nodes tier by tier, 10 weakest paths,
#    the summary) — target p99 < 150 ms — and one of its lists;
#  - /admin/campaigns/{id}/report (every sheet: aggregate, scatter, lists,
#    chains, 27 distributions) — target < 1 s — and one organisation's.
# Prints median, p99 and max as curl sees them (time to the last byte: on a
# busy machine it includes waiting for a core), the CPU itakud spent per
# request (/proc: the server's own time), each page's median and CPU as
# ratios of the references' and its p99 and CPU as ratios of its target. Not part of `make
# check` (`make bench`). ORGS=N changes the size, N=requests.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
ORGS=${ORGS:-10000}
N=${N:-100}
W=$(mktemp -d /tmp/itaku-bench-dchains.XXXXXX)
SRV=
trap 'kill $SRV 2>/dev/null; rm -rf "$W"' EXIT
bin/itaku init "$W/inst" --demo >/dev/null
. "$ROOT/tests/bench/lib.sh"
link_itaku "$W/bench_chains" tests/bench/bench_chains.c
"$W/bench_chains" "$W/inst/itaku.db" "$ORGS" >"$W/gen.txt"
CID=$(head -n 1 "$W/gen.txt")
sqlite3 "$W/inst/itaku.db" "SELECT 'campaign $CID: ' || count(*) || ' organisations, ' || (SELECT count(*) FROM chain_edges WHERE campaign_id = $CID) || ' re-entrustments, ' || count(DISTINCT cycle) || ' cycles, tiers ' || (SELECT group_concat(t || ':' || c, ' ') FROM (SELECT tier t, count(*) c FROM chain_nodes WHERE campaign_id = $CID GROUP BY tier)) FROM chain_nodes WHERE campaign_id = $CID"
ORG=$(sqlite3 "$W/inst/itaku.db" "SELECT org_id FROM chain_nodes WHERE campaign_id = $CID AND tier = 3 ORDER BY org_id LIMIT 1")

INST=$W/inst
start_itakud
TCK=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$SRV/stat"; }
measure() { # PATH LABEL: "median p99 cpu" on stdout, a line on stderr
	local c0 c1 c
	URL=https://localhost:$PORT$1
	c0=$(cpu)
	timed "$N" ""
	c1=$(cpu)
	c=$(awk -v a="$c0" -v b="$c1" -v t="$TCK" -v n="$N" 'BEGIN { printf "%.1f", (b - a) * 1000 / t / (n + 1) }')
	read -r med p99 max <<<"$(stats "$W/t.txt")"
	echo "$2: median $med ms, p99 $p99 ms, max $max ms, $(size) bytes; itakud CPU $c ms a request" >&2
	echo "$med $p99 $c"
}
ratios() { # LABEL MEDIAN P99 CPU TARGET-MS
	awk -v l="$1" -v m="$2" -v p="$3" -v c="$4" -v t="$5" -v w="$WHOAMI" -v a="$API" -v ac="$API_CPU" 'BEGIN {
		printf "  %s: median / whoami %.1f, median / chains API %.2f, CPU / chains API %.2f;", l, m / w, m / a, c / ac
		printf " p99 / target %d ms: %.2f, CPU / target: %.2f\n", t, p / t, c / t }'
}
read -r WHOAMI _ _ <<<"$(measure /api/v1/whoami "whoami (reference)")"
read -r API _ API_CPU <<<"$(measure "/api/v1/campaigns/$CID/chains" "chains API, default page (reference)")"
read -r med p99 c <<<"$(measure "/admin/campaigns/$CID/chains" "chains page (200 nodes, 10 paths)")"
ratios "chains page" "$med" "$p99" "$c" 150
read -r med p99 c <<<"$(measure "/admin/campaigns/$CID/chains?status=unapproved" "chains page, the unapproved list")"
ratios "unapproved list" "$med" "$p99" "$c" 150
read -r med p99 c <<<"$(measure "/admin/campaigns/$CID/report" "printable report")"
ratios "printable report" "$med" "$p99" "$c" 1000
read -r med p99 c <<<"$(measure "/admin/campaigns/$CID/report?organisation=$ORG" "printable report, one organisation")"
ratios "report of one organisation" "$med" "$p99" "$c" 1000
