#!/bin/sh
# run.sh — runs the unit test binaries (built with ASan+UBSan) and sums up
# the tests they report: "unit: N passed, M skipped, K failed". cmocka's
# skip() is counted apart, never as passed. A binary that exits non-zero
# without reporting a failed test (a sanitizer report, a crash, a failed
# group set-up) counts as one failure, and so does one that reports no
# test at all.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$(dirname "$0")/../lsan.supp}"
log=$(mktemp /tmp/itaku-unit.XXXXXX)
trap 'rm -f "$log"' EXIT
passed=0 skipped=0 failed=0 bad=""
# count LABEL: the N of cmocka's "[  LABEL ] N test(s)." summary line
count() { sed -n "s/^\[ *$1 *\] \([0-9]*\) test.*/\1/p" "$log" | awk '{ s += $1 } END { print s + 0 }'; }
for t in "$@"; do
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(count PASSED) s=$(count SKIPPED) f=$(count FAILED)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	elif [ "$rc" -eq 0 ] && [ $((p + s)) -eq 0 ]; then
		echo "unit: $t ran no test"
		f=1
	fi
	passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		echo "unit: $t FAILED (exit $rc)"
		bad="$bad $t"
	fi
	[ "$s" -eq 0 ] || echo "unit: $t: $s skipped"
done
[ -z "$bad" ] || echo "unit: failed:$bad"
echo "unit: $# binaries; $passed passed, $skipped skipped, $failed failed"
[ "$failed" -eq 0 ]
