#!/usr/bin/env bash
# aggregate.sh — the campaign aggregate at scale: one campaign of 10,000
# organisations × 27 items (a fifth on the 15-item low-IT variant), built
# with tests/bench/gen_campaign.c. Measures over mutual TLS with one
# keep-alive connection (curl with many URLs reuses it):
#  1. GET /api/v1/campaigns/{id}/aggregate (default page of 100
#     organisations): median and p99 of 300 requests; target p99 < 50 ms,
#  2. the same with every organisation (?limit=10000): median and p99 of 30,
#  3. GET …/aggregate.csv: median of 10, and `itaku report --csv`.
# Not part of `make check`. ORGS=N changes the size.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
ORGS=${ORGS:-10000}
W=$(mktemp -d /tmp/itaku-bench-agg.XXXXXX)
SRV=
trap 'kill $SRV 2>/dev/null; rm -rf "$W"' EXIT
bin/itaku init "$W/inst" --demo >/dev/null
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I. -Ibuild/gen $(pkg-config --cflags libxml-2.0 jansson) \
	-o "$W/gen_campaign" tests/bench/gen_campaign.c build/rel/libitaku.a \
	$(pkg-config --libs libmicrohttpd gnutls openssl libxml-2.0 sqlite3 libzip zlib libdeflate jansson inih libcurl) -lpthread -lm
a=$(date +%s%N)
CID=$("$W/gen_campaign" "$W/inst/itaku.db" "$ORGS")
b=$(date +%s%N)
echo "generated campaign $CID: $ORGS organisations, $(sqlite3 "$W/inst/itaku.db" "SELECT count(*) FROM latest_answers WHERE campaign_id = $CID") latest answers in $(((b - a) / 1000000)) ms"

INST=$W/inst
. "$ROOT/tests/bench/lib.sh"
start_itakud
URL=https://localhost:$PORT/api/v1/campaigns/$CID

timed 300 /aggregate
read -r med p99 max <<<"$(stats "$W/t.txt")"
echo "aggregate (100 organisations listed, $(size) bytes): median $med ms, p99 $p99 ms, max $max ms over 300 requests"
awk -v p="$p99" 'BEGIN { printf "ratio p99 / target 50 ms: %.2f\n", p / 50 }'

timed 30 "/aggregate?limit=$ORGS"
read -r med p99 max <<<"$(stats "$W/t.txt")"
echo "aggregate (all $ORGS organisations listed, $(size) bytes): median $med ms, p99 $p99 ms over 30 requests"

timed 10 /aggregate.csv
read -r med p99 max <<<"$(stats "$W/t.txt")"
echo "aggregate.csv ($(size) bytes): median $med ms, max $max ms over 10 requests"
a=$(date +%s%N)
bin/itaku report --campaign "$CID" --csv --config "$W/inst/itaku.conf" >"$W/report.csv"
b=$(date +%s%N)
echo "itaku report --csv: $(((b - a) / 1000000)) ms, $(wc -l <"$W/report.csv") lines"
