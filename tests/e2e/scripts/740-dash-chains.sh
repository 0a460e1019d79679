# The dashboard's chains page, /admin/campaigns/{id}/chains, on a
# three-tier chain built from real signed packages and a real enrolment:
# tier 1 A (resp-ec) and R (resp-rsa) both declare B (a diamond: A passes
# on personal data, R nothing); the admin invites B from the page (a
# confirmation page that changes nothing, then the invitation and its
# link); B enrols with that link's token, answers and declares C
# (confidential data), tier 3. The page shows the tiers, B once with both
# parents, the weakest link, the lists; B -> C is approved from the page
# and that equals the API's approval of the same edge (the stored row and
# the audit entry). Every refusal (no token, another certificate's token,
# another form's token, cross-site, a respondent, bad fields, flags that
# changed, an edge that needs no approval, bad queries) answers a readable
# page with its exact code, and nothing stored changes.
JSON=(-H 'Content-Type: application/json')
A=7999900000002
R=6999900000003
B=2500000000740 # ids of this script alone: 220 enrols its own B and C under other names
CC=1500000000741
# hostile text as the declared names (XML-escaped for the package, and
# the sed of `answer` needs its & escaped)
B_XML='\&lt;script\&gt;alert(1)\&lt;/script\&gt; \&amp; \&quot;楓\&quot; '$'\u202e''RTL'
B_HTML='&lt;script&gt;alert(1)&lt;/script&gt; &amp; "楓" '$'\u202e''RTL'
C_XML='Sakura \&amp; \&lt;b\&gt;データ\&lt;/b\&gt;'

page() { # CLIENT METHOD PATH [curl args…]
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		-X "$method" $(client_args "$client") "$@" "$BASE$path"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 600 "$W/page.html")"; }
lacks() { ! grep -qF -- "$1" "$W/page.html" || die "page has '$1'"; }
# the CSRF token of the (first) form posting to ACTION
token_for() {
	grep -o "action=\"$1\"><input type=\"hidden\" name=\"csrf\" value=\"[^\"]*\"" "$W/page.html" |
		head -n 1 | sed 's/.*value="\([^"]*\)"/\1/'
}
count_of() { grep -oF -- "$1" "$W/page.html" | wc -l; }

expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" \
	-d '{"name":"連鎖 <script>x</script> & 2099","questionnaire":"ipa-benchmark@1","due":"2099-06-30"}')" 201 "campaign"
cid=$(jq -r .id "$W/out.json")
for org in $A $R; do
	expect_eq "$(api admin POST "/api/v1/campaigns/$cid/assignments" "${JSON[@]}" -d "{\"organisation\":\"$org\"}")" 201 "assign $org"
done
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 4 "$(subs_xml "$B:$B_XML:運用保守:true:false")"
answer resp-rsa "$W/fx/resp-rsa.crt" "$W/fx/resp-rsa.key" 3 "$(subs_xml "$B:$B_XML:配送:false:false")"
CH=/admin/campaigns/$cid/chains

# ---- the page, before anyone is invited ----
expect_eq "$(page admin GET "$CH")" 200 "chains page"
has '<h1>再委託の連鎖</h1>'
has '連鎖 &lt;script&gt;x&lt;/script&gt; &amp; 2099'
has "$B_HTML"
lacks '<script>'
has '第 1 層'
has '第 2 層'
expect_eq "$(count_of "<code>$B</code><p>")" 1 "B is one row (the diamond shown once)"
has "action=\"/admin/campaigns/$cid/invitations\""
expect_eq "$(page admin GET "$CH?status=pending")" 200 "pending list"
has "<code>$B</code>"
expect_eq "$(page admin GET "$CH?status=unapproved&lang=en")" 200 "unapproved list, English"
has '<html lang="en">'
has 'Awaiting approval'
has "<code>$B</code>"
expect_eq "$(count_of 'scope="row"')" 1 "one row: B"
expect_eq "$(page admin GET "$CH?status=overdue")" 200 "overdue list"
has '該当する組織はありません。'
# the lists agree with the API's
expect_eq "$(api admin GET "/api/v1/campaigns/$cid/chains?status=unapproved")" 200 "API list"
expect_eq "$(jq -c '[.nodes[].id]' "$W/out.json")" "[\"$B\"]" "API unapproved list"
expect_eq "$(jq -r '.nodes_page.status' "$W/out.json")" unapproved "API list status"
expect_eq "$(api admin GET "/api/v1/campaigns/$cid/chains?status=declared")" 400 "API bad status"
expect_eq "$(jq -r .error.code "$W/out.json")" query_invalid "API bad status code"

# ---- refusals: each with its code, nothing stored changed ----
expect_eq "$(page admin GET "$CH")" 200 "chains page"
tok_inv=$(token_for "/admin/campaigns/$cid/invitations")
[ -n "$tok_inv" ] || die "no invitation token on the page"
expect_eq "$(page resp-ec GET /subcontractors)" 200 "a respondent's page with a form"
tok_foreign=$(token_for /subcontractors/invite)
[ -n "$tok_foreign" ] || die "no token on the respondent's page"
before=$(snapshot)
refuse() { # STATUS CODE WHAT CLIENT METHOD PATH [curl args…]
	local want=$1 code=$2 what=$3 client=$4 method=$5 path=$6
	shift 6
	expect_eq "$(page "$client" "$method" "$path" "$@")" "$want" "$what"
	has "<code>$code</code>"
	has '<html lang='
	expect_eq "$(snapshot)" "$before" "stored data after: $what"
}
INV=/admin/campaigns/$cid/invitations
APP=/admin/campaigns/$cid/approvals
refuse 403 csrf_invalid "invite without a token" admin POST "$INV" -d "organisation=$B"
refuse 403 csrf_invalid "invite with another certificate's token" admin POST "$INV" -d "csrf=$tok_foreign" -d "organisation=$B"
refuse 403 csrf_invalid "approve with the invitation form's token" admin POST "$APP" -d "csrf=$tok_inv" -d "parent=$A" -d "child=$B"
refuse 403 forbidden "a respondent invites" resp-ec POST "$INV" -d "csrf=$tok_foreign" -d "organisation=$B"
refuse 403 cross_origin_refused "another site" admin POST "$INV" -H 'Origin: https://evil.example' -d "csrf=$tok_inv" -d "organisation=$B"
refuse 400 form_invalid "a field too many" admin POST "$INV" -d "csrf=$tok_inv" -d "organisation=$B" -d x=1
refuse 400 form_invalid "confirm without its fields" admin POST "$INV" -d "csrf=$tok_inv" -d "organisation=$B" -d confirm=yes
refuse 422 not_declared "an organisation nobody declares" admin POST "$INV" -d "csrf=$tok_inv" -d "organisation=8000012050001"
refuse 422 not_declared "a tier-1 vendor nobody declares" admin POST "$INV" -d "csrf=$tok_inv" -d "organisation=$A" -d variant= -d days=14 -d confirm=yes
refuse 422 invalid_field "days 0" admin POST "$INV" -d "csrf=$tok_inv" -d "organisation=$B" -d variant= -d days=0 -d confirm=yes
refuse 422 invalid_field "days 091" admin POST "$INV" -d "csrf=$tok_inv" -d "organisation=$B" -d variant= -d days=091 -d confirm=yes
refuse 422 variant_unknown "a variant the questionnaire lacks" admin POST "$INV" -d "csrf=$tok_inv" -d "organisation=$B" -d variant=nope -d days=14 -d confirm=yes
refuse 403 csrf_invalid "the token of another campaign's form" admin POST /admin/campaigns/999999/invitations -d "csrf=$tok_inv" -d "organisation=$B"
refuse 400 query_invalid "an unknown query parameter" admin GET "$CH?sort=1"
refuse 400 query_invalid "a status that is no list" admin GET "$CH?status=assigned"
refuse 400 query_invalid "a repeated parameter" admin GET "$CH?status=pending&status=invited"
refuse 400 query_invalid "limit 0" admin GET "$CH?limit=0"
refuse 400 query_invalid "offset -1" admin GET "$CH?offset=-1"
refuse 400 query_invalid "offset 01" admin GET "$CH?offset=01"
refuse 404 not_found "no such campaign" admin GET /admin/campaigns/999999/chains
refuse 403 forbidden "a respondent's chains page" resp-ec GET "$CH"

# ---- inviting B from the page: confirmation first, then the link ----
expect_eq "$(page admin POST "$INV" -d "csrf=$tok_inv" -d "organisation=$B")" 200 "invitation's confirmation"
has '再委託先の招待'
has "$B_HTML"
has "<code>$A</code>"
has 'name="variant"'
has 'value="low-it"'
expect_eq "$(snapshot)" "$before" "the confirmation changed something"
tok2=$(token_for "$INV")
expect_eq "$(page admin POST "$INV" -d "csrf=$tok2" -d "organisation=$B" -d variant=low-it -d days=7 -d confirm=yes)" 201 "invite B"
link=$(sed -n 's|.*<code id="enrol-link">https://[^/]*\(/enrol#c=[0-9]*&amp;o=[0-9]*&amp;t=[0-9a-f]*\)</code>.*|\1|p' "$W/page.html" | sed 's/&amp;/\&/g')
[[ "$link" =~ ^/enrol#c=$cid\&o=$B\&t=[0-9a-f]{64}$ ]] || die "link: '$link'"
expect_eq "$(dbq "SELECT variant || ' ' || invited_by FROM invitations WHERE campaign_id = $cid AND org_id = '$B'")" "low-it $ADMIN" "the invitation stored"
expect_eq "$(audit_last)" "invitation.create ok ok" "invitation audited"
enrol kaede "$B" "${link##*t=}"
answer kaede "$W/kaede.crt" "$W/kaede.key" 2 "$(subs_xml "$CC:$C_XML:データ入力:false:true")"

# ---- three tiers; approving B -> C from the page ----
expect_eq "$(page admin GET "$CH")" 200 "chains page, three tiers"
has '第 3 層'
has 'Sakura &amp; &lt;b&gt;データ&lt;/b&gt;'
has '<mark class="weakest">'
has "<mark class=\"weakest\"><code>$B</code></mark>"
has '承認の確認へ'
tok_app=$(token_for "$APP")
[ -n "$tok_app" ] || die "no approval form"
before=$(snapshot)
refuse 422 approval_not_required "R -> B passes on nothing" admin POST "$APP" -d "csrf=$tok_app" -d "parent=$R" -d "child=$B"
refuse 404 edge_not_found "A -> C is no re-entrustment" admin POST "$APP" -d "csrf=$tok_app" -d "parent=$A" -d "child=$CC"
refuse 409 approval_changed "approving more than B -> C passes on" admin POST "$APP" -d "csrf=$tok_app" -d "parent=$B" -d "child=$CC" -d personal=1 -d confidential=1 -d confirm=yes
refuse 400 form_invalid "a flag that is no flag" admin POST "$APP" -d "csrf=$tok_app" -d "parent=$B" -d "child=$CC" -d personal=01 -d confidential=1 -d confirm=yes
refuse 400 form_invalid "confirm=no" admin POST "$APP" -d "csrf=$tok_app" -d "parent=$B" -d "child=$CC" -d personal=0 -d confidential=1 -d confirm=no
refuse 403 csrf_invalid "approve with another certificate's token" admin POST "$APP" -d "csrf=$tok_foreign" -d "parent=$B" -d "child=$CC" -d personal=0 -d confidential=1 -d confirm=yes
refuse 403 csrf_invalid "approve without a token" admin POST "$APP" -d "parent=$B" -d "child=$CC" -d personal=0 -d confidential=1 -d confirm=yes
refuse 403 forbidden "a respondent approves" resp-rsa POST "$APP" -d "csrf=$tok_app" -d "parent=$B" -d "child=$CC" -d personal=0 -d confidential=1 -d confirm=yes
expect_eq "$(audit_last)" "request rejected forbidden" "the refusal audited"
expect_eq "$(page admin POST "$APP" -d "csrf=$tok_app" -d "parent=$B" -d "child=$CC")" 200 "approval's confirmation"
has '再委託の承認'
has '機密情報'
has '未承認'
has 'name="confidential" value="1"'
has 'name="personal" value="0"'
expect_eq "$(snapshot)" "$before" "the confirmation changed something"
tok3=$(token_for "$APP")
expect_eq "$(page admin POST "$APP" -d "csrf=$tok3" -d "parent=$B" -d "child=$CC" -d personal=0 -d confidential=1 -d confirm=yes)" 201 "approve B -> C"
has '承認しました'
row_page=$(dbq "SELECT personal, confidential, approved_by FROM chain_approvals WHERE campaign_id = $cid AND parent_id = '$B' AND child_id = '$CC'")
audit_page=$(dbq "SELECT actor, action, object, outcome, code, detail FROM audit_log WHERE action = 'chain.approve' ORDER BY seq DESC LIMIT 1")
expect_eq "$audit_page" "$ADMIN|chain.approve|campaign/$cid/chain/$B/$CC|ok|ok|personal=0 confidential=1" "the page's approval audited"
expect_eq "$(api admin GET "/api/v1/campaigns/$cid/chains")" 200 "chains API"
expect_eq "$(jq -c --arg c "$CC" '.nodes[] | select(.id == $c) | [.tier, .parents[0].approval.state, .parents[0].approval.by]' "$W/out.json")" "[3,\"approved\",\"$ADMIN\"]" "the API sees the page's approval"
# the API's approval of the same edge does exactly the same
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/approvals" "${JSON[@]}" -d "{\"parent\":\"$B\",\"child\":\"$CC\",\"personal\":false,\"confidential\":true}")" 201 "API approval"
expect_eq "$(dbq "SELECT personal, confidential, approved_by FROM chain_approvals WHERE campaign_id = $cid AND parent_id = '$B' AND child_id = '$CC'")" "$row_page" "the API's row equals the page's"
expect_eq "$(dbq "SELECT actor, action, object, outcome, code, detail FROM audit_log WHERE action = 'chain.approve' ORDER BY seq DESC LIMIT 1")" "$audit_page" "the API's audit entry equals the page's"
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/approvals" "${JSON[@]}" -d "{\"parent\":\"$B\",\"child\":\"$CC\",\"personal\":true}")" 409 "API approval of other flags"
expect_eq "$(jq -r .error.code "$W/out.json")" approval_changed "API approval_changed"
# what is left unapproved: A -> B
expect_eq "$(page admin GET "$CH?status=unapproved")" 200 "unapproved after"
has "<code>$B</code>"
expect_eq "$(count_of 'scope="row"')" 1 "one row: B"
expect_eq "$(page admin GET "$CH?limit=1&offset=1")" 200 "a page of one"
has '2–2'
has "offset=0&amp;limit=1"
has "offset=2&amp;limit=1"
"$ITAKU" audit verify --config "$INST/itaku.conf" | grep -q intact || die "audit chain"
