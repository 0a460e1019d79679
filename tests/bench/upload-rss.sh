#!/usr/bin/env bash
# upload-rss.sh — the issue's figure for the no-JavaScript upload: itakud's
# peak RSS stays under 256 MB while 50 browsers upload 20 MB packages
# through the portal's multipart form. A release itakud with the demo
# instance's defaults (threads 4, max_connections_per_ip 64,
# requests_per_minute 1200, max_package_bytes 20 MiB: none is raised);
# CLIENTS (50) campaigns, each with its own assignment of the respondent
# and so its own nonce, and a real signed package for each (`itaku pack`,
# 20,000,000 bytes of random evidence, not timed); then CLIENTS curl
# processes at once, each with the respondent's client certificate, a
# same-origin Origin and the form's CSRF token, POST
# /submissions/upload (multipart: csrf + package). Every one must be
# accepted (201): so each body is streamed to disk, mapped, verified and
# stored, the whole path. The reference, same run: the bytes in flight
# (CLIENTS × the package size). Prints idle RSS before the run (VmRSS),
# peak RSS (VmHWM from /proc/PID/status, the process's lifetime peak),
# peak / bytes in flight, the most bodies on disk at once, and peak /
# goal; fails when an upload is not accepted or the peak reaches 256 MB.
# Needs ~3 GB in /tmp. Not part of `make check`.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
N=${CLIENTS:-50}
GOAL=256000000 # bytes
W=$(mktemp -d /tmp/itaku-bench-upload.XXXXXX)
SRV=
SAMPLER=
trap 'set +e; kill $SAMPLER $SRV 2>/dev/null; rm -rf "$W"' EXIT
bin/itaku init "$W/inst" --demo >/dev/null
INST=$W/inst
C=(--config "$INST/itaku.conf")
ORG=7999900000002
P=$INST/pki/$ORG
head -c 20000000 /dev/urandom >"$W/scan.pdf"
echo "packing $N packages, each its own campaign and nonce, of the respondent's items + 20,000,000 bytes of evidence (not timed)"
for i in $(seq 1 "$N"); do
	cid=$(bin/itaku campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "upload bench $i" "${C[@]}")
	bin/itaku campaign assign "$cid" "$ORG" "${C[@]}" >/dev/null
	bin/itaku template --campaign "$cid" --org "$ORG" --output "$W/a.xml" "${C[@]}"
	sed -i -e 's|<item id="1.1" level=""/>|<item id="1.1" level="4"><evidence ref="evidence/scan.pdf"/></item>|' \
		-e 's/level=""/level="4"/' "$W/a.xml"
	bin/itaku pack --answers "$W/a.xml" --evidence "$W/scan.pdf" --cert "$P/client.crt" --key "$P/client.key" \
		-o "$W/p$i.asice" >/dev/null
done
SIZE=$(stat -c %s "$W/p1.asice")
INFLIGHT=$(cat "$W"/p*.asice | wc -c)

. "$ROOT/tests/bench/lib.sh"
start_itakud
ORIGIN=https://localhost:$PORT
aid=$(sqlite3 "$INST/itaku.db" "SELECT id FROM assignments WHERE org_id = '$ORG' ORDER BY id DESC LIMIT 1")
# the form's token: bound to the certificate, the form and the day, so
# one answer page gives the one every upload of this respondent carries
curl -sS --cacert "$INST/pki/ca.crt" --cert "$P/client.crt" --key "$P/client.key" -o "$W/page.html" \
	"$ORIGIN/assignments/$aid"
tok=$(sed -n 's|.*action="/submissions/upload" enctype="multipart/form-data"><input type="hidden" name="csrf" value="\([^"]*\)".*|\1|p' "$W/page.html")
[[ "$tok" =~ ^[0-9]+\.[0-9a-f]{64}$ ]] || { echo "upload-rss: no upload form token in the answer page"; exit 1; }

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SRV/status"; }
IDLE=$(kb VmRSS)
# a sampler without forks but sleep: the most upload files at once
# (STORE/tmp/, one per body being received or verified), VmRSS and
# its parts, anonymous (the heap) and file-backed (mapped packages)
UP=$INST/store/tmp
(
	shopt -s nullglob
	while :; do
		f=("$UP"/upload.*)
		r='' an='' fb=''
		while read -r k v _; do
			case $k in VmRSS:) r=$v ;; RssAnon:) an=$v ;; RssFile:) fb=$v ;; esac
		done <"/proc/$SRV/status"
		echo "${#f[@]} $r $an $fb"
		sleep 0.05
	done >"$W/samples.txt" 2>/dev/null
) &
SAMPLER=$!

echo "$N clients at once, each one package of $SIZE bytes"
t0=$(date +%s%N)
pids=()
for i in $(seq 1 "$N"); do
	curl -sS -o "$W/r$i.html" -w '%{http_code} %{time_total}\n' --cacert "$INST/pki/ca.crt" \
		--cert "$P/client.crt" --key "$P/client.key" -H "Origin: $ORIGIN" \
		-F "csrf=$tok" -F "package=@$W/p$i.asice;type=application/vnd.etsi.asic-e+zip" \
		"$ORIGIN/submissions/upload" >"$W/s$i.txt" 2>&1 &
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

ok=$(cat "$W"/s*.txt | awk '$1 == 201' | wc -l)
stored=$(sqlite3 "$INST/itaku.db" "SELECT count(*) FROM submissions WHERE org_id = '$ORG'")
read -r most rssmax anon file <<<"$(awk '$1 > m { m = $1 } $2 > r { r = $2; a = $3; f = $4 }
	END { print m + 0, r + 0, a + 0, f + 0 }' "$W/samples.txt")"
threads=$(sed -n 's/^threads *= *//p' "$INST/itaku.conf")
awk -v n="$N" -v ok="$ok" -v st="$stored" -v s="$SIZE" -v fl="$INFLIGHT" -v idle="$IDLE" -v peak="$PEAK" \
	 -v now="$NOW" -v most="$most" -v rmax="$rssmax" -v anon="$anon" -v file="$file" -v th="${threads:-4}" -v ms="$(((t1 - t0) / 1000000))" -v goal="$GOAL" 'BEGIN {
	mb = 1000000
	printf "uploads accepted (201): %d of %d (%d stored), %.1f s for all\n", ok, n, st, ms / 1000
	printf "bytes in flight (reference): %d × %d = %.1f MB; most bodies on disk at once: %d\n", n, s, fl / mb, most
	printf "itakud RSS (threads %d): idle before %.1f MB, peak (VmHWM) %.1f MB, after %.1f MB\n",
		th, idle * 1024 / mb, peak * 1024 / mb, now * 1024 / mb
	printf "  sampled max %.1f MB: heap (RssAnon) %.1f MB, mapped files (RssFile) %.1f MB\n",
		rmax * 1024 / mb, anon * 1024 / mb, file * 1024 / mb
	printf "  peak RSS / bytes in flight: %.3f; (peak - idle) / bytes in flight: %.3f\n",
		peak * 1024 / fl, (peak - idle) * 1024 / fl
	printf "  peak RSS / goal 256 MB: %.2f (goal: < 1.00)\n", peak * 1024 / goal
}'
figure "peak RSS (VmHWM), $N concurrent 20 MB portal uploads (multipart) / 256 MB" '<' 1.0 \
	"$N concurrent POST /submissions/upload, one organisation, demo limits" "$(ratio $((PEAK * 1024)) "$GOAL")"
figure "$N concurrent 20 MB portal uploads: accepted/sent" '≥' 1.0 \
	"$N concurrent POST /submissions/upload, one organisation, demo limits" "$(ratio "$ok" "$N")"
fail=0
if [ "$ok" != "$N" ]; then
	echo "upload-rss: FAILED: $((N - ok)) uploads not accepted:"
	sort "$W"/s*.txt | uniq -c | sort -rn | head -5
	for i in $(seq 1 "$N"); do
		grep -q '^201 ' "$W/s$i.txt" || { grep -o '<code>[a-z_]*</code>' "$W/r$i.html" 2>/dev/null | head -1; }
	done | sort | uniq -c
	fail=1
fi
[ $((PEAK * 1024)) -lt "$GOAL" ] || { echo "upload-rss: FAILED: peak RSS $((PEAK * 1024)) bytes, the goal is < 256 MB"; fail=1; }
exit $fail
