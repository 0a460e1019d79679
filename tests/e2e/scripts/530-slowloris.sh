# Connection exhaustion (issue 11, hole 4), on a second itakud: 2,000 TLS
# connections from ten loopback addresses send an unfinished request one
# byte every 5 s. While they are all held (well past select()'s 1,024
# descriptors: epoll), a client with a certificate is served within 1 s,
# five times in a row. The header deadline (not reset by each byte) then
# shuts every one of them; a further address gets no more connections than
# the per-address limit. Bounded: about 35 s, loopback only.
second_start slow "[limits]
max_connections = 2500
max_connections_per_ip = 200
header_timeout_seconds = 20
idle_timeout_seconds = 30"
python3 "$HERE/slowloris.py" --port "$S2PORT" --ca "$INST/pki/ca.crt" \
	--cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" --conns 2000 --addrs 10 \
	--per-ip-try 260 --limit 45 >"$W/slow.json" || die "slowloris.py failed"
cat "$W/slow.json"
j() { jq -r "$1" "$W/slow.json"; }
[ "$(j .held_during_good)" -ge 1990 ] || die "only $(j .held_during_good) of 2000 slow connections held"
expect_eq "$(j '[.good[] | select(.[0] == 200 and .[1] < 1.0)] | length')" 5 "well-behaved client served within 1 s, 5 times: $(j -c .good)"
expect_eq "$(j .not_cut)" 0 "slow connections still open after the header deadline"
# 20 s from the client's connect (the server's clock starts at accept,
# before the handshake; accepting 2,000 at once takes a few seconds)
awk -v a="$(j .cut_min)" -v b="$(j .cut_max)" 'BEGIN { exit !(a >= 19.5 && b <= 28) }' ||
	die "slow connections shut after $(j .cut_min)-$(j .cut_max) s, want about 20 s"
[ "$(j .per_ip_kept)" -le 200 ] || die "one address kept $(j .per_ip_kept) connections (limit 200)"
[ "$(j .per_ip_kept)" -ge 150 ] || die "one address kept only $(j .per_ip_kept) connections"
expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 200 "served after the flood"
second_stop
