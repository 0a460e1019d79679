# A certificate's verdict is kept per connection, but never past what can
# change (issue 17, 2): a connection held open across a revocation in the
# registry (`itaku cert revoke`) gets 401 cert_revoked on its very next
# request, on the same connection; so does one held across a CRL that
# revokes it (a second itakud, the CRL replaced and SIGHUP). The first request
# and the second travel on one TLS connection (keepalive.py checks).
C=(--config "$INST/itaku.conf")
ORG=kept-conn
"$ITAKU" org add --id "$ORG" --name "Kept Connection" "${C[@]}" >/dev/null || die "org add"
"$ITAKU" cert issue --org "$ORG" --out "$W/kc" "${C[@]}" >"$W/kc.out" 2>/dev/null || die "cert issue"
fp=$(sed -n 's/^fingerprint //p' "$W/kc.out")
[ ${#fp} = 64 ] || die "fingerprint: $(cat "$W/kc.out")"
hold() { # PORT CA CERT KEY TAG: the first request, then wait for $W/TAG.go
	python3 "$HERE/keepalive.py" --port "$1" --ca "$2" --cert "$3" --key "$4" \
		--ready "$W/$5.ready" --go "$W/$5.go" >"$W/$5.out" 2>"$W/$5.err" &
	for _ in $(seq 1 200); do [ -e "$W/$5.ready" ] && return 0; sleep 0.05; done
	die "keepalive $5 did not make its first request: $(cat "$W/$5.err")"
}
release() { # TAG PID: the second request (its line is the last of $W/TAG.out)
	touch "$W/$1.go"
	wait "$2" || die "keepalive $1: $(cat "$W/$1.err")"
}

# the registry: revoked while the connection is open
hold "$PORT" "$INST/pki/ca.crt" "$W/kc/client.crt" "$W/kc/client.key" reg
pid=$!
expect_eq "$(head -n 1 "$W/reg.out")" "1 200 -" "first request"
"$ITAKU" cert revoke --fingerprint "$fp" "${C[@]}" >/dev/null || die "revoke"
release reg $pid
expect_eq "$(tail -n 1 "$W/reg.out")" "2 401 cert_revoked 1" "the next request on the same connection"

# a CRL: a second itakud, resp-rsa revoked in a new CRL while its connection is open
S2=$W/kc-crl
rm -rf "$S2"
inst_copy "$INST" "$S2" || die "copy of the instance"
mkdir -p "$S2/ca"
: >"$S2/ca/index.txt"
echo 1000 >"$S2/ca/crlnumber"
printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s/ca/index.txt\ncrlnumber = %s/ca/crlnumber\ndefault_md = sha256\ndefault_crl_days = 30\n' \
	"$S2" "$S2" >"$S2/ca/ca.cnf"
openssl ca -config "$S2/ca/ca.cnf" -gencrl -keyfile "$S2/pki/ca.key" -cert "$S2/pki/ca.crt" \
	-crl_lastupdate 20190101000000Z -crl_nextupdate 20990101000000Z -out "$S2/pki/crl.pem" 2>/dev/null || die "gencrl"
printf '\n[tls]\ncrl = pki/crl.pem\n' >>"$S2/itaku.conf"
P2=$(free_port)
"$ITAKUD" --config "$S2/itaku.conf" --port "$P2" >>"$S2/itakud.log" 2>&1 &
S2PID=$!
echo "$S2PID" >>"$W/second.pids"
for _ in $(seq 1 100); do
	curl -sf --cacert "$INST/pki/ca.crt" "https://localhost:$P2/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
hold "$P2" "$INST/pki/ca.crt" "$W/fx/resp-rsa.crt" "$W/fx/resp-rsa.key" crl
pid=$!
expect_eq "$(head -n 1 "$W/crl.out")" "1 200 -" "first request, CRL"
openssl ca -config "$S2/ca/ca.cnf" -revoke "$W/fx/resp-rsa.crt" -keyfile "$S2/pki/ca.key" \
	-cert "$S2/pki/ca.crt" 2>/dev/null || die "openssl ca -revoke"
openssl ca -config "$S2/ca/ca.cnf" -gencrl -keyfile "$S2/pki/ca.key" -cert "$S2/pki/ca.crt" \
	-crl_lastupdate 20190201000000Z -crl_nextupdate 20990101000000Z -out "$S2/pki/crl.new" 2>/dev/null || die "gencrl 2"
mv "$S2/pki/crl.new" "$S2/pki/crl.pem"
kill -HUP "$S2PID"
for _ in $(seq 1 50); do grep -q "SIGHUP: reloaded" "$S2/itakud.log" && break; sleep 0.1; done
release crl $pid
expect_eq "$(tail -n 1 "$W/crl.out")" "2 401 cert_revoked 1" "the next request after the CRL, same connection"
kill "$S2PID"
wait "$S2PID" 2>/dev/null
