#!/usr/bin/env bash
# aggregate.sh — the campaign aggregate at scale: for 10,000 and 100,000
# organisations (ORGS="N ..." changes the sizes), one campaign × 27 items
# (a fifth on the 15-item low-IT variant), built with
# tests/bench/gen_campaign.c. Measures over mutual TLS with one keep-alive
# connection (curl with many URLs reuses it):
#  1. GET /api/v1/campaigns/{id}/aggregate (the first page, 100
#     organisations): ROUNDS rounds (5) of N requests (300), each round's
#     p99 as a ratio of the goal, 50 ms; printed as
#     "FIGURE: <name> ratio min/median/max = a/b/c (goal ≤ g)" over the
#     rounds (goal: ≤ 0.5 at 10,000, ≤ 1.0 at 100,000: issue 17),
#  2. the same with every organisation (?limit=N): median of 10, up to
#     10,000,
#  3. GET …/aggregate.csv: median of 10, and `itaku report --csv`.
# BACKENDS="sqlite postgresql" (the default): each size measured on both,
# the same generated rows loaded into a throwaway PostgreSQL cluster
# (tests/bench/pgload.c); PostgreSQL's figures are named ", PostgreSQL".
# BENCH_CACHE=DIR keeps each generated instance (DIR/aggregate-N) and
# reuses it on the next run. Not part of `make check` (`make bench`).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
SIZES=${ORGS:-10000 100000}
# BACKENDS="sqlite postgresql": the same generated rows on each
BACKENDS=${BACKENDS:-sqlite postgresql}
# QUICK=1 (make bench): 3 rounds
ROUNDS=${ROUNDS:-$([ "${QUICK:-0}" = 1 ] && echo 3 || echo 5)}
N=${N:-300}
W=$(mktemp -d /tmp/itaku-bench-agg.XXXXXX)
SRV=
trap 'if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null || true; fi; pg_stop; rm -rf "$W"' EXIT
. "$ROOT/tests/bench/lib.sh"
link_itaku "$W/gen_campaign" tests/bench/gen_campaign.c

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
	C=${BENCH_CACHE:+$BENCH_CACHE/aggregate-$ORGS}
	if [ -n "$C" ] && [ -f "$C/cid" ]; then
		cp -r "$C" "$W/gen"
		CID=$(cat "$W/gen/cid")
		how="reused from $C"
	else
		bin/itaku init "$W/gen" --demo >/dev/null
		a=$(date +%s)
		CID=$("$W/gen_campaign" "$W/gen/itaku.db" "$ORGS")
		b=$(date +%s)
		echo "$CID" >"$W/gen/cid"
		how="generated in $((b - a)) s"
		[ -z "$C" ] || { mkdir -p "$BENCH_CACHE" && rm -rf "$C" && cp -r "$W/gen" "$C"; }
	fi
	# a round is 2 × (N+1) requests of the demo admin, past the default
	# requests_per_minute once the first page is fast: no limit here
	sed -i 's/^#* *requests_per_minute = .*/requests_per_minute = 0/' "$W/gen/itaku.conf"
	grep -q '^requests_per_minute = 0$' "$W/gen/itaku.conf"
	echo "== $ORGS organisations: campaign $CID, $(sqlite3 "$W/gen/itaku.db" "SELECT count(*) FROM latest_answers WHERE campaign_id = $CID") latest answers, $how"
	for B in $BACKENDS; do
		echo "-- $B"
		INST=$W/inst
		if [ "$B" = sqlite ]; then rm -rf "$INST" && cp -r "$W/gen" "$INST"; else to_pg "$W/gen" "$INST"; fi
		start_itakud
		URL=https://localhost:$PORT/api/v1
		: >"$W/p99.txt"
		for r in $(seq 1 "$ROUNDS"); do
			# the same requests' floor in the same round: how busy the machine is
			timed "$N" /whoami
			read -r _ ref _ <<<"$(stats "$W/t.txt")"
			timed "$N" "/campaigns/$CID/aggregate"
			read -r med p99 max <<<"$(stats "$W/t.txt")"
			echo "round $r: first page (100 organisations, $(size) bytes): median $med ms, p99 $p99 ms, max $max ms over $N requests (whoami p99 $ref ms)"
			echo "$p99" >>"$W/p99.txt"
		done
		URL=https://localhost:$PORT/api/v1/campaigns/$CID
		goal=1.0
		if [ "$ORGS" -le 10000 ]; then goal=0.5; fi
		figure "aggregate first page p99 / 50 ms, $ORGS organisations$(backend_name "$B")" 50 "$goal" "$W/p99.txt"
		echo "command: BACKENDS=$B ORGS=$ORGS ROUNDS=$ROUNDS N=$N tests/bench/aggregate.sh" \
			"(GET /api/v1/campaigns/$CID/aggregate, $N+1 requests a round on one keep-alive connection)"

		if [ "$ORGS" -le 10000 ]; then
			timed 10 "/aggregate?limit=$ORGS"
			read -r med p99 max <<<"$(stats "$W/t.txt")"
			echo "aggregate (all $ORGS organisations listed, $(size) bytes): median $med ms, max $max ms over 10 requests"
		fi
		timed 10 /aggregate.csv
		read -r med p99 max <<<"$(stats "$W/t.txt")"
		echo "aggregate.csv ($(size) bytes): median $med ms, max $max ms over 10 requests"
		a=$(date +%s%N)
		bin/itaku report --campaign "$CID" --csv --config "$INST/itaku.conf" >"$W/report.csv"
		b=$(date +%s%N)
		echo "itaku report --csv: $(((b - a) / 1000000)) ms, $(wc -l <"$W/report.csv") lines"
		kill "$SRV"
		wait "$SRV" 2>/dev/null || true
		SRV=
	done
done
