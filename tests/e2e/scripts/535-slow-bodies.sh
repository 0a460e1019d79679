# Slow and large request bodies (issue 11, hole 4; found by review), on a
# second itakud: a refused request with a huge announced body is answered
# at once and its connection closed (nothing is drained); a body has its
# own total deadline (base + size at a minimum rate), not reset by each
# byte; bodies held in memory are bounded in all and per organisation (a
# quarter each), so one respondent cannot lock the others out (503
# server_busy for it alone).
second_start bodies "[limits]
body_timeout_seconds = 3
body_min_bytes_per_second = 1000000
max_buffered_bytes = 4194304"
SB=(python3 "$HERE/slowbody.py" --port "$S2PORT" --ca "$INST/pki/ca.crt")
"${SB[@]}" refused --limit 20 >"$W/sb1.json" || die "slowbody refused"
jq -e '.status == 401 and .seconds < 2' "$W/sb1.json" >/dev/null || die "refused body: $(cat "$W/sb1.json")"
"${SB[@]}" slow --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" --bytes 100000 --limit 20 >"$W/sb2.json" ||
	die "slowbody slow"
# 3 s + 100000 B at 1 MB/s: shut after about 3 s although a byte comes every second
jq -e '.seconds != null and .seconds >= 2.5 and .seconds < 6' "$W/sb2.json" >/dev/null ||
	die "slow body not shut at its deadline: $(cat "$W/sb2.json")"
# a quarter (1 MiB) per organisation: resp-ec's second 700 kB body does not
# fit beside its first, resp-rsa's does (and is refused for what it is)
"${SB[@]}" memory --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" --bytes 700000 --limit 20 \
	--cert2 "$W/fx/resp-rsa.crt" --key2 "$W/fx/resp-rsa.key" >"$W/sb3.json" || die "slowbody memory"
jq -e '.same_status == 503 and (.same | contains("server_busy"))' "$W/sb3.json" >/dev/null ||
	die "same organisation past its share: $(cat "$W/sb3.json")"
jq -e '.other_status == 422 and (.other | contains("package_not_zip"))' "$W/sb3.json" >/dev/null ||
	die "another organisation locked out: $(cat "$W/sb3.json")"
# and once the first is gone, an upload is taken again
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/sb.asice" --signer resp-ec || die "mkpkg"
got=$(s2 resp-ec POST /api/v1/submissions -H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$W/sb.asice")
[ "$got" = 201 ] || [ "$(jq -r .error.code "$W/out.json")" = nonce_reused ] || [ "$(jq -r .error.code "$W/out.json")" = nonce_mismatch ] ||
	die "upload after the memory test: $got $(cat "$W/out.json")"
second_stop
