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
# pack checks the answers against the pinned questionnaire before signing:
# the definition shipped in itaku, or one given with --questionnaire (as
# served by GET /api/v1/questionnaires/{id}/{version})
pack_refuses() { # code answers-file [pack options…]
	local want=$1 file=$2 out
	shift 2
	rm -f "$W/bad.asice"
	out=$("$ITAKU" pack --answers "$file" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" \
		-o "$W/bad.asice" "$@" 2>&1) && die "pack accepted $file ($want)"
	[[ "$out" == *"itaku pack: $want: "* ]] || die "pack error for $want: $out"
	[ ! -e "$W/bad.asice" ] || die "pack left a file behind ($want)"
}
A=$W/fx/resp-ec.answers.xml
sed '/<item id="5.3"/d' "$A" >"$W/p1.xml"
pack_refuses answers_missing_items "$W/p1.xml"
sed 's|</answers>|<item id="9.9" level="2"/></answers>|' "$A" >"$W/p2.xml"
pack_refuses answers_unknown_items "$W/p2.xml"
sed 's/<item id="1.1" level="[0-9]"/<item id="1.1" level="na"/' "$A" >"$W/p3.xml"
pack_refuses na_not_allowed "$W/p3.xml"
pack_refuses answers_unknown_items "$A" --variant low-it
expect_eq "$(api resp-ec GET /api/v1/questionnaires/ipa-benchmark/1)" 200 "definition"
cp "$W/out.json" "$W/ipa-1.xml"
grep -q 'id="ipa-benchmark" version="1"' "$W/ipa-1.xml" || die "served definition"
sed 's/ version="1"/ version="2"/' "$A" >"$W/p4.xml"
pack_refuses questionnaire_version_mismatch "$W/p4.xml" --questionnaire "$W/ipa-1.xml"
"$ITAKU" pack --answers "$A" --questionnaire "$W/ipa-1.xml" --cert "$W/fx/resp-ec.crt" \
	--key "$W/fx/resp-ec.key" -o "$W/good.asice" >/dev/null || die "pack with --questionnaire"
expect_eq "$(api resp-ec GET /api/v1/questionnaires)" 200 "questionnaire list"
expect_eq "$(jq -c '[.questionnaires[] | .id + "@" + .version] | sort' "$W/out.json")" '["csmg-checklist@1","csmg-checklist@2","ipa-benchmark@1","ipa-benchmark@2"]' "listed"
