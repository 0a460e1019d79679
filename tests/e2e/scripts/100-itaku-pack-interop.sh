# itaku pack writes packages that plain `openssl cms -verify` accepts
# (ECDSA P-256 and RSA-2048), that `itaku verify` accepts, and that the
# server accepts with the evidence listed in the verification details.
for who in resp-ec resp-rsa; do
	echo "internal audit report of $who" >"$W/audit-$who.txt"
	fresh_nonce "$who" "$W/fx/$who.answers.xml"
	"$ITAKU" pack --answers "$W/fx/$who.answers.xml" --evidence "$W/audit-$who.txt" \
		--cert "$W/fx/$who.crt" --key "$W/fx/$who.key" -o "$W/packed-$who.asice" >/dev/null ||
		die "itaku pack failed for $who"
	# the answers do not reference the evidence: still listed and signed
	openssl_verify "$W/packed-$who.asice" || die "openssl cms -verify refused itaku pack ($who)"
	unzip -Z1 "$W/packed-$who.asice" | head -n 1 | grep -qx mimetype || die "mimetype not first"
	"$ITAKU" verify "$W/packed-$who.asice" --ca "$INST/pki/ca.crt" | grep -q ": OK " ||
		die "itaku verify refused its own package"
	expect_eq "$(upload "$who" "$W/packed-$who.asice")" 201 "upload $who"
	id=$(jq -r .id "$W/out.json")
	expect_eq "$(api "$who" GET "/api/v1/submissions/$id")" 200 "read back"
	expect_eq "$(jq -r '.verification.files[1].name' "$W/out.json")" "evidence/audit-$who.txt" "evidence listed"
	expect_eq "$(jq -r '.verification.files | length' "$W/out.json")" 2 "files"
done
# pack refuses answers that would be refused by the server
sed 's/level="2"/level="9"/' "$W/fx/resp-ec.answers.xml" >"$W/bad.xml"
out=$("$ITAKU" pack --answers "$W/bad.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" \
	-o "$W/bad.asice" 2>&1) && die "pack accepted level 9"
[[ "$out" == *answers_schema_invalid* ]] || die "pack error: $out"
[ ! -e "$W/bad.asice" ] || die "pack left a file behind"
# and a key that does not match the certificate
out=$("$ITAKU" pack --answers "$W/fx/resp-ec.answers.xml" --cert "$W/fx/resp-ec.crt" \
	--key "$W/fx/resp-rsa.key" -o "$W/bad.asice" 2>&1) && die "pack accepted a foreign key"
[[ "$out" == *sign_failed* ]] || die "pack error: $out"
