#!/usr/bin/env bash
# upload.sh — an upload over mutual TLS against the shell pipeline that
# does the checks by hand, in one run, on the same packages. itaku: POST
# /api/v1/submissions of real signed packages (`itaku pack`, the
# respondent's answers + 1 MiB of random evidence; each its own campaign
# and so its own nonce, prepared before and not timed) to a release itakud
# (demo instance), sequential and 8 clients in parallel, each with a new
# connection per upload (`Connection: close`) or keep-alive (one curl
# process per client, its uploads joined by --next). Every upload must be
# accepted (201). The reference: per package `unzip` + `openssl cms
# -verify` of the manifest + `sha256sum` of the package and its entries +
# `xmllint --schema answers.xsd`, sequential and by 8 workers. Per round:
# wall time per package, pipeline / itaku (goal >= 5).
# QUICK=1: 3 rounds, 8 sequential and 8 × 2 parallel uploads per case
# (else 3 rounds, 16 and 8 × 4). Not part of `make check`.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
. tests/bench/lib.sh
ROUNDS=${ROUNDS:-3}
if quick; then SEQ=${SEQ:-8} PER=${PER:-2}; else SEQ=${SEQ:-16} PER=${PER:-4}; fi
PAR=8
W=$(mktemp -d /tmp/itaku-bench-up.XXXXXX)
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
PER_ROUND=$((2 * SEQ + 2 * PAR * PER))
TOTAL=$((ROUNDS * PER_ROUND))
echo "packing $TOTAL packages, each its own campaign and nonce, 1 MiB evidence (not timed)"
make_packages "$TOTAL" 1048576 "$ORG" "$W/pkg"
SIZE=$(stat -c %s "$W/pkg/p1.asice")
echo "package $SIZE bytes; $ROUNDS rounds; sequential $SEQ, parallel $PAR clients × $PER per case"
start_itakud
URL=https://localhost:$PORT/api/v1/submissions
XSD=$ROOT/forms/schema/answers.xsd

# client MODE I...: one curl process uploading packages I... in order,
# new connection each (MODE new) or one kept alive (MODE ka); prints
# "code connects" per upload
client() {
	local mode=$1 args=() first=1 i
	shift
	for i in "$@"; do
		[ $first = 1 ] || args+=(--next)
		first=0
		args+=(-s -o /dev/null -w '%{http_code} %{num_connects}\n' --cacert "$INST/pki/ca.crt"
			--cert "$P/client.crt" --key "$P/client.key"
			-H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$W/pkg/p$i.asice")
		[ "$mode" = ka ] || args+=(-H 'Connection: close')
		args+=("$URL")
	done
	curl "${args[@]}"
}

# pipeline I...: the checks by hand on packages I..., one after another
pipeline() {
	local i d
	for i in "$@"; do
		d=$(mktemp -d "$W/ref.XXXXXX")
		(
			cd "$d"
			unzip -q "$W/pkg/p$i.asice"
			openssl cms -verify -binary -inform DER -content META-INF/ASiCManifest.xml \
				-in META-INF/signature.p7s -CAfile "$INST/pki/ca.crt" -out /dev/null 2>/dev/null
			sha256sum "$W/pkg/p$i.asice" answers.xml evidence/* >/dev/null
			xmllint --noout --schema "$XSD" answers.xml 2>/dev/null
		) || { echo "upload: the pipeline refused package $i" >&2; exit 1; }
		rm -rf "$d"
	done
}

now() { date +%s%N; }
# per_ms T0 T1 N: milliseconds per package
per_ms() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (b - a) / 1e6 / n }'; }

# itaku_case MODE FIRST CLIENTS PER: CLIENTS clients at once, PER uploads
# each from package FIRST on; prints ms per upload, fails unless all 201
itaku_case() {
	local mode=$1 first=$2 n=$3 per=$4 c t0 t1 pids=()
	t0=$(now)
	for c in $(seq 0 $((n - 1))); do
		client "$mode" $(seq $((first + c * per)) $((first + c * per + per - 1))) >"$W/c$c.txt" &
		pids+=($!)
	done
	for c in "${pids[@]}"; do wait "$c"; done
	t1=$(now)
	local bad conns
	bad=$(cat "$W"/c*.txt | awk '$1 != 201' | wc -l)
	conns=$(cat "$W"/c*.txt | awk '{ s += $2 } END { print s }')
	if [ "$bad" != 0 ]; then
		echo "upload: $bad uploads not accepted:" >&2
		cat "$W"/c*.txt | sort | uniq -c >&2
		return 1
	fi
	[ "$mode" = ka ] && [ "$conns" != "$n" ] && echo "  warning: keep-alive opened $conns connections for $n clients" >&2
	[ "$mode" = new ] && [ "$conns" != $((n * per)) ] && echo "  warning: $conns connections for $((n * per)) uploads" >&2
	rm -f "$W"/c*.txt
	per_ms "$t0" "$t1" $((n * per))
}

# pipeline_case FIRST WORKERS PER: the same split by hand
pipeline_case() {
	local first=$1 n=$2 per=$3 c t0 t1 pids=()
	t0=$(now)
	for c in $(seq 0 $((n - 1))); do
		pipeline $(seq $((first + c * per)) $((first + c * per + per - 1))) &
		pids+=($!)
	done
	for c in "${pids[@]}"; do wait "$c"; done
	t1=$(now)
	per_ms "$t0" "$t1" $((n * per))
}

declare -A R
next=1
for r in $(seq 1 "$ROUNDS"); do
	ps=$(pipeline_case "$next" 1 "$SEQ")
	pp=$(pipeline_case "$next" "$PAR" "$PER")
	for mode in new ka; do
		s=$(itaku_case "$mode" "$next" 1 "$SEQ")
		next=$((next + SEQ))
		p=$(itaku_case "$mode" "$next" "$PAR" "$PER")
		next=$((next + PAR * PER))
		printf 'round %d %-3s  sequential: itaku %7.2f ms, pipeline %7.2f ms per package   %d parallel: itaku %7.2f ms, pipeline %7.2f ms\n' \
			"$r" "$mode" "$s" "$ps" "$PAR" "$p" "$pp"
		R[seq,$mode]+=" $(ratio "$ps" "$s")"
		R[par,$mode]+=" $(ratio "$pp" "$p")"
	done
done
REF="unzip + openssl cms -verify + sha256sum + xmllint --schema on the same packages, same parallelism"
# shellcheck disable=SC2086
{
	figure "upload 1 MiB over mTLS, sequential, new connection: pipeline/itaku" '≥' 5 "$REF" ${R[seq,new]}
	figure "upload 1 MiB over mTLS, sequential, keep-alive: pipeline/itaku" '≥' 5 "$REF" ${R[seq,ka]}
	figure "upload 1 MiB over mTLS, $PAR parallel, new connection: pipeline/itaku" '≥' 5 "$REF" ${R[par,new]}
	figure "upload 1 MiB over mTLS, $PAR parallel, keep-alive: pipeline/itaku" '≥' 5 "$REF" ${R[par,ka]}
}
