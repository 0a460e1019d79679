# Floods (issue 11, hole 5), on a second itakud with small limits.
# Anonymous requests (no certificate, an unregistered or an untrusted one,
# an enrolment with a token nobody issued) are refused without growing the
# audit chain, and reported in a few rate-limited log lines. Enrolment
# (anonymous by design) is limited per client address: 429 rate_limited
# with Retry-After, not chained either. An organisation past its rate gets
# 429 too, audited once per window, not per request; its refused requests
# count against the rate like any other.
second_start limits "[limits]
enrol_per_minute = 3
requests_per_minute = 5"
adb() { dbi "$S2" "$1"; }
chain_len=$(adb "SELECT count(*) FROM audit_log")

# 300 anonymous refusals of three kinds: the audit chain does not grow
for i in $(seq 1 100); do
	s2 none GET /api/v1/whoami >/dev/null
	s2 unregistered GET /api/v1/assignments >/dev/null
	s2 rogue POST /api/v1/submissions -H 'Content-Type: application/vnd.etsi.asic-e+zip' -d x >/dev/null
done
expect_eq "$(s2 none GET /api/v1/whoami)" 401 "anonymous"
expect_eq "$(jq -r .error.code "$W/out.json")" cert_required "code"
expect_eq "$(adb "SELECT count(*) FROM audit_log")" "$chain_len" "audit chain after 301 anonymous refusals"
lines=$(grep -c "anonymous request" "$S2/itakud.log")
[ "$lines" -ge 1 ] && [ "$lines" -le 3 ] || die "anonymous refusals logged in $lines lines, want 1-3"
[ "$(grep -c "GET /api/v1/whoami 401" "$S2/itakud.log")" -le 3 ] || die "a log line per anonymous request"

# enrolment: 3 per minute per address
echo '{"token":"0000000000000000000000000000000000000000000000000000000000000000","campaign":"1","csr":"x"}' >"$W/tok.json"
for i in 1 2 3; do
	expect_eq "$(s2 none POST /api/v1/enrol -H 'Content-Type: application/json' --data-binary "@$W/tok.json")" 403 "enrol $i"
	expect_eq "$(jq -r .error.code "$W/out.json")" token_invalid "enrol $i code"
done
expect_eq "$(adb "SELECT count(*) FROM audit_log")" "$chain_len" "guessed tokens: counted, not chained"
for i in 4 5 6; do
	code=$(curl -sS -D "$W/h.txt" -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		-H 'Content-Type: application/json' --data-binary "@$W/tok.json" "$S2BASE/api/v1/enrol")
	expect_eq "$code" 429 "enrol $i"
	expect_eq "$(jq -r .error.code "$W/out.json")" rate_limited "enrol $i code"
	ra=$(tr -d '\r' <"$W/h.txt" | sed -n 's/^[Rr]etry-[Aa]fter: //p')
	[ -n "$ra" ] && [ "$ra" -ge 1 ] && [ "$ra" -le 60 ] || die "Retry-After '$ra'"
done
expect_eq "$(adb "SELECT count(*) FROM audit_log")" "$chain_len" "429s of enrolment not chained"
# the same address's cross-site enrolments are refused before anything
# else (before the rate too: another site's page must not use up the
# address's rate) and never chained (found by review: they used to be,
# without limit)
for i in $(seq 1 20); do
	s2 none POST /api/v1/enrol -H 'Sec-Fetch-Site: cross-site' -H 'Content-Type: application/json' -d '{}' >/dev/null
done
expect_eq "$(jq -r .error.code "$W/out.json")" cross_origin_refused "cross-site enrolment"
expect_eq "$(adb "SELECT count(*) FROM audit_log")" "$chain_len" "cross-site enrolments not chained"

# an organisation: 5 per minute, then 429, audited once in the window
for i in 1 2 3 4 5; do
	expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 200 "request $i"
done
for i in 6 7 8 9 10; do
	expect_eq "$(s2 resp-ec GET /api/v1/whoami)" 429 "request $i"
	expect_eq "$(jq -r .error.code "$W/out.json")" rate_limited "request $i code"
done
expect_eq "$(adb "SELECT count(*) FROM audit_log WHERE actor = '7999900000002' AND code = 'rate_limited'")" 1 "rate limit audited once"
# refused requests count too: forbidden and cross-site floods get 429 (found by review)
rsa0=$(adb "SELECT count(*) FROM audit_log WHERE actor = '6999900000003'")
for i in $(seq 1 10); do
	s2 resp-rsa GET /api/v1/campaigns >/dev/null
	s2 resp-rsa POST /api/v1/organisations/6999900000003/contacts -H 'Origin: https://evil.example' \
		-H 'Content-Type: application/json' -d '{}' >/dev/null
done
expect_eq "$(jq -r .error.code "$W/out.json")" rate_limited "forbidden/cross-site flood past the rate"
expect_eq "$(adb "SELECT count(*) FROM audit_log WHERE actor = '6999900000003'")" $((rsa0 + 6)) "5 refusals and one rate_limited chained"
# another organisation is not affected
expect_eq "$(s2 admin GET /api/v1/whoami)" 200 "other organisation"
"$ITAKU" audit verify --config "$S2/itaku.conf" >/dev/null || die "audit chain"
second_stop
