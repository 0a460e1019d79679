# The portal's pages as a browser gets them (curl with the same headers):
# the home page of a respondent in Japanese by default and in English by
# Accept-Language or the remembered switch; a readable page, never JSON or
# a TLS failure, for a missing, unregistered or expired certificate and
# for an unknown path (the API keeps its JSON errors); the security
# headers on pages and API alike; hostile organisation and campaign names
# shown as text. Nothing stored changes by reading pages.
C=(--config "$INST/itaku.conf")
page() { # CLIENT PATH [curl args…]: body to $W/page.html, headers to $W/page.h, status on stdout
	local client=$1 path=$2
	shift 2
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -D "$W/page.h" -w '%{http_code}' \
		--cacert "$INST/pki/ca.crt" $(client_args "$client") "$@" "$BASE$path"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 400 "$W/page.html")"; }
lacks() { ! grep -qF -- "$1" "$W/page.html" || die "page has '$1'"; }
hdr() { grep -i "^$1:" "$W/page.h" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
is_html() {
	expect_eq "$(hdr Content-Type)" "text/html; charset=utf-8" "Content-Type"
	head -c 16 "$W/page.html" | grep -q '^<!DOCTYPE html>' || die "no doctype"
	[[ "$(hdr Content-Security-Policy)" == *"default-src 'self'"*"frame-ancestors 'none'"* ]] ||
		die "CSP: $(hdr Content-Security-Policy)"
	[[ "$(hdr Content-Security-Policy)" != *unsafe-inline* ]] || die "CSP allows inline"
	expect_eq "$(hdr Referrer-Policy)" no-referrer "Referrer-Policy"
	expect_eq "$(hdr X-Content-Type-Options)" nosniff "nosniff"
	expect_eq "$(hdr X-Frame-Options)" DENY "X-Frame-Options"
	expect_eq "$(hdr Cache-Control)" no-store "Cache-Control of a private page"
}
before=$(snapshot)

# home, Japanese by default
expect_eq "$(page resp-ec /)" 200 "GET / as a respondent"
is_html
has '<html lang="ja">'
has '依頼されている調査'
has '7999900000002'
has 'href="/api/v1/assignments/1/template"'
# each assignment's status as the API reports it, in words
[ "$(api resp-ec GET /api/v1/assignments)" = 200 ] || die "assignments"
declare -A LABEL=([not_started]=未着手 [accepted]=受理済み [submitted]=差し戻し [overdue]=期限超過)
while read -r st latest; do
	has ">${LABEL[$st]}"
	[ "$latest" = null ] || has "href=\"/api/v1/submissions/$latest/receipt\""
done < <(jq -r '.assignments[] | "\(.status) \(.latest_submission)"' "$W/out.json")
[ -z "$(hdr Set-Cookie)" ] || die "a page without a switch sets a cookie"

# English by Accept-Language on a first visit; the switch wins and is remembered
expect_eq "$(page resp-ec / -H 'Accept-Language: en-GB,en;q=0.9,ja;q=0.5')" 200 "GET / in English"
has '<html lang="en">'
has 'Questionnaires asked of you'
expect_eq "$(page resp-ec / -H 'Accept-Language: en;q=0.2, ja;q=0.9')" 200 "q-values"
has '<html lang="ja">'
expect_eq "$(page resp-ec '/?lang=en' -H 'Accept-Language: ja')" 200 "switch to English"
has '<html lang="en">'
[[ "$(hdr Set-Cookie)" == "itaku_lang=en; Path=/;"*"Secure; HttpOnly; SameSite=Lax" ]] ||
	die "switch cookie: $(hdr Set-Cookie)"
expect_eq "$(page resp-ec / -H 'Accept-Language: ja' -H 'Cookie: itaku_lang=en')" 200 "remembered"
has '<html lang="en">'
expect_eq "$(page resp-ec '/?lang=xx' -H 'Cookie: itaku_lang=<b>')" 200 "bad lang values"
has '<html lang="ja">'
[ -z "$(hdr Set-Cookie)" ] || die "an unknown language is remembered"

# without a usable certificate: a page that says what to do
expect_eq "$(page none /)" 401 "GET / without a certificate"
is_html
has 'クライアント証明書が必要です'
has '招待'
has '.p12'
has 'cert_required'
lacks '"error"'
expect_eq "$(page unregistered / -H 'Accept-Language: en')" 403 "GET / with an unregistered certificate"
is_html
has 'is not registered with this service'
has 'cert_unregistered'
expect_eq "$(page expired /)" 401 "GET / with an expired certificate"
has '有効期限が切れています'
expect_eq "$(page rogue /)" 401 "GET / with another CA's certificate"
has 'cert_untrusted'

# an unknown page is a page; the API's errors stay JSON, with the same headers
expect_eq "$(page resp-ec /no/such/page)" 404 "unknown page"
is_html
has 'お探しのページは見つかりませんでした'
expect_eq "$(page resp-ec /api/v1/nothing)" 404 "unknown API path"
expect_eq "$(jq -r .error.code "$W/page.html")" not_found "API 404 stays JSON"
[[ "$(hdr Content-Security-Policy)" == *"frame-ancestors 'none'"* ]] || die "API without CSP"
# a path that a browser would read as another host is not echoed as a link
expect_eq "$(page resp-ec '//evil.example/x')" 404 "scheme-relative path"
lacks 'href="//evil.example'
# a form posted to a page from another site is refused like any write
expect_eq "$(page resp-ec / -X POST -H 'Origin: https://evil.example' -d x=1)" 405 "POST /"
is_html
expect_eq "$(snapshot)" "$before" "stored data after reading pages"

# hostile names are text
EVIL='<script>alert(1)</script> & "q" '"'"'s'"'"' ‮evil'
"$ITAKU" org add --id hostile-org --name "$EVIL" "${C[@]}" >/dev/null || die "org add"
"$ITAKU" cert issue --org hostile-org --out "$W/hostile" "${C[@]}" >/dev/null || die "cert issue"
cp "$W/hostile/client.crt" "$W/fx/hostile.crt"
cp "$W/hostile/client.key" "$W/fx/hostile.key"
hc=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-01-31 --name "<img src=x onerror=alert(2)> 調査" "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$hc" hostile-org "${C[@]}" >/dev/null || die "assign"
expect_eq "$(page hostile /)" 200 "GET / as the hostile organisation"
lacks '<script>alert(1)'
lacks '<img src=x'
has '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q"'
has '&lt;img src=x onerror=alert(2)&gt; 調査'
has '‮evil'

# the enrolment page asks for no certificate and holds no token (it is in
# the link's fragment); the error texts the pages' script shows
expect_eq "$(page none /enrol)" 200 "the enrolment page without a certificate"
is_html
has 'id="enrol-pass"'
has '組織の証明書を作成する'
expect_eq "$(page none /api/v1/errors/nonce_reused)" 200 "an error's texts"
expect_eq "$(jq -r '.status, .message.ja != "", .message.en != ""' "$W/page.html" | tr '\n' ' ')" "409 true true " "texts of nonce_reused"
expect_eq "$(page none /api/v1/errors/no_such_code)" 404 "an unknown code"
expect_eq "$(jq -r .error.code "$W/page.html")" not_found "code of an unknown code"
