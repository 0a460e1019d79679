# The dashboard's campaign pages as each role gets them: the admin reads
# the campaigns list, a campaign's overview, its heatmap and the assign
# page (200, HTML, the dashboard's navigation); a respondent gets the
# readable 403 page on every one (never JSON); "/" sends an admin on to
# /admin/campaigns. Query arguments are parsed strictly: each bad value is
# the 400 query_invalid page. Hostile organisation and campaign names are
# shown as text. Reading changes nothing stored.
. "$HERE/lib/dash.sh"
C=(--config "$INST/itaku.conf")
EVIL=$'<script>alert(1)</script> & "q" \'s\' \u200f楓'
EVIL_HTML='&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q" '"'"'s'"'"' '$'\u200f''楓'

"$ITAKU" org add --id hostile-700 --name "$EVIL" --role respondent "${C[@]}" >/dev/null || die "org add"
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-09-30 --name "ダッシュ$EVIL" "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$cid" "$RESP_EC" "${C[@]}" >/dev/null || die "assign ec"
"$ITAKU" campaign assign "$cid" "$RESP_RSA" --variant low-it "${C[@]}" >/dev/null || die "assign rsa"
"$ITAKU" campaign assign "$cid" hostile-700 "${C[@]}" >/dev/null || die "assign hostile"
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 2 "<subcontractors/>"
answer resp-rsa "$W/fx/resp-rsa.crt" "$W/fx/resp-rsa.key" 4 "<subcontractors/>"
before=$(snapshot)

PAGES=("/admin/campaigns" "/admin/campaigns/$cid" "/admin/campaigns/$cid/heatmap"
	"/admin/campaigns/$cid/assign" "/admin/campaigns/$cid/heatmap?sort=item&item=1.1&cols=weakest"
	"/admin/campaigns/$cid/assign?q=%E6%A5%93")
for p in "${PAGES[@]}"; do
	expect_eq "$(page admin GET "$p")" 200 "admin GET $p"
	is_html "$p"
	has 'href="/admin/organisations"' # the dashboard's navigation
	lacks '<script>'
	# every text from the catalogue: no key shows as itself
	for key in '>dash.' '>heat.' '"dash.' '"heat.' '>status.' '>col.'; do lacks "$key"; done
	expect_eq "$(page resp-ec GET "$p")" 403 "respondent GET $p"
	is_html "$p (respondent)"
	has '<code>forbidden</code>'
	lacks 'ダッシュ'
done

# / is the respondent's home; an admin's is the dashboard
expect_eq "$(page admin GET /)" 303 "admin GET /"
expect_eq "$(hdr Location)" /admin/campaigns "Location for an admin"
expect_eq "$(page resp-ec GET /)" 200 "respondent GET /"

# the pages show what they are about
expect_eq "$(page admin GET /admin/campaigns)" 200 "list"
has "href=\"/admin/campaigns/$cid\">ダッシュ$EVIL_HTML</a>"
has 'role="img"'
has "aria-describedby=\"prog-$cid-desc\""
has "action=\"/admin/campaigns/$cid/due\""
has "action=\"/admin/campaigns/$cid/close\""
has 'action="/admin/campaigns"'
expect_eq "$(page admin GET "/admin/campaigns/$cid")" 200 "overview"
for s in 'id="radar"' 'id="scatter"' 'id="timeline"' 'id="dist-0"' \
	"href=\"/api/v1/campaigns/$cid/aggregate.csv\"" "href=\"/admin/campaigns/$cid/report\"" \
	"href=\"/admin/campaigns/$cid/chains\"" "href=\"/admin/organisations/$RESP_EC?campaign=$cid\""; do
	has "$s"
done
has "$EVIL_HTML" # in the list of organisations with nothing accepted? no: not overdue yet
expect_eq "$(page admin GET "/admin/campaigns/$cid/heatmap")" 200 "heatmap"
has '<table class="heat">'
has "title=\"hostile-700\">$EVIL_HTML</a>"
has '<td class="lv2 below" data-label="1.1">2▾</td>'
expect_eq "$(page admin GET "/admin/campaigns/$cid/assign?q=hostile")" 200 "assign search"
has "$EVIL_HTML"
has 'name="org.hostile-700"'

# strict query arguments: each bad one is the readable 400 page
for q in "status=bogus" "status=ACCEPTED" "tier=0" "tier=01" "tier=x" "limit=0" "limit=201" \
	"sort=item" "item=1.1" "sort=best" "cols=x" "below=2" "levels=1" "offset=-1" \
	"section=99" "variant=mid" "item=9.9&sort=item" "variant=%3Cx%3E" "offset=1e3"; do
	expect_eq "$(page admin GET "/admin/campaigns/$cid/heatmap?$q")" 400 "heatmap ?$q"
	is_html "heatmap ?$q"
	has '<code>query_invalid</code>'
done
expect_eq "$(page admin GET "/api/v1/campaigns/$cid/organisations?status=bogus")" 400 "API ?status=bogus"
expect_eq "$(jq -r .error.code "$W/page.html")" query_invalid "the API's code"
for q in "offset=-1" "offset=x" "q=%01"; do
	expect_eq "$(page admin GET "/admin/campaigns/$cid/assign?$q")" 400 "assign ?$q"
	has '<code>query_invalid</code>'
done
for p in /admin/campaigns/999999 /admin/campaigns/999999/heatmap /admin/campaigns/999999/assign \
	/admin/campaigns/0 /admin/campaigns/x/heatmap; do
	expect_eq "$(page admin GET "$p")" 404 "admin GET $p"
	is_html "$p"
done
# English by the switch
expect_eq "$(page admin GET "/admin/campaigns/$cid/heatmap?lang=en")" 200 "heatmap in English"
has '<html lang="en">'
has 'weakest first'
for key in '>dash.' '>heat.' '"dash.' '"heat.'; do lacks "$key"; done
expect_eq "$(page admin GET "/admin/campaigns/$cid" -H "Cookie: $(hdr Set-Cookie | cut -d";" -f1)")" 200 "overview in English (the cookie)"
has '<html lang="en">'
for key in '>dash.' '>heat.' '"dash.' '"heat.' '>status.'; do lacks "$key"; done
expect_eq "$(snapshot)" "$before" "stored data after reading the pages"
