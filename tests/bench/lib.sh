# lib.sh — shared by the HTTP benchmarks (sourced). Needs W (work dir),
# INST (an instance made by `itaku init --demo`) and, for timed, URL.

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
