# The subcontractors of the answers, in the answer page's form: rows to
# fill (two blank ones for new entries, a row cleared to remove it), kept
# in the draft, written into the answers.xml to sign; a new version starts
# from the accepted declarations, in the page and in the API's template
# (?prefill=accepted), so resubmitting does not drop them from the chain.
# Refused with draft_invalid, nothing stored changed: a Corporate Number
# with a wrong check digit, the organisation itself, an id twice, a row
# without name or scope, a flag other than "1", a row number out of range.
C=(--config "$INST/itaku.conf")
page() { # CLIENT METHOD PATH [curl args…]
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		-X "$method" $(client_args "$client") "$@" "$BASE$path"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 300 "$W/page.html")"; }
token() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$W/page.html" | head -n 1; }
SUB=7000012050002

cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-10-31 --name "再委託先の行" "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$cid" 7999900000002 "${C[@]}" >/dev/null || die "assign"
aid=$(dbq "SELECT id FROM assignments WHERE campaign_id = $cid AND org_id = '7999900000002'")
expect_eq "$(page resp-ec GET "/assignments/$aid")" 200 "answer page"
has 'name="sub.0.id"'
has 'name="sub.1.id"'
tok=$(token)
P=/assignments/$aid/draft
levels=(-F "csrf=$tok")
for id in $(dbq "SELECT item_id FROM questionnaire_items WHERE questionnaire = 'ipa-benchmark' AND version = '1' AND optional = 0"); do
	levels+=(-F "level.$id=3")
done
saved=$(dbq "SELECT count(*) FROM draft_subs")
before=$(snapshot)
bad() { # WHAT [curl args…]: one refusal
	local what=$1
	shift
	expect_eq "$(page resp-ec POST "$P" "${levels[@]}" "$@")" 400 "$what"
	has '<code>draft_invalid</code>'
	expect_eq "$(snapshot)" "$before" "stored data after: $what"
}
bad "a wrong check digit" -F "sub.0.id=7000012050003" -F "sub.0.name=x" -F "sub.0.scope=y"
bad "the organisation itself" -F "sub.0.id=7999900000002" -F "sub.0.name=x" -F "sub.0.scope=y"
bad "an id twice" -F "sub.0.id=$SUB" -F "sub.0.name=x" -F "sub.0.scope=y" -F "sub.1.id=$SUB" -F "sub.1.name=x" -F "sub.1.scope=y"
bad "no name" -F "sub.0.id=$SUB" -F "sub.0.scope=y"
bad "no scope" -F "sub.0.id=$SUB" -F "sub.0.name=x"
bad "a flag that is not 1" -F "sub.0.id=$SUB" -F "sub.0.name=x" -F "sub.0.scope=y" -F "sub.0.personal=yes"
bad "a row out of range" -F "sub.200.id=$SUB" -F "sub.200.name=x" -F "sub.200.scope=y"
bad "a row number spelt with a zero" -F "sub.01.id=$SUB" -F "sub.01.name=x" -F "sub.01.scope=y"
bad "a name with a line break" -F "sub.0.id=$SUB" -F $'sub.0.name=a\nb' -F "sub.0.scope=y"
expect_eq "$(dbq "SELECT count(*) FROM draft_subs")" "$saved" "no rows after refusals"

expect_eq "$(page resp-ec POST "$P" "${levels[@]}" -F "sub.0.id=$SUB" -F 'sub.0.name=楓 <株> & 保守' \
	-F 'sub.0.scope=サーバー保守' -F sub.0.personal=1 -F "sub.1.id=kaede-int" -F 'sub.1.name=内製部門' \
	-F 'sub.1.scope=開発' -F sub.1.confidential=1 -F "sub.2.id=" -F "sub.2.name=" -F "sub.2.scope=")" 303 "a draft with two subcontractors"
expect_eq "$(dbq "SELECT child_id || '|' || personal || confidential FROM draft_subs WHERE assignment_id = $aid ORDER BY position" | tr '\n' ' ')" \
	"$SUB|10 kaede-int|01 " "the rows stored"
expect_eq "$(page resp-ec GET "/assignments/$aid")" 200 "the page again"
has "name=\"sub.0.id\" aria-label=\"法人番号・ID\" value=\"$SUB\""
has 'value="楓 &lt;株&gt; &amp; 保守"'
has 'name="sub.3.id"'
expect_eq "$(page resp-ec GET "/assignments/$aid/answers.xml")" 200 "answers.xml"
cp "$W/page.html" "$W/rows.xml"
grep -q "<subcontractor id=\"$SUB\" personal-data=\"true\" confidential-data=\"false\">" "$W/rows.xml" || die "subcontractor in answers.xml: $(grep -A3 subcontractors "$W/rows.xml")"
grep -qF '<name>楓 &lt;株&gt; &amp; 保守</name>' "$W/rows.xml" || die "name in answers.xml"
"$ITAKU" pack --answers "$W/rows.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" -o "$W/rows.asice" >/dev/null ||
	die "itaku pack"
expect_eq "$(upload resp-ec "$W/rows.asice")" 201 "upload"
sid=$(jq -r .id "$W/out.json")
expect_eq "$(dbq "SELECT child_id FROM declarations WHERE submission_id = $sid ORDER BY child_id" | tr '\n' ' ')" \
	"$SUB kaede-int " "declared by the accepted version"
# a new version starts from them: the API's template, and the page
expect_eq "$(api resp-ec GET "/api/v1/assignments/$aid/template?prefill=accepted")" 200 "prefilled template"
grep -q "<subcontractor id=\"$SUB\"" "$W/out.json" || die "prefilled template lacks the subcontractor"
grep -q 'level="3"' "$W/out.json" || die "prefilled template lacks the levels"
grep -q "nonce=\"$(dbq "SELECT nonce FROM assignments WHERE id = $aid")\"" "$W/out.json" || die "prefilled template's nonce"
expect_eq "$(api resp-ec GET "/api/v1/assignments/$aid/template?prefill=draft")" 400 "prefill=draft"
expect_eq "$(jq -r .error.code "$W/out.json")" query_invalid "code of prefill=draft"
expect_eq "$(api resp-rsa GET "/api/v1/assignments/$aid/template?prefill=accepted")" 404 "another organisation's prefilled template"
