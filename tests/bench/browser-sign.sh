#!/usr/bin/env bash
# browser-sign.sh — the issue's figure for signing in the browser: a
# package of 27 items + 10 MiB of evidence built and signed in headless
# Chromium (Debian's chromium through playwright-core, the portal bundle
# as a release itakud serves it under /static/, the respondent's .p12) in
# < 2 s. The work is in browser-sign.mjs: median of RUNS (5) runs of
# unlock + build + sign in the page, against `itaku pack` on the same
# answers, files and key, and WebCrypto's SHA-256 over the 10 MiB, in the
# same run. Fails when the median misses the goal; skipped (exit 0) when
# chromium, NSS's tools, node >= 20.19 or tests/browser's node packages
# are missing (`make deps-browser tests/browser/node_modules/.package-lock.json`
# installs them). Not part of `make check`.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
skip() { echo "browser-sign: skipped: $*"; exit 0; }
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip "no chromium at $CHROMIUM (make deps-browser installs it)"
if ! command -v certutil >/dev/null || ! command -v pk12util >/dev/null; then
	skip "no certutil/pk12util (libnss3-tools; make deps-browser installs it)"
fi
fits() { # NODE: true when it is >= 20.19 (playwright-core's and the bundle's need)
	"$1" -e 'const [a, b] = process.versions.node.split(".").map(Number);
		process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null
}
NODE=
for n in ${NODE_BIN:-} "$(command -v node || true)" "$ROOT/build/node/node_modules/.bin/node"; do
	[ -n "$n" ] && [ -x "$n" ] && fits "$n" && { NODE=$n; break; }
done
[ -n "$NODE" ] || skip "no node >= 20.19 (tests/browser/node.sh installs one)"
[ -d tests/browser/node_modules/playwright-core ] ||
	skip "no tests/browser/node_modules (make tests/browser/node_modules/.package-lock.json)"
W=$(mktemp -d /tmp/itaku-bench-sign.XXXXXX)
SRV=
trap 'kill $SRV 2>/dev/null; rm -rf "$W"' EXIT
bin/itaku init "$W/inst" --demo >/dev/null
INST=$W/inst
. "$ROOT/tests/bench/lib.sh"
start_itakud
W=$W INST=$INST PORT=$PORT ITAKU=$ROOT/bin/itaku CHROMIUM=$CHROMIUM RUNS=${RUNS:-5} \
	"$NODE" tests/bench/browser-sign.mjs
