# Every dashboard route (the route table's /admin/ rows, from `itakud
# --routes`, so a page added later is walked too) with each role: a
# respondent gets the readable 403 page (forbidden) and no certificate the
# page that says what to do (cert_required), both HTML with nothing stored
# changed; an admin gets an HTML page, 200 for the pages of this area.
# Every /admin/ row is AUTH_ADMIN and VIEW_HTML, and every one that is not
# GET reads a form with its CSRF token.
JSON=(-H 'Content-Type: application/json')
expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" -d '{"name":"役割の試験","questionnaire":"ipa-benchmark@1","due":"2099-06-30"}')" 201 "campaign"
cid=$(jq -r .id "$W/out.json")
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/assignments" "${JSON[@]}" -d "{\"organisation\":\"$RESP_EC\"}")" 201 "assign"
aid=$(jq -r .id "$W/out.json")

page() { # CLIENT METHOD PATH [curl args…]: status; body in page.html, type in page.type
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -w '%{http_code} %{content_type}' \
		--cacert "$INST/pki/ca.crt" -X "$method" $(client_args "$client") "$@" "$BASE$path"
}
# a route's pattern with ids of this script's objects
path_of() {
	local p=$1
	p=${p//\/campaigns\/\{id\}//campaigns/$cid}
	p=${p//\/assignments\/\{id\}//assignments/$aid}
	p=${p//\/organisations\/\{id\}//organisations/$RESP_EC}
	p=${p//\{id\}/1}
	p=${p//\{*\}/x}
	echo "$p"
}
# the pages of this area, each 200 for an admin
MINE=" /admin/campaigns/{id}/chains /admin/audit /admin/audit/verify "
MINE+="/admin/assignments/{id}/reminders /admin/campaigns/{id}/report /admin/campaigns/{id}/report.pdf "

routes=$("$ITAKUD" --routes | awk -F'\t' '$2 ~ /^\/admin(\/|$)/')
[ "$(wc -l <<<"$routes")" -ge 6 ] || die "the route table has too few /admin/ rows: $routes"
mine=0
before=$(snapshot)
while IFS=$'\t' read -r method pattern auth body origin view; do
	[ "$auth" = admin ] || die "$method $pattern is $auth, not admin"
	[ "$view" = html ] || die "$method $pattern answers $view, not a page"
	if [ "$method" != GET ] && { [ "$body" != form ] || [ "$origin" != form ]; }; then
		die "$method $pattern: $body/$origin, not a form with its token"
	fi
	p=$(path_of "$pattern")
	args=()
	[ "$method" = GET ] || args=(-d x=1)
	got=$(page resp-ec "$method" "$p" "${args[@]}")
	expect_eq "${got%% *}" 403 "a respondent: $method $p"
	[[ "$got" == *"text/html"* ]] || die "a respondent: $method $p is no page: $got"
	grep -qF '<code>forbidden</code>' "$W/page.html" || die "a respondent: $method $p: $(head -c 300 "$W/page.html")"
	grep -qF '<html lang="ja">' "$W/page.html" || die "a respondent: $method $p: not the Japanese page"
	got=$(page none "$method" "$p" "${args[@]}")
	expect_eq "${got%% *}" 401 "no certificate: $method $p"
	grep -qF '<code>cert_required</code>' "$W/page.html" || die "no certificate: $method $p: $(head -c 300 "$W/page.html")"
	if [ "$method" = GET ]; then
		got=$(page admin GET "$p")
		if [[ "$pattern" == *.pdf ]]; then
			# the report printed: a PDF, or the page saying there is no Chromium
			[[ "$got" == "200 application/pdf" || "$got" == "503 text/html"* ]] ||
				die "an admin: GET $p: $got"
			[[ "$MINE" == *" $pattern "* ]] && mine=$((mine + 1))
			continue
		fi
		[[ "$got" == *"text/html"* ]] || die "an admin: GET $p is no page: $got"
		[ "${got%% *}" -lt 500 ] || die "an admin: GET $p: $got"
		if [[ "$MINE" == *" $pattern "* ]]; then
			expect_eq "${got%% *}" 200 "an admin: GET $p"
			mine=$((mine + 1))
		fi
	fi
done <<<"$routes"
expect_eq "$mine" 6 "this area's pages walked"
expect_eq "$(snapshot)" "$before" "stored data after the walk"
