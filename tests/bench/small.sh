#!/usr/bin/env bash
# small.sh — small authenticated requests against nginx over the same
# mutual TLS, in one run: GET /api/v1/assignments (the respondent's list)
# and GET /healthz on a release itakud (demo instance), 1 and 8 clients,
# keep-alive, driven by ApacheBench (`ab -k -E` with the respondent's
# certificate and key in one PEM). The reference: nginx on another
# loopback port serving each response body, fetched once from itakud, as a
# static file, with the instance's server certificate and key and
# `ssl_verify_client on` against the instance's CA, the same ab settings.
# Per round and case: requests/s itaku / nginx (goal >= 0.5 for the list,
# >= 1.0 for /healthz) and p99 itaku / nginx (goal <= 2.0).
# The demo's requests_per_minute (1200 per organisation) would answer 429
# within a second of load: it is set to 0 here, and said so.
# QUICK=1: 3 rounds of 2 s per case (else 5 rounds of 5 s). Not part of
# `make check`.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
. tests/bench/lib.sh
if quick; then ROUNDS=${ROUNDS:-3} SECS=${SECS:-2}; else ROUNDS=${ROUNDS:-5} SECS=${SECS:-5}; fi
W=$(mktemp -d /tmp/itaku-bench-small.XXXXXX)
SRV=
NGX=
trap 'set +e; kill $SRV $NGX 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
INST=$W/inst
bin/itaku init "$INST" --demo >/dev/null
sed -i 's/^# requests_per_minute = .*/&\nrequests_per_minute = 0/' "$INST/itaku.conf"
echo "limit raised for this benchmark: requests_per_minute = 0 (no per-organisation limit; demo default 1200)"
ORG=7999900000002
P=$INST/pki/$ORG
cat "$P/client.crt" "$P/client.key" >"$W/client.pem"
start_itakud

# the bodies, once, as nginx's static files
mkdir -p "$W/www/api/v1" "$W/nginx/tmp"
A=(--cert "$P/client.crt" --key "$P/client.key" --cacert "$INST/pki/ca.crt")
curl -sf "${A[@]}" -o "$W/www/api/v1/assignments" "https://localhost:$PORT/api/v1/assignments"
curl -sf "${A[@]}" -o "$W/www/healthz" "https://localhost:$PORT/healthz"

NPORT=$(free_port)
user=
[ "$(id -u)" -ne 0 ] || user="user $(id -un) $(id -gn);"
cat >"$W/nginx/nginx.conf" <<EOF
daemon off;
$user
worker_processes $(nproc);
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $W/nginx/tmp/body;
	proxy_temp_path $W/nginx/tmp/proxy;
	fastcgi_temp_path $W/nginx/tmp/fastcgi;
	uwsgi_temp_path $W/nginx/tmp/uwsgi;
	scgi_temp_path $W/nginx/tmp/scgi;
	keepalive_requests 10000000;
	keepalive_timeout 60s;
	types { }
	default_type application/json;
	server {
		listen 127.0.0.1:$NPORT ssl;
		ssl_protocols TLSv1.2 TLSv1.3;
		ssl_certificate $INST/pki/server.crt;
		ssl_certificate_key $INST/pki/server.key;
		ssl_client_certificate $INST/pki/ca.crt;
		ssl_verify_client on;
		root $W/www;
	}
}
EOF
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -e "$W/nginx/error.log" &
NGX=$!
until curl -sf "${A[@]}" -o /dev/null "https://localhost:$NPORT/healthz"; do
	kill -0 "$NGX" 2>/dev/null || { echo "small: nginx did not start:"; cat "$W/nginx/error.log"; exit 1; }
	sleep 0.1
done
# the same mutual TLS: nginx refuses a client without a certificate
if curl -s --cacert "$INST/pki/ca.crt" -o /dev/null -w '%{http_code}' "https://localhost:$NPORT/healthz" | grep -q '^200$'; then
	echo "small: nginx answers without a client certificate"
	exit 1
fi
echo "bodies: /api/v1/assignments $(stat -c %s "$W/www/api/v1/assignments") bytes, /healthz $(stat -c %s "$W/www/healthz") bytes"
echo "itakud :$PORT ($(sed -n 's/^threads *= *//p' "$INST/itaku.conf" | grep . || echo 4) threads), nginx :$NPORT ($(nproc) workers), $ROUNDS rounds of ${SECS} s per case"

# ab_run PORT PATH CLIENTS: "requests/s p99_ms" of one ab run; fails on
# a refused request
ab_run() {
	local out=$W/ab.txt
	ab -q -k -t "$SECS" -n 10000000 -c "$3" -E "$W/client.pem" -e "$W/ab.csv" \
		"https://localhost:$1$2" >"$out" 2>&1 || { cat "$out"; return 1; }
	if grep -q '^Non-2xx responses' "$out"; then
		echo "small: refused requests on :$1$2:" >&2
		grep -E '^(Complete|Non-2xx)' "$out" >&2
		return 1
	fi
	# ab's CSV row i is its sorted sample round(done * i / 100), past the
	# end for i = 99 when n <= 50: then the last row inside (the max)
	local n p
	n=$(awk '/^Complete requests/ { print $3 }' "$out")
	p=$(awk -v d="$n" 'BEGIN { i = 99; while (i > 0 && 0.5 + d * i / 100 >= d) i--; print i }')
	echo "$(awk '/^Requests per second/ { print $4 }' "$out") $(awk -F, -v p="$p" '$1 == p { print $2 }' "$W/ab.csv")"
	grep -q '^Keep-Alive requests: *0$' "$out" && echo "  (no keep-alive: the server closed each connection)" >&2
	return 0
}

declare -A RPS P99
for r in $(seq 1 "$ROUNDS"); do
	for path in /api/v1/assignments /healthz; do
		for c in 1 8; do
			read -r ir ip <<<"$(ab_run "$PORT" "$path" "$c")"
			read -r nr np <<<"$(ab_run "$NPORT" "$path" "$c")"
			printf 'round %d %-20s c=%d  itaku %8.1f req/s p99 %7.2f ms   nginx %8.1f req/s p99 %7.2f ms\n' \
				"$r" "$path" "$c" "$ir" "$ip" "$nr" "$np"
			RPS[$path,$c]+=" $(ratio "$ir" "$nr")"
			P99[$path,$c]+=" $(ratio "$ip" "$np")"
		done
	done
done
CMD="ab -k -t $SECS -c C -E client.pem"
for path in /api/v1/assignments /healthz; do
	goal=0.5
	[ "$path" = /healthz ] && goal=1.0
	for c in 1 8; do
		# shellcheck disable=SC2086
		figure "GET $path, $c client(s), keep-alive: requests/s itaku/nginx" '≥' "$goal" \
			"nginx static file, same bytes, same mTLS, $CMD" ${RPS[$path,$c]}
		# shellcheck disable=SC2086
		figure "GET $path, $c client(s), keep-alive: p99 itaku/nginx" '≤' 2.0 \
			"nginx static file, same bytes, same mTLS, $CMD" ${P99[$path,$c]}
	done
done
