#!/usr/bin/env bash
# pages.sh — the portal's pages as a respondent's browser asks for them,
# over mutual TLS on one keep-alive connection (release itakud, demo
# instance): the answer page of each demo assignment (the base
# questionnaire and the respondent's variant), the home page and the
# history, 200 requests each; the reference is GET /api/v1/whoami on the
# same connection in the same run. Prints median and p99, the ratio of
# each median to the reference's, and p99 against the issue's target
# (answer page < 20 ms). Not part of `make check`.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
W=$(mktemp -d /tmp/itaku-bench-pages.XXXXXX)
SRV=
trap 'kill $SRV 2>/dev/null; rm -rf "$W"' EXIT
bin/itaku init "$W/inst" --demo >/dev/null
INST=$W/inst
. "$ROOT/tests/bench/lib.sh"
start_itakud
N=200
measure() { # ORG PATH LABEL: prints "median p99" and a line
	local org=$1 path=$2 label=$3 a=$INST/pki/$1
	CURL=(curl -s --cacert "$INST/pki/ca.crt" --cert "$a/client.crt" --key "$a/client.key")
	URL=https://localhost:$PORT$path
	timed "$N" ""
	read -r med p99 max <<<"$(stats "$W/t.txt")"
	echo "$label: median $med ms, p99 $p99 ms, max $max ms, $(size) bytes" >&2
	echo "$med $p99"
}
for org in 7999900000002 6999900000003; do
	read -r ref _ <<<"$(measure "$org" /api/v1/whoami "whoami ($org, reference)")"
	aid=$(sqlite3 "$INST/itaku.db" "SELECT id FROM assignments WHERE org_id = '$org' ORDER BY id LIMIT 1")
	items=$(curl -s --cacert "$INST/pki/ca.crt" --cert "$INST/pki/$org/client.crt" --key "$INST/pki/$org/client.key" \
		"https://localhost:$PORT/assignments/$aid" | grep -o '<fieldset id="item-' | wc -l)
	read -r med p99 <<<"$(measure "$org" "/assignments/$aid" "answer page, $items items ($org)")"
	awk -v m="$med" -v r="$ref" -v p="$p99" -v n="$items" \
		'BEGIN { printf "  answer page (%d items) / whoami, medians: %.2f; p99 / target 20 ms: %.2f\n", n, m / r, p / 20 }'
	read -r med _ <<<"$(measure "$org" / "home page ($org)")"
	awk -v m="$med" -v r="$ref" 'BEGIN { printf "  home page / whoami, medians: %.2f\n", m / r }'
	read -r med _ <<<"$(measure "$org" /submissions "history ($org)")"
	awk -v m="$med" -v r="$ref" 'BEGIN { printf "  history / whoami, medians: %.2f\n", m / r }'
done
