# A campaign from creation to aggregate, as the users do it: the admin
# creates it and assigns three organisations through the API (one of them,
# a small printer with an internal id, gets the low-IT variant); each
# organisation fetches its template, fills it in, packs and signs it with
# its own key (`itaku pack`) and uploads it; the admin reads the aggregate
# (JSON, CSV, `itaku report`) and every figure is checked. A second version
# replaces the first in the aggregate; closing stops uploads.
C=(--config "$INST/itaku.conf")
KP=kaede-print
"$ITAKU" org add --id "$KP" --name "Kaede Printing (再委託先)" "${C[@]}" >/dev/null || die "org add"
"$ITAKU" cert issue --org "$KP" --out "$W/kaede" "${C[@]}" >/dev/null || die "cert issue"
cp "$W/kaede/client.crt" "$W/fx/kaede.crt"
cp "$W/kaede/client.key" "$W/fx/kaede.key"
JSON=(-H 'Content-Type: application/json')

expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" \
	-d '{"name":"2099 上期 委託先点検","questionnaire":"ipa-benchmark@1","due":"2099-09-30"}')" 201 "create campaign"
cid=$(jq -r .id "$W/out.json")
expect_eq "$(jq -r .status "$W/out.json")" open "new campaign status"
for spec in 7999900000002: 6999900000003: "$KP:low-it"; do
	org=${spec%%:*}
	variant=${spec#*:}
	body=$(jq -nc --arg o "$org" --arg v "$variant" 'if $v == "" then {organisation: $o} else {organisation: $o, variant: $v} end')
	expect_eq "$(api admin POST "/api/v1/campaigns/$cid/assignments" "${JSON[@]}" -d "$body")" 201 "assign $org"
done
expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE action = 'assignment.create' AND actor = '8999900000001' AND object LIKE 'campaign/$cid/%'")" 3 "assignments audited"
expect_eq "$(api admin GET /api/v1/campaigns)" 200 "campaign list"
expect_eq "$(jq -r ".campaigns[] | select(.id == $cid) | .assignments" "$W/out.json")" 3 "assigned"

# each organisation: template → fill → pack (own key) → upload
answer() { # client level-sed-script → submission id in $sub
	local who=$1 fill=$2 aid
	expect_eq "$(api "$who" GET /api/v1/assignments)" 200 "assignments of $who"
	aid=$(jq -r ".assignments[] | select(.campaign.id == $cid) | .id" "$W/out.json")
	expect_eq "$(jq -r ".assignments[] | select(.campaign.id == $cid) | .status" "$W/out.json")" not_started "$who before"
	expect_eq "$(api "$who" GET "/api/v1/assignments/$aid/template")" 200 "template of $who"
	sed "$fill" "$W/out.json" >"$W/c3-$who.xml"
	"$ITAKU" pack --answers "$W/c3-$who.xml" --cert "$W/fx/$who.crt" --key "$W/fx/$who.key" \
		-o "$W/c3-$who.asice" >/dev/null || die "pack $who"
	openssl_verify "$W/c3-$who.asice" || die "openssl cms -verify refused $who's package"
	expect_eq "$(upload "$who" "$W/c3-$who.asice")" 201 "upload $who: $(cat "$W/out.json")"
	sub=$(jq -r .id "$W/out.json")
}
answer resp-ec 's/level=""/level="4"/; s/<item id="1.1" level="4"/<item id="1.1" level="2"/; s/<item id="4.3" level="4"/<item id="4.3" level="na"/'
sub_ec=$sub
answer resp-rsa 's/level=""/level="3"/'
sub_rsa=$sub
answer kaede 's/level=""/level="2"/'
sub_kp=$sub
expect_eq "$(grep -c '<item ' "$W/c3-kaede.xml")" 15 "low-IT template items"

# scores of one submission
expect_eq "$(api resp-ec GET "/api/v1/submissions/$sub_ec")" 200 "own submission"
expect_eq "$(jq -c '.score | [.total, .answered, .na, .below_desirable]' "$W/out.json")" "[102,26,1,1]" "resp-ec score"
expect_eq "$(jq -c '.score.items[] | select(.id == "1.1") | [.level, .desirable, .gap]' "$W/out.json")" "[2,4,-2]" "gap of 1.1"
expect_eq "$(jq -c '.score.sections[] | select(.id == "4") | [.answered, .mean]' "$W/out.json")" "[4,4]" "section 4 without the na item"

# the aggregate
agg() { expect_eq "$(api admin GET "/api/v1/campaigns/$cid/aggregate$1")" 200 "aggregate"; }
agg ""
expect_eq "$(jq -c '.progress | [.assigned, .answered, .overdue, .not_started]' "$W/out.json")" "[3,3,0,0]" "progress"
expect_eq "$(jq -c '.items[] | select(.id == "1.1") | [.answered, .distribution["2"], .distribution["3"], .mean, .below_desirable.count]' "$W/out.json")" "[3,2,1,2.333,3]" "item 1.1"
expect_eq "$(jq -c '[.items[] | select(.id == "1.1") | .below_desirable.organisations[].organisation]' "$W/out.json")" "[\"7999900000002\",\"$KP\",\"6999900000003\"]" "below desirable on 1.1, lowest first"
expect_eq "$(jq -c '.items[] | select(.id == "4.3") | [.answered, .na, .mean]' "$W/out.json")" "[1,1,3]" "item 4.3"
expect_eq "$(jq -c '.items[] | select(.id == "3.1") | .answered' "$W/out.json")" 2 "low-IT skips section 3"
expect_eq "$(jq -c '[.items[].id] | length' "$W/out.json")" 27 "items (5.4/5.5 asked by nobody)"
expect_eq "$(jq -c '.sections[] | select(.id == "3") | [.organisations, .mean]' "$W/out.json")" "[2,3.5]" "section 3"
expect_eq "$(jq -c '[.organisations[] | [.id, .variant, .score.total]]' "$W/out.json")" \
	"[[\"$KP\",\"low-it\",30],[\"6999900000003\",\"\",81],[\"7999900000002\",\"\",102]]" "organisations, weakest first"
expect_eq "$(jq -c '.population | [.organisations, .total_min, .total_max]' "$W/out.json")" "[3,30,102]" "population"
agg "?limit=1&offset=1"
expect_eq "$(jq -c '[.organisations[].id]' "$W/out.json")" '["6999900000003"]' "paging"

# CSV for spreadsheets: BOM, CRLF, one row per organisation
code=$(curl -sS -D "$W/csv.h" -o "$W/agg.csv" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
	--cert "$W/fx/admin.crt" --key "$W/fx/admin.key" "$BASE/api/v1/campaigns/$cid/aggregate.csv")
expect_eq "$code" 200 "CSV"
grep -qi '^content-type: text/csv; charset=utf-8' "$W/csv.h" || die "CSV content type"
expect_eq "$(head -c 3 "$W/agg.csv" | od -An -tx1 | tr -d ' ')" efbbbf "BOM"
expect_eq "$(grep -c $'\r$' "$W/agg.csv")" 4 "CRLF rows"
grep -q "^$KP,Kaede Printing (再委託先),low-it,accepted,$sub_kp,1,.*,30,15,0,2.000,15,.*,2,2,2,,,,,,,,,,,,,2,2,2"$'\r'"$" "$W/agg.csv" ||
	die "CSV row of $KP: $(grep "^$KP" "$W/agg.csv")"
grep -q ",2,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,na,4,4,4,4,4"$'\r'"$" "$W/agg.csv" || die "CSV row of resp-ec"
# the terminal report is the same aggregate
out=$("$ITAKU" report --campaign "$cid" "${C[@]}") || die "report"
[[ "$out" == *"Progress: 3 assigned, 3 answered (100%), 0 overdue"* ]] || die "report progress: $out"
grep -Eq "^$KP +accepted +1 +30 +2.00 +15 " <<<"$out" || die "report row: $out"
grep -Eq '^1\.1 +4 +3 +0 +0 +2 +1 +0 +0 +2\.33 +3$' <<<"$out" || die "report item: $out"
# each item with what it asks, each organisation below with its name (issue 15, 14)
grep -A2 -E '^1\.1 ' <<<"$out" | grep -q '^ *自社の実情に合った情報セキュリティの方針' || die "report item text: $out"
grep -A5 -E '^1\.1 ' <<<"$out" | grep -Eq '^ *below: .+ \(7999900000002\) level 2$' || die "report below: $out"

# a second version replaces the first in the aggregate; history stays
expect_eq "$(api resp-rsa GET /api/v1/assignments)" 200 "assignments"
aid=$(jq -r ".assignments[] | select(.campaign.id == $cid) | .id" "$W/out.json")
expect_eq "$(api resp-rsa GET "/api/v1/assignments/$aid/template")" 200 "fresh template"
sed 's/level=""/level="5"/' "$W/out.json" >"$W/c3-rsa2.xml"
"$ITAKU" pack --answers "$W/c3-rsa2.xml" --cert "$W/fx/resp-rsa.crt" --key "$W/fx/resp-rsa.key" -o "$W/c3-rsa2.asice" >/dev/null
expect_eq "$(upload resp-rsa "$W/c3-rsa2.asice")" 201 "second version"
sub_rsa2=$(jq -r .id "$W/out.json")
agg ""
expect_eq "$(jq -c '.items[] | select(.id == "1.1") | [.distribution["2"], .distribution["3"], .distribution["5"]]' "$W/out.json")" "[2,0,1]" "latest version counts"
expect_eq "$(jq -c '.organisations[] | select(.id == "6999900000003") | [.submission.id, .score.total]' "$W/out.json")" "[$sub_rsa2,135]" "rsa latest"
expect_eq "$(api admin GET "/api/v1/submissions/$sub_rsa")" 200 "first version still readable"
expect_eq "$(jq -r .score.total "$W/out.json")" 81 "first version's score kept"

# closing: uploads are refused from then on, a second close too
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/close")" 200 "close"
sed -i 's/level="5"/level="4"/' "$W/c3-rsa2.xml"
fresh_nonce resp-rsa "$W/c3-rsa2.xml"
"$ITAKU" pack --answers "$W/c3-rsa2.xml" --cert "$W/fx/resp-rsa.crt" --key "$W/fx/resp-rsa.key" -o "$W/c3-rsa3.asice" >/dev/null
expect_eq "$(upload resp-rsa "$W/c3-rsa3.asice")" 409 "upload after close"
expect_eq "$(jq -r .error.code "$W/out.json")" campaign_closed "code after close"
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/close")" 409 "close twice"
expect_eq "$(jq -r .error.code "$W/out.json")" campaign_closed "code of a second close"
agg ""
expect_eq "$(jq -r .campaign.status "$W/out.json")" closed "aggregate of a closed campaign"
