# snapshot.sh — what a refused request may not change, taken from the
# schema rather than a hand list: every table the database names (a table
# a later migration adds is covered without touching this file), dumped
# whole, plus the files of the package store with their sizes. Left out
# are the records of refusals themselves: audit_log and
# assignment_refusals (a refused upload naming an assignment is written
# there, as it is audited). Sourced by run.sh, after lib/db.sh; limits.py
# reads the same list through snapshot_db.

SNAPSHOT_EXCLUDE="'audit_log', 'assignment_refusals'"

# snapshot_tables DIR: the tables of instance DIR a snapshot covers, one a line
snapshot_tables() {
	if [ "$E2E_BACKEND" = postgresql ]; then
		dbi "$1" "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
			AND table_type = 'BASE TABLE' AND table_name NOT IN ($SNAPSHOT_EXCLUDE) ORDER BY 1"
	else
		sqlite3 -readonly "$1/itaku.db" "SELECT name FROM sqlite_master WHERE type = 'table'
			AND name NOT IN ($SNAPSHOT_EXCLUDE) ORDER BY name"
	fi
}

# snapshot_db DIR: every covered table's schema and rows.
# sqlite: sqlite3 .dump, AUTOINCREMENT counters included, so an id burnt by
# a rolled-back insert shows too. PostgreSQL: each table's columns with
# their types, then its rows sorted by every column (a row rewritten with
# the same values may move on disk), a bytea column as its MD5 (packages
# are stored whole); sequences are left out: PostgreSQL advances them in
# transactions it rolls back, by design, so they are no stored data.
snapshot_db() {
	local t seq=0 args=()
	if [ "$E2E_BACKEND" = postgresql ]; then
		snapshot_pg "$1"
		return
	fi
	for t in $(snapshot_tables "$1"); do
		case "$t" in
		sqlite_sequence) seq=1 ;;
		*) args+=(".dump '$t'") ;;
		esac
	done
	[ ${#args[@]} -gt 0 ] || { echo "snapshot: no tables in $1" >&2; return 1; }
	[ $seq = 0 ] || args+=("SELECT name, seq FROM sqlite_sequence
		WHERE name NOT IN ($SNAPSHOT_EXCLUDE) ORDER BY name;")
	sqlite3 -readonly "$1/itaku.db" "${args[@]}"
}

snapshot_pg() { # DIR
	local cols sql
	cols=$(dbi "$1" "SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = 'public' AND table_name IN (SELECT table_name FROM information_schema.tables
			WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
		AND table_name NOT IN ($SNAPSHOT_EXCLUDE) ORDER BY table_name, ordinal_position") || return 1
	[ -n "$cols" ] || { echo "snapshot: no tables in $1" >&2; return 1; }
	echo "$cols"
	# one SELECT per table: SELECT 'T', c1, md5(c2), … FROM T ORDER BY 2, 3, …
	sql=$(awk -F'|' '
		function flush() { if (t != "") { printf "SELECT %s FROM \"%s\" ORDER BY %s;\n", sel, t, ord } }
		$1 != t { flush(); t = $1; sel = "'"'"'" t "'"'"'"; ord = ""; n = 1 }
		{ n++; sel = sel ", " ($3 == "bytea" ? "md5(\"" $2 "\")" : "\"" $2 "\""); ord = ord (ord == "" ? "" : ", ") n }
		END { flush() }' <<<"$cols")
	dbi "$1" "$sql"
}

# snapshot_store DIR: every file of the package store (tmp/ too), with its size
snapshot_store() {
	(cd "$1" && find . -type f -printf '%p %s\n' | sort)
}

# snapshot [INSTANCE]: database and store of the instance ($INST by default)
snapshot() {
	local inst=${1:-$INST}
	snapshot_db "$inst" && snapshot_store "$inst/store"
}
