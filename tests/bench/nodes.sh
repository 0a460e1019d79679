#!/usr/bin/env bash
# nodes.sh — accepted uploads per second on sqlite (one itakud), on
# PostgreSQL with one itakud, and on PostgreSQL with two itakud behind a
# real TCP balancer (tests/pg/balancer.sh: nginx stream, TLS passed
# through), all on this machine, in one run, on the same packages.
#
# The packages: N real signed packages (`itaku pack`, the respondent's
# answers + 100 KiB of random evidence, each its own campaign and nonce),
# made once on an sqlite instance before anything is timed. Each round and
# case starts from a fresh copy of that instance: cp for sqlite, `itaku
# migrate --to` into an emptied PostgreSQL database (a throwaway cluster,
# fsync on) for the others, so every case accepts the very same packages.
# Every case goes through the balancer (one upstream, or two), so that
# the balancer's hop costs all three alike. C clients (8) upload at once,
# each POST /api/v1/submissions on a new connection (curl, xargs -P); every
# upload must be accepted (201) and stored once. Per round: uploads/s of
# each case; the figures are PostgreSQL 1 node / sqlite (goal ≥ 0.5) and
# PostgreSQL 2 nodes / 1 node (goal ≥ 0.9: on one machine the two nodes
# share its cores, so a second node shows what it costs, not what it
# adds), over ROUNDS rounds (3).
# QUICK=1: 60 packages a round (else 150). Not part of `make check`.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
. tests/bench/lib.sh
ROUNDS=${ROUNDS:-3}
if quick; then N=${N:-60}; else N=${N:-150}; fi
C=${C:-8}
W=$(mktemp -d /tmp/itaku-bench-nodes.XXXXXX)
NGX=$(mktemp -d /tmp/itaku-bench-ngx.XXXXXX)
PIDS=()
stop_nodes() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	PIDS=()
	"$ROOT/tests/pg/balancer.sh" stop "$NGX"
}
trap 'set +e; stop_nodes; pg_stop; rm -rf "$W" "$NGX"' EXIT

INST=$W/base
bin/itaku init "$INST" --demo >/dev/null
# C clients of one organisation at once, and many requests a minute
sed -i 's/^# uploads_per_organisation = .*/&\nuploads_per_organisation = 64/' "$INST/itaku.conf"
sed -i 's/^#* *requests_per_minute = .*/requests_per_minute = 0/' "$INST/itaku.conf"
grep -q '^uploads_per_organisation = 64$' "$INST/itaku.conf"
echo "limits raised for this benchmark: uploads_per_organisation = 64, requests_per_minute = 0"
ORG=7999900000002
P=$INST/pki/$ORG
echo "packing $N packages, each its own campaign and nonce, 100 KiB evidence (not timed)"
make_packages "$N" 102400 "$ORG" "$W/pkg"
echo "package $(stat -c %s "$W/pkg/p1.asice") bytes; $C clients; $ROUNDS rounds"
pg_start

# fresh CASE: $W/inst, a copy of the base instance on CASE's backend
fresh() {
	rm -rf "$W/inst"
	cp -r "$INST" "$W/inst"
	[ "$1" = sqlite ] && return 0
	psql -q "$PGURI" -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public" 2>/dev/null
	bin/itaku migrate --to "$PGURI" --config "$W/inst/itaku.conf" >"$W/migrate.log" 2>&1 ||
		{ cat "$W/migrate.log"; exit 1; }
	printf '\n[storage]\nbackend = postgresql\npostgresql = %s\n' "$PGURI" >>"$W/inst/itaku.conf"
}

# nodes K: K itakud on the fresh instance and the balancer before them;
# sets LB (its port)
nodes() {
	local ports=() k p
	for k in $(seq 1 "$1"); do
		p=$(free_port)
		bin/itakud --config "$W/inst/itaku.conf" --port "$p" 2>>"$W/itakud.log" &
		PIDS+=($!)
		ports+=("$p")
	done
	LB=$(free_port)
	"$ROOT/tests/pg/balancer.sh" start "$NGX" "$LB" "${ports[@]}"
	for p in "${ports[@]}" "$LB"; do
		until curl -sf --cacert "$INST/pki/ca.crt" "https://localhost:$p/healthz" >/dev/null; do sleep 0.1; done
	done
}

# upload: every package once, C at a time through the balancer; prints
# uploads per second; fails unless each was accepted (201)
upload() {
	local a b
	a=$(date +%s%N)
	seq 1 "$N" | xargs -P "$C" -I{} curl -s -o /dev/null -w '%{http_code}\n' \
		--cacert "$INST/pki/ca.crt" --cert "$P/client.crt" --key "$P/client.key" \
		-H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$W/pkg/p{}.asice" \
		"https://localhost:$LB/api/v1/submissions" >"$W/codes.txt"
	b=$(date +%s%N)
	if [ "$(grep -c '^201$' "$W/codes.txt")" != "$N" ]; then
		echo "not every upload was accepted: $(sort "$W/codes.txt" | uniq -c | tr '\n' ' ')" >&2
		tail -5 "$W/itakud.log" >&2
		exit 1
	fi
	awk -v n="$N" -v ns="$((b - a))" 'BEGIN { printf "%.1f", n / (ns / 1e9) }'
}

R1=()
R2=()
for r in $(seq 1 "$ROUNDS"); do
	declare -A UPS
	for c in sqlite:1 postgresql:1 postgresql:2; do
		fresh "${c%:*}"
		nodes "${c#*:}"
		UPS[$c]=$(upload)
		stop_nodes
	done
	echo "round $r: uploads/s sqlite 1 node ${UPS[sqlite:1]}, PostgreSQL 1 node ${UPS[postgresql:1]}, PostgreSQL 2 nodes ${UPS[postgresql:2]}"
	R1+=("$(ratio "${UPS[postgresql:1]}" "${UPS[sqlite:1]}")")
	R2+=("$(ratio "${UPS[postgresql:2]}" "${UPS[postgresql:1]}")")
done
REF="$N uploads of 100 KiB packages, $C clients, new connection each, through nginx stream; sqlite and PostgreSQL (fsync on) on this machine"
figure "uploads/s, PostgreSQL 1 node / sqlite 1 node" '≥' 0.5 "$REF" "${R1[@]}"
# both nodes, the balancer and PostgreSQL share this machine's cores: a
# second node cannot add CPU here, so what the ratio shows is what running
# two costs (their coordination through the writers' lock), at most 10 %
figure "uploads/s, PostgreSQL 2 nodes / PostgreSQL 1 node, one machine" '≥' 0.9 "$REF; both nodes on the same cores" "${R2[@]}"
echo "command: N=$N C=$C ROUNDS=$ROUNDS tests/bench/nodes.sh"
