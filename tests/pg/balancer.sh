#!/bin/sh
# tests/pg/balancer.sh — a real TCP balancer on loopback for the tests and
# benchmarks with several itakud: nginx's stream module passing TLS
# through (so the client certificate still reaches itakud), round robin,
# a node that refuses connections skipped for a second. Its own prefix in
# DIR (config, pid, logs); as root the master runs as nobody, like the
# PostgreSQL cluster. Needs Debian's nginx + libnginx-mod-stream.
#
#   tests/pg/balancer.sh start DIR LISTEN-PORT NODE-PORT...   (returns at once)
#   tests/pg/balancer.sh stop DIR
set -eu
cmd=${1:?usage: balancer.sh start DIR PORT NODE-PORT... | stop DIR}
dir=${2:?usage: balancer.sh start DIR PORT NODE-PORT... | stop DIR}

as_nobody() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi; }

case $cmd in
start)
	port=${3:?balancer.sh start: the port to listen on}
	shift 3
	[ $# -gt 0 ] || { echo "balancer.sh start: no node ports" >&2; exit 2; }
	mkdir -p "$dir/logs"
	servers=
	for p in "$@"; do
		servers="$servers		server 127.0.0.1:$p max_fails=1 fail_timeout=1s;
"
	done
	cat >"$dir/nginx.conf" <<EOX
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 1;
events { worker_connections 1024; }
stream {
	upstream itaku {
$servers	}
	server {
		listen 127.0.0.1:$port;
		proxy_pass itaku;
		proxy_connect_timeout 1s;
		proxy_next_upstream on;
	}
}
EOX
	[ "$(id -u)" = 0 ] && chown -R nobody:nogroup "$dir"
	as_nobody nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
		-g "daemon off; pid $dir/nginx.pid; error_log $dir/error.log;" >>"$dir/stdout.log" 2>&1 &
	echo $! >"$dir/master.pid"
	;;
stop)
	[ -f "$dir/master.pid" ] || exit 0
	kill -TERM "$(cat "$dir/master.pid")" 2>/dev/null || true
	rm -f "$dir/master.pid"
	;;
*)
	echo "usage: balancer.sh start DIR PORT NODE-PORT... | stop DIR" >&2
	exit 2
	;;
esac
