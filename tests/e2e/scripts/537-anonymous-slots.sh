# Connection slots and anonymous clients (issue 11, hole 4; found by a
# second review). An anonymous connection is closed after each answer, so
# a complete /healthz every few seconds keeps no slot; a registered
# organisation's connection stays open. Near max_connections the oldest
# connections that wait for a request and never authenticated are shut: on
# a second itakud taking 300 connections, 400 slow anonymous clients that
# reconnect at once when shut cannot keep a client with a certificate out
# (served within 1 s, five times), although their header deadline (60 s)
# is far away.
anon=$(curl -sv --cacert "$INST/pki/ca.crt" "$BASE/healthz" 2>&1 >/dev/null | tr -d '\r' | grep -i '^< connection:')
[[ "${anon,,}" == *"connection: close"* ]] || die "anonymous answer keeps the connection: '$anon'"
authed=$(curl -sv --cacert "$INST/pki/ca.crt" $(client_args resp-ec) "$BASE/api/v1/whoami" 2>&1 >/dev/null |
	tr -d '\r' | grep -i '^< connection:' || true)
[ -z "$authed" ] || die "a registered organisation's connection is closed: '$authed'"
# /healthz names nobody, but asked with a registered organisation's
# certificate its connection is kept as that organisation's (issue 17:
# a monitor or load balancer with a certificate polls on one connection);
# an unregistered certificate's is closed like an anonymous one
kept=$(curl -sv --cacert "$INST/pki/ca.crt" $(client_args resp-ec) "$BASE/healthz" 2>&1 >/dev/null |
	tr -d '\r' | grep -i '^< connection:' || true)
[ -z "$kept" ] || die "/healthz with a registered certificate closes its connection: '$kept'"
unreg=$(curl -sv --cacert "$INST/pki/ca.crt" $(client_args unregistered) "$BASE/healthz" 2>&1 >/dev/null |
	tr -d '\r' | grep -i '^< connection:')
[[ "${unreg,,}" == *"connection: close"* ]] || die "/healthz with an unregistered certificate keeps the connection: '$unreg'"

second_start slots "[limits]
max_connections = 300
max_connections_per_ip = 200
header_timeout_seconds = 60"
python3 "$HERE/slowloris.py" --port "$S2PORT" --ca "$INST/pki/ca.crt" \
	--cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" --conns 400 --addrs 4 \
	--reconnect --limit 24 >"$W/slots.json" || die "slowloris.py failed"
cat "$W/slots.json"
j() { jq -r "$1" "$W/slots.json"; }
expect_eq "$(j '[.good[] | select(.[0] == 200 and .[1] < 1.0)] | length')" 5 \
	"client with a certificate served within 1 s while 400 slow clients press: $(j -c .good)"
[ "$(j .cut)" -ge 50 ] || die "only $(j .cut) slow connections made room"
awk -v a="$(j .cut_min)" 'BEGIN { exit !(a < 30) }' || die "no slow connection shut before its deadline"
expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 200 "served after the flood"
second_stop
