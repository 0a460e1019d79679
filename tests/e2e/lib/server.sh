# server.sh — start and stop itakud for the end-to-end tests. Sourced.

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# server_start [CONFIG]: starts itakud in the background, waits for /healthz
server_start() {
	local conf=${1:-$INST/itaku.conf}
	PORT=$(free_port)
	BASE=https://localhost:$PORT
	"$ITAKUD" --config "$conf" --port "$PORT" >>"$W/itakud.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 100); do
		if curl -sf --cacert "$INST/pki/ca.crt" "$BASE/healthz" >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$SERVER_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

server_stop() {
	[ -n "${SERVER_PID:-}" ] || return 0
	kill -TERM "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_STATUS=$?
	SERVER_PID=
}

# true when the last server exited 0 without a sanitizer report
server_clean_exit() {
	[ "${SERVER_STATUS:-0}" = 0 ] &&
		! grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$W/itakud.log"
}
