# Client certificates from the operator's side (issue 15, 8 and 9): issue
# from the organisation's own CSR (no private key at the entrusting
# company), or with a key made here (a warning; --p12 for a browser); a
# second issue into the same directory is refused and overwrites nothing;
# renew; revoke takes effect on the very next request, without a restart,
# and is audited. Each refusal leaves the bindings as they were.
C=(--config "$INST/itaku.conf")
ORG=cert-life
OTHER=cert-other
"$ITAKU" org add --id "$ORG" --name "Cert Life" "${C[@]}" >/dev/null || die "org add"
"$ITAKU" org add --id "$OTHER" --name "Cert Other" "${C[@]}" >/dev/null || die "org add"
bound() { dbq "SELECT fingerprint || ' ' || coalesce(revoked_at, '-') FROM certificates WHERE org_id IN ('$ORG', '$OTHER') ORDER BY fingerprint"; }
who() { # CRT KEY → status of whoami; body in $W/out.json
	curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" --cert "$1" --key "$2" "$BASE/api/v1/whoami"
}

# renew before there is anything to renew
before=$(bound)
out=$("$ITAKU" cert renew --org "$ORG" --out "$W/cl-0" "${C[@]}" 2>&1) && die "renewed nothing"
[[ "$out" == *"has no certificate to renew"* ]] || die "renew: $out"
expect_eq "$(bound)" "$before" "bindings after a refused renew"

# from the organisation's CSR: only a certificate comes back
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/cl.key" \
	-subj "/serialNumber=$ORG/CN=Cert Life" -out "$W/cl.csr" 2>/dev/null
out=$("$ITAKU" cert issue --org "$ORG" --csr "$W/cl.csr" --output "$W/cl.crt" "${C[@]}" 2>"$W/cl.err") ||
	die "issue from a CSR: $out $(cat "$W/cl.err")"
[ ! -s "$W/cl.err" ] || die "a CSR issue warned: $(cat "$W/cl.err")"
fp=$(sed -n 's/^fingerprint //p' <<<"$out")
[ ${#fp} = 64 ] || die "fingerprint: $out"
expect_eq "$(who "$W/cl.crt" "$W/cl.key")" 200 "the CSR's certificate signs in"
expect_eq "$(jq -r .organisation "$W/out.json")" "$ORG" "as the organisation"
# a CSR naming another organisation, and an output that exists: refused
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/x.key" \
	-subj "/serialNumber=$OTHER/CN=x" -out "$W/x.csr" 2>/dev/null
before=$(bound)
out=$("$ITAKU" cert issue --org "$ORG" --csr "$W/x.csr" --output "$W/x.crt" "${C[@]}" 2>&1) && die "issued for another's CSR"
[[ "$out" == *"request is refused"* || "$out" == *"$OTHER"* ]] || die "foreign CSR: $out"
[ ! -e "$W/x.crt" ] || die "a certificate was written for a foreign CSR"
out=$("$ITAKU" cert issue --org "$ORG" --csr "$W/cl.csr" --output "$W/cl.crt" "${C[@]}" 2>&1) && die "overwrote cl.crt"
[[ "$out" == *"exists already"* ]] || die "existing output: $out"
expect_eq "$(bound)" "$before" "bindings after refused issues"

# a key made here: warned, with a .p12 a browser imports
printf 'correct horse battery\n' >"$W/pass"
out=$("$ITAKU" cert issue --org "$OTHER" --out "$W/co" --p12 --passphrase-file "$W/pass" "${C[@]}" 2>"$W/co.err") ||
	die "issue with a key: $(cat "$W/co.err")"
grep -q "warning: the private key of $OTHER is made here" "$W/co.err" || die "no warning: $(cat "$W/co.err")"
openssl pkcs12 -in "$W/co/client.p12" -passin file:"$W/pass" -noout 2>/dev/null || die "the .p12 does not open"
openssl pkcs12 -in "$W/co/client.p12" -passin file:"$W/pass" -nokeys 2>/dev/null | grep -q "BEGIN CERTIFICATE" ||
	die "no certificate in the .p12"
expect_eq "$(stat -c %a "$W/co/client.p12")" 600 "mode of the .p12"
expect_eq "$(who "$W/co/client.crt" "$W/co/client.key")" 200 "the made key signs in"
# the same directory again: refused, the key untouched
key_sum=$(sha256sum <"$W/co/client.key")
before=$(bound)
out=$("$ITAKU" cert issue --org "$OTHER" --out "$W/co" "${C[@]}" 2>&1) && die "issued over an existing key"
[[ "$out" == *"client.key exists already"* ]] || die "second issue: $out"
expect_eq "$(sha256sum <"$W/co/client.key")" "$key_sum" "the first key"
expect_eq "$(bound)" "$before" "bindings after a refused second issue"
# a passphrase too short: nothing written
printf 'short\n' >"$W/short"
out=$("$ITAKU" cert issue --org "$OTHER" --out "$W/co2" --p12 --passphrase-file "$W/short" "${C[@]}" 2>&1) &&
	die "accepted a short passphrase"
[[ "$out" == *"at least 12 characters"* ]] || die "short passphrase: $out"
[ ! -e "$W/co2" ] || die "files written with a refused passphrase"
expect_eq "$(bound)" "$before" "bindings after a refused passphrase"

# renew: a second certificate, the first still valid — from the same
# request (same key), and from a new key
out=$("$ITAKU" cert renew --org "$ORG" --csr "$W/cl.csr" --output "$W/cl2.crt" "${C[@]}" 2>&1) || die "renew: $out"
[[ "$out" == *"1 earlier certificate(s) stay valid"* ]] || die "renew said: $out"
expect_eq "$(who "$W/cl.crt" "$W/cl.key")" 200 "the first after renewal"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/cl3.key" \
	-subj "/serialNumber=$ORG/CN=Cert Life" -out "$W/cl3.csr" 2>/dev/null
out=$("$ITAKU" cert renew --org "$ORG" --csr "$W/cl3.csr" --output "$W/cl3.crt" "${C[@]}" 2>&1) || die "renew, new key: $out"

# revoke: the next request is refused — the key is what is revoked, so the
# certificate renewed from the same request goes with it; the new key's
# goes on
out=$("$ITAKU" cert revoke --fingerprint "$fp" "${C[@]}") || die "revoke: $out"
[[ "$out" == "revoked $fp of $ORG, and 1 other certificate(s) of the same key: refused from its next request on" ]] ||
	die "revoke said: $out"
expect_eq "$(who "$W/cl.crt" "$W/cl.key")" 401 "a revoked certificate"
expect_eq "$(jq -r .error.code "$W/out.json")" cert_revoked "its code"
expect_eq "$(who "$W/cl2.crt" "$W/cl.key")" 401 "the same key's renewal"
expect_eq "$(who "$W/cl3.crt" "$W/cl3.key")" 200 "the new key's certificate"
expect_eq "$(dbq "SELECT actor || ' ' || action || ' ' || object || ' ' || detail FROM audit_log WHERE action = 'cert.revoke' ORDER BY seq DESC LIMIT 1")" \
	"cli cert.revoke organisation/$ORG $fp" "audited"
before=$(bound)
out=$("$ITAKU" cert revoke --fingerprint "$fp" "${C[@]}" 2>&1) && die "revoked twice"
[[ "$out" == *"revoked already"* ]] || die "second revoke: $out"
out=$("$ITAKU" cert revoke --fingerprint "$(printf '0%.0s' $(seq 1 64))" "${C[@]}" 2>&1) && die "revoked nothing"
[[ "$out" == *"no certificate"* ]] || die "unknown fingerprint: $out"
expect_eq "$(bound)" "$before" "bindings after refused revokes"

# a revoked key is never certified again: renew or issue from the old
# request, bind a certificate of it made elsewhere — refused before
# anything is signed or written, audited
abefore=$(audit_count)
for verb in renew issue; do
	out=$("$ITAKU" cert $verb --org "$ORG" --csr "$W/cl.csr" --output "$W/cl-$verb.crt" "${C[@]}" 2>&1) &&
		die "cert $verb re-certified a revoked key"
	[[ "$out" == *"key_revoked"*"the key of revoked certificate "* ]] || die "cert $verb of a revoked key: $out"
	[ ! -e "$W/cl-$verb.crt" ] || die "cert $verb wrote a certificate of a revoked key"
done
expect_eq "$(audit_count)" $((abefore + 2)) "both refusals audited"
[[ "$(audit_last)" == "cert.issue rejected key_revoked" ]] || die "audit: $(audit_last)"
openssl x509 -req -in "$W/cl.csr" -CA "$INST/pki/ca.crt" -CAkey "$INST/pki/ca.key" -days 30 \
	-sha256 -extfile <(client_ext) -out "$W/cl-ext.crt" 2>/dev/null ||
	die "openssl x509 -req"
out=$("$ITAKU" cert bind --org "$ORG" --cert "$W/cl-ext.crt" "${C[@]}" 2>&1) && die "bound a certificate of a revoked key"
[[ "$out" == *"key_revoked"* ]] || die "bind of a revoked key: $out"
[[ "$(audit_last)" == "cert.bind rejected key_revoked" ]] || die "audit of the bind: $(audit_last)"
# one key, one organisation: the other organisation's request with this
# organisation's key is refused
openssl req -new -key "$W/cl3.key" -subj "/serialNumber=$OTHER/CN=Cert Other" -out "$W/taken.csr" 2>/dev/null
out=$("$ITAKU" cert issue --org "$OTHER" --csr "$W/taken.csr" --output "$W/taken.crt" "${C[@]}" 2>&1) &&
	die "issued another organisation's key"
[[ "$out" == *"key_taken"*"$ORG"* ]] || die "key of another organisation: $out"
[ ! -e "$W/taken.crt" ] || die "a certificate was written for another's key"
[[ "$(audit_last)" == "cert.issue rejected key_taken" ]] || die "audit of key_taken: $(audit_last)"
expect_eq "$(bound)" "$before" "bindings after refused keys"

# an enrolment with a revoked key, or another organisation's: 409, the
# token stays unused, nothing stored
JSON=(-H 'Content-Type: application/json')
expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" -d '{"name":"keys","questionnaire":"ipa-benchmark@1","due":"2099-06-30"}')" 201 "campaign"
cid=$(jq -r .id "$W/out.json")
NEWORG=8120000000245
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$NEWORG\",\"organisation_name\":\"New Key Co\"}")" 201 "invite"
tok=$(jq -r .token "$W/out.json")
for k in cl:key_revoked cl3:key_taken; do
	openssl req -new -key "$W/${k%%:*}.key" -subj "/serialNumber=$NEWORG/CN=New Key Co" -out "$W/enrol-${k%%:*}.csr" 2>/dev/null
	jq -n --arg t "$tok" --arg c "$cid" --rawfile csr "$W/enrol-${k%%:*}.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/enrol.json"
	sbefore=$(dbq "SELECT count(*) FROM organisations; SELECT count(*) FROM certificates; SELECT count(*) FROM assignments")
	expect_eq "$(curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" "${JSON[@]}" \
		--data-binary "@$W/enrol.json" "$BASE/api/v1/enrol")" 409 "enrol with ${k%%:*}'s key"
	expect_eq "$(jq -r .error.code "$W/out.json")" "${k#*:}" "code of enrolling with ${k%%:*}'s key"
	expect_eq "$(dbq "SELECT count(*) FROM organisations; SELECT count(*) FROM certificates; SELECT count(*) FROM assignments")" "$sbefore" "nothing stored"
	expect_eq "$(dbq "SELECT CAST(used_at IS NULL AS INTEGER) FROM invitations WHERE org_id = '$NEWORG'")" 1 "token unused"
done

# cert list: organisation, fingerprint, expiry, state
out=$("$ITAKU" cert list --org "$ORG" "${C[@]}") || die "cert list: $out"
grep -Eq "^$ORG +$fp  [0-9]{4}-[0-9]{2}-[0-9]{2}  revoked " <<<"$out" || die "cert list, revoked: $out"
expect_eq "$(grep -c " valid$" <<<"$out")" 1 "the new key's certificate listed as valid"
"$ITAKU" cert list --org no-such-org "${C[@]}" >/dev/null 2>&1 && die "cert list of an unknown organisation"
[ "$("$ITAKU" cert list "${C[@]}" | grep -c "^$OTHER ")" = 1 ] || die "cert list of all organisations"
