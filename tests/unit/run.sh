#!/bin/sh
# run.sh — runs the unit test binaries (built with ASan+UBSan) and sums up.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$(dirname "$0")/../lsan.supp}"
failed=0
for t in "$@"; do
	if ! "$t"; then
		echo "unit: $t FAILED"
		failed=$((failed + 1))
	fi
done
echo "unit: $# binaries, $failed failed"
[ "$failed" -eq 0 ]
