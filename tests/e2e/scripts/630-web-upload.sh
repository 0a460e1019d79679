# Uploading a package signed elsewhere from the answer page, without
# JavaScript: a multipart form with its CSRF token and the .asice, streamed
# into the store (store/tmp) as it arrives, verified and accepted by the
# same acceptance as the API; the answer is a page (accepted: version,
# SHA-256, receipt). Refused, each with its code, nothing stored changed,
# and no file left behind: a damaged package, no token, another
# certificate's token, another site, not multipart, no file, two files, a
# field too many, a package over the limit.
C=(--config "$INST/itaku.conf")
UP=$INST/store/tmp
page() { # CLIENT PATH [curl args…]: POST unless -X; body $W/page.html
	local client=$1 path=$2
	shift 2
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		$(client_args "$client") "$@" "$BASE$path"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 300 "$W/page.html")"; }
left() { find "$UP" -type f 2>/dev/null | wc -l; }

cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "アップロードの試験" "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$cid" 7999900000002 "${C[@]}" >/dev/null || die "assign"
aid=$(dbq "SELECT id FROM assignments WHERE campaign_id = $cid AND org_id = '7999900000002'")
expect_eq "$(page resp-ec "/assignments/$aid" -X GET)" 200 "answer page"
has 'action="/submissions/upload" enctype="multipart/form-data"'
tok=$(sed -n 's|.*action="/submissions/upload" enctype="multipart/form-data"><input type="hidden" name="csrf" value="\([^"]*\)".*|\1|p' "$W/page.html")
[[ "$tok" =~ ^[0-9]+\.[0-9a-f]{64}$ ]] || die "upload token: '$tok'"
"$ITAKU" template --campaign "$cid" --org 7999900000002 --output "$W/up.xml" "${C[@]}" || die "template"
sed -i 's/level=""/level="4"/' "$W/up.xml"
"$ITAKU" pack --answers "$W/up.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" -o "$W/up.asice" >/dev/null ||
	die "pack"
cp "$W/up.asice" "$W/bad.asice"
printf 'X' | dd of="$W/bad.asice" bs=1 seek=200 conv=notrunc 2>/dev/null
head -c 4300000 /dev/urandom >"$W/big.bin"

before=$(snapshot)
refuse() { # STATUS CODE WHAT CLIENT [curl args…]
	local want=$1 code=$2 what=$3 client=$4
	shift 4
	expect_eq "$(page "$client" /submissions/upload "$@")" "$want" "$what"
	has "<code>$code</code>"
	expect_eq "$(snapshot)" "$before" "stored data after: $what"
	expect_eq "$(left)" 0 "files left after: $what"
}
refuse 403 csrf_invalid "no token" resp-ec -F "package=@$W/up.asice"
refuse 403 csrf_invalid "another certificate's token" resp-rsa -F "csrf=$tok" -F "package=@$W/up.asice"
refuse 403 cross_origin_refused "another site" resp-ec -H 'Origin: https://evil.example' -F "csrf=$tok" -F "package=@$W/up.asice"
refuse 415 unsupported_media_type "not multipart" resp-ec --data-urlencode "csrf=$tok"
refuse 400 form_invalid "no file" resp-ec -F "csrf=$tok"
refuse 400 form_invalid "two files" resp-ec -F "csrf=$tok" -F "package=@$W/up.asice" -F "package=@$W/up.asice"
refuse 400 form_invalid "a field too many" resp-ec -F "csrf=$tok" -F x=1 -F "package=@$W/up.asice"
refuse 413 package_too_large "a package over the limit" resp-ec -F "csrf=$tok" -F "package=@$W/big.bin"
code=$(page resp-ec /submissions/upload -F "csrf=$tok" -F "package=@$W/bad.asice")
[[ "$code" == 4* ]] || die "a damaged package: $code"
expect_eq "$(snapshot)" "$before" "stored data after a damaged package"
expect_eq "$(left)" 0 "files left after a damaged package"

expect_eq "$(page resp-ec /submissions/upload -F "csrf=$tok" -F "package=@$W/up.asice")" 201 "upload"
has '受理されました。'
sha=$(sha256sum <"$W/up.asice" | cut -d' ' -f1)
has "$sha"
expect_eq "$(dbq "SELECT count(*) FROM submissions WHERE sha256 = '$sha' AND campaign_id = $cid")" 1 "stored"
[ "$(pkg_read "$INST" "$sha" | sha256sum | cut -d' ' -f1)" = "$sha" ] || die "stored bytes"
expect_eq "$(left)" 0 "files left after an upload"
expect_eq "$(audit_last)" "submission.create accepted ok" "audit"
# the same package again: a replay, explained
expect_eq "$(page resp-ec /submissions/upload -F "csrf=$tok" -F "package=@$W/up.asice")" 409 "replay"
has '<code>nonce_reused</code>'
