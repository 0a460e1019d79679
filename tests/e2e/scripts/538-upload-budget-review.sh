# Review of issue 17's spooled uploads (attacker's view), on a second
# itakud with one upload slot per organisation: no exit path of an upload
# keeps its slot, its share of the bytes in flight or its spool file (the
# organisation's next upload is read, 422, not 429; STORE/tmp is empty);
# and one organisation must not take the bytes-in-flight budget from
# everybody else: a chunked multipart body to POST /submissions/upload has
# no size of its own (only its file part is bounded), and its preamble,
# which the form's decoder skips, is counted into the budget as it comes,
# so it is refused past the form's limit (package limit + 64 KiB) rather
# than let one client hold the whole budget until its body deadline.
second_start flood "[limits]
max_package_bytes = 1048576
uploads_in_flight_bytes = 8388608
uploads_per_organisation = 1
body_timeout_seconds = 20"
PT='Content-Type: application/vnd.etsi.asic-e+zip'
head -c 2000000 /dev/urandom >"$W/fl-big.bin"
head -c 1000 /dev/urandom >"$W/fl-small.bin"
next_is_read() { # WHAT: the organisation's next upload is read, and nothing is left in STORE/tmp
	local got
	got=$(s2 resp-ec POST /api/v1/submissions -H "$PT" --data-binary "@$W/fl-small.bin")
	[ "$got" = 422 ] || die "after $1: the next upload got $got $(cat "$W/out.json")"
	for _ in $(seq 1 30); do
		[ -z "$(ls -A "$S2/store/tmp")" ] && return 0
		sleep 0.1
	done
	die "after $1: left in STORE/tmp: $(ls "$S2/store/tmp")"
}
next_is_read "nothing"
expect_eq "$(s2 resp-ec POST /api/v1/submissions -H "$PT" --data-binary "@$W/fl-big.bin")" 413 "announced over the limit"
next_is_read "an announced body over the limit"
expect_eq "$(s2 resp-ec POST /api/v1/submissions -H "$PT" -H 'Transfer-Encoding: chunked' \
	--data-binary "@$W/fl-big.bin")" 413 "chunked package over the limit"
next_is_read "a chunked package over the limit"
expect_eq "$(s2 resp-ec POST /api/v1/submissions -H 'Content-Type: text/plain' --data-binary "@$W/fl-small.bin")" \
	415 "package of the wrong type"
next_is_read "a package of the wrong type"
expect_eq "$(s2 resp-ec POST /submissions/upload --data-urlencode x=1)" 415 "form not multipart"
next_is_read "a form not multipart"
expect_eq "$(s2 resp-ec POST /submissions/upload -H 'Transfer-Encoding: chunked' -F "package=@$W/fl-big.bin")" \
	413 "chunked form over the limit"
next_is_read "a chunked form over the limit"
expect_eq "$(s2 resp-ec POST /submissions/upload -F "package=@$W/fl-small.bin")" 403 "form without token"
next_is_read "a form without its token"
s2 resp-ec POST /api/v1/submissions -H "$PT" --limit-rate 20k --max-time 1 --data-binary "@$W/fl-big.bin" >/dev/null 2>&1
next_is_read "a client gone mid-body"
# two uploads on one keep-alive connection: the first's slot is back for the second
# shellcheck disable=SC2046
codes=$(curl -sS -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' --cacert "$INST/pki/ca.crt" $(client_args resp-ec) \
	-H "$PT" --data-binary "@$W/fl-small.bin" "$S2BASE/api/v1/submissions" "$S2BASE/api/v1/submissions" | tr '\n' ' ')
expect_eq "$codes" "422 1 422 0 " "two uploads on one connection"
next_is_read "two uploads on one connection"

# odd bodies are answered, never crash the server (second_stop checks its log)
: >"$W/fl-empty.bin"
expect_eq "$(s2 resp-ec POST /api/v1/submissions -H "$PT" --data-binary "@$W/fl-empty.bin")" 422 "empty package"
expect_eq "$(s2 resp-ec POST /api/v1/submissions -H "$PT" -H 'Transfer-Encoding: chunked' \
	--data-binary "@$W/fl-empty.bin")" 422 "empty chunked package"
expect_eq "$(s2 resp-ec POST /submissions/upload -F "package=@$W/fl-empty.bin")" 403 "empty file in the form"
printf -- '--BOUNDARY\r\nContent-Disposition: form-data; name="package"; filename="p"\r\n\r\nxx\r\n--BOUNDARY--\r\nafter the end' \
	>"$W/fl-epi.bin"
expect_eq "$(s2 resp-ec POST /submissions/upload -H 'Content-Type: multipart/form-data; boundary=BOUNDARY' \
	--data-binary "@$W/fl-epi.bin")" 400 "a form with an epilogue (refused: strict)"
printf -- '--BOUNDARY\r\nContent-Disposition: form-data; name="package"\r\n\r\nxx\r\n--BOUNDARY--\r\n' >"$W/fl-nofn.bin"
expect_eq "$(s2 resp-ec POST /submissions/upload -H 'Content-Type: multipart/form-data; boundary=BOUNDARY' \
	--data-binary "@$W/fl-nofn.bin")" 400 "a package field without a file name"
next_is_read "odd bodies"

python3 "$HERE/uploadflood.py" preamble --port "$S2PORT" --ca "$INST/pki/ca.crt" \
	--cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" \
	--cert2 "$W/fx/resp-rsa.crt" --key2 "$W/fx/resp-rsa.key" --bytes $((12 << 20)) >"$W/fl1.json" ||
	die "uploadflood preamble"
jq -e '.other_status == 422 and (.other | contains("package_not_zip"))' "$W/fl1.json" >/dev/null ||
	die "one organisation's chunked form took the upload budget from another: $(cat "$W/fl1.json")"
next_is_read "a chunked form of preamble"
second_stop

# every connection may hold two descriptors (its socket, an upload's
# spool): started with a soft limit of 200, itakud raises it to fit both
# for max_connections, or a server at its connection limit with uploads in
# flight refuses them (storage_error) for want of a descriptor
printf '#!/bin/sh\nulimit -Sn 200\nexec "%s" "$@"\n' "$ITAKUD" >"$W/itakud-lowfd"
chmod +x "$W/itakud-lowfd"
real_itakud=$ITAKUD
ITAKUD=$W/itakud-lowfd
second_start lowfd "[limits]
max_connections = 300"
ITAKUD=$real_itakud
soft=$(awk '/^Max open files/ {print $4}' "/proc/$S2PID/limits")
[ "$soft" -ge $((2 * 300 + 64)) ] || die "soft descriptor limit $soft for 300 connections and their spools"
second_stop
