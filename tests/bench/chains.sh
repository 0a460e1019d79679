#!/usr/bin/env bash
# chains.sh — re-entrustment chains at scale: for 10,000 and 100,000
# organisations (ORGS="N ..." changes the sizes), one campaign with a graph
# in 5 tiers with diamonds and a few cycles, every node answered
# (tests/bench/bench_chains.c, through the upload's own functions).
# Measures
#  1. one acceptance (accept_answers(): the transaction with its
#     incremental recompute, committed; in-process, median of 21, for a
#     tier-1, tier-3 and tier-5 organisation),
#  2. GET /api/v1/campaigns/{id}/chains over mutual TLS, one keep-alive
#     connection, the first page (200 nodes, 20 weakest paths, the
#     summary): ROUNDS rounds (5) of N requests (100), each round's p99 as
#     a ratio of the goal, 100 ms; printed as
#     "FIGURE: <name> ratio min/median/max = a/b/c (goal ≤ g)" over the
#     rounds (goal: ≤ 0.5 at 10,000, ≤ 1.0 at 100,000: issue 17),
#  3. every node listed (?limit=N, 10 requests), up to 10,000 nodes.
# BACKENDS="sqlite postgresql" (the default): each size measured on both,
# the same generated rows loaded into a throwaway PostgreSQL cluster
# (tests/bench/pgload.c); PostgreSQL's figures are named ", PostgreSQL".
# BENCH_CACHE=DIR keeps each generated instance (DIR/chains-N) and reuses
# it on the next run (generating 100,000 takes minutes of CPU); a reused
# one has no acceptance timings. Not part of `make check` (`make bench`).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
SIZES=${ORGS:-10000 100000}
# BACKENDS="sqlite postgresql": the same generated rows on each
BACKENDS=${BACKENDS:-sqlite postgresql}
# QUICK=1 (make bench): 3 rounds
ROUNDS=${ROUNDS:-$([ "${QUICK:-0}" = 1 ] && echo 3 || echo 5)}
N=${N:-100}
W=$(mktemp -d /tmp/itaku-bench-chains.XXXXXX)
SRV=
trap 'if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null || true; fi; pg_stop; rm -rf "$W"' EXIT
. "$ROOT/tests/bench/lib.sh"
link_itaku "$W/bench_chains" tests/bench/bench_chains.c

# figure NAME GOAL-MS GOAL-RATIO FILE: the FIGURE line of the p99s in FILE
# (one a line, ms) as ratios of GOAL-MS
figure() {
	sort -n "$4" | awk -v name="$1" -v ms="$2" -v g="$3" '
		{ v[NR] = $1 / ms }
		END { printf "FIGURE: %s ratio min/median/max = %.2f/%.2f/%.2f (goal ≤ %s) reference: %s ms (issue 17), p99 of a round on one mTLS keep-alive connection\n",
		      name, v[1], v[int((NR + 1) / 2)], v[NR], g, ms }'
}

for ORGS in $SIZES; do
	rm -rf "$W/gen"
	C=${BENCH_CACHE:+$BENCH_CACHE/chains-$ORGS}
	if [ -n "$C" ] && [ -f "$C/gen.txt" ]; then
		cp -r "$C" "$W/gen"
		CID=$(head -n 1 "$W/gen/gen.txt")
		echo "== $ORGS organisations (reused from $C)"
	else
		bin/itaku init "$W/gen" --demo >/dev/null
		a=$(date +%s)
		"$W/bench_chains" "$W/gen/itaku.db" "$ORGS" >"$W/gen/gen.txt"
		b=$(date +%s)
		CID=$(head -n 1 "$W/gen/gen.txt")
		echo "== $ORGS organisations (generated in $((b - a)) s)"
		tail -n +2 "$W/gen/gen.txt"
		[ -z "$C" ] || { mkdir -p "$BENCH_CACHE" && rm -rf "$C" && cp -r "$W/gen" "$C"; }
	fi
	sqlite3 "$W/gen/itaku.db" "SELECT 'graph: ' || count(*) || ' nodes, ' || (SELECT count(*) FROM chain_edges WHERE campaign_id = $CID) || ' edges, ' || count(DISTINCT cycle) || ' cycles, tiers ' || (SELECT group_concat(t || ':' || c, ' ') FROM (SELECT tier t, count(*) c FROM chain_nodes WHERE campaign_id = $CID GROUP BY tier)) FROM chain_nodes WHERE campaign_id = $CID"

	for B in $BACKENDS; do
		echo "-- $B"
		INST=$W/inst
		if [ "$B" = sqlite ]; then rm -rf "$INST" && cp -r "$W/gen" "$INST"; else to_pg "$W/gen" "$INST"; fi
		start_itakud
		: >"$W/p99.txt"
		for r in $(seq 1 "$ROUNDS"); do
			# the same requests' floor in the same round: how busy the machine is
			URL=https://localhost:$PORT/api/v1/whoami
			timed "$N" ""
			read -r _ ref _ <<<"$(stats "$W/t.txt")"
			URL=https://localhost:$PORT/api/v1/campaigns/$CID/chains
			timed "$N" ""
			read -r med p99 max <<<"$(stats "$W/t.txt")"
			echo "round $r: first page ($(size) bytes): median $med ms, p99 $p99 ms, max $max ms over $N requests (whoami p99 $ref ms)"
			echo "$p99" >>"$W/p99.txt"
		done
		goal=1.0
		if [ "$ORGS" -le 10000 ]; then goal=0.5; fi
		figure "chains first page p99 / 100 ms, $ORGS organisations$(backend_name "$B")" 100 "$goal" "$W/p99.txt"
		echo "command: BACKENDS=$B ORGS=$ORGS ROUNDS=$ROUNDS N=$N tests/bench/chains.sh" \
			"(GET /api/v1/campaigns/$CID/chains, $N+1 requests a round on one keep-alive connection)"
		if [ "$ORGS" -le 10000 ]; then
			timed 10 "?limit=$ORGS"
			read -r med p99 max <<<"$(stats "$W/t.txt")"
			echo "chains (all $ORGS nodes listed, $(size) bytes): median $med ms, max $max ms over 10 requests"
		fi
		kill "$SRV"
		wait "$SRV" 2>/dev/null || true
		SRV=
	done
done
