# Slow and large request bodies (issue 11, hole 4; found by review), on a
# second itakud: a refused request with a huge announced body is answered
# at once and its connection closed (nothing is drained); a body has its
# own total deadline (base + size at a minimum rate), not reset by each
# byte. Package bodies are spooled into the store as they arrive (issue
# 17): one organisation may send uploads_per_organisation at once (429
# too_many_uploads for its next, with Retry-After, while others go on),
# and the bytes being received are bounded in all (503 server_busy); a
# body's spool is removed when its client goes away.
second_start bodies "[limits]
body_timeout_seconds = 3
body_min_bytes_per_second = 1000000
uploads_per_organisation = 1
uploads_in_flight_bytes = 1500000"
SB=(python3 "$HERE/slowbody.py" --port "$S2PORT" --ca "$INST/pki/ca.crt")
"${SB[@]}" refused --limit 20 >"$W/sb1.json" || die "slowbody refused"
jq -e '.status == 401 and .seconds < 2' "$W/sb1.json" >/dev/null || die "refused body: $(cat "$W/sb1.json")"
"${SB[@]}" slow --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" --bytes 100000 --limit 20 >"$W/sb2.json" ||
	die "slowbody slow"
# 3 s + 100000 B at 1 MB/s: shut after about 3 s although a byte comes every second
jq -e '.seconds != null and .seconds >= 2.5 and .seconds < 6' "$W/sb2.json" >/dev/null ||
	die "slow body not shut at its deadline: $(cat "$W/sb2.json")"
# resp-ec holds 700 kB unfinished: its second upload is refused at once
# (429), resp-rsa's is read (1.4 MB in flight) and refused for what it is,
# the admin's 900 kB does not fit beside the first (503); one spool file
# while the first waits, none once it has gone
"${SB[@]}" uploads --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" --bytes 700000 --limit 20 \
	--cert2 "$W/fx/resp-rsa.crt" --key2 "$W/fx/resp-rsa.key" \
	--cert3 "$W/fx/admin.crt" --key3 "$W/fx/admin.key" --bytes3 900000 --spool "$S2/store/tmp" >"$W/sb3.json" ||
	die "slowbody uploads"
jq -e '.same_status == 429 and (.same | contains("too_many_uploads")) and (.same | test("Retry-After: [0-9]+"))' \
	"$W/sb3.json" >/dev/null || die "same organisation past its uploads: $(cat "$W/sb3.json")"
jq -e '.other_status == 422 and (.other | contains("package_not_zip"))' "$W/sb3.json" >/dev/null ||
	die "another organisation locked out: $(cat "$W/sb3.json")"
jq -e '.third_status == 503 and (.third | contains("server_busy")) and (.third | test("Retry-After: [0-9]+"))' \
	"$W/sb3.json" >/dev/null || die "bytes in flight past the budget: $(cat "$W/sb3.json")"
jq -e '.spooled_while_waiting == 1 and .spooled_after == 0' "$W/sb3.json" >/dev/null ||
	die "spool files: $(cat "$W/sb3.json")"
# each refusal is in the audit log with its code
for code in too_many_uploads server_busy; do
	n=$(dbi "$S2" "SELECT count(*) FROM audit_log WHERE code = '$code'")
	[ "$n" -ge 1 ] || die "no audit entry for $code"
done
# and once the first is gone, an upload is taken again
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/sb.asice" --signer resp-ec || die "mkpkg"
got=$(s2 resp-ec POST /api/v1/submissions -H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$W/sb.asice")
[ "$got" = 201 ] || [ "$(jq -r .error.code "$W/out.json")" = nonce_reused ] || [ "$(jq -r .error.code "$W/out.json")" = nonce_mismatch ] ||
	die "upload after the memory test: $got $(cat "$W/out.json")"
second_stop
