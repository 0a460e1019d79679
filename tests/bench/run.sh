#!/usr/bin/env bash
# run.sh — `make bench`: runs the benchmarks one after another (each also
# runs alone), keeps each one's output in build/bench/NAME.log, and then
# tests/bench/report.py turns every `FIGURE: …` line of them into the table
# of BENCHMARKS.md (updating the rows it measured, keeping the others).
# A benchmark that fails (a goal it checks itself, a refused upload) is
# listed at the end and makes the run fail, after BENCHMARKS.md is written.
#   QUICK=1     fewer rounds, shorter runs (each script says what it does)
#   BENCH="small upload"  only these (names without .sh)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
ALL="verify upload cpu small stmt rss-api upload-rss aggregate chains nodes pages dashboard dashboard-chains browser-sign"
LOGS=build/bench
# the commit measured: the one checked out when the run starts
BENCH_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
export BENCH_COMMIT
mkdir -p "$LOGS"
failed=()
ran=()
for b in ${BENCH:-$ALL}; do
	[ -x "tests/bench/$b.sh" ] || { echo "run: no tests/bench/$b.sh"; failed+=("$b(missing)"); continue; }
	echo "=== $b ($(date -u +%H:%M:%S))"
	t0=$(date +%s)
	QUICK=${QUICK:-0} "tests/bench/$b.sh" 2>&1 | tee "$LOGS/$b.log"
	rc=${PIPESTATUS[0]}
	echo "=== $b: exit $rc, $(($(date +%s) - t0)) s"
	[ "$rc" = 0 ] || failed+=("$b")
	ran+=("$LOGS/$b.log")
done
QUICK=${QUICK:-0} python3 tests/bench/report.py BENCHMARKS.md "${ran[@]}"
if [ ${#failed[@]} -gt 0 ]; then
	echo "run: failed: ${failed[*]} (their logs in $LOGS/)"
	exit 1
fi
