#!/usr/bin/env bash
# stmt.sh — the statement cache (core/db/stmt.c) in process: the lookups of
# an authenticated request (certificate binding, organisation) on the demo
# instance, cached against a fresh prepare each call, in the same run
# (tests/bench/bench_stmt.c). Prints the ratio cached / fresh (lower is
# better) with min/median/max over rounds. Not part of `make check`.
# N=lookups per round, ROUNDS=rounds.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
W=$(mktemp -d /tmp/itaku-bench-stmt.XXXXXX)
trap 'rm -rf "$W"' EXIT
bin/itaku init "$W/inst" --demo >/dev/null
. "$ROOT/tests/bench/lib.sh"
link_itaku "$W/bench_stmt" tests/bench/bench_stmt.c
echo "command: $W/bench_stmt $W/inst/itaku.db ${N:-20000} ${ROUNDS:-15}"
"$W/bench_stmt" "$W/inst/itaku.db" "${N:-20000}" "${ROUNDS:-15}"
