# One key rule (ECDSA P-256 or RSA >= 2048, CA:FALSE) everywhere:
# `itaku cert bind` refuses a weak and a CA certificate and stores nothing;
# certificates bound before the rule existed (rows written straight into
# the database, as an old instance holds them) are refused on every
# request and as package signers.
CONF=$INST/itaku.conf
db() { dbq "$1"; }
state() { db "SELECT fingerprint, org_id FROM certificates ORDER BY fingerprint;
	SELECT count(*) FROM audit_log; SELECT count(*) FROM submissions"; }
fp() { openssl x509 -in "$W/fx/$1.crt" -outform DER | sha256sum | cut -d' ' -f1; }

# bind refuses both, names the code, changes nothing
orgs=$("$ITAKU" org list --config "$CONF")
before=$(state)
for pair in weak:cert_weak_key ca-true:cert_usage; do
	name=${pair%%:*}
	code=${pair#*:}
	out=$("$ITAKU" cert bind --org "$RESP_EC" --cert "$W/fx/$name.crt" --config "$CONF" 2>&1)
	rc=$?
	expect_eq "$rc" 1 "cert bind $name exit status ($out)"
	[[ "$out" == *"$code"* ]] || die "cert bind $name: '$out' does not name $code"
done
expect_eq "$(state)" "$before" "nothing bound, nothing audited"
expect_eq "$("$ITAKU" org list --config "$CONF")" "$orgs" "org list unchanged"

# the control: a good certificate from the same openssl recipe binds
issue_with_openssl bindable "$INST/pki/ca.crt" "$INST/pki/ca.key"
"$ITAKU" cert bind --org "$RESP_EC" --cert "$W/fx/bindable.crt" --config "$CONF" ||
	die "cert bind refused a good certificate"
expect_eq "$(api bindable GET /api/v1/whoami)" 200 "the good certificate authenticates"

# bound before the rule: straight into the database
for name in weak ca-true; do
	db "INSERT INTO certificates (fingerprint, org_id, subject, issuer, not_after, created_at)
	    VALUES ('$(fp "$name")', '$RESP_EC', 'CN=$name', 'CN=legacy', '2099-01-01T00:00:00Z',
	            '2020-01-01T00:00:00Z')"
done
for pair in weak:cert_weak_key ca-true:cert_usage; do
	name=${pair%%:*}
	code=${pair#*:}
	for path in /api/v1/whoami /api/v1/assignments; do
		n=$(db "SELECT count(*) FROM audit_log")
		expect_eq "$(api "$name" GET "$path")" 401 "$name GET $path"
		expect_eq "$(jq -r .error.code "$W/out.json")" "$code" "$name GET $path code"
		# not authenticated, so anonymous: counted and logged, not chained
		expect_eq "$(db "SELECT count(*) FROM audit_log")" "$n" "$name refusal not chained"
	done
done
# and as signers, now registered to the uploader's organisation
subs=$(db "SELECT count(*) FROM submissions")
for pair in weak:signer_weak_key ca-true:signer_usage; do
	name=${pair%%:*}
	code=${pair#*:}
	python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/$name.asice" --signer "$name" ||
		die "mkpkg $name"
	expect_eq "$(upload resp-ec "$W/$name.asice")" 422 "package signed by $name"
	expect_eq "$(jq -r .error.code "$W/out.json")" "$code" "signer $name code"
	# uploaded by the same certificate: refused at the door
	expect_eq "$(upload "$name" "$W/$name.asice")" 401 "package uploaded by $name"
done
expect_eq "$(db "SELECT count(*) FROM submissions")" "$subs" "nothing stored"
db "DELETE FROM certificates WHERE fingerprint IN ('$(fp weak)', '$(fp ca-true)')"
