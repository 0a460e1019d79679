#!/usr/bin/env bash
# test_migrations.sh — migrations.py finds what it must (so that its
# silence on the real tree means something): a tree with one of each
# problem, then a clean one. Run by `make lint` before the check.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/itaku-migrations.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "test_migrations: $*"; exit 1; }
M=$T/core/db/migrations
mkdir -p "$M/pg"
for n in 001 002 003; do : >"$M/$n.sql"; done
for n in 001 002 004; do : >"$M/pg/$n.sql"; done
: >"$M/pg/notes.txt"
want="$M/pg/notes.txt: not a migration (NNN.sql)
$M/pg: 004.sql where 003.sql belongs: number them without gaps
$M/003.sql: no $M/pg/003.sql
$M/pg/004.sql: no $M/004.sql
migrations: 4 problems"
got=$(python3 "$HERE/migrations.py" "$T") && fail "exit 0 with problems"
[ "$got" = "$want" ] || fail "$(diff <(echo "$want") <(echo "$got"))"
rm "$M/pg/notes.txt" "$M/pg/004.sql"
got=$(python3 "$HERE/migrations.py" "$T") && fail "exit 0 with pg/003.sql missing: $got"
: >"$M/pg/003.sql"
got=$(python3 "$HERE/migrations.py" "$T") || fail "clean tree: $got"
[ -z "$got" ] || fail "clean tree printed: $got"
