#!/usr/bin/env bash
# verify.sh — time to verify a package of ~30 KB answers + 1 MB evidence:
#  1. in-process pkg_verify() against limit B (bench_verify.c: SHA-256 of the
#     package and of every entry, inflate, one CMS signature verify, one
#     chain check, one XSD validation, timed on the same bytes in the same
#     run), for 1 MiB and 20 MiB of evidence: the FIGURE lines,
#  2. `itaku verify` as a command against the reference, stock
#     `unzip` + `openssl cms -verify` + digest checks by sha256sum (median of
#     30 runs each; the ratio is itaku / reference),
#  3. a full upload over mutual TLS to a running itakud (median of 30).
# Not part of `make check`.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
W=$(mktemp -d /tmp/itaku-bench.XXXXXX)
trap 'kill $SRV 2>/dev/null; rm -rf "$W"' EXIT
SRV=
bin/itaku init "$W/inst" --demo >/dev/null
ORG=7999900000002
P=$W/inst/pki/$ORG
# ~30 KB of answers: 27 items with ~1 KB comments each, to a campaign of
# its own on ipa-benchmark@1 (the demo's campaign 1 is on @2)
CID=$(bin/itaku campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "verify bench" \
	--config "$W/inst/itaku.conf")
bin/itaku campaign assign "$CID" "$ORG" --config "$W/inst/itaku.conf" >/dev/null
NONCE=$(sqlite3 "$W/inst/itaku.db" "SELECT nonce FROM assignments WHERE campaign_id = $CID AND org_id = '$ORG'")
python3 - "$W/answers.xml" "$ORG" "$NONCE" "$CID" <<'PY'
import sys
secs = [8, 4, 7, 5, 3]
items = []
for s, n in enumerate(secs, 1):
    for i in range(1, n + 1):
        c = ("対策の実施状況と根拠資料の説明 " * 30)[:380]
        items.append('  <item id="%d.%d" level="%d"><comment>%s</comment>%s</item>' %
                     (s, i, (s + i) % 5 + 1, c,
                      '<evidence ref="evidence/audit.pdf"/>' if (s, i) == (1, 1) else ""))
open(sys.argv[1], "w").write('<?xml version="1.0" encoding="UTF-8"?>\n'
    '<answers xmlns="urn:itaku:answers:1" questionnaire="ipa-benchmark" version="1" '
    'organisation="%s" campaign="%s" nonce="%s">\n%s\n</answers>\n'
    % (sys.argv[2], sys.argv[4], sys.argv[3], "\n".join(items)))
PY
. "$ROOT/tests/bench/lib.sh"
link_itaku "$W/bench_verify" tests/bench/bench_verify.c
# the 20 MiB package is 30 KB over the default max_bytes: bench_verify
# raises it (the limit is not what is measured)
for mib in 20 1; do
	head -c $((mib << 20)) /dev/urandom >"$W/audit.pdf"
	bin/itaku pack --answers "$W/answers.xml" --evidence "$W/audit.pdf" --cert "$P/client.crt" \
		--key "$P/client.key" -o "$W/pkg.asice" >/dev/null
	echo "answers.xml $(stat -c %s "$W/answers.xml") bytes, evidence $((mib << 20)) bytes, package $(stat -c %s "$W/pkg.asice") bytes"
	goal=1.15
	[ "$mib" = 20 ] && goal=1.10
	echo "command: $W/bench_verify pkg.asice ca.crt \"30KB+${mib}MiB\" $goal ${VERIFY_ROUNDS:-9} ${VERIFY_RUNS:-21}"
	"$W/bench_verify" "$W/pkg.asice" "$W/inst/pki/ca.crt" "30KB+${mib}MiB" "$goal" \
		"${VERIFY_ROUNDS:-9}" "${VERIFY_RUNS:-21}"
done
[ -n "${VERIFY_ONLY_FIGURE:-}" ] && exit 0

median_ms() { # command…: median wall time of 30 runs
	local t=()
	for _ in $(seq 1 30); do
		local a b
		a=$(date +%s%N)
		"$@" >/dev/null 2>&1
		b=$(date +%s%N)
		t+=($(((b - a) / 1000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n 15p | awk '{printf "%.2f", $1 / 1000}'
}
reference() {
	local d
	d=$(mktemp -d "$W/ref.XXXXXX")
	cd "$d"
	unzip -q "$W/pkg.asice"
	openssl cms -verify -binary -inform DER -content META-INF/ASiCManifest.xml \
		-in META-INF/signature.p7s -CAfile "$W/inst/pki/ca.crt" -out /dev/null
	sha256sum answers.xml evidence/audit.pdf >/dev/null
	cd - >/dev/null
	rm -rf "$d"
}
a=$(median_ms bin/itaku verify "$W/pkg.asice" --ca "$W/inst/pki/ca.crt")
r=$(median_ms reference)
echo "itaku verify (process)          median $a ms"
echo "reference unzip+openssl cms     median $r ms"
awk -v a="$a" -v r="$r" 'BEGIN { printf "ratio itaku verify / reference: %.2f\n", a / r }'

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bin/itakud --config "$W/inst/itaku.conf" --port "$PORT" 2>"$W/itakud.log" &
SRV=$!
until curl -sf --cacert "$W/inst/pki/ca.crt" "https://localhost:$PORT/healthz" >/dev/null; do sleep 0.1; done
# nonces are single-use: each upload is packed with the assignment's
# current nonce first (packing is not timed)
t=()
for _ in $(seq 1 30); do
	NONCE=$(sqlite3 "$W/inst/itaku.db" "SELECT nonce FROM assignments WHERE campaign_id = $CID AND org_id = '$ORG'")
	sed -i "s/nonce=\"[^\"]*\"/nonce=\"$NONCE\"/" "$W/answers.xml"
	bin/itaku pack --answers "$W/answers.xml" --evidence "$W/audit.pdf" --cert "$P/client.crt" \
		--key "$P/client.key" -o "$W/up.asice" >/dev/null
	a=$(date +%s%N)
	curl -sf -o /dev/null --cacert "$W/inst/pki/ca.crt" --cert "$P/client.crt" --key "$P/client.key" \
		-H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$W/up.asice" \
		"https://localhost:$PORT/api/v1/submissions"
	b=$(date +%s%N)
	t+=($(((b - a) / 1000)))
done
up=$(printf '%s\n' "${t[@]}" | sort -n | sed -n 15p | awk '{printf "%.2f", $1 / 1000}')
echo "upload over mTLS (curl, new connection, verify+store+commit) median $up ms"
