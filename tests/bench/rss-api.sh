#!/usr/bin/env bash
# rss-api.sh — itakud's peak RSS while CLIENTS (100) organisations upload a
# 20 MB package each at once through the API, POST /api/v1/submissions.
# A release itakud with the demo instance's limits, none raised (threads
# 4, max_connections_per_ip 64, max_buffered_bytes 256 MiB,
# max_package_bytes 20 MiB): each organisation connects from its own
# loopback address (127.0.0.2, .3, …: curl --interface), as 100
# organisations would, so the per-address limit is not what is measured.
# Prepared, not timed: CLIENTS organisations (`itaku org add`), each with
# its own client certificate (`itaku cert issue`) and its own assignment of
# one campaign (so its own nonce), and its real signed package (`itaku
# pack`, 20,000,000 bytes of random evidence). Then all at once. Prints
# the answers by status and error code, idle RSS, peak RSS (VmHWM of
# /proc/PID/status), the most bodies on disk at once (store/tmp/) and
# two figures: peak / 256 MB (goal < 1.0) and uploads accepted / sent (goal
# >= 1.0; a refusal, e.g. 503 server_busy past max_buffered_bytes, is
# reported, not hidden). Works whether the API path holds bodies in
# memory or streams them to disk. Needs ~5 GB in /tmp. QUICK does not
# change it (CLIENTS=N does). Not part of `make check`.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
. tests/bench/lib.sh
N=${CLIENTS:-100}
[ "$N" -le 250 ] || { echo "rss-api: CLIENTS at most 250 (one loopback address each)"; exit 2; }
GOAL=256000000
W=$(mktemp -d /tmp/itaku-bench-rss.XXXXXX)
SRV=
SAMPLER=
trap 'set +e; kill $SAMPLER $SRV 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
INST=$W/inst
C=(--config "$INST/itaku.conf")
bin/itaku init "$INST" --demo >/dev/null
# organisation i's Corporate Number: 12 digits 500000000000 + i and the
# check digit before them
corp() {
	python3 -c 'import sys
b = "%012d" % (500000000000 + int(sys.argv[1]))
s = sum(int(d) * (1 if n % 2 == 0 else 2) for n, d in enumerate(reversed(b)))
print("%d%s" % (9 - s % 9, b))' "$1"
}
head -c 20000000 /dev/urandom >"$W/scan.pdf"
cid=$(bin/itaku campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "rss bench" "${C[@]}")
echo "preparing $N organisations, each with its own certificate, assignment and 20,000,000-byte package (not timed)"
for i in $(seq 1 "$N"); do
	org=$(corp "$i")
	d=$W/org/$i
	mkdir -p "$(dirname "$d")"
	bin/itaku org add --id "$org" --name "RSS bench $i" --role respondent "${C[@]}" >/dev/null
	bin/itaku cert issue --org "$org" --out "$d" "${C[@]}" >/dev/null 2>&1
	bin/itaku campaign assign "$cid" "$org" "${C[@]}" >/dev/null
	bin/itaku template --campaign "$cid" --org "$org" --output "$d/a.xml" "${C[@]}"
	sed -i -e 's|<item id="1.1" level=""/>|<item id="1.1" level="4"><evidence ref="evidence/scan.pdf"/></item>|' \
		-e 's/level=""/level="4"/' "$d/a.xml"
	bin/itaku pack --answers "$d/a.xml" --evidence "$W/scan.pdf" --cert "$d/client.crt" --key "$d/client.key" \
		-o "$d/p.asice" >/dev/null
done
SIZE=$(stat -c %s "$W/org/1/p.asice")
INFLIGHT=$(cat "$W"/org/*/p.asice | wc -c)
limits=$(sed -n '/^\[limits\]/,/^\[/p' "$INST/itaku.conf" | grep -E '^[a-z_]+ *=' || true)
echo "limits set in itaku.conf: ${limits:-none, the defaults: max_buffered_bytes 256 MiB, max_connections_per_ip 64 (one address per organisation here), max_package_bytes 20 MiB, threads 4}"

start_itakud
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SRV/status"; }
IDLE=$(kb VmRSS)
UP=$INST/store/tmp
(
	shopt -s nullglob
	while :; do
		f=("$UP"/*)
		r='' an='' fb=''
		while read -r k v _; do
			case $k in VmRSS:) r=$v ;; RssAnon:) an=$v ;; RssFile:) fb=$v ;; esac
		done <"/proc/$SRV/status"
		echo "${#f[@]} $r $an $fb"
		sleep 0.05
	done >"$W/samples.txt" 2>/dev/null
) &
SAMPLER=$!

echo "$N organisations at once, each one package of $SIZE bytes, from 127.0.0.2 on"
t0=$(date +%s%N)
pids=()
for i in $(seq 1 "$N"); do
	d=$W/org/$i
	curl -sS -o "$d/r.json" -w '%{http_code} %{time_total}\n' --interface "127.0.0.$((i + 1))" \
		--cacert "$INST/pki/ca.crt" --cert "$d/client.crt" --key "$d/client.key" \
		-H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$d/p.asice" \
		"https://localhost:$PORT/api/v1/submissions" >"$d/s.txt" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
t1=$(date +%s%N)
sleep 0.2
kill "$SAMPLER" 2>/dev/null
wait "$SAMPLER" 2>/dev/null || true
SAMPLER=
PEAK=$(kb VmHWM)
NOW=$(kb VmRSS)

ok=$(cat "$W"/org/*/s.txt | awk '$1 == 201' | wc -l)
stored=$(sqlite3 "$INST/itaku.db" "SELECT count(*) FROM submissions WHERE org_id LIKE '_5%'")
echo "answers by status and code:"
for i in $(seq 1 "$N"); do
	d=$W/org/$i
	code=$(jq -r '.error.code // .code // empty' "$d/r.json" 2>/dev/null || true)
	echo "$(cut -d' ' -f1 "$d/s.txt") ${code:-}"
done | sort | uniq -c | sed 's/^/  /'
read -r most rssmax anon file <<<"$(awk '$1 > m { m = $1 } $2 > r { r = $2; a = $3; f = $4 }
	END { print m + 0, r + 0, a + 0, f + 0 }' "$W/samples.txt")"
awk -v n="$N" -v ok="$ok" -v st="$stored" -v s="$SIZE" -v fl="$INFLIGHT" -v idle="$IDLE" -v peak="$PEAK" \
	-v now="$NOW" -v most="$most" -v rmax="$rssmax" -v anon="$anon" -v file="$file" \
	-v ms="$(((t1 - t0) / 1000000))" 'BEGIN {
	mb = 1000000
	printf "uploads accepted (201): %d of %d (%d stored), %.1f s for all\n", ok, n, st, ms / 1000
	printf "bytes sent: %d × %d = %.1f MB; most files in store/tmp/ at once: %d\n", n, s, fl / mb, most
	printf "itakud RSS: idle %.1f MB, peak (VmHWM) %.1f MB, after %.1f MB\n", idle * 1024 / mb, peak * 1024 / mb, now * 1024 / mb
	printf "  sampled max %.1f MB: heap (RssAnon) %.1f MB, mapped files (RssFile) %.1f MB\n",
		rmax * 1024 / mb, anon * 1024 / mb, file * 1024 / mb
	printf "  peak RSS / bytes sent: %.3f\n", peak * 1024 / fl
}'
REF="$N concurrent 20 MB POST /api/v1/submissions, $N organisations, demo limits"
figure "peak RSS (VmHWM), $N concurrent 20 MB API uploads / 256 MB" '<' 1.0 "$REF" \
	"$(ratio $((PEAK * 1024)) "$GOAL")"
figure "$N concurrent 20 MB API uploads: accepted/sent" '≥' 1.0 "$REF" "$(ratio "$ok" "$N")"
