# ipa-benchmark@2 (issue 16): a campaign on it, the template a vendor fills
# in by hand (every level's label and meaning as comments, per section where
# a section words its own scale, each item's desirable level and whether
# "na" may be written), the variants' item counts, and the outsourcing item
# 1.6 whose "na" holds only while the same answers declare no
# subcontractor: accepted with an empty declaration, refused by `itaku pack`
# and by the server (422 na_with_subcontractors, audited, nothing stored)
# with one. @1 stays importable beside @2.
C=(--config "$INST/itaku.conf")
"$ITAKU" questionnaire list "${C[@]}" >"$W/ql.txt" || die "questionnaire list"
grep -q '^ipa-benchmark@1  27 items' "$W/ql.txt" || die "@1 not listed: $(cat "$W/ql.txt")"
grep -q '^ipa-benchmark@2  27 items  variants \["data","low-it","low-it-data","high-it"\]' "$W/ql.txt" ||
	die "@2 not listed: $(cat "$W/ql.txt")"
grep -q '^csmg-checklist@2  24 items' "$W/ql.txt" || die "csmg @2 not listed"
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@2 --due 2027-06-30 --name "2027 v2" "${C[@]}") ||
	die "campaign create on @2"
"$ITAKU" campaign assign "$cid" 7999900000002 "${C[@]}" >/dev/null || die "assign base"
"$ITAKU" campaign assign "$cid" 6999900000003 --variant low-it-data "${C[@]}" >/dev/null || die "assign low-it-data"
"$ITAKU" template --campaign "$cid" --org 6999900000003 --output "$W/v2-rsa.xml" "${C[@]}" || die "template"
expect_eq "$(grep -c '<item ' "$W/v2-rsa.xml")" 20 "low-it-data items"
for id in 3.2 3.3 3.5 4.1 5.4; do
	grep -q "<item id=\"$id\"" "$W/v2-rsa.xml" || die "low-it-data lacks $id"
done
grep -q '<item id="3.1"' "$W/v2-rsa.xml" && die "low-it-data asks 3.1"
# the same template over the API, as the vendor fetches it
aid=$(dbq "SELECT id FROM assignments WHERE campaign_id=$cid AND org_id='7999900000002'")
expect_eq "$(api resp-ec GET "/api/v1/assignments/$aid/template")" 200 "GET template"
T=$W/out.json
xmllint --noout "$T" || die "template is not well-formed"
expect_eq "$(grep -c '<item ' "$T")" 27 "base items"
has_t() { grep -qF -- "$1" "$T" || die "template lacks '$1'"; }
# section 1's own scale (rules), then the questionnaire's (measures) from section 2
has_t '<!-- 回答の水準（セクション1）/ levels of section 1: -->'
has_t '<!--   1 未実施 / Not done: 必要性が認識されていない、または認識していてもルールを定めていない。 / The need is not recognised, or it is but no rule has been set. -->'
has_t '<!--   5 継続的に改善 / Improved continually: 定期的な確認に加え、環境の変化に合わせてルールを継続的に見直し、改善している。'
has_t '<!-- 回答の水準 / levels: -->'
has_t '<!--   4 定期的に確認 / Reviewed regularly: 全社で実施し、責任者が実施状況を定期的に確認している。 / In place company-wide, and a responsible person reviews how they are applied at regular intervals. -->'
expect_eq "$(grep -c '回答の水準' "$T")" 2 "scale headers (section 1, then sections 2-5)"
# the section-1 header comes first, the measures' one right before 2.1
ln() { grep -nF -- "$1" "$T" | head -n 1 | cut -d: -f1; }
l1=$(ln '回答の水準（セクション1）') i11=$(ln '<item id="1.1"') l2=$(ln '回答の水準 / levels:') i21=$(ln '<item id="2.1"')
[ "$l1" -lt "$i11" ] && [ "$i11" -lt "$l2" ] && [ "$l2" -lt "$i21" ] ||
	die "order of scales and items: $l1 $i11 $l2 $i21"
# per item: desirable level and "na"
grep -B1 '<item id="1.1"' "$T" | grep -qF '望ましい水準 / desirable level: 4; na 不可 / na not allowed' || die "1.1 hints"
grep -B1 '<item id="1.6"' "$T" | grep -qF 'desirable level: 4; na（該当なし）は再委託先を申告しない場合のみ / na only if no subcontractor is declared below' ||
	die "1.6 hints: $(grep -B2 '<item id="1.6"' "$T")"
grep -B1 '<item id="4.3"' "$T" | grep -qF 'desirable level: 3; na（該当なし）可 / na allowed' || die "4.3 hints"
grep -B2 '<item id="1.6"' "$T" | grep -qF '再委託を含む' || die "1.6 is not the outsourcing item"
# the portal's answer page words each level the same way: label and meaning,
# section 1's for rules, the others' for measures
. "$HERE/lib/dash.sh"
expect_eq "$(page resp-ec GET "/assignments/$aid")" 200 "answer page"
has '1 未実施：必要性が認識されていない、または認識していてもルールを定めていない。'
has '1 未実施：必要性が認識されていない、または認識していても対策をとっていない。'
expect_eq "$(page resp-ec GET "/assignments/$aid?lang=en")" 200 "answer page, en"
has '4 Reviewed regularly: Applied company-wide, and a responsible person reviews how they are applied at regular intervals.'
# 1.6 "na" with no subcontractor declared: packs (checked offline) and is accepted
sed -e 's/level=""/level="3"/' -e 's/<item id="1.6" level="3"/<item id="1.6" level="na"/' "$T" >"$W/v2-na.xml"
"$ITAKU" pack --answers "$W/v2-na.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" -o "$W/v2.asice" >/dev/null ||
	die "pack: 1.6 na without subcontractors"
expect_eq "$(upload resp-ec "$W/v2.asice")" 201 "1.6 na, no subcontractor"
# the same "na" while a subcontractor is declared
fresh_nonce resp-ec "$W/v2-na.xml"
sed "s|<subcontractors/>|$(subs_xml "5999900000004:Kaede Print:printing:true:false")|" "$W/v2-na.xml" >"$W/v2-na-sub.xml"
out=$("$ITAKU" pack --answers "$W/v2-na-sub.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" -o "$W/v2s.asice" 2>&1) &&
	die "pack accepted 1.6 na with a subcontractor"
[[ "$out" == *"na_with_subcontractors: item 1.6 may be \"na\" only without subcontractors; 1 declared"* ]] || die "pack: $out"
"$ITAKU" pack --no-check --answers "$W/v2-na-sub.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" -o "$W/v2s.asice" >/dev/null ||
	die "pack --no-check"
before=$(snapshot)
expect_eq "$(upload resp-ec "$W/v2s.asice")" 422 "1.6 na with a subcontractor"
expect_eq "$(jq -r .error.code "$W/out.json")" na_with_subcontractors "code"
jq -e '.error.message | test("only in answers that declare no subcontractor")' "$W/out.json" >/dev/null ||
	die "message: $(cat "$W/out.json")"
expect_eq "$(snapshot)" "$before" "stored after na_with_subcontractors"
expect_eq "$(dbq "SELECT outcome || ' ' || code FROM audit_log WHERE action != 'auth.login' ORDER BY seq DESC LIMIT 1")" \
	"rejected na_with_subcontractors" "audit"
# with a level instead, the declaration is accepted
sed 's/<item id="1.6" level="na"/<item id="1.6" level="2"/' "$W/v2-na-sub.xml" >"$W/v2-sub.xml"
"$ITAKU" pack --answers "$W/v2-sub.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" -o "$W/v2l.asice" >/dev/null ||
	die "pack: 1.6 level with a subcontractor"
expect_eq "$(upload resp-ec "$W/v2l.asice")" 201 "1.6 level, subcontractor declared"
"$ITAKU" audit verify "${C[@]}" | grep -q intact || die "audit chain"
