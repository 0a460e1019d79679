#!/usr/bin/env bash
# chains.sh — re-entrustment chains at scale: one campaign with a graph of
# 10,000 organisations in 5 tiers with diamonds and a few cycles, every node
# answered (tests/bench/bench_chains.c, through the upload's own
# functions). Measures
#  1. one acceptance (accept_answers(): the transaction with its
#     incremental recompute, committed; in-process, median of 21, for a
#     tier-1, tier-3 and tier-5 organisation),
#  2. GET /api/v1/campaigns/{id}/chains over mutual TLS, one keep-alive
#     connection: default page (200 nodes, 20 weakest paths) median and
#     p99 of 100 requests — target p99 < 100 ms — and every node (30).
# Not part of `make check`. ORGS=N changes the size.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
ORGS=${ORGS:-10000}
W=$(mktemp -d /tmp/itaku-bench-chains.XXXXXX)
SRV=
trap 'kill $SRV 2>/dev/null; rm -rf "$W"' EXIT
bin/itaku init "$W/inst" --demo >/dev/null
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I. -Ibuild/gen $(pkg-config --cflags libxml-2.0 jansson) \
	-o "$W/bench_chains" tests/bench/bench_chains.c build/rel/libitaku.a \
	$(pkg-config --libs libmicrohttpd gnutls openssl libxml-2.0 sqlite3 libzip zlib libdeflate jansson inih libcurl) -lpthread -lm
"$W/bench_chains" "$W/inst/itaku.db" "$ORGS" >"$W/gen.txt"
CID=$(head -n 1 "$W/gen.txt")
tail -n +2 "$W/gen.txt"
sqlite3 "$W/inst/itaku.db" "SELECT 'graph: ' || count(*) || ' nodes, ' || (SELECT count(*) FROM chain_edges WHERE campaign_id = $CID) || ' edges, ' || count(DISTINCT cycle) || ' cycles, tiers ' || (SELECT group_concat(t || ':' || c, ' ') FROM (SELECT tier t, count(*) c FROM chain_nodes WHERE campaign_id = $CID GROUP BY tier)) FROM chain_nodes WHERE campaign_id = $CID"

INST=$W/inst
. "$ROOT/tests/bench/lib.sh"
start_itakud
URL=https://localhost:$PORT/api/v1/campaigns/$CID/chains

timed 100 ""
read -r med p99 max <<<"$(stats "$W/t.txt")"
echo "chains (200 nodes listed, 20 paths, $(size) bytes): median $med ms, p99 $p99 ms, max $max ms over 100 requests"
awk -v p="$p99" 'BEGIN { printf "ratio p99 / target 100 ms: %.2f\n", p / 100 }'
timed 30 "?limit=$ORGS"
read -r med p99 max <<<"$(stats "$W/t.txt")"
echo "chains (all $ORGS nodes listed, $(size) bytes): median $med ms, p99 $p99 ms over 30 requests"
