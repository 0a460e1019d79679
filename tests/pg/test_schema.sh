#!/bin/sh
# tests/pg/test_schema.sh — the PostgreSQL migrations (core/db/migrations/
# pg/NNN.sql) make sqlite's schema (core/db/migrations/NNN.sql): a throwaway
# cluster (tests/pg/cluster.sh), and in it a database whose default
# collation is ICU en-US, not bytes, so that a text column without
# COLLATE "C" sorts differently from sqlite and is caught; the comparison
# itself is tests/pg/schema_compare.py (what it checks: its docstring).
# Run by `make pgschema` (part of `make check`). Exit 0 when all agree.
# MIGRATIONS=DIR compares the NNN.sql and pg/NNN.sql of DIR instead (to
# see the test fail on a broken copy).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/itaku-pgschema.XXXXXX)
# the cluster's owner (nobody, under root) must reach its directory
chmod 711 "$T"
trap '"$ROOT/tests/pg/cluster.sh" stop "$T/pg" || true; rm -rf "$T"' EXIT INT TERM
uri=$("$ROOT/tests/pg/cluster.sh" start "$T/pg")
psql "$uri" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE schema_icu TEMPLATE template0
 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
python3 "$ROOT/tests/pg/schema_compare.py" "$(echo "$uri" | sed 's|:///itaku?|:///schema_icu?|')" \
	"$T/sqlite.db" "${MIGRATIONS:-$ROOT/core/db/migrations}"
