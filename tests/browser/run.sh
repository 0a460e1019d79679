#!/usr/bin/env bash
# run.sh — the real-browser tests. Makes a demo instance with the ASan
# itaku, starts the ASan itakud on a free loopback port, runs the node:test
# files of t/ (Debian's chromium through playwright-core, see lib.mjs), stops
# the server it started (by PID) and fails on a sanitizer report.
#   ITAKUD, ITAKU   the binaries (make browser: the ASan builds)
#   NODE            the node to run (make browser: >= 20.19)
#   KEEP=1          keep the working directory; ONLY=substring: matching t/ files
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ITAKUD=$(cd "$ROOT" && realpath "${ITAKUD:-build/asan/bin/itakud}")
ITAKU=$(cd "$ROOT" && realpath "${ITAKU:-build/asan/bin/itaku}")
NODE=${NODE:-node}
W=$(mktemp -d /tmp/itaku-browser.XXXXXX)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}
SERVER_PID=

cleanup() {
	[ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	[ "${KEEP:-0}" = 1 ] && echo "browser: kept $W" || rm -rf "$W"
}
trap cleanup EXIT

INST=$W/inst
"$ITAKU" init "$INST" --demo-questionnaire ipa-benchmark@1 >/dev/null || { echo "browser: itaku init failed"; exit 1; }
cat >>"$INST/itaku.conf" <<EOX

[limits]
enrol_per_minute = 100000
requests_per_minute = 0
EOX
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$ITAKUD" --config "$INST/itaku.conf" --port "$PORT" >>"$W/itakud.log" 2>&1 &
SERVER_PID=$!
up=0
for _ in $(seq 1 100); do
	curl -sf --cacert "$INST/pki/ca.crt" "https://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && { up=1; break; }
	kill -0 "$SERVER_PID" 2>/dev/null || break
	sleep 0.1
done
[ $up = 1 ] || { echo "browser: itakud did not start"; cat "$W/itakud.log"; exit 1; }

files=()
for f in "$HERE"/t/*.test.mjs; do
	[ -n "${ONLY:-}" ] && [[ "$(basename "$f")" != *$ONLY* ]] && continue
	files+=("$f")
done
W=$W INST=$INST PORT=$PORT ITAKU=$ITAKU \
	"$NODE" --test --test-concurrency=1 --test-timeout=120000 "${files[@]}"
rc=$?

kill -TERM "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID"
status=$?
SERVER_PID=
if [ "$status" != 0 ] || grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$W/itakud.log"; then
	echo "browser: itakud exited $status or with a sanitizer report:"
	tail -40 "$W/itakud.log"
	rc=1
fi
exit $rc
