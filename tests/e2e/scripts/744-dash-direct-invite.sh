# The dashboard invites a vendor that is not registered yet (issue 15,
# item 9), as `itaku chain invite --org-name` and the API's
# "organisation_name" do: the assign page of an open campaign has the form
# (id, name, variant, days); posting it shows the invitation to confirm,
# storing nothing; the confirmation makes it and shows the enrolment link
# once. The vendor enrols with that link's token (its key made on its side)
# and is a tier-1 vendor. Refused, each with its code and nothing stored
# changed: a respondent, no token, a field too many, a name that cannot be
# registered, an id that is none, a registered organisation, a closed
# campaign has no form.
. "$HERE/lib/dash.sh"
C=(--config "$INST/itaku.conf")
ORG=4120000000744
NAME='楓 <b>印刷</b> & Co'
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "744 direct" "${C[@]}") || die "create"
path="/admin/campaigns/$cid/invitations"

expect_eq "$(page admin GET "/admin/campaigns/$cid/assign")" 200 "the assign page"
is_html "the assign page"
has 'id="direct-invite"'
has 'name="organisation_name"'
tok=$(form_token "$path")
[ -n "$tok" ] || die "no invitation form on the assign page"
form=(-d "csrf=$tok" -d "organisation=$ORG" --data-urlencode "organisation_name=$NAME" -d variant=low-it -d days=10)

refused 403 forbidden "a respondent" resp-ec POST "$path" "${form[@]}"
refused 403 csrf_invalid "no token" admin POST "$path" -d "organisation=$ORG" --data-urlencode "organisation_name=$NAME" -d variant= -d days=10
refused 400 form_invalid "a field too many" admin POST "$path" "${form[@]}" -d x=1

# the first post shows it, nothing stored
before=$(snapshot)
expect_eq "$(page admin POST "$path" "${form[@]}")" 200 "the confirmation"
has '楓 &lt;b&gt;印刷&lt;/b&gt; &amp; Co'
has "<code>$ORG</code>"
has 'name="confirm" value="yes"'
expect_eq "$(snapshot)" "$before" "nothing stored before the confirmation"
tok2=$(form_token "$path")

# confirmed with what cannot be registered: refused, nothing stored
refused 422 invalid_field "a name with a control character" admin POST "$path" -d "csrf=$tok2" -d "organisation=$ORG" \
	--data-urlencode "organisation_name=$(printf 'Kaede\001')" -d variant= -d days=10 -d confirm=yes
refused 422 invalid_field "an id that is none" admin POST "$path" -d "csrf=$tok2" -d "organisation=5450000000067" \
	--data-urlencode "organisation_name=$NAME" -d variant= -d days=10 -d confirm=yes
refused 409 already_registered "a registered organisation" admin POST "$path" -d "csrf=$tok2" -d "organisation=$RESP_EC" \
	--data-urlencode "organisation_name=Sakura" -d variant= -d days=10 -d confirm=yes
refused 422 invalid_field "days out of range" admin POST "$path" -d "csrf=$tok2" -d "organisation=$ORG" \
	--data-urlencode "organisation_name=$NAME" -d variant= -d days=91 -d confirm=yes

# confirmed: the link, once
a0=$(audit_count)
expect_eq "$(page admin POST "$path" -d "csrf=$tok2" -d "organisation=$ORG" --data-urlencode "organisation_name=$NAME" \
	-d variant=low-it -d days=10 -d confirm=yes)" 201 "invited"
link=$(python3 - "$W/page.html" <<'PY'
import re, sys, html
m = re.search(r'<code id="enrol-link">([^<]*)</code>', open(sys.argv[1], encoding="utf-8").read())
print(html.unescape(m.group(1)) if m else "")
PY
)
[[ "$link" =~ ^https://[^/]+/enrol#c=$cid\&o=$ORG\&t=([0-9a-f]{64})$ ]] || die "link: $link"
tok=${BASH_REMATCH[1]}
expect_eq "$(audit_count)" $((a0 + 1)) "one audit entry"
[[ "$(audit_last)" == "invitation.create ok ok" ]] || die "audit: $(audit_last)"
expect_eq "$(dbq "SELECT direct || '|' || name || '|' || variant FROM invitations WHERE campaign_id = $cid")" \
	"1|$NAME|low-it" "the invitation stored"

# the vendor enrols with it: its own key, a tier-1 assignment
enrol kaede "$ORG" "$tok"
expect_eq "$(dbq "SELECT coalesce(invited_by, 'NULL') || '|' || variant FROM assignments WHERE campaign_id = $cid AND org_id = '$ORG'")" \
	"NULL|low-it" "tier 1, the variant asked for"
expect_eq "$(dbq "SELECT name FROM organisations WHERE id = '$ORG'")" "$NAME" "registered under the name given"

# a closed campaign has no invitation form
"$ITAKU" campaign close "$cid" "${C[@]}" >/dev/null || die "close"
expect_eq "$(page admin GET "/admin/campaigns/$cid/assign")" 200 "the assign page, closed"
lacks 'id="direct-invite"'
