# The subcontractors page: what a vendor declared in its accepted answers,
# per campaign, with status and approval (never the subcontractor's
# answers), and inviting one from the page (a form with its CSRF token,
# where the campaign lets vendors invite): the answer is a page with the
# enrolment link, token in the fragment; the link enrols. Refused: another
# organisation's token, a campaign that does not let vendors invite, an
# organisation not declared — each with its code, nothing stored changed.
C=(--config "$INST/itaku.conf")
page() { # CLIENT METHOD PATH [curl args…]
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		-X "$method" $(client_args "$client") "$@" "$BASE$path"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 300 "$W/page.html")"; }
lacks() { ! grep -qF -- "$1" "$W/page.html" || die "page has '$1'"; }
token() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$W/page.html" | head -n 1; }
SUB=7000012050002 # the National Tax Agency's Corporate Number: valid, unregistered

cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-08-31 --name "再委託の試験" --vendor-invites "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$cid" 7999900000002 "${C[@]}" >/dev/null || die "assign"
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 4 \
	"$(subs_xml "$SUB:国税テスト株式会社:保守・運用:true:false")"

# the same declaration in a campaign that does not let vendors invite
cid_ok=$cid
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-08-31 --name "招待なし" "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$cid" 7999900000002 "${C[@]}" >/dev/null || die "assign"
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 4 "$(subs_xml "$SUB:国税テスト株式会社:保守・運用:true:false")"
cid_closed=$cid
cid=$cid_ok

expect_eq "$(page resp-ec GET /subcontractors)" 200 "the subcontractors page"
has '再委託の試験'
has "data-label=\"法人番号・ID\">$SUB</th>"
has "国税テスト株式会社"
has '申告済み(未招待)'
has '未承認'
has 'action="/subcontractors/invite"'
tok=$(token)
expect_eq "$(page resp-rsa GET /subcontractors)" 200 "another vendor's page"
lacks "$SUB"

before=$(snapshot)
a0=$(audit_count)
refuse() { # STATUS CODE WHAT CLIENT [curl args…]
	local want=$1 code=$2 what=$3 client=$4
	shift 4
	expect_eq "$(page "$client" POST /subcontractors/invite "$@")" "$want" "$what"
	has "<code>$code</code>"
	expect_eq "$(snapshot)" "$before" "stored data after: $what"
}
refuse 403 csrf_invalid "resp-ec's token from another certificate" resp-rsa -d "csrf=$tok" -d "campaign=$cid" -d "organisation=$SUB"
refuse 403 csrf_invalid "no token" resp-ec -d "campaign=$cid" -d "organisation=$SUB"
refuse 400 form_invalid "a field too many" resp-ec -d "csrf=$tok" -d "campaign=$cid" -d "organisation=$SUB" -d x=1
refuse 400 form_invalid "a campaign that is no number" resp-ec -d "csrf=$tok" -d "campaign=01" -d "organisation=$SUB"
refuse 403 cross_origin_refused "another site" resp-ec -H 'Origin: https://evil.example' -d "csrf=$tok" -d "campaign=$cid" -d "organisation=$SUB"
refuse 422 not_declared "a campaign in which it is not declared" resp-ec -d "csrf=$tok" -d "campaign=1" -d "organisation=$SUB"
refuse 403 invite_forbidden "a campaign without vendor invitations" resp-ec -d "csrf=$tok" -d "campaign=$cid_closed" -d "organisation=$SUB"
refuse 422 not_declared "an organisation not declared" resp-ec -d "csrf=$tok" -d "campaign=$cid" -d "organisation=8000012050001"
expect_eq "$(page resp-ec POST /subcontractors/invite -d "csrf=$tok" -d "campaign=$cid" -d "organisation=$SUB")" 201 "invite"
has '招待しました'
link=$(sed -n 's|.*<code>https://[^/]*\(/enrol#c=[0-9]*&amp;o=[0-9]*&amp;t=[0-9a-f]*\)</code>.*|\1|p' "$W/page.html" | sed 's/&amp;/\&/g')
[[ "$link" =~ ^/enrol#c=$cid\&o=$SUB\&t=[0-9a-f]{32,}$ ]] || die "link: '$link'"
expect_eq "$(dbq "SELECT count(*) FROM invitations WHERE campaign_id = $cid AND org_id = '$SUB' AND used_at IS NULL")" 1 "the invitation stored"
[[ "$(audit_last)" == *" ok"* ]] || die "audit of the invitation: $(audit_last)"
# the link enrols
enrol sub-page "$SUB" "${link##*t=}"
expect_eq "$(page resp-ec GET /subcontractors)" 200 "the page again"
has '参加済み・未回答'
