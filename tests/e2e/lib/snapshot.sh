# snapshot.sh — what a refused request may not change, taken from the
# schema rather than a hand list: every table sqlite_master names (a table
# a later migration adds is covered without touching this file), dumped
# whole, plus the files of the package store with their sizes. Left out
# are the records of refusals themselves: audit_log and
# assignment_refusals (a refused upload naming an assignment is written
# there, as it is audited). Sourced by run.sh; limits.py reads the same
# list through snapshot_tables.

SNAPSHOT_EXCLUDE="'audit_log', 'assignment_refusals'"

# snapshot_tables DB: the tables a snapshot covers, one a line
snapshot_tables() {
	sqlite3 -readonly "$1" "SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT IN ($SNAPSHOT_EXCLUDE) ORDER BY name"
}

# snapshot_db DB: every covered table's schema and rows (sqlite3 .dump),
# AUTOINCREMENT counters included, so an id burnt by a rolled-back insert
# shows too
snapshot_db() {
	local t seq=0 args=()
	for t in $(snapshot_tables "$1"); do
		case "$t" in
		sqlite_sequence) seq=1 ;;
		*) args+=(".dump '$t'") ;;
		esac
	done
	[ ${#args[@]} -gt 0 ] || { echo "snapshot: no tables in $1" >&2; return 1; }
	[ $seq = 0 ] || args+=("SELECT name, seq FROM sqlite_sequence
		WHERE name NOT IN ($SNAPSHOT_EXCLUDE) ORDER BY name;")
	sqlite3 -readonly "$1" "${args[@]}"
}

# snapshot_store DIR: every file of the package store (tmp/ too), with its size
snapshot_store() {
	(cd "$1" && find . -type f -printf '%p %s\n' | sort)
}

# snapshot [INSTANCE]: database and store of the instance ($INST by default)
snapshot() {
	local inst=${1:-$INST}
	snapshot_db "$inst/itaku.db" && snapshot_store "$inst/store"
}
