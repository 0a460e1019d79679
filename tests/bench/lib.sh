# lib.sh — shared by the HTTP benchmarks (sourced). Needs W (work dir),
# INST (an instance made by `itaku init --demo`) and, for timed, URL.

# link_itaku OUT SRC: a benchmark's own program (tests/bench/*.c) built
# against the release library, with the Makefile's PKGS (one list: a
# backend added to the server is added here too)
link_itaku() {
	local pkgs
	pkgs=$(sed -n 's/^PKGS = //p' "$ROOT/Makefile")
	# shellcheck disable=SC2086 # the lists are words
	cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$ROOT" -I"$ROOT/build/gen" $(pkg-config --cflags libxml-2.0 jansson) \
		-o "$1" "$2" "$ROOT/build/rel/libitaku.a" $(pkg-config --libs $pkgs) -lpthread -lm
}

# start_itakud: a release itakud on a free loopback port; sets PORT, SRV,
# CURL (curl with the demo admin's certificate)
start_itakud() {
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	bin/itakud --config "$INST/itaku.conf" --port "$PORT" 2>"$W/itakud.log" &
	SRV=$!
	until curl -sf --cacert "$INST/pki/ca.crt" "https://localhost:$PORT/healthz" >/dev/null; do sleep 0.1; done
	local a=$INST/pki/8999900000001
	CURL=(curl -s --cacert "$INST/pki/ca.crt" --cert "$a/client.crt" --key "$a/client.key")
}

# stats FILE: "median p99 max" in ms of the time_total column, the first
# row (connection set-up) left out
stats() {
	tail -n +2 "$1" | awk '{print $1 * 1000}' | sort -n | awk '
		{ v[NR] = $1 }
		END { p = int(NR * 0.99 + 0.5); if (p < 1) p = 1
		      printf "%.2f %.2f %.2f", v[int((NR + 1) / 2)], v[p], v[NR] }'
}

# timed N QUERY: N+1 requests to $URL$QUERY on one keep-alive connection
# (curl with many URLs reuses it); per request: time_total, connects,
# status, size in $W/t.txt. Fails when a request does.
timed() {
	local n=$1 q=$2 args=()
	for _ in $(seq 0 "$n"); do args+=(-o /dev/null "$URL$q"); done
	"${CURL[@]}" -w '%{time_total} %{num_connects} %{http_code} %{size_download}\n' "${args[@]}" >"$W/t.txt"
	awk 'NR > 1 && $2 != 0 { c++ } $3 != 200 { e++ }
	     END { if (c) print "warning: " c " requests opened a new connection"
	           if (e) { print e " requests failed"; exit 1 } }' "$W/t.txt"
}

# size: bytes of the first measured response
size() { sed -n 2p "$W/t.txt" | cut -d' ' -f4; }

# free_port: a free loopback TCP port
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# quick: true under QUICK=1 (make bench QUICK=1): fewer rounds, shorter runs
quick() { [ "${QUICK:-0}" = 1 ]; }

# figure NAME OP GOAL REFERENCE V...: the one line run.sh collects for
# BENCHMARKS.md, with min/median/max of the rounds' ratios V:
#   FIGURE: NAME ratio min/median/max = a/b/c (goal OP GOAL) reference: REFERENCE
figure() {
	local name=$1 op=$2 goal=$3 ref=$4
	shift 4
	printf '%s\n' "$@" | sort -g | awk -v n="$name" -v op="$op" -v g="$goal" -v ref="$ref" '
		{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "FIGURE: %s ratio min/median/max = %.3f/%.3f/%.3f (goal %s %s) reference: %s\n",
		             n, v[1], m, v[NR], op, g, ref }'
}

# ratio A B: A / B with 3 decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

# cpu_ticks PID: utime + stime of a process, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# make_packages N BYTES ORG DIR: N campaigns (ipa-benchmark@1), each with
# ORG's own assignment and so its own nonce, and DIR/pI.asice, ORG's
# signed answers to it with BYTES of random evidence (evidence/scan.pdf).
# Uses INST. Not timed by any benchmark.
make_packages() {
	local n=$1 bytes=$2 org=$3 dir=$4 i cid
	local c=(--config "$INST/itaku.conf") p=$INST/pki/$3
	mkdir -p "$dir"
	head -c "$bytes" /dev/urandom >"$dir/scan.pdf"
	for i in $(seq 1 "$n"); do
		cid=$(bin/itaku campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "bench $i" "${c[@]}")
		bin/itaku campaign assign "$cid" "$org" "${c[@]}" >/dev/null
		bin/itaku template --campaign "$cid" --org "$org" --output "$dir/a.xml" "${c[@]}"
		sed -i -e 's|<item id="1.1" level=""/>|<item id="1.1" level="4"><evidence ref="evidence/scan.pdf"/></item>|' \
			-e 's/level=""/level="4"/' "$dir/a.xml"
		bin/itaku pack --answers "$dir/a.xml" --evidence "$dir/scan.pdf" --cert "$p/client.crt" \
			--key "$p/client.key" -o "$dir/p$i.asice" >/dev/null
	done
}

# The PostgreSQL runs (BACKENDS="sqlite postgresql", the default of the
# scale benchmarks): a throwaway cluster (tests/pg/cluster.sh, fsync on,
# Debian's defaults otherwise) in a directory of its own under /tmp (as
# root the server runs as nobody, who cannot enter $W), started once by
# pg_start, stopped and removed by pg_stop (the scripts' EXIT trap calls
# it; a no-op when not started).
PGURI=
PGDIR=
pg_start() {
	[ -n "$PGURI" ] && return 0
	PGDIR=$(mktemp -d /tmp/itaku-bench-pg.XXXXXX)
	PGURI=$("$ROOT/tests/pg/cluster.sh" start "$PGDIR")
}
pg_stop() {
	[ -n "$PGDIR" ] || return 0
	"$ROOT/tests/pg/cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true
	rm -rf "$PGDIR"
	PGURI=
	PGDIR=
}

# backend_name B: how a figure names backend B ("" for sqlite, the
# figures' names from before there were two)
backend_name() { [ "$1" = sqlite ] || echo ", PostgreSQL"; }

# to_pg FROM TO: instance TO, a copy of the generated sqlite instance FROM
# whose rows are in the cluster's database (emptied first), configured
# for it; tests/bench/pgload.c built as $W/pgload
to_pg() {
	pg_start
	[ -x "$W/pgload" ] || link_itaku "$W/pgload" "$ROOT/tests/bench/pgload.c"
	rm -rf "$2"
	cp -r "$1" "$2"
	rm -f "$2/itaku.db" "$2/itaku.db-wal" "$2/itaku.db-shm"
	psql -q "$PGURI" -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public" 2>/dev/null
	printf '\n[storage]\nbackend = postgresql\npostgresql = %s\n' "$PGURI" >>"$2/itaku.conf"
	local a b
	a=$(date +%s)
	"$W/pgload" "$1/itaku.db" "$PGURI"
	b=$(date +%s)
	echo "PostgreSQL: rows loaded in $((b - a)) s ($(psql -At "$PGURI" -c 'SELECT pg_size_pretty(pg_database_size(current_database()))'))"
}
