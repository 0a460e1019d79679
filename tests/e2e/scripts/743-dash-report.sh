# The printable report, /admin/campaigns/{id}/report: a campaign answered
# by two respondents through real signed packages, with an organisation
# whose name is hostile text. The page's numbers are the aggregate API's;
# one organisation's report lists exactly its items below the desirable
# level; bad queries are refused with their codes. report.pdf is headless
# Chromium's print of it: a PDF on A4 whose sheets each start a page and
# whose text pdftotext reads; without Chromium it is 503 pdf_unavailable
# (saying to print the page from the browser); a Chromium that hangs is
# stopped at the deadline with everything it started (500 pdf_failed),
# and a second PDF meanwhile is 503 pdf_busy.
. "$HERE/lib/dash.sh"
C=(--config "$INST/itaku.conf")
JSON=(-H 'Content-Type: application/json')
EVIL=$'<script>alert(1)</script> & "q" \u200f楓'
EVIL_HTML=$'&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q" \u200f楓'
"$ITAKU" org add --id hostile-743 --name "$EVIL" --role respondent "${C[@]}" >/dev/null || die "org add"
expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" -d '{"name":"報告書 <b>2099</b> & 試験","questionnaire":"ipa-benchmark@1","due":"2099-06-30"}')" 201 "campaign"
cid=$(jq -r .id "$W/out.json")
for org in "$RESP_EC" "$RESP_RSA" hostile-743; do
	expect_eq "$(api admin POST "/api/v1/campaigns/$cid/assignments" "${JSON[@]}" -d "{\"organisation\":\"$org\"}")" 201 "assign $org"
done
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 2 "<subcontractors/>"
answer resp-rsa "$W/fx/resp-rsa.crt" "$W/fx/resp-rsa.key" 4 "<subcontractors/>"
REP=/admin/campaigns/$cid/report

expect_eq "$(page admin GET "$REP")" 200 "report"
is_html report
has '<h1>報告書</h1>'
has '報告書 &lt;b&gt;2099&lt;/b&gt; &amp; 試験'
lacks '<b>2099'
for id in summary sections organisations chains distribution; do has "<section class=\"sheet\" id=\"$id\">"; done
has "href=\"/admin/campaigns/$cid/report.pdf\""
has '<svg'
# the numbers are the aggregate's
expect_eq "$(api admin GET "/api/v1/campaigns/$cid/aggregate")" 200 "aggregate"
for pair in "割り当て:.progress.assigned" "受理済み:.progress.answered" "未着手:.progress.not_started"; do
	want=$(jq -r "${pair#*:}" "$W/out.json")
	has "<dt>${pair%%:*}</dt><dd>$want</dd>"
done
has "<dt>平均水準</dt><dd>$(python3 -c "import json,sys; print('%.2f' % json.load(open(sys.argv[1]))['population']['mean_level'])" "$W/out.json")</dd>"

# one organisation: its gaps are the items its level is below the desirable one
expect_eq "$(page admin GET "$REP?organisation=$RESP_EC&lang=en")" 200 "one organisation's report"
has '<html lang="en">'
has '<section class="sheet" id="gaps">'
lacks 'id="organisations"'
expect_eq "$(api admin GET "/api/v1/campaigns/$cid/organisations?organisation=$RESP_EC&levels=1")" 200 "its numbers"
want=$(jq '[.items[] as $i | .organisations[0].levels[$i.id] as $l | select(($l | type) == "number" and $l < $i.desirable)] | length' "$W/out.json")
[ "$want" -gt 0 ] || die "level 2 everywhere is below no desirable level?"
got=$(python3 - "$W/page.html" <<'EOP'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
sec = s[s.index('id="gaps"'):s.index('id="chains"')]
print(len(re.findall(r'<th scope="row"', sec)))
EOP
)
expect_eq "$got" "$want" "the gaps listed"
expect_eq "$(page admin GET "$REP?organisation=hostile-743")" 200 "the hostile organisation's report"
has "$EVIL_HTML"
lacks '<script>'
has '未着手'

refused 404 not_found "no such organisation in it" admin GET "$REP?organisation=8000012050001"
refused 404 not_found "hostile text as the organisation" admin GET "$REP?organisation=%3Cscript%3E"
refused 404 not_found "no such campaign" admin GET /admin/campaigns/999999/report
refused 400 query_invalid "an unknown parameter" admin GET "$REP?format=a3"
refused 400 query_invalid "organisation twice" admin GET "$REP?organisation=$RESP_EC&organisation=$RESP_RSA"
refused 403 forbidden "a respondent" resp-ec GET "$REP"
refused 403 forbidden "a respondent's PDF" resp-ec GET "$REP.pdf"
refused 400 query_invalid "the PDF with an unknown parameter" admin GET "$REP.pdf?x=1"

# the PDF, by the Chromium of this machine
if [ -x /usr/bin/chromium ]; then
	command -v pdftotext >/dev/null || die "pdftotext missing (poppler-utils, make deps-test)"
	ls -d /tmp/itaku-pdf.* >"$W/pdf-dirs-before" 2>/dev/null
	expect_eq "$(curl -sS -o "$W/report.pdf" -D "$W/pdf.h" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		$(client_args admin) "$BASE$REP.pdf")" 200 "report.pdf: $(head -c 300 "$W/report.pdf")"
	grep -qi '^Content-Type: application/pdf' "$W/pdf.h" || die "type: $(cat "$W/pdf.h")"
	grep -qi "^Content-Disposition: attachment; filename=\"itaku-report-$cid.pdf\"" "$W/pdf.h" || die "disposition: $(cat "$W/pdf.h")"
	head -c 5 "$W/report.pdf" | grep -q '%PDF-' || die "not a PDF"
	pdfinfo "$W/report.pdf" >"$W/pdfinfo" || die "pdfinfo"
	grep -q 'Page size: *59[45]\.[0-9]* x 84[12]\.[0-9]* pts (A4)' "$W/pdfinfo" || die "not A4: $(cat "$W/pdfinfo")"
	pages=$(sed -n 's/^Pages: *//p' "$W/pdfinfo")
	[ "$pages" -ge 5 ] && [ "$pages" -le 12 ] || die "pages: $pages"
	pdftotext -layout "$W/report.pdf" "$W/report.txt"
	grep -qF '報告書 <b>2099</b> & 試験' "$W/report.txt" || die "the campaign's name is not in the PDF"
	# each sheet starts a page: its heading is the first line of a page
	first_lines=$(for p in $(seq 1 "$pages"); do pdftotext -f "$p" -l "$p" "$W/report.pdf" - | sed '/^\s*$/d' | head -n 1; done)
	expect_eq "$(head -n 1 <<<"$first_lines")" 報告書 "the first page's first line"
	for h in 分野別の平均と望ましい水準 組織の分布と弱い組織 再委託の連鎖 項目ごとの回答の分布; do
		grep -qxF "$h" <<<"$first_lines" || die "sheet '$h' does not start a page: $first_lines"
	done
	grep -qF 'ログイン中の組織' "$W/report.txt" && die "the PDF shows the navigation"
	ls -d /tmp/itaku-pdf.* >"$W/pdf-dirs-after" 2>/dev/null
	cmp -s "$W/pdf-dirs-before" "$W/pdf-dirs-after" || die "a PDF directory was left: $(cat "$W/pdf-dirs-after")"
else
	echo "no /usr/bin/chromium: report.pdf is checked for its 503 below only"
fi

# no Chromium: 503 pdf_unavailable, the page saying to print from the browser
for conf in $'[report]\nchromium = /nonexistent/chromium' $'[report]\nchromium ='; do
	second_start report-nochromium "$conf"
	expect_eq "$(curl -sS -o "$W/page.html" -w '%{http_code}' --cacert "$INST/pki/ca.crt" $(client_args admin) "$S2BASE$REP.pdf")" 503 "no Chromium"
	has '<code>pdf_unavailable</code>'
	has 'ブラウザーの印刷機能で PDF として保存してください'
	has "/admin/campaigns/$cid/report"
	second_stop
done

# a Chromium that hangs (a stand-in that starts a child and sleeps):
# stopped at the deadline with its child; a second PDF meanwhile is busy
MARK=itaku-e2e-743-$$
cat >"$W/hang-chromium" <<EOF
#!/bin/bash
(exec -a $MARK-child sleep 300) &
exec -a $MARK-main sleep 300
EOF
chmod 755 "$W/hang-chromium"
second_start report-hang $'[report]\nchromium = '"$W/hang-chromium"$'\npdf_timeout_seconds = 3'
t0=$(date +%s)
curl -sS -o "$W/hang.html" -w '%{http_code}' --cacert "$INST/pki/ca.crt" $(client_args admin) "$S2BASE$REP.pdf" >"$W/hang.status" &
cpid=$!
sleep 1
expect_eq "$(curl -sS -o "$W/page.html" -D "$W/page.h" -w '%{http_code}' --cacert "$INST/pki/ca.crt" $(client_args admin) "$S2BASE$REP.pdf")" 503 "a second PDF meanwhile"
has '<code>pdf_busy</code>'
grep -qi '^Retry-After: 10' "$W/page.h" || die "no Retry-After: $(cat "$W/page.h")"
pgrep -f "$MARK-child" >/dev/null || die "the stand-in did not start"
wait "$cpid"
expect_eq "$(cat "$W/hang.status")" 500 "the hanging Chromium"
grep -qF '<code>pdf_failed</code>' "$W/hang.html" || die "code: $(head -c 300 "$W/hang.html")"
grep -qF 'longer than 3 s' "$W/hang.html" || die "detail: $(head -c 300 "$W/hang.html")"
[ $(($(date +%s) - t0)) -lt 12 ] || die "the deadline was not kept"
for _ in $(seq 1 30); do pgrep -f "$MARK-" >/dev/null || break; sleep 0.2; done
! pgrep -f "$MARK-" >/dev/null || die "the stand-in's processes outlived the deadline"
second_stop
