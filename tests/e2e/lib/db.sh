# db.sh — the end-to-end tests' one way to an instance's database, on
# either backend (ITAKU_E2E_BACKEND: sqlite, the default, or postgresql):
# queries with sqlite3's list output whichever answers them, the few SQL
# spellings the two do not share, new and copied instances (each with a
# database of its own), and the stored package bytes. Sourced by run.sh
# (and by lib/snapshot.sh's users). Scripts never call sqlite3 or psql
# themselves: a script that is about the sqlite file itself says
# `# backends: sqlite` near its top and is skipped on PostgreSQL.
#
# On PostgreSQL, run.sh starts a throwaway cluster (tests/pg/cluster.sh)
# and exports ITAKU_E2E_PG_URI, the database of the shared instance; an
# instance names its database in its itaku.conf ([storage] postgresql).

E2E_BACKEND=${ITAKU_E2E_BACKEND:-sqlite}

# Debian's client of the same version as the server cluster.sh runs
pg_bin() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/psql" ] && { echo "$d"; return 0; }
	done
	echo psql-not-found
}
PG_BIN=$(pg_bin)

# inst_pg_uri DIR: the libpq URI instance DIR's configuration names
inst_pg_uri() {
	sed -n 's/^[[:space:]]*postgresql[[:space:]]*=[[:space:]]*//p' "$1/itaku.conf" | tail -n 1
}

# psql as the tests use it: no psqlrc, unaligned, tuples only, '|' between
# columns (NULL is empty, as with sqlite3), no command tags, stop at the
# first error; the SQL on standard input, so that several statements run
# one after another as sqlite3 runs them, each printing its rows
pg_sql() { # URI < SQL
	PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" "$1" -X -q -At -F'|' -v ON_ERROR_STOP=1 -f -
}

# dbi DIR SQL: SQL on the database of instance DIR; rows as sqlite3's
# default list mode prints them (one a line, '|' between columns)
dbi() {
	if [ "$E2E_BACKEND" = postgresql ]; then
		pg_sql "$(inst_pg_uri "$1")" <<<"$2"
	else
		sqlite3 "$1/itaku.db" "$2"
	fi
}

# dbq SQL: dbi on the shared instance $INST
dbq() { dbi "$INST" "$1"; }

# SQL spellings the backends do not share (sqlite 3.40, PostgreSQL 15)
sql_hex() { # EXPR (a blob) → its bytes in upper-case hex
	if [ "$E2E_BACKEND" = postgresql ]; then echo "upper(encode($1, 'hex'))"; else echo "hex($1)"; fi
}
sql_blob() { # HEX → a blob literal of those bytes
	if [ "$E2E_BACKEND" = postgresql ]; then echo "'\\x$1'::bytea"; else echo "x'$1'"; fi
}
sql_chr() { # N → the one character of code point N
	if [ "$E2E_BACKEND" = postgresql ]; then echo "chr($1)"; else echo "char($1)"; fi
}

# pg_uri_of NAME: the URI of database NAME on the test cluster
pg_uri_of() {
	sed "s|^postgresql:///[^?]*|postgresql:///$1|" <<<"$ITAKU_E2E_PG_URI"
}

# pg_newdb DIR: a new, empty database on the test cluster for instance DIR
# (named after it, numbered: scripts reuse names); its URI
pg_newdb() {
	local n name
	n=$(($(cat "$W/pgdb.n" 2>/dev/null || echo 0) + 1))
	echo "$n" >"$W/pgdb.n"
	name=i${n}_$(basename "$1" | tr -c 'a-z0-9\n' _ | head -c 40)
	pg_sql "$ITAKU_E2E_PG_URI" <<<"CREATE DATABASE $name" >/dev/null || return 1
	pg_uri_of "$name"
}

# inst_set_uri DIR URI: points instance DIR's configuration at database URI
inst_set_uri() {
	local conf=$1/itaku.conf
	awk -v u="$2" '/^[[:space:]]*postgresql[[:space:]]*=/ { print "postgresql = " u; next } { print }' \
		"$conf" >"$conf.new" && mv "$conf.new" "$conf"
}

# inst_init DIR [itaku init options…]: `itaku init DIR`; on PostgreSQL with
# a database of its own, or the one $E2E_INIT_URI names (`itaku init
# --postgresql URI` writes [storage] backend = postgresql and postgresql =
# URI, and creates the schema and the demo there)
inst_init() {
	local dir=$1 uri=${E2E_INIT_URI:-}
	shift
	if [ "$E2E_BACKEND" = postgresql ]; then
		[ -n "$uri" ] || uri=$(pg_newdb "$dir") || return 1
		"$ITAKU" init "$dir" --postgresql "$uri" "$@"
	else
		"$ITAKU" init "$dir" "$@"
	fi
}

# inst_copy SRC DST: a copy of instance SRC (configuration, pki, store)
# with a consistent copy of its database, taken while its server runs:
# sqlite3 .backup of the file, pg_dump into a new database the copy's
# configuration names. DST must not exist.
inst_copy() {
	local src=$1 dst=$2 uri
	cp -a "$src" "$dst" || return 1
	rm -f "$dst"/itaku.db "$dst"/itaku.db-wal "$dst"/itaku.db-shm "$dst"/itaku.db.lock
	if [ "$E2E_BACKEND" = postgresql ]; then
		uri=$(pg_newdb "$dst") || return 1
		"$PG_BIN/pg_dump" --no-owner --no-privileges "$(inst_pg_uri "$src")" | pg_sql "$uri" >/dev/null ||
			return 1
		inst_set_uri "$dst" "$uri"
	else
		sqlite3 "$src/itaku.db" ".backup '$dst/itaku.db'"
	fi
}

# The stored bytes of package SHA (hex SHA-256) of instance DIR: a file
# under store/ on sqlite; on PostgreSQL a row of objects (sha256 the hex
# text, bytes bytea), so that replication and pg_dump cover them.
pkg_has() { # DIR SHA: true when the package is stored
	if [ "$E2E_BACKEND" = postgresql ]; then
		[ "$(dbi "$1" "SELECT count(*) FROM objects WHERE sha256 = '$2'")" = 1 ]
	else
		[ -f "$1/store/${2:0:2}/$2" ]
	fi
}
pkg_read() { # DIR SHA > bytes
	if [ "$E2E_BACKEND" = postgresql ]; then
		dbi "$1" "SELECT encode(bytes, 'hex') FROM objects WHERE sha256 = '$2'" | xxd -r -p
	else
		cat "$1/store/${2:0:2}/$2"
	fi
}
pkg_write() { # DIR SHA < bytes: replaces what is stored (to damage it, or put it back)
	if [ "$E2E_BACKEND" = postgresql ]; then
		{ printf "UPDATE objects SET bytes = decode('"; xxd -p | tr -d '\n'; printf "', 'hex') WHERE sha256 = '%s'" "$2"; } |
			pg_sql "$(inst_pg_uri "$1")"
	else
		local f=$1/store/${2:0:2}/$2
		chmod u+w "$f" && cat >"$f" && chmod 0400 "$f"
	fi
}
pkg_clear() { # DIR: every stored package gone (an instance copied without its packages)
	if [ "$E2E_BACKEND" = postgresql ]; then
		dbi "$1" "DELETE FROM objects"
	else
		rm -rf "$1/store" && mkdir "$1/store"
	fi
}
