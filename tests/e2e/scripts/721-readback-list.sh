# GET /api/v1/submissions (admins): every submission newest first, paged
# (offset, limit), filtered by campaign and organisation; the query is
# parsed strictly (an unknown, repeated or valueless argument, a bad id, a
# limit out of 1..1000: 400 query_invalid, audited, nothing changed); a
# respondent is refused (403 forbidden).
list() { api admin GET "/api/v1/submissions$1"; }
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/l1.asice" --signer resp-ec --set-level 1.1=2 ||
	die "mkpkg"
expect_eq "$(upload resp-ec "$W/l1.asice")" 201 "upload 1"
a=$(jq -r .id "$W/out.json")
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/l2.asice" --signer resp-ec --set-level 1.1=3 ||
	die "mkpkg"
expect_eq "$(upload resp-ec "$W/l2.asice")" 201 "upload 2"
b=$(jq -r .id "$W/out.json")
camp=$(dbq "SELECT campaign_id FROM submissions WHERE id = $b")
[ -n "$camp" ] || die "the demo answers name no campaign"

all=$(dbq "SELECT count(*) FROM submissions")
expect_eq "$(list "")" 200 "the whole list"
expect_eq "$(jq -r '.total, .offset, .limit' "$W/out.json" | tr '\n' ' ')" "$all 0 100 " "total, offset, limit"
expect_eq "$(jq -r '.submissions[0].id' "$W/out.json")" "$b" "newest first"
# ids strictly decreasing
jq -e '[.submissions[].id] | . == (sort | reverse) and (unique | length) == length' "$W/out.json" >/dev/null ||
	die "not newest first"
expect_eq "$(jq -r ".submissions[0] | .organisation, .campaign, .questionnaire.id, .receipt, (.sha256 | length)" "$W/out.json" | tr '\n' ' ')" \
	"$RESP_EC $camp ipa-benchmark true 64 " "a row"
expect_eq "$(jq -r '.submissions[0].sha256' "$W/out.json")" "$(sha256sum <"$W/l2.asice" | cut -d' ' -f1)" "row sha256"

# paging walks every row once
seen=""
for off in $(seq 0 2 $((all + 1))); do
	expect_eq "$(list "?limit=2&offset=$off")" 200 "page at $off"
	seen+="$(jq -r '.submissions[].id' "$W/out.json") "
	[ "$(jq -r .total "$W/out.json")" = "$all" ] || die "total on page $off"
done
expect_eq "$(tr ' ' '\n' <<<"$seen" | grep -c .)" "$all" "rows over all pages"
expect_eq "$(tr ' ' '\n' <<<"$seen" | grep . | sort -u | wc -l)" "$all" "each row once"
expect_eq "$(list "?offset=$((all + 5))")" 200 "past the end"
expect_eq "$(jq -r '.submissions | length' "$W/out.json")" 0 "nothing past the end"

# filters
expect_eq "$(list "?organisation=$RESP_EC")" 200 "by organisation"
expect_eq "$(jq -r '[.submissions[].organisation] | unique | join(",")' "$W/out.json")" "$RESP_EC" "only that organisation"
expect_eq "$(jq -r .total "$W/out.json")" "$(dbq "SELECT count(*) FROM submissions WHERE org_id = '$RESP_EC'")" "its total"
expect_eq "$(list "?campaign=$camp&organisation=$RESP_EC&limit=1")" 200 "both filters"
expect_eq "$(jq -r '.submissions[0].id, (.submissions | length)' "$W/out.json" | tr '\n' ' ')" "$b 1 " "both filters, one row"
expect_eq "$(list "?organisation=$RESP_RSA&campaign=$camp")" 200 "another organisation in the campaign"
jq -e --arg a "$a" --arg b "$b" '[.submissions[].id | tostring] | index($a) == null and index($b) == null' "$W/out.json" >/dev/null ||
	die "the filter let another organisation's rows through"
expect_eq "$(list "?campaign=999999")" 200 "an unknown campaign"
expect_eq "$(jq -r '.total, (.submissions | length)' "$W/out.json" | tr '\n' ' ')" "0 0 " "an unknown campaign lists nothing"

# strict query parsing
before=$(snapshot)
for q in '?limit=0' '?limit=1001' '?limit=ten' '?limit=-1' '?offset=-1' '?offset=1e3' '?offset=' \
	'?campaign=0' '?campaign=abc' '?campaign=1%00' '?campaign=' '?campaign' '?organisation=' \
	'?organisation=ACME' '?organisation=7999900000001' '?organisation=%3Cscript%3E' \
	'?org=7999900000002' '?campaign=1&campaign=2' '?limit=1&limit=1' '?lang=en' '?&' '?=1'; do
	n=$(dbq "SELECT count(*) FROM audit_log WHERE action != 'auth.login'")
	expect_eq "$(list "$q")" 400 "query $q"
	expect_eq "$(jq -r .error.code "$W/out.json")" query_invalid "code of $q"
	expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE action != 'auth.login'")" $((n + 1)) "audit of $q"
done
expect_eq "$(api resp-ec GET /api/v1/submissions)" 403 "a respondent"
expect_eq "$(jq -r .error.code "$W/out.json")" forbidden "a respondent's code"
expect_eq "$(api resp-ec GET "/api/v1/submissions?organisation=$RESP_EC")" 403 "a respondent, own filter"
expect_eq "$(snapshot)" "$before" "stored data after the list"
