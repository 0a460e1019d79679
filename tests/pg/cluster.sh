#!/bin/sh
# tests/pg/cluster.sh — a throwaway PostgreSQL cluster for the tests: Debian's
# own server binaries (postgresql-15, not on PATH), initdb in DIR, owned by
# whoever runs this (no root, no system cluster), listening on loopback only
# and on a socket in DIR. Nothing of the machine's PostgreSQL is touched.
#
#   tests/pg/cluster.sh start DIR [PORT]  → prints the libpq URI of database itaku
#   tests/pg/cluster.sh stop DIR
#   tests/pg/cluster.sh restart DIR       (same port; for the outage tests)
#   tests/pg/cluster.sh uri DIR           → the URI again
#
# As root (CI machines, containers) the server runs as nobody: PostgreSQL
# refuses to run as root, and nobody owns nothing else on the machine.
# PORT defaults to a free one chosen from DIR's name. fsync stays on: the
# tests check that what was acknowledged survives, so durability is real.
set -eu

bindir() {
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	echo "cluster.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
	return 1
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# runs a server binary as the cluster's owner
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}

cmd=${1:?usage: cluster.sh start|stop|restart|uri DIR [PORT]}
dir=${2:?usage: cluster.sh start|stop|restart|uri DIR [PORT]}
B=$(bindir)

uri() {
	port=$(cat "$dir/port")
	# the socket directory as host: no TCP needed for the tests' own
	# connections, and no password (trust, on a socket only we can reach)
	echo "postgresql:///itaku?host=$dir/sock&port=$port&user=itaku"
}

case $cmd in
start)
	port=${3:-$(free_port)}
	mkdir -p "$dir/sock"
	chmod 700 "$dir" "$dir/sock"
	[ "$(id -u)" = 0 ] && chown -R nobody:nogroup "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_owner "$B/initdb" -D "$dir/data" -U itaku --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
			>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	fi
	echo "$port" >"$dir/port"
	chmod 644 "$dir/port"
	as_owner "$B/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200 -c shared_buffers=64MB" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	if ! "$B/psql" -h "$dir/sock" -p "$port" -U itaku -d postgres -Atqc \
		"SELECT 1 FROM pg_database WHERE datname = 'itaku'" | grep -q 1; then
		"$B/createdb" -h "$dir/sock" -p "$port" -U itaku itaku
	fi
	uri
	;;
stop)
	[ -f "$dir/data/postmaster.pid" ] && as_owner "$B/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
restart)
	as_owner "$B/pg_ctl" -D "$dir/data" -m fast -w -t 60 restart >/dev/null
	;;
uri)
	uri
	;;
*)
	echo "cluster.sh: unknown command $cmd" >&2
	exit 2
	;;
esac
