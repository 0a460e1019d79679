# The dashboard's page of desirable levels: the levels in force per item
# with their origin (default, campaign, group; on the item or its
# section), and its two forms — put an organisation into a group, set a
# level — each with the form's CSRF token and a confirmation before
# anything is done, then the same domain function as the API and the CLI
# (audited). Refused, each with its code and nothing stored changed: no
# token, a respondent, a field too many, a level out of 1–5, a group
# nobody is in, a closed campaign.
. "$HERE/lib/dash.sh"
C=(--config "$INST/itaku.conf")
post() { page admin POST "$@"; }
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "745 levels" "${C[@]}") || die "create"
"$ITAKU" campaign assign "$cid" "$RESP_EC" "${C[@]}" >/dev/null || die "assign"
P=/admin/campaigns/$cid/desirable
G=/admin/campaigns/$cid/groups

expect_eq "$(page admin GET "/admin/campaigns/$cid")" 200 "overview"
has "href=\"$P\""
expect_eq "$(page admin GET "$P")" 200 "the levels page"
is_html "the levels page"
# 1.1's default is 4, in force for the campaign, from the default
has '<th scope="row" data-label="項目">1.1</th><td data-label="既定値">4</td><td data-label="調査全体"><strong>4</strong><span> (既定値)</span></td></tr>'
has "action=\"$P\""
has "action=\"$G\""
expect_eq "$(page resp-ec GET "$P")" 403 "a respondent on the levels page"

# into a group: token, confirmation, then stored and audited
expect_eq "$(page admin GET "$P")" 200 "the levels page"
gtok=$(form_token "$G")
stok=$(form_token "$P")
[ -n "$gtok" ] && [ -n "$stok" ] || die "no form tokens"
refused 403 csrf_invalid "group without a token" admin POST "$G" -d "organisation=$RESP_EC" -d group=GI
refused 403 forbidden "group as a respondent" resp-ec POST "$G" -d "csrf=$gtok" -d "organisation=$RESP_EC" -d group=GI
refused 400 form_invalid "group with a field too many" admin POST "$G" -d "csrf=$gtok" -d "organisation=$RESP_EC" -d group=GI -d x=1
refused 422 group_invalid "group with a bad name, confirmed" admin POST "$G" -d "csrf=$gtok" -d "organisation=$RESP_EC" -d "group=G I" -d confirm=1
before=$(snapshot)
expect_eq "$(post "$G" -d "csrf=$gtok" -d "organisation=$RESP_EC" -d group=GI)" 200 "group: the confirmation"
has 'name="confirm" value="1"'
expect_eq "$(snapshot)" "$before" "nothing stored before the confirmation"
gtok2=$(form_token "$G")
expect_eq "$(post "$G" -d "csrf=$gtok2" -d "organisation=$RESP_EC" -d group=GI -d confirm=1)" 303 "group, confirmed"
expect_eq "$(hdr Location)" "$P" "back to the levels page"
expect_eq "$(dbq "SELECT grp FROM assignments WHERE campaign_id = $cid AND org_id = '$RESP_EC'")" GI "the group stored"
expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE action = 'campaign.group' AND object = 'campaign/$cid'")" 1 "group audited"

# a level: GI's item 1.1 at 5
refused 422 desirable_level_invalid "level 6, confirmed" admin POST "$P" -d "csrf=$stok" -d group=GI -d item=1.1 -d level=6 -d confirm=1
refused 422 group_unknown "a group nobody is in, confirmed" admin POST "$P" -d "csrf=$stok" -d group=GII -d item=1.1 -d level=3 -d confirm=1
refused 422 desirable_item_unknown "an unknown item, confirmed" admin POST "$P" -d "csrf=$stok" -d item=9.9 -d level=3 -d confirm=1
refused 400 body_invalid "item and section, confirmed" admin POST "$P" -d "csrf=$stok" -d item=1.1 -d section=1 -d level=3 -d confirm=1
refused 400 form_invalid "no level" admin POST "$P" -d "csrf=$stok" -d item=1.1
before=$(snapshot)
expect_eq "$(post "$P" -d "csrf=$stok" -d group=GI -d item=1.1 -d level=5)" 200 "level: the confirmation"
expect_eq "$(snapshot)" "$before" "nothing stored before the confirmation"
stok2=$(form_token "$P")
expect_eq "$(post "$P" -d "csrf=$stok2" -d group=GI -d item=1.1 -d level=5 -d confirm=1)" 303 "level, confirmed"
expect_eq "$(dbq "SELECT grp || scope || ref || level || set_by FROM campaign_desirable WHERE campaign_id = $cid")" "GIitem1.15$ADMIN" "the level stored"
expect_eq "$(page admin GET "$P")" 200 "the levels page after"
has 'グループ GI (1)'
has '<th scope="row" data-label="項目">1.1</th><td data-label="既定値">4</td><td data-label="調査全体"><strong>4</strong><span> (既定値)</span></td><td data-label="グループ GI (1)"><strong>5</strong><span class="set"> (グループ / 設問)</span></td></tr>'
# 1.2: GI inherits the campaign's default
has '<th scope="row" data-label="項目">1.2</th><td data-label="既定値">3</td><td data-label="調査全体"><strong>3</strong><span> (既定値)</span></td><td data-label="グループ GI (1)"><strong>3</strong><span> (既定値)</span></td></tr>'

# closed: the page has no forms; a post is refused
"$ITAKU" campaign close "$cid" "${C[@]}" >/dev/null || die "close"
expect_eq "$(page admin GET "$P")" 200 "the levels page, closed"
lacks "action=\"$P\""
refused 409 campaign_closed "a level on a closed campaign" admin POST "$P" -d "csrf=$stok2" -d item=1.1 -d level=3 -d confirm=1
