# The dashboard's organisation and submission pages: an organisation's
# profile, contacts, certificates, campaigns and versions; one version's
# verification details, answers with comments and evidence links (which
# download the signed bytes), gaps and what changed since the version
# before (levels, comments, evidence, subcontractors). Admins only: a
# respondent gets the readable 403 page, also for its own organisation and
# submission. Hostile names, comments, evidence file names and
# subcontractor names are shown as text. Reading changes nothing stored.
C=(--config "$INST/itaku.conf")
page() { # CLIENT PATH [curl args…]: body to $W/page.html, status on stdout
	local client=$1 path=$2
	shift 2
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -D "$W/page.h" -w '%{http_code}' \
		--cacert "$INST/pki/ca.crt" $(client_args "$client") "$@" "$BASE$path"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 300 "$W/page.html")"; }
lacks() { ! grep -qF -- "$1" "$W/page.html" || die "page has '$1'"; }
no_raw_keys() { ! grep -qE '>(org|orgs|asub|diff)\.[a-z_]+<' "$W/page.html" || die "a catalogue key shown raw: $(grep -oE '>(org|orgs|asub|diff)\.[a-z_]+<' "$W/page.html" | head -3)"; }
# the href of the first link whose text is $1, HTML entities decoded
href_of() {
	python3 - "$W/page.html" "$1" <<'EOF'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.href = None; self.cur = None; self.text = ""
    def handle_starttag(self, tag, attrs):
        if tag == "a": self.cur = dict(attrs).get("href"); self.text = ""
    def handle_data(self, d):
        if self.cur is not None: self.text += d
    def handle_endtag(self, tag):
        if tag == "a" and self.cur is not None:
            if self.text == sys.argv[2] and self.href is None: self.href = self.cur
            self.cur = None
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read()); print(p.href or "")
EOF
}
signed_digest() {
	python3 - "$1" "$2" <<'EOF'
import base64, sys, zipfile, xml.etree.ElementTree as ET
ns = {"asic": "http://uri.etsi.org/02918/v1.2.1#", "ds": "http://www.w3.org/2000/09/xmldsig#"}
m = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("META-INF/ASiCManifest.xml"))
for ref in m.findall("asic:DataObjectReference", ns):
    if ref.get("URI") == sys.argv[2]:
        print(base64.b64decode(ref.find("ds:DigestValue", ns).text).hex())
EOF
}

# two versions of Sakura Systems that differ in every way the page reports
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/o1.asice" --signer resp-ec --set-level 1.1=2 \
	--evidence 'policy.txt=policy, first edition' --evidence 'old.txt=to be dropped' \
	--subcontractor 5500000000011 || die "mkpkg 1"
expect_eq "$(upload resp-ec "$W/o1.asice")" 201 "upload 1"
v1=$(jq -r .id "$W/out.json")
sed 's|<item id="1.3" level="1"/>|<item id="1.3" level="1"><comment>見直し中 \&amp; 追記</comment></item>|' \
	"$W/fx/resp-ec.answers.xml" >"$W/o2.answers.xml"
grep -q '見直し中' "$W/o2.answers.xml" || die "no comment in the second version"
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/o2.asice" --signer resp-ec --set-level 1.1=4 \
	--answers "$W/o2.answers.xml" \
	--evidence 'policy.txt=policy, second edition' --evidence 'new.txt=added later' \
	--subcontractor 5500000000011 --subcontractor 2500000000022 || die "mkpkg 2"
expect_eq "$(upload resp-ec "$W/o2.asice")" 201 "upload 2"
v2=$(jq -r .id "$W/out.json")
n2=$(jq -r .version "$W/out.json")
before=$(snapshot)

expect_eq "$(page admin "/admin/organisations/$RESP_EC")" 200 "organisation page"
head -c 16 "$W/page.html" | grep -q '^<!DOCTYPE html>' || die "no doctype"
has '<html lang="ja">'
has 'Sakura Systems (委託先, ECDSA P-256)'
has "<code>$RESP_EC</code>"
has 'クライアント証明書'
has "$(openssl x509 -in "$W/fx/resp-ec.crt" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d : | tr A-F a-f)"
has '残り '
has 'href="/admin/campaigns/1"'
has "href=\"/admin/submissions/$v2\""
has "href=\"/admin/submissions/$v1\""
has "href=\"/api/v1/submissions/$v2/package\""
has 'href="/admin/organisations"'
no_raw_keys

# opened from a campaign's overview or heatmap: that campaign's row marked,
# its latest version linked first
latest1=$(dbq "SELECT latest_submission_id FROM assignments WHERE campaign_id = 1 AND org_id = '$RESP_EC'")
expect_eq "$(page admin "/admin/organisations/$RESP_EC?campaign=1")" 200 "organisation page for campaign 1"
has '<tr class="current" aria-current="true">'
has '<p class="lead"><strong>FY2026 vendor security check'
has "href=\"/admin/submissions/$latest1\">最新の版（受付番号 $latest1）</a></p>"
expect_eq "$(page admin "/admin/organisations/$RESP_EC?campaign=999999")" 200 "a campaign it is not in"
has 'この組織はこの調査に割り当てられていません。'
lacks 'class="current"'
for q in '?campaign=x' '?campaign=' '?campaign=1&campaign=2' '?c=1'; do
	expect_eq "$(page admin "/admin/organisations/$RESP_EC$q")" 400 "organisation page $q"
	has '<code>query_invalid</code>'
done

expect_eq "$(page admin "/admin/submissions/$v2")" 200 "submission page"
has '前の版からの変更'
has "第 $((n2 - 1)) 版との比較です。"
# the level of 1.1 went from 2 to 4
has '<td data-label="変更">回答の水準</td><th scope="row" data-label="対象"><span class="filename">1.1</span></th><td data-label="変更前"><span class="comment">2 — '
grep -qE '>1\.1</span></th><td[^>]*><span class="comment">2 — [^<]*</span></td><td[^>]*><span class="comment">4 — ' "$W/page.html" ||
	die "no level change 2 → 4 of 1.1"
has '<td data-label="変更">コメント</td><th scope="row" data-label="対象"><span class="filename">1.3</span></th><td data-label="変更前"><span class="comment">-</span></td><td data-label="変更後"><span class="comment">見直し中 &amp; 追記</span></td>'
lacks 'class="bidi"'
has '証跡の差し替え'
has '>evidence/policy.txt<'
has '証跡の追加'
has '>evidence/new.txt<'
has '証跡の削除'
has '>evidence/old.txt<'
has '再委託先の追加'
has '>2500000000022<'
lacks '再委託先の削除'
has "href=\"/api/v1/submissions/$v2/evidence/evidence/new.txt\""
has "href=\"/admin/submissions/$v1\""
has "$(sha256sum <"$W/o2.asice" | cut -d' ' -f1)"
has '検証の詳細'
has 'CAdES detached over META-INF/ASiCManifest.xml'
has '望ましい水準に届いていない項目'
no_raw_keys
# the numbers are the API's: 偏差値 from the campaign's organisations,
# section means from the submission's score
expect_eq "$(api admin GET "/api/v1/campaigns/1/organisations?organisation=$RESP_EC")" 200 "its numbers"
dev=$(jq -r '.organisations[0].score.deviation' "$W/out.json")
expect_eq "$(jq -r '.organisations[0].submission.id' "$W/out.json")" "$v2" "the latest is v2"
has "<dt>偏差値</dt><dd>$(printf '%.1f' "$dev")</dd>"
expect_eq "$(api admin GET "/api/v1/submissions/$v2")" 200 "its score"
cp "$W/page.html" "$W/sub.html"
for m in $(jq -r '.score.sections[].mean' "$W/out.json"); do
	grep -qF ">$(printf '%.2f' "$m")</td>" "$W/sub.html" || die "section mean $m not on the page"
done
# the evidence link downloads what was signed
href=$(href_of policy.txt)
expect_eq "$href" "/api/v1/submissions/$v2/evidence/evidence/policy.txt" "evidence link"
expect_eq "$(api admin GET "$href")" 200 "follow the evidence link"
expect_eq "$(sha256sum <"$W/out.json" | cut -d' ' -f1)" "$(signed_digest "$W/o2.asice" evidence/policy.txt)" "linked evidence bytes"
expect_eq "$(page admin "/admin/submissions/$v2?lang=en")" 200 "submission page in English"
has '<html lang="en">'
has 'Changes since the version before'
has 'Evidence replaced'
no_raw_keys

# admins only, whoever's the organisation or submission; unknown ones are 404
for p in "/admin/organisations/$RESP_EC" "/admin/submissions/$v2" "/admin/organisations/$ADMIN"; do
	for who in resp-ec resp-rsa; do
		expect_eq "$(page $who "$p")" 403 "$p as $who"
		has '<!DOCTYPE html>'
		has '<code>forbidden</code>'
		lacks 'Sakura Systems (委託先'
		lacks 'evidence/'
	done
done
for p in /admin/organisations/7999900000001 /admin/organisations/nobody-here \
	'/admin/organisations/%3Cscript%3E' /admin/submissions/999999 /admin/submissions/0 \
	/admin/submissions/x; do
	expect_eq "$(page admin "$p")" 404 "$p"
	has '<code>not_found</code>'
	lacks '<script>'
done
expect_eq "$(snapshot)" "$before" "stored data after reading the pages"

# hostile text everywhere the pages show what a vendor wrote
EVIL='<script>alert(1)</script> & "q" '"'"'s'"'"' ‮evil 日本語'
EV='<script>alert(3)<script> & "q" ‮fdp.exe' # an evidence name: no "/" or "="
"$ITAKU" org add --id hostile-orgs --name "$EVIL" "${C[@]}" >/dev/null || die "org add"
"$ITAKU" cert issue --org hostile-orgs --out "$W/hostile-orgs" "${C[@]}" >/dev/null || die "cert issue"
cp "$W/hostile-orgs/client.crt" "$W/fx/hostile-orgs.crt"
cp "$W/hostile-orgs/client.key" "$W/fx/hostile-orgs.key"
"$ITAKU" campaign assign 1 hostile-orgs "${C[@]}" >/dev/null || die "assign"
"$ITAKU" org contact add --org hostile-orgs --name "$EVIL" --email 'x@example.org' "${C[@]}" >/dev/null ||
	die "contact add"
CMT='<img src=x onerror=alert(2)> & "quoted" ‮RTL コメント'
python3 - "$W/fx/resp-ec.answers.xml" "$W/hostile.answers.xml" "$CMT" "$EVIL" <<'EOF'
import sys
from xml.sax.saxutils import escape
t = open(sys.argv[1], encoding="utf-8").read().replace('organisation="7999900000002"', 'organisation="hostile-orgs"')
t = t.replace('<item id="1.2" level="4"/>', '<item id="1.2" level="4"><comment>%s</comment></item>' % escape(sys.argv[3]))
t = t.replace("</answers>", '<subcontractors><subcontractor id="8500000000033" personal-data="true" confidential-data="true"><name>%s</name><scope>%s</scope></subcontractor></subcontractors></answers>' % (escape(sys.argv[4]), escape(sys.argv[4])))
open(sys.argv[2], "w", encoding="utf-8").write(t)
EOF
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/h.asice" --signer hostile-orgs \
	--answers "$W/hostile.answers.xml" --evidence "$EV=hostile evidence" || die "mkpkg hostile"
st=$(upload hostile-orgs "$W/h.asice")
[ "$st" = 201 ] || die "hostile upload: $st $(cat "$W/out.json")"
hid=$(jq -r .id "$W/out.json")
for p in /admin/organisations/hostile-orgs "/admin/submissions/$hid" "/admin/submissions/$hid?lang=en"; do
	expect_eq "$(page admin "$p")" 200 "hostile $p"
	lacks '<script>alert'
	lacks '<img src=x'
	has '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q" '"'"'s'"'"' ‮evil 日本語'
	no_raw_keys
done
has '&lt;img src=x onerror=alert(2)&gt; &amp; "quoted" ‮RTL コメント'
has '&lt;script&gt;alert(3)&lt;script&gt; &amp; "q" ‮fdp.exe'
# a name that turns itself around is said to do so
has '<span class="bidi">(holds characters that change the text'
href=$(href_of "$EV")
[[ "$href" == "/api/v1/submissions/$hid/evidence/evidence/%3Cscript%3Ealert%283%29%3Cscript%3E%20%26%20%22q%22%20%E2%80%AEfdp.exe" ]] ||
	die "hostile evidence link: $href"
expect_eq "$(api admin GET "$href")" 200 "follow the hostile evidence link"
expect_eq "$(sha256sum <"$W/out.json" | cut -d' ' -f1)" "$(signed_digest "$W/h.asice" "evidence/$EV")" "hostile evidence bytes"
