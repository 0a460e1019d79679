#!/usr/bin/env bash
# cpu.sh — itakud's CPU time per accepted upload against the primitive
# cost of one, in one run. Server: utime + stime of a release itakud (demo
# instance, /proc/PID/stat) before and after M sequential keep-alive
# uploads of real signed packages (POST /api/v1/submissions, the
# respondent's answers + 1 MiB of random evidence, each its own campaign
# and nonce, prepared before), divided by the uploads accepted (201, all
# must be). The primitives, timed on the same bytes as CPU time
# (tests/bench/prim.py): TLS decryption of the body (`openssl speed -decrypt
# -evp aes-256-gcm`, the suite ab and curl negotiate), limit B (SHA-256 of
# the package and of every entry, inflating the deflated entries, two
# signature verifications by `openssl speed` of the key type: the signer's
# and the chain's, one XSD validation of answers.xml by xmllint), and one
# durable write: write + fsync of the package into the store's file
# system, one sqlite commit with synchronous=FULL in WAL mode. Per round:
# server CPU / primitives (goal <= 1.5).
# QUICK=1: 3 rounds of 10 uploads (else 5 of 30). Not part of `make check`.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
. tests/bench/lib.sh
if quick; then ROUNDS=${ROUNDS:-3} M=${M:-10}; else ROUNDS=${ROUNDS:-5} M=${M:-30}; fi
W=$(mktemp -d /tmp/itaku-bench-cpu.XXXXXX)
SRV=
trap 'set +e; kill $SRV 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
INST=$W/inst
bin/itaku init "$INST" --demo >/dev/null
# the parallel clients are one organisation's: past its 4 uploads at once
# it would get 429 too_many_uploads
sed -i 's/^# uploads_per_organisation = .*/&\nuploads_per_organisation = 16/' "$INST/itaku.conf"
echo "limit raised for this benchmark: uploads_per_organisation = 16 (one organisation's parallel clients; default 4)"
ORG=7999900000002
P=$INST/pki/$ORG
echo "packing $((ROUNDS * M)) packages, each its own campaign and nonce, 1 MiB evidence (not timed)"
make_packages $((ROUNDS * M)) 1048576 "$ORG" "$W/pkg"
start_itakud
URL=https://localhost:$PORT/api/v1/submissions
TCK=$(getconf CLK_TCK)
a=$(cpu_ticks "$SRV")
sleep 1
idle=$(($(cpu_ticks "$SRV") - a))
echo "itakud idle: $idle ticks (1/$TCK s) in 1 s"

vals=()
for r in $(seq 1 "$ROUNDS"); do
	args=()
	for i in $(seq $(((r - 1) * M + 1)) $((r * M))); do
		[ ${#args[@]} = 0 ] || args+=(--next)
		args+=(-s -o /dev/null -w '%{http_code}\n' --cacert "$INST/pki/ca.crt" --cert "$P/client.crt"
			--key "$P/client.key" -H 'Content-Type: application/vnd.etsi.asic-e+zip'
			--data-binary "@$W/pkg/p$i.asice" "$URL")
	done
	a=$(cpu_ticks "$SRV")
	curl "${args[@]}" >"$W/codes.txt"
	b=$(cpu_ticks "$SRV")
	ok=$(grep -c '^201$' "$W/codes.txt" || true)
	[ "$ok" = "$M" ] || { echo "cpu: $((M - ok)) of $M uploads not accepted:"; sort "$W/codes.txt" | uniq -c; exit 1; }
	srv=$(awk -v t=$((b - a)) -v k="$TCK" -v m="$M" 'BEGIN { printf "%.3f", t * 1000 / k / m }')
	prim=$(python3 tests/bench/prim.py "$W/pkg/p$(((r - 1) * M + 1)).asice" "$INST/store" "$ROOT/forms/schema/answers.xsd" "$INST/pki/ca.crt" 2>"$W/prim.txt")
	sed 's/^/  /' "$W/prim.txt"
	printf 'round %d: itakud CPU %.2f ms per accepted upload (%d ticks / %d), primitives %.2f ms\n' \
		"$r" "$srv" $((b - a)) "$M" "$prim"
	vals+=("$(ratio "$srv" "$prim")")
done
figure "server CPU per accepted 1 MiB upload / its primitives" '≤' 1.5 \
	"TLS decrypt + limit B (SHA-256s, inflate, 2 sig verifies, XSD) + write+fsync + sqlite FULL commit, CPU time" "${vals[@]}"
