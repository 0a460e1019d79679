# The dashboard's audit pages: /admin/audit searches the audit log by
# actor, action, object (with what is under it) and days, newest first, a
# page at a time; what it lists equals the log's own rows for the same
# filter; hostile objects (a refused request's path) are shown as text; a
# parameter that is unknown, repeated or malformed is 400 query_invalid
# with nothing stored changed. /admin/audit/verify gives the result of the
# check `itaku audit verify` makes, on this instance (intact) and on a
# copy with one row edited (broken at that row). And an assignment's
# reminders (/admin/assignments/{id}/reminders) as the API lists them.
JSON=(-H 'Content-Type: application/json')
page() { # CLIENT METHOD PATH [curl args…]
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		-X "$method" $(client_args "$client") "$@" "${BASE2:-$BASE}$path"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 600 "$W/page.html")"; }
lacks() { ! grep -qF -- "$1" "$W/page.html" || die "page has '$1'"; }
# the entries a page lists: "seq action object" lines, as the page shows them
listed() {
	python3 - "$W/page.html" <<'EOP'
import html, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
for row in re.findall(r'<tr><th scope="row"[^>]*>(\d+)</th>(.*?)</tr>', s):
    cells = re.findall(r'<td[^>]*>(.*?)</td>', row[1])
    text = [html.unescape(re.sub(r'<[^>]+>', '', c)) for c in cells]
    print(row[0], text[1], text[2], text[3])
EOP
}
# the same from the database: "seq actor action object", newest first
rows() { dbq "SELECT seq || ' ' || coalesce(actor, '') || ' ' || coalesce(action, '') || ' ' || coalesce(object, '')
	FROM audit_log WHERE $1 ORDER BY seq DESC LIMIT ${2:-50}"; }
same() { # WHAT SQL-CONDITION [LIMIT]
	local want
	want=$(rows "$2" "${3:-50}")
	[ -n "$want" ] || die "$1: the log has no such entry to compare"
	expect_eq "$(listed)" "$want" "$1"
}

# known entries: a campaign with two assignments, and a refused request
# whose path is hostile text
expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" -d '{"name":"監査の試験","questionnaire":"ipa-benchmark@1","due":"2099-06-30"}')" 201 "campaign"
cid=$(jq -r .id "$W/out.json")
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/assignments" "${JSON[@]}" -d "{\"organisation\":\"$RESP_EC\"}")" 201 "assign"
aid=$(jq -r .id "$W/out.json")
expect_eq "$(api resp-ec GET '/api/v1/submissions/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%20%26%20%22q%22%20%E2%80%AE%E6%A5%93')" 404 "a hostile path"
HOSTILE='GET /api/v1/submissions/<img src=x onerror=alert(1)> & "q" '$'\u202e''楓'
expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE object = '${HOSTILE//\'/\'\'}'")" 1 "the hostile refusal audited"

expect_eq "$(page admin GET /admin/audit)" 200 "audit page"
has '<h1>監査ログ</h1>'
has 'GET /api/v1/submissions/&lt;img src=x onerror=alert(1)&gt; &amp; "q" '$'\u202e''楓'
lacks '<img'
has 'href="/admin/audit/verify"'
# the newest 50: the page's rows are the log's (the page's own login is
# the newest entry, logged before the page read the log)
same "newest entries" "1"
expect_eq "$(page admin GET "/admin/audit?actor=$RESP_EC")" 200 "by actor"
same "by actor" "actor = '$RESP_EC'"
expect_eq "$(page admin GET "/admin/audit?action=assignment.create")" 200 "by action"
same "by action" "action = 'assignment.create'"
expect_eq "$(page admin GET "/admin/audit?object=campaign/$cid")" 200 "by object"
same "by object and what is under it" "object = 'campaign/$cid' OR object LIKE 'campaign/$cid/%'"
expect_eq "$(page admin GET "/admin/audit?object=$(jq -rn --arg s "$HOSTILE" '$s|@uri')")" 200 "by the hostile object"
same "by the hostile object" "object = '${HOSTILE//\'/\'\'}'"
today=$(date -u +%F)
expect_eq "$(page admin GET "/admin/audit?from=$today&to=$today&action=campaign.create")" 200 "by days"
same "by days" "at >= '$today' AND action = 'campaign.create'"
expect_eq "$(page admin GET "/admin/audit?from=2000-01-01&to=2000-01-02")" 200 "days without entries"
has '条件に合う記録はありません。'
# the form's empty fields are no filter
expect_eq "$(page admin GET "/admin/audit?actor=&action=&object=$(jq -rn --arg s "campaign/$cid" '$s|@uri')&from=&to=")" 200 "empty fields"
same "empty fields are no filter" "object = 'campaign/$cid' OR object LIKE 'campaign/$cid/%'"
# pages: the older link keeps the filters and goes on where the page ends
expect_eq "$(page admin GET "/admin/audit?actor=$ADMIN&limit=2")" 200 "a page of two"
same "the first page" "actor = '$ADMIN'" 2
first=$(listed | tail -n 1 | cut -d' ' -f1)
older=$(grep -o 'href="/admin/audit?before=[^"]*"' "$W/page.html" | sed 's/href="//; s/"$//; s/&amp;/\&/g')
expect_eq "$older" "/admin/audit?before=$first&actor=$ADMIN&limit=2" "the older link"
expect_eq "$(page admin GET "$older")" 200 "the next page"
same "the next page" "actor = '$ADMIN' AND seq < $first" 2

# refusals: the exact code, a readable page, nothing stored changed
before=$(snapshot)
refuse() { # STATUS CODE WHAT CLIENT PATH
	expect_eq "$(page "$4" GET "$5")" "$1" "$3"
	has "<code>$2</code>"
	has '<html lang='
	expect_eq "$(snapshot)" "$before" "stored data after: $3"
}
refuse 400 query_invalid "no such date" admin '/admin/audit?from=2026-02-30'
refuse 400 query_invalid "a date not written YYYY-MM-DD" admin '/admin/audit?to=2026-2-1'
refuse 400 query_invalid "from after to" admin '/admin/audit?from=2026-02-02&to=2026-02-01'
refuse 400 query_invalid "limit 0" admin '/admin/audit?limit=0'
refuse 400 query_invalid "limit 501" admin '/admin/audit?limit=501'
refuse 400 query_invalid "limit 050" admin '/admin/audit?limit=050'
refuse 400 query_invalid "before 0" admin '/admin/audit?before=0'
refuse 400 query_invalid "before that is no number" admin '/admin/audit?before=1e3'
refuse 400 query_invalid "an unknown parameter" admin '/admin/audit?who=x'
refuse 400 query_invalid "a repeated parameter" admin "/admin/audit?actor=$ADMIN&actor=$RESP_EC"
refuse 400 query_invalid "an actor with a space" admin '/admin/audit?actor=a%20b'
refuse 400 query_invalid "an object with a newline" admin '/admin/audit?object=a%0Ab'
refuse 400 query_invalid "an object that is not UTF-8" admin '/admin/audit?object=%FF'
refuse 400 query_invalid "a parameter without a value" admin '/admin/audit?actor'
refuse 403 forbidden "a respondent" resp-ec /admin/audit
refuse 403 forbidden "a respondent verifies" resp-rsa /admin/audit/verify
refuse 400 query_invalid "verify takes no parameter" admin '/admin/audit/verify?x=1'

# the chain checked, as `itaku audit verify` does
"$ITAKU" audit verify --config "$INST/itaku.conf" | grep -q intact || die "the CLI finds the log broken"
expect_eq "$(page admin GET /admin/audit/verify)" 200 "verify page"
n=$(dbq "SELECT count(*) FROM audit_log")
has '<p role="status" id="verify-result" class="verdict ok">'
has "鎖は完全です: $n 件の記録がすべて確認できました。"
# on a copy with one row edited: broken there
second_start audit-tamper
seq=$(dbi "$S2" "SELECT seq FROM audit_log WHERE action = 'assignment.create' ORDER BY seq DESC LIMIT 1")
dbi "$S2" "UPDATE audit_log SET detail = 'edited' WHERE seq = $seq"
out=$("$ITAKU" audit verify --config "$S2/itaku.conf") && die "the CLI verified the edited log"
[[ "$out" == *"BROKEN at entry $seq "* ]] || die "CLI: $out"
BASE2=$S2BASE
expect_eq "$(page admin GET '/admin/audit/verify?lang=en')" 200 "verify page of the copy"
has 'class="verdict bad"'
has "The chain is broken: entries from number $seq on do not verify."
has "href=\"/admin/audit?before=$((seq + 1))\""
BASE2=
second_stop

# an assignment's reminders, as GET /api/v1/assignments/{id}/reminders lists them
dbq "INSERT INTO reminders (assignment_id, stage, recipient, due, about, status, claimed_by,
	claimed_at, sent_at, attempts, error, message_id) VALUES
	($aid, 'before-7', 'ops@example.jp', '2099-06-30', 'x', 'sent', 'test', '2099-06-23T00:00:00.000Z', '2099-06-23T00:00:01.000Z', 1, NULL, 'm1'),
	($aid, 'due', 'ops@example.jp', '2099-06-30', 'x', 'failed', 'test', '2099-06-30T00:00:00.000Z', NULL, 2, '<b>550</b> & \"mailbox\" 満杯', 'm2')"
expect_eq "$(page admin GET "/admin/assignments/$aid/reminders")" 200 "reminders page"
has '<h1>督促の履歴</h1>'
has "<code>$RESP_EC</code>"
has '<code>before-7</code>'
has '<time datetime="2099-06-30">2099-06-30</time>'
has '送信済み'
has '失敗(再送します)'
has '&lt;b&gt;550&lt;/b&gt; &amp; "mailbox" 満杯'
expect_eq "$(api admin GET "/api/v1/assignments/$aid/reminders")" 200 "reminders API"
expect_eq "$(jq -c '[.reminders[] | [.stage, .due, .status, .attempts]]' "$W/out.json")" '[["before-7","2099-06-30","sent",1],["due","2099-06-30","failed",2]]' "the API's list"
expect_eq "$(grep -o '<th scope="row"' "$W/page.html" | wc -l)" 2 "the page's rows"
before=$(snapshot)
refuse 404 not_found "no such assignment" admin /admin/assignments/999999/reminders
refuse 404 not_found "an id that is no id" admin /admin/assignments/07/reminders
refuse 403 forbidden "a respondent's own assignment" resp-ec "/admin/assignments/$aid/reminders"
refuse 400 query_invalid "a parameter" admin "/admin/assignments/$aid/reminders?all=1"
