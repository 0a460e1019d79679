# Revocation lists are read again when they change, and on SIGHUP, which no
# longer stops itakud (issue 15, 11). A second itakud with [tls] crl: a
# certificate revoked in a new CRL is refused within the 10 s the server
# waits between looks at the file (no restart); SIGHUP makes it at once; a
# CRL past its nextUpdate refuses every client, admins too, with its own
# code (503 crl_stale, fail closed), /healthz says so, itaku fsck names it;
# a fresh CRL brings everyone back; a broken file keeps the last good one;
# a CRL issued before the one in use (valid, but missing what was revoked
# since) is not taken. The lists before the stale one are dated 2019 so
# that each later one is issued after it.
S2=$W/crl
rm -rf "$S2"
inst_copy "$INST" "$S2" || die "copy of the instance"
mkdir -p "$S2/ca"
: >"$S2/ca/index.txt"
echo 1000 >"$S2/ca/crlnumber"
cat >"$S2/ca/ca.cnf" <<EOX
[ca]
default_ca = d
[d]
database = $S2/ca/index.txt
crlnumber = $S2/ca/crlnumber
default_md = sha256
default_crl_days = 30
EOX
gencrl() { # OUT [openssl ca options]: a CRL of the instance CA
	local out=$1
	shift
	openssl ca -config "$S2/ca/ca.cnf" -gencrl -keyfile "$S2/pki/ca.key" -cert "$S2/pki/ca.crt" \
		-out "$out" "$@" 2>/dev/null || die "openssl ca -gencrl $*"
}
gencrl "$S2/pki/crl.pem" -crl_lastupdate 20190101000000Z -crl_nextupdate 20990101000000Z
cp "$S2/pki/crl.pem" "$W/crl-2019.pem" # nothing revoked in it
printf '\n[tls]\ncrl = pki/crl.pem\n' >>"$S2/itaku.conf"
S2PORT=$(free_port)
S2BASE=https://localhost:$S2PORT
"$ITAKUD" --config "$S2/itaku.conf" --port "$S2PORT" >>"$S2/itakud.log" 2>&1 &
S2PID=$!
echo "$S2PID" >>"$W/second.pids"
for _ in $(seq 1 100); do
	curl -sf --cacert "$INST/pki/ca.crt" "$S2BASE/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 200 "resp-ec with a current CRL"
expect_eq "$(s2 admin GET /api/v1/whoami)" 200 "admin with a current CRL"
expect_eq "$(curl -sS -o "$W/h.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" "$S2BASE/healthz")" 200 "healthz"
expect_eq "$(jq -r '[.status, (.crl.hours_left > 600), .crl.warning] | @tsv' "$W/h.json")" "$(printf 'ok\ttrue\tfalse')" "healthz reports the CRL"

# revoke resp-ec in a new CRL, written by rename (as a deploy tool would)
openssl ca -config "$S2/ca/ca.cnf" -revoke "$W/fx/resp-ec.crt" -keyfile "$S2/pki/ca.key" \
	-cert "$S2/pki/ca.crt" 2>/dev/null || die "openssl ca -revoke"
gencrl "$S2/pki/crl.new" -crl_lastupdate 20190201000000Z -crl_nextupdate 20990101000000Z
mv "$S2/pki/crl.new" "$S2/pki/crl.pem"
code=
for _ in $(seq 1 30); do
	code=$(s2 resp-ec GET /api/v1/whoami)
	[ "$code" = 401 ] && break
	sleep 1
done
expect_eq "$code" 401 "resp-ec after the new CRL (no restart, no signal)"
expect_eq "$(jq -r .error.code "$W/out.json")" cert_revoked "its code"
expect_eq "$(s2 resp-rsa GET /api/v1/whoami)" 200 "resp-rsa is not in the CRL"
kill -0 "$S2PID" || die "itakud stopped"

# a CRL past its nextUpdate, picked up by SIGHUP at once: everyone refused
gencrl "$S2/pki/crl.pem" -crl_lastupdate 20200101000000Z -crl_nextupdate 20200102000000Z
kill -HUP "$S2PID"
sleep 0.5
kill -0 "$S2PID" || die "SIGHUP stopped itakud"
for who in admin resp-rsa; do
	expect_eq "$(s2 "$who" GET /api/v1/whoami)" 503 "$who with a stale CRL"
	expect_eq "$(jq -r .error.code "$W/out.json")" crl_stale "$who: its code"
done
expect_eq "$(curl -sS -o "$W/h.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" "$S2BASE/healthz")" 503 "healthz with a stale CRL"
expect_eq "$(jq -r .status "$W/h.json")" crl_stale "healthz status"
out=$("$ITAKU" fsck --config "$S2/itaku.conf") && die "fsck passed a stale CRL: $out"
[[ "$out" == *"crl $S2/pki/crl.pem expired at 2020-01-02T00:00:00Z"* ]] || die "fsck: $out"
grep -q "past its nextUpdate" "$S2/itakud.log" || die "no warning in the log"

# a broken file: the last good CRL (the stale one) stays, itakud stays up
printf 'not a CRL\n' >"$S2/pki/crl.pem"
kill -HUP "$S2PID"
sleep 0.5
kill -0 "$S2PID" || die "a broken CRL stopped itakud"
grep -q "SIGHUP: reload failed" "$S2/itakud.log" || die "no error for the broken CRL"
expect_eq "$(s2 admin GET /api/v1/whoami)" 503 "admin while the broken file is ignored"

# a fresh CRL: everyone but the revoked is back
gencrl "$S2/pki/crl.pem"
kill -HUP "$S2PID"
sleep 0.5
expect_eq "$(s2 admin GET /api/v1/whoami)" 200 "admin with a fresh CRL"
expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 401 "resp-ec stays revoked"
out=$("$ITAKU" fsck --config "$S2/itaku.conf" 2>&1)
[[ "$out" == *"crl $S2/pki/crl.pem: next update "* ]] || die "fsck with a fresh CRL: $out"

# an older list, still valid, that lacks resp-ec's revocation: not taken,
# on SIGHUP or by the look at the file; resp-ec stays revoked
cp "$W/crl-2019.pem" "$S2/pki/crl.pem"
kill -HUP "$S2PID"
sleep 0.5
grep -q "crl.pem was issued at 2019-01-01T00:00:00Z, before the CRL in use" "$S2/itakud.log" ||
	die "no error for the older CRL: $(tail -n 5 "$S2/itakud.log")"
expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 401 "resp-ec stays revoked after an older CRL"
expect_eq "$(jq -r .error.code "$W/out.json")" cert_revoked "its code"
expect_eq "$(s2 admin GET /api/v1/whoami)" 200 "admin meanwhile"

# the old list again, with a CRL of a made-up issuer dated 2098 beside it
# (found by review: the newest date of any list counted, signed or not):
# a CRL that no CA of client_ca signed makes the file refused whole
J=$W/junk
mkdir -p "$J"
: >"$J/index.txt"
echo 01 >"$J/crlnumber"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$J/k.pem" \
	-out "$J/c.pem" -subj "/CN=junk issuer" -days 1 2>/dev/null || die "junk CA"
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\ncrlnumber=%s/crlnumber\ndefault_md=sha256\n' "$J" "$J" >"$J/ca.cnf"
openssl ca -config "$J/ca.cnf" -gencrl -keyfile "$J/k.pem" -cert "$J/c.pem" -out "$J/crl.pem" \
	-crl_lastupdate 20980101000000Z -crl_nextupdate 20990101000000Z 2>/dev/null || die "junk CRL"
cat "$W/crl-2019.pem" "$J/crl.pem" >"$S2/pki/crl.pem"
kill -HUP "$S2PID"
sleep 0.5
grep -q "not signed by a CA of the CA file" "$S2/itakud.log" || die "no error for the junk CRL: $(tail -n 3 "$S2/itakud.log")"
expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 401 "resp-ec stays revoked after old + junk"
# the instance CA's own list signed with another key under its name: refused too
subj=$(openssl x509 -in "$S2/pki/ca.crt" -noout -subject -nameopt compat | sed 's/^subject=//')
openssl req -x509 -key "$J/k.pem" -out "$J/same-name.pem" -subj "$subj" -days 1 2>/dev/null || die "same-name CA"
openssl ca -config "$J/ca.cnf" -gencrl -keyfile "$J/k.pem" -cert "$J/same-name.pem" -out "$J/forged.pem" \
	-crl_lastupdate 20980101000000Z -crl_nextupdate 20990101000000Z 2>/dev/null || die "forged CRL"
cp "$J/forged.pem" "$S2/pki/crl.pem"
kill -HUP "$S2PID"
sleep 0.5
expect_eq "$(grep -c "not signed by a CA of the CA file" "$S2/itakud.log")" 2 "the forged list refused"
expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 401 "resp-ec stays revoked after a forged list"
# and a fresh, correct list is still taken
gencrl "$S2/pki/crl.pem"
kill -HUP "$S2PID"
sleep 0.5
expect_eq "$(tail -n 1 "$S2/itakud.log" | grep -c "SIGHUP: reloaded")" 1 "the fresh list taken: $(tail -n 1 "$S2/itakud.log")"
expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 401 "resp-ec revoked in the fresh list"
expect_eq "$(s2 admin GET /api/v1/whoami)" 200 "admin with the fresh list"
second_stop
