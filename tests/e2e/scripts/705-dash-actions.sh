# The dashboard's actions as form posts: create a campaign, assign
# organisations (several at once, a variant each), change the due date,
# close. Each needs the form's CSRF token (made for this certificate and
# this form) and is shown once more to be confirmed before anything is
# done; then the same domain function as the API twin does it and audits
# it, and the browser is sent on (303). Refused, each with its code and
# nothing stored changed: no token, another certificate's token, another
# form's token, a respondent, a field too many, a past date without
# "force", one organisation already assigned among several (all or none),
# an unknown variant, closing twice. The API twin of the due date agrees.
. "$HERE/lib/dash.sh"
C=(--config "$INST/itaku.conf")
post() { page admin POST "$@"; }

# a token of another certificate: the respondent's draft form
cid0=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "705 other" "${C[@]}") || die "create"
"$ITAKU" campaign assign "$cid0" "$RESP_EC" "${C[@]}" >/dev/null || die "assign"
aid=$(dbq "SELECT id FROM assignments WHERE campaign_id = $cid0 AND org_id = '$RESP_EC'")
expect_eq "$(page resp-ec GET "/assignments/$aid")" 200 "the respondent's answer page"
foreign=$(form_token "/assignments/$aid/draft")
[ -n "$foreign" ] || die "no draft token"

# create: the form's token, a confirmation, then the campaign
expect_eq "$(page admin GET /admin/campaigns)" 200 "list"
tok=$(form_token /admin/campaigns)
[ -n "$tok" ] || die "no create token"
NAME='705 作成 <b>&'
refused 403 csrf_invalid "create without a token" admin POST /admin/campaigns \
	--data-urlencode "name=$NAME" -d questionnaire=ipa-benchmark@1 -d due=2099-10-31
refused 403 csrf_invalid "create with another certificate's token" admin POST /admin/campaigns \
	-d "csrf=$foreign" --data-urlencode "name=$NAME" -d questionnaire=ipa-benchmark@1 -d due=2099-10-31
refused 403 forbidden "create as a respondent" resp-ec POST /admin/campaigns \
	-d "csrf=$tok" --data-urlencode "name=$NAME" -d questionnaire=ipa-benchmark@1 -d due=2099-10-31
refused 400 form_invalid "create with a field too many" admin POST /admin/campaigns \
	-d "csrf=$tok" --data-urlencode "name=$NAME" -d questionnaire=ipa-benchmark@1 -d due=2099-10-31 -d x=1
refused 400 form_invalid "create with vendor_invites=yes" admin POST /admin/campaigns \
	-d "csrf=$tok" --data-urlencode "name=$NAME" -d questionnaire=ipa-benchmark@1 -d due=2099-10-31 -d vendor_invites=yes
refused 403 cross_origin_refused "create from another site" admin POST /admin/campaigns \
	-H 'Origin: https://evil.example' -d "csrf=$tok" --data-urlencode "name=$NAME" -d questionnaire=ipa-benchmark@1 -d due=2099-10-31
before=$(snapshot)
expect_eq "$(post /admin/campaigns -d "csrf=$tok" --data-urlencode "name=$NAME" -d questionnaire=ipa-benchmark@1 \
	-d due=2099-10-31 -d vendor_invites=1)" 200 "create: the confirmation"
has '705 作成 &lt;b&gt;&amp;'
has 'name="confirm" value="1"'
expect_eq "$(snapshot)" "$before" "nothing stored before the confirmation"
tok2=$(form_token /admin/campaigns)
refused 422 invalid_field "create with a bad date, confirmed" admin POST /admin/campaigns \
	-d "csrf=$tok2" --data-urlencode "name=$NAME" -d questionnaire=ipa-benchmark@1 -d due=2099-02-30 -d confirm=1
refused 422 questionnaire_unknown "create with an unknown questionnaire, confirmed" admin POST /admin/campaigns \
	-d "csrf=$tok2" --data-urlencode "name=$NAME" -d questionnaire=nope@1 -d due=2099-10-31 -d confirm=1
a0=$(audit_count)
expect_eq "$(post /admin/campaigns -d "csrf=$tok2" --data-urlencode "name=$NAME" -d questionnaire=ipa-benchmark@1 \
	-d due=2099-10-31 -d vendor_invites=1 -d confirm=1)" 303 "create, confirmed"
loc=$(hdr Location)
[[ "$loc" =~ ^/admin/campaigns/([0-9]+)$ ]] || die "Location: $loc"
cid=${BASH_REMATCH[1]}
expect_eq "$(dbq "SELECT name || '|' || due || '|' || vendor_invites FROM campaigns WHERE id = $cid")" \
	"$NAME|2099-10-31|1" "the campaign stored"
expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE action = 'campaign.create' AND object = 'campaign/$cid' AND actor = '$ADMIN'")" 1 "audited"
expect_eq "$(audit_count)" "$((a0 + 1))" "one audit entry"

# assign several at once, a variant each
expect_eq "$(page admin GET "/admin/campaigns/$cid/assign?q=$RESP_RSA")" 200 "assign page"
has "name=\"variant.$RESP_RSA\""
has '<option value="low-it">'
expect_eq "$(page admin GET "/admin/campaigns/$cid/assign?q=$RESP_EC")" 200 "assign page"
has "name=\"org.$RESP_EC\""
atok=$(form_token "/admin/campaigns/$cid/assignments")
[ -n "$atok" ] || die "no assign token"
A=(-d "csrf=$atok" -d "org.$RESP_EC=1" -d "variant.$RESP_EC=" -d "org.$RESP_RSA=1" -d "variant.$RESP_RSA=low-it")
refused 403 csrf_invalid "assign with the create form's token" admin POST "/admin/campaigns/$cid/assignments" \
	-d "csrf=$tok2" -d "org.$RESP_EC=1" -d confirm=1
refused 400 form_invalid "assign nobody" admin POST "/admin/campaigns/$cid/assignments" -d "csrf=$atok" -d confirm=1
refused 400 form_invalid "assign with org.X=yes" admin POST "/admin/campaigns/$cid/assignments" -d "csrf=$atok" -d "org.$RESP_EC=yes"
refused 400 form_invalid "assign with a stray field" admin POST "/admin/campaigns/$cid/assignments" -d "csrf=$atok" -d "org.$RESP_EC=1" -d q=x
refused 422 variant_unknown "assign an unknown variant" admin POST "/admin/campaigns/$cid/assignments" \
	-d "csrf=$atok" -d "org.$RESP_EC=1" -d "variant.$RESP_EC=mid" -d confirm=1
refused 422 organisation_unknown "assign an unknown organisation" admin POST "/admin/campaigns/$cid/assignments" \
	-d "csrf=$atok" -d "org.$RESP_EC=1" -d "org.nobody-705=1" -d confirm=1
refused 403 csrf_invalid "assign in another campaign with this one's token" admin POST "/admin/campaigns/$cid0/assignments" \
	-d "csrf=$atok" -d "org.$RESP_RSA=1" -d confirm=1
expect_eq "$(post "/admin/campaigns/$cid/assignments" "${A[@]}")" 200 "assign: the confirmation"
has "$RESP_RSA"
has 'low-it'
expect_eq "$(post "/admin/campaigns/$cid/assignments" "${A[@]}" -d confirm=1)" 303 "assign, confirmed"
expect_eq "$(dbq "SELECT org_id || ':' || variant FROM assignments WHERE campaign_id = $cid ORDER BY org_id" | paste -sd' ')" \
	"$RESP_RSA:low-it $RESP_EC:" "two assigned, each with its variant"
expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE action = 'assignment.create' AND object LIKE 'campaign/$cid/assignment/%'")" 2 "each audited"
# one already assigned among several: neither is
"$ITAKU" org add --id late-705 --name "Late 705" --role respondent "${C[@]}" >/dev/null || die "org add"
refused 409 already_assigned "assign one twice among two" admin POST "/admin/campaigns/$cid/assignments" \
	-d "csrf=$atok" -d "org.late-705=1" -d "org.$RESP_EC=1" -d confirm=1
expect_eq "$(dbq "SELECT count(*) FROM assignments WHERE campaign_id = $cid AND org_id = 'late-705'")" 0 "all or none"

# the due date
expect_eq "$(page admin GET /admin/campaigns)" 200 "list"
dtok=$(form_token "/admin/campaigns/$cid/due")
ctok=$(form_token "/admin/campaigns/$cid/close")
[ -n "$dtok" ] && [ -n "$ctok" ] || die "no due/close token"
refused 403 csrf_invalid "due with the close form's token" admin POST "/admin/campaigns/$cid/due" -d "csrf=$ctok" -d due=2099-12-31 -d confirm=1
refused 403 csrf_invalid "due with another certificate's token" admin POST "/admin/campaigns/$cid/due" -d "csrf=$foreign" -d due=2099-12-31 -d confirm=1
refused 422 due_past "a past date" admin POST "/admin/campaigns/$cid/due" -d "csrf=$dtok" -d due=2001-01-01 -d confirm=1
refused 422 invalid_field "not a date" admin POST "/admin/campaigns/$cid/due" -d "csrf=$dtok" -d due=2099-13-01 -d confirm=1
refused 400 form_invalid "force=yes" admin POST "/admin/campaigns/$cid/due" -d "csrf=$dtok" -d due=2001-01-01 -d force=yes
refused 400 form_invalid "no date" admin POST "/admin/campaigns/$cid/due" -d "csrf=$dtok" -d confirm=1
expect_eq "$(post "/admin/campaigns/$cid/due" -d "csrf=$dtok" -d due=2099-12-31)" 200 "due: the confirmation"
has '2099-12-31'
expect_eq "$(post "/admin/campaigns/$cid/due" -d "csrf=$dtok" -d due=2099-12-31 -d confirm=1)" 303 "due, confirmed"
expect_eq "$(dbq "SELECT due FROM campaigns WHERE id = $cid")" 2099-12-31 "the new date"
expect_eq "$(dbq "SELECT detail FROM audit_log WHERE action = 'campaign.due' AND object = 'campaign/$cid' ORDER BY seq DESC LIMIT 1")" \
	"2099-10-31 -> 2099-12-31" "audited with both dates"
# a past date, forced: the assignments are overdue at once (the date is read as stored)
expect_eq "$(post "/admin/campaigns/$cid/due" -d "csrf=$dtok" -d due=2001-01-01 -d force=1 -d confirm=1)" 303 "a past date, forced"
expect_eq "$(api admin GET "/api/v1/campaigns/$cid/aggregate")" 200 "aggregate"
expect_eq "$(jq -r .progress.overdue "$W/out.json")" 2 "overdue by the new date"
# the API twin
refused_api() { # STATUS CODE WHAT BODY
	local b
	b=$(snapshot)
	expect_eq "$(api admin POST "/api/v1/campaigns/$cid/due" -H 'Content-Type: application/json' -d "$4")" "$1" "$3"
	expect_eq "$(jq -r .error.code "$W/out.json")" "$2" "$3: code"
	expect_eq "$(snapshot)" "$b" "stored data after: $3"
}
refused_api 422 due_past "API: a past date" '{"due":"2002-02-02"}'
refused_api 422 invalid_field "API: not a date" '{"due":"tomorrow"}'
refused_api 400 body_invalid "API: force as a string" '{"due":"2002-02-02","force":"yes"}'
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/due" -H 'Content-Type: application/json' -d '{"due":"2099-11-30"}')" 200 "API: a new date"
expect_eq "$(jq -r '.due + " " + .previous_due' "$W/out.json")" "2099-11-30 2001-01-01" "API: the answer"
expect_eq "$(api resp-ec POST "/api/v1/campaigns/$cid/due" -H 'Content-Type: application/json' -d '{"due":"2099-11-30"}')" 403 "API: a respondent"

# close: the token of this form only, the admin only
refused 403 csrf_invalid "close without a token" admin POST "/admin/campaigns/$cid/close" -d confirm=1
refused 403 csrf_invalid "close with another certificate's token" admin POST "/admin/campaigns/$cid/close" -d "csrf=$foreign" -d confirm=1
refused 403 csrf_invalid "close with the due form's token" admin POST "/admin/campaigns/$cid/close" -d "csrf=$dtok" -d confirm=1
for p in /admin/campaigns "/admin/campaigns/$cid/assignments" "/admin/campaigns/$cid/due" "/admin/campaigns/$cid/close"; do
	refused 403 forbidden "a respondent's POST $p" resp-ec POST "$p" -d "csrf=$foreign" -d confirm=1
done
# close, confirmed; twice is refused
expect_eq "$(post "/admin/campaigns/$cid/close" -d "csrf=$ctok")" 200 "close: the confirmation"
expect_eq "$(dbq "SELECT status FROM campaigns WHERE id = $cid")" open "still open before the confirmation"
expect_eq "$(post "/admin/campaigns/$cid/close" -d "csrf=$ctok" -d confirm=1)" 303 "close, confirmed"
expect_eq "$(dbq "SELECT status FROM campaigns WHERE id = $cid")" closed "closed"
refused 409 campaign_closed "close twice" admin POST "/admin/campaigns/$cid/close" -d "csrf=$ctok" -d confirm=1
refused 409 campaign_closed "due of a closed campaign" admin POST "/admin/campaigns/$cid/due" -d "csrf=$dtok" -d due=2099-12-31 -d confirm=1
refused 400 form_invalid "close with a field" admin POST "/admin/campaigns/$cid/close" -d "csrf=$ctok" -d x=1
# the list no longer offers the actions of a closed campaign
expect_eq "$(page admin GET /admin/campaigns)" 200 "list"
lacks "action=\"/admin/campaigns/$cid/close\""
