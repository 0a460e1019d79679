# Reminders and invitations through a real SMTP server (python3-aiosmtpd on
# loopback, STARTTLS with the instance's server certificate,
# authentication), run by `itaku remind --now` over a campaign due
# 2099-03-31 (a Tuesday) in a second instance: vendor A (resp-ec) answered
# and declared subcontractors S and P; S was invited by mail (`itaku chain
# invite --email`), enrolled with the token of the mail's link and never
# answers; P was invited by mail through the API; vendor R (resp-rsa) never
# answers. Checked: the invitation letters (the portal's /enrol# link, the
# token in the fragment; a vendor may not have one mailed; a mail that
# fails leaves the invitation), recipients and stages at each date, each
# stage's letter (names and ids, the entrusting company as sender, the due
# date written the Japanese way, the portal's assignment page, the
# questionnaire's title, no 「キャンペーン」, a refusal by its explanation,
# never "回答期限は…です" once it has passed), days counted in Japan's time
# zone (a run at 08:00 JST on the due date sends the due stage), escalation
# of S's lateness to A (its own letter, the subcontractors page) and the
# admin and of R's to the admin only (the dashboard page), the encoded
# Japanese subject, a second run sending nothing, a dry run, a recipient
# refused by the server retried on the next run without re-sending the
# others, two jobs at once, a job killed mid-send, delivery through
# sendmail (msmtp), the history in the API, every outcome in the audit log.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
RI=$W/rem
M=$W/mail
mkdir -p "$M"
inst_init "$RI" --demo >/dev/null || die "init"
A=7999900000002
R=6999900000003
AD=8999900000001
S=5500000000011
P=kaede-print
SENDER="Itaku Demo Holdings (委託元)"
RC=(--config "$RI/itaku.conf")
# letter EML CHECKS…: lib/letter.py (the mail as its reader sees it)
letter() { "$PY" "$HERE/lib/letter.py" "$@" || die "letter $1: $("$PY" "$HERE/lib/letter.py" "$1" --print)"; }
"$ITAKU" campaign close 1 "${RC[@]}" >/dev/null # the demo campaign: closed ones get no reminders

"$PY" "$HERE/lib/smtpd.py" --dir "$M" --cert "$RI/pki/server.crt" --key "$RI/pki/server.key" \
	--port-file "$M/port" --user itaku --password 's3cret pass' >"$W/smtpd.log" 2>&1 &
SMTPD=$!
RPID=
trap 'kill $SMTPD $RPID 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 1 100); do [ -s "$M/port" ] && break; sleep 0.1; done
[ -s "$M/port" ] || die "smtpd did not start: $(cat "$W/smtpd.log")"
printf 's3cret pass\n' >"$RI/smtp-password"
cat >>"$RI/itaku.conf" <<EOX

[reminders]
before_days = 14,7,1
on_due = yes
overdue_every_days = 7
escalate_after_days = 14
portal_url = https://itaku.example
from = itaku@holdings.example

[mail]
transport = smtp
smtp_url = smtp://localhost:$(cat "$M/port")
starttls = required
username = itaku
password_file = smtp-password
ca_file = pki/ca.crt
EOX
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-03-31 --name "2099 春 点検" --vendor-invites "${RC[@]}")
"$ITAKU" campaign assign "$cid" $A $R "${RC[@]}" >/dev/null || die "assign"
"$ITAKU" org contact add --org $A --name "山田 太郎" --email yamada@a.example --lang ja "${RC[@]}" >/dev/null
"$ITAKU" org contact add --org $R --name "Pat Jones" --email jones@r.example --lang en "${RC[@]}" >/dev/null
"$ITAKU" org contact add --org $AD --name "管理 花子" --email kanri@h.example --lang ja "${RC[@]}" >/dev/null
out=$("$ITAKU" org contact add --org $R --name x --email 'bad address' "${RC[@]}" 2>&1) && die "a bad address was taken"
[[ "$out" == *"not a plain mail address"* ]] || die "contact refusal: $out"

# A answers through a server, declaring S; S enrols and gets its assignment
RPORT=$(free_port)
"$ITAKUD" --config "$RI/itaku.conf" --port "$RPORT" >>"$W/rem-itakud.log" 2>&1 &
RPID=$!
for _ in $(seq 1 100); do curl -sf --cacert "$RI/pki/ca.crt" "https://localhost:$RPORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
RB=https://localhost:$RPORT
rcurl() { curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$RI/pki/ca.crt" "$@"; }
"$ITAKU" template --campaign "$cid" --org $A --output "$W/ra.xml" "${RC[@]}"
sed -i 's/level=""/level="3"/; s|<subcontractors/>|<subcontractors><subcontractor id="'$S'" personal-data="true" confidential-data="false"><name>佐藤システム</name><scope>保守</scope></subcontractor><subcontractor id="'$P'" personal-data="false" confidential-data="false"><name>楓プリント</name><scope>印刷</scope></subcontractor></subcontractors>|' "$W/ra.xml"
"$ITAKU" pack --answers "$W/ra.xml" --cert "$RI/pki/$A/client.crt" --key "$RI/pki/$A/client.key" -o "$W/ra.asice" >/dev/null || die "pack A"
expect_eq "$(rcurl --cert "$RI/pki/$A/client.crt" --key "$RI/pki/$A/client.key" \
	-H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$W/ra.asice" "$RB/api/v1/submissions")" 201 "A answers"
# S's invitation, mailed: a letter with the portal's enrolment link, the
# token in the fragment; S enrols with the token the mail carries
"$ITAKU" chain invite --campaign "$cid" --org $S --email sato@s.example --name "佐藤 一郎" --lang ja "${RC[@]}" >"$W/inv.out" ||
	die "invite S: $(cat "$W/inv.out")"
grep -q "^mailed to sato@s.example$" "$W/inv.out" || die "invite S: $(cat "$W/inv.out")"
inv=$(find "$M" -name "*.eml")
expect_eq "$(echo "$inv" | wc -l)" 1 "one invitation mail"
tok=$(sed -n 's/^token //p' "$W/inv.out")
letter "$inv" --link "https://itaku.example/enrol#c=$cid&o=$S&t=$tok" \
	--has "佐藤システム（$S）" --has "佐藤 一郎 様" --has "$SENDER（8999900000001）" \
	--has "調査「2099 春 点検」" --has "質問票「情報セキュリティ対策ベンチマーク準拠 委託先セキュリティ質問票」" \
	--has "回答期限は2099年3月31日（火）です" --has "Sakura Systems (委託先, ECDSA P-256)（7999900000002）様から" \
	--has "管理 花子（kanri@h.example）" --subject-has "【$SENDER】" \
	--lacks "キャンペーン" --lacks "ipa-benchmark" --lacks "/api/v1/" \
	--header "To=佐藤 一郎 <sato@s.example>" --header "Reply-To=kanri@h.example"
mtok=$("$PY" - "$inv" <<'PYX'
import email, email.policy, re, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
print(re.search(r"/enrol#c=\d+&o=\d+&t=([0-9a-f]{64})$", m.get_body(("plain",)).get_content().replace("\r\n", "\n"), re.M).group(1))
PYX
)
expect_eq "$mtok" "$tok" "the mail's token"
expect_eq "$(dbi "$RI" "SELECT actor, outcome FROM audit_log WHERE action = 'invitation.mail'")" "cli|ok" "invitation mail audited"
mkdir -p "$W/invitations"
mv "${inv%.eml}".* "$W/invitations/" # the reminder checks below count reminders only
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/s.key" \
	-subj "/serialNumber=$S/CN=Sato" -out "$W/s.csr" 2>/dev/null
jq -n --arg t "$tok" --arg c "$cid" --rawfile csr "$W/s.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/s.json"
expect_eq "$(rcurl -H 'Content-Type: application/json' --data-binary "@$W/s.json" "$RB/api/v1/enrol")" 201 "S enrols"
jq -r .certificate "$W/out.json" >"$W/s.crt"
sid=$(jq -r .assignment "$W/out.json")
# P's invitation through the API: a vendor may not have the server mail
# one (its text, an address it picks), nor may a bad address pass; each
# refused with nothing stored. The admin's is mailed; a mail the server
# refuses leaves the invitation and says why.
ninv() { dbi "$RI" "SELECT count(*) FROM invitations"; }
n0=$(ninv)
expect_eq "$(rcurl --cert "$RI/pki/$A/client.crt" --key "$RI/pki/$A/client.key" -H 'Content-Type: application/json' \
	-d '{"organisation":"'$P'","email":"kaede@p.example","name":"楓 花子"}' "$RB/api/v1/campaigns/$cid/invitations")" 403 "a vendor's invitation mail"
expect_eq "$(jq -r .error.code "$W/out.json")" forbidden "a vendor's invitation mail: code"
expect_eq "$(rcurl --cert "$RI/pki/$AD/client.crt" --key "$RI/pki/$AD/client.key" -H 'Content-Type: application/json' \
	-d '{"organisation":"'$P'","email":"kaede at p.example","name":"楓 花子"}' "$RB/api/v1/campaigns/$cid/invitations")" 422 "a bad address"
expect_eq "$(jq -r '.error.code, (.error.detail | test("\"kaede at p.example\" is not a plain mail address"))' "$W/out.json" | tr '\n' ' ')" 'invalid_field true ' "a bad address: code"
expect_eq "$(rcurl --cert "$RI/pki/$AD/client.crt" --key "$RI/pki/$AD/client.key" -H 'Content-Type: application/json' \
	-d '{"organisation":"'$P'","name":"楓 花子"}' "$RB/api/v1/campaigns/$cid/invitations")" 422 "a name without an address"
expect_eq "$(ninv)" "$n0" "refused invitations store nothing"
expect_eq "$(rcurl --cert "$RI/pki/$AD/client.crt" --key "$RI/pki/$AD/client.key" -H 'Content-Type: application/json' \
	-d '{"organisation":"'$P'","email":"kaede@p.example","name":"Kaede Hanako","lang":"en"}' "$RB/api/v1/campaigns/$cid/invitations")" 201 "the admin's invitation mail"
expect_eq "$(jq -c .mail "$W/out.json")" '{"to":"kaede@p.example","sent":true}' "mailed"
ptok=$(jq -r .token "$W/out.json")
inv=$(find "$M" -name "*.eml")
letter "$inv" --link "https://itaku.example/enrol#c=$cid&o=$P&t=$ptok" --has "楓プリント ($P)" --has "Dear Kaede Hanako," \
	--has "$SENDER (8999900000001)" --has "The answers are due on Tuesday, 31 March 2099" \
	--subject-has "[$SENDER]" --lacks "ipa-benchmark" --header "To=Kaede Hanako <kaede@p.example>"
mv "${inv%.eml}".* "$W/invitations/"
echo kaede@p.example >"$M/reject"
expect_eq "$(rcurl --cert "$RI/pki/$AD/client.crt" --key "$RI/pki/$AD/client.key" -H 'Content-Type: application/json' \
	-d '{"organisation":"'$P'","email":"kaede@p.example","name":"Kaede Hanako","lang":"en"}' "$RB/api/v1/campaigns/$cid/invitations")" 201 "an invitation whose mail fails"
rm "$M/reject"
expect_eq "$(jq -r '.mail.sent, (.mail.error | test("550")), (.token | length)' "$W/out.json" | tr '\n' ' ')" "false true 64 " "the invitation stands, the mail failed"
expect_eq "$(dbi "$RI" "SELECT outcome FROM audit_log WHERE action = 'invitation.mail' ORDER BY seq DESC LIMIT 1")" failed "failed mail audited"
expect_eq "$(find "$M" -name "*.eml" | wc -l)" 0 "no reminder yet"

# S adds its own contact through the API
expect_eq "$(rcurl --cert "$W/s.crt" --key "$W/s.key" -H 'Content-Type: application/json' \
	-d '{"name":"佐藤 一郎","email":"sato@s.example","lang":"ja"}' "$RB/api/v1/organisations/$S/contacts")" 201 "S contact"
expect_eq "$(rcurl --cert "$W/s.crt" --key "$W/s.key" "$RB/api/v1/organisations/$R/contacts")" 404 "S reads R's contacts"
# R uploads a package that is refused (it quotes another nonce): its
# reminders then name the refusal, and its escalation has five paragraphs
"$ITAKU" template --campaign "$cid" --org $R --output "$W/rr.xml" "${RC[@]}"
sed -i 's/level=""/level="2"/; s/nonce="[0-9a-f]*"/nonce="00000000000000000000000000000000"/' "$W/rr.xml"
"$ITAKU" pack --answers "$W/rr.xml" --cert "$RI/pki/$R/client.crt" --key "$RI/pki/$R/client.key" -o "$W/rr.asice" >/dev/null || die "pack R"
expect_eq "$(rcurl --cert "$RI/pki/$R/client.crt" --key "$RI/pki/$R/client.key" \
	-H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$W/rr.asice" "$RB/api/v1/submissions")" 422 "R's package is refused"
expect_eq "$(jq -r .error.code "$W/out.json")" nonce_mismatch "R's refusal code"
kill "$RPID"
wait "$RPID" 2>/dev/null
RPID=

# remind NOW: runs the job; its exit status in $rrc, output in $W/remind.out
remind() {
	"$ITAKU" remind --now "$@" "${RC[@]}" >"$W/remind.out" 2>&1
	rrc=$?
}
mails() { find "$M" -name '*.json' | wc -l; }
# the stored messages' recipient and stage, one line each ("rcpt stage")
sent_list() {
	for j in "$M"/*.json; do
		printf '%s %s\n' "$(jq -r '.to[0]' "$j")" "$(grep -m1 '^Message-ID:' "${j%.json}.eml" | sed 's/.*remind\.[0-9]*\.\([^.]*\)\..*/\1/')"
	done | sort
}

remind 2099-03-01
expect_eq "$rrc" 0 "nothing due: exit"
expect_eq "$(mails)" 0 "nothing due: mails"
remind 2099-03-21
expect_eq "$rrc" 0 "before-14: exit ($(cat "$W/remind.out"))"
expect_eq "$(sent_list | tr '\n' ' ')" "jones@r.example before-14 sato@s.example before-14 " "before-14"
# mail_of NAME STAGE: the stored mail of reminder STAGE to NAME@
mail_of() { grep -l "^Message-ID: <remind\.[0-9]*\.$2\." $(grep -l "\"$1@" "$M"/*.json | sed 's/json$/eml/'); }
# the letter of each stage, as S's contact (ja) and R's (en) read it
letter "$(mail_of sato before-14)" --subject-has "【$SENDER】セキュリティ調査「2099 春 点検」ご回答のお願い（回答期限：2099年3月31日（火））" \
	--has "佐藤システム（$S）" --has "佐藤 一郎 様" --has "いつもお世話になっております。$SENDERです。" \
	--has "質問票「情報セキュリティ対策ベンチマーク準拠 委託先セキュリティ質問票」、全27問" \
	--has "佐藤システム（$S）様のご回答をまだお受けしておりません。回答期限は2099年3月31日（火）です（あと10日）。" \
	--has "管理 花子（kanri@h.example）までお問い合わせください" --has "$SENDER（8999900000001）" \
	--link "https://itaku.example/assignments/$sid" \
	--lacks "キャンペーン" --lacks "ipa-benchmark" --lacks "/api/v1/" --lacks "2099-03-31" --lacks "受理できませんでした" \
	--header "From=itaku@holdings.example" --header "Reply-To=kanri@h.example"
rid=$(dbi "$RI" "SELECT id FROM assignments WHERE campaign_id = $cid AND org_id = '$R'")
letter "$(mail_of jones before-14)" --subject-has "[$SENDER] Security questionnaire \"2099 春 点検\": please answer by Tuesday, 31 March 2099" \
	--has "Fuji Logistics (委託先, RSA-2048) ($R)" --has "Dear Pat Jones," --has "We are writing to you on behalf of $SENDER." \
	--has "questionnaire \"Vendor security questionnaire after the IPA Information Security Benchmark\", 27 questions" \
	--has "The answers are due on Tuesday, 31 March 2099, 10 days from today" \
	--has "The last answer file you sent could not be accepted: The answers do not quote the assignment's nonce" \
	--has "Kind regards,"$'\n'"$SENDER (8999900000001)" --link "https://itaku.example/assignments/$rid" \
	--lacks "nonce_mismatch" --lacks "campaign" --lacks "ipa-benchmark"
remind 2099-03-21
expect_eq "$(mails)" 2 "a second run sends nothing"
grep -q "0 sent, 0 failed, 0 without contact, 0 uncertain, 2 already done" "$W/remind.out" || die "second run: $(cat "$W/remind.out")"
remind 2099-03-25
expect_eq "$(mails)" 4 "before-7"
letter "$(mail_of sato before-7)" --has "回答期限は2099年3月31日（火）です（あと6日）。"
letter "$(mail_of jones before-7)" --has "6 days from today"
# days are counted in the instance's time zone (Asia/Tokyo): at 23:59 JST
# on the day before, before-1 is due; at 08:00 JST on the due date (still
# the day before in UTC) the due stage is. A dry run says what it would
# send and sends and records nothing.
rows=$(dbi "$RI" "SELECT count(*) FROM reminders")
remind 2099-03-30T14:59:00Z --dry-run
expect_eq "$(grep '^would assignment' "$W/remind.out" | sed 's/.*) //' | sort | tr '\n' ' ')" "before-1 -> jones@r.example before-1 -> sato@s.example " "23:59 JST the day before"
remind 2099-03-31T08:00:00+09:00 --dry-run
expect_eq "$(grep '^would assignment' "$W/remind.out" | sed 's/.*) //' | sort | tr '\n' ' ')" "due -> jones@r.example due -> sato@s.example " "08:00 JST on the due date (dry run)"
expect_eq "$(mails)" 4 "dry run sends nothing"
expect_eq "$(dbi "$RI" "SELECT count(*) FROM reminders")" "$rows" "dry run records nothing"
remind 2099-03-30T23:00:00Z
expect_eq "$(mails)" 6 "due at 08:00 JST"
expect_eq "$(sent_list | grep -c ' due$')" 2 "the due stage at 08:00 JST"
# the Japanese mail: encoded subject, UTF-8 body, both parts
sato_due=$(mail_of sato due)
grep -q '^Subject: =?UTF-8?B?' "$sato_due" || die "subject not RFC 2047 encoded"
expect_eq "$("$PY" - "$sato_due" <<'PYX'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
parts = [p.get_content_type() + ":" + p.get_content_charset() for p in m.iter_parts()]
print(m["Subject"], "|", ",".join(parts))
PYX
)" "【$SENDER】本日がセキュリティ調査「2099 春 点検」の回答期限です | text/plain:utf-8,text/html:utf-8" "Japanese due mail"
letter "$sato_due" --has "の回答期限は、本日2099年3月31日（火）です。" --has "本日中にご回答くださいますよう" \
	--link "https://itaku.example/assignments/$sid" --lacks "キャンペーン" --lacks "あと0日"
letter "$(mail_of jones due)" --has "are due today, Tuesday, 31 March 2099" --has "could not be accepted: The answers do not quote"
jq -e '.tls and .auth' "${sato_due%.eml}.json" >/dev/null || die "not delivered over STARTTLS with authentication"
remind 2099-04-07
expect_eq "$(sent_list | grep -c overdue-7)" 2 "overdue-7"
# after the due date: never "the due date is" of a date that has passed
letter "$(mail_of sato overdue-7)" --subject-has "【$SENDER】セキュリティ調査「2099 春 点検」の回答期限を7日過ぎています" \
	--has "回答期限は2099年3月31日（火）でした。期限を7日過ぎましたが、佐藤システム（$S）様のご回答をまだお受けしておりません。" \
	--link "https://itaku.example/assignments/$sid" --lacks "回答期限は2099年3月31日（火）です" --lacks "キャンペーン"
letter "$(mail_of jones overdue-7)" --subject-has "are 7 days overdue" --has "were due on Tuesday, 31 March 2099, 7 days ago" \
	--lacks "are due on" --lacks "nonce_mismatch"
# 14 days overdue: the overdue stage, and escalation: S's lateness to A
# (the vendor above) and the admin, R's to the admin only
remind 2099-04-14
expect_eq "$rrc" 0 "escalation run: $(cat "$W/remind.out")"
expect_eq "$(sent_list | grep -c overdue-14)" 2 "overdue-14"
expect_eq "$(sent_list | grep escalation | tr '\n' ' ')" "kanri@h.example escalation kanri@h.example escalation yamada@a.example escalation " "escalations"
# to the vendor that declared S: its own letter, its subcontractors page
letter "$(mail_of yamada escalation)" --subject-has "【$SENDER】再委託先 佐藤システム（$S）の回答が14日遅れています" \
	--has "Sakura Systems (委託先, ECDSA P-256)（$A）"$'\n'"山田 太郎 様" \
	--has "貴社が再委託先として申告された佐藤システム（$S）の回答がまだ受理されていません。回答期限の2099年3月31日（火）から14日が過ぎています。" \
	--has "佐藤システムにご回答を促していただけますよう" --link "https://itaku.example/subcontractors" \
	--lacks "回答の入力、下書きの保存" --lacks "キャンペーン"
# to the entrusting company: which vendor is late, by how much, why its
# last upload was refused (the explanation, not the code), the dashboard
for esc in $(grep -l "^Message-ID: <remind\.[0-9]*\.escalation\." $(grep -l '"kanri@' "$M"/*.json | sed 's/json$/eml/')); do
	grep -q "^Message-ID: <remind\.$rid\." "$esc" && resc=$esc || sesc=$esc
done
letter "$resc" --subject-has "【itaku】Fuji Logistics (委託先, RSA-2048)（$R）の回答が14日遅れています：2099 春 点検" \
	--has "Itaku Demo Holdings (委託元)（8999900000001）"$'\n'"管理 花子 様" \
	--has "Fuji Logistics (委託先, RSA-2048)（$R）の回答がまだ受理されていません。回答期限の2099年3月31日（火）から14日が過ぎています。" \
	--has "最後に届いた回答ファイルは、次の理由で受理されませんでした。回答に記載されたノンスが、割り当てのものと一致しません。" \
	--has "ダッシュボード" --link "https://itaku.example/admin/campaigns/$cid" \
	--lacks "nonce_mismatch" --lacks "回答の入力、下書きの保存" --lacks "回答期限は2099年3月31日（火）です" --lacks "キャンペーン"
letter "$sesc" --has "佐藤システム（$S）の回答がまだ受理されていません" --link "https://itaku.example/admin/campaigns/$cid" --lacks "受理されませんでした"
expect_eq "$("$PY" - "$resc" <<'PYX'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
paras = [p for p in m.get_body(("plain",)).get_content().replace("\r\n", "\n").split("\n\n") if p.strip()]
print(len(paras), m.get_body(("html",)).get_content().count("<p>"))
PYX
)" "7 7" "R's escalation: greeting, lateness, refusal, what to open, the link, closing, signature"

# the server refuses one recipient: that one fails (exit 1), the other is
# sent; the next run retries only the failed one
echo jones@r.example >"$M/reject"
remind 2099-04-21
expect_eq "$rrc" 1 "a refused recipient fails the run"
grep -q "FAIL  assignment .* overdue-21 -> jones@r.example: .*550" "$W/remind.out" || die "failure not reported: $(cat "$W/remind.out")"
expect_eq "$(sent_list | grep overdue-21 | tr '\n' ' ')" "sato@s.example overdue-21 " "only sato"
rm "$M/reject"
remind 2099-04-21
expect_eq "$rrc" 0 "retry run"
expect_eq "$(sent_list | grep overdue-21 | tr '\n' ' ')" "jones@r.example overdue-21 sato@s.example overdue-21 " "jones retried, sato not re-sent"
expect_eq "$(dbi "$RI" "SELECT attempts FROM reminders WHERE recipient = 'jones@r.example' AND stage = 'overdue-21'")" 2 "attempts"

# two jobs at once: each reminder once
"$ITAKU" remind --now 2099-04-28 "${RC[@]}" >"$W/j1.out" 2>&1 &
j1=$!
"$ITAKU" remind --now 2099-04-28 "${RC[@]}" >"$W/j2.out" 2>&1 &
j2=$!
wait "$j1"
r1=$?
wait "$j2"
r2=$?
expect_eq "$(sent_list | grep overdue-28 | tr '\n' ' ')" "jones@r.example overdue-28 sato@s.example overdue-28 " "two jobs, one mail each"
# neither takes the other's live claim for a dead job's (claims are dated
# by the wall clock, whatever --now says)
expect_eq "$r1 $r2" "0 0" "two jobs: exit ($(cat "$W/j1.out" "$W/j2.out"))"
grep -q " 0 uncertain" "$W/j1.out" && grep -q " 0 uncertain" "$W/j2.out" || die "two jobs: $(cat "$W/j1.out" "$W/j2.out")"

# a job killed while the server holds back its 250: the message had been
# stored; the next run does not send it again (status uncertain, exit 1)
# and sends the rest
echo 5 >"$M/delay"
before=$(mails)
"$ITAKU" remind --now 2099-05-05 "${RC[@]}" >"$W/k.out" 2>&1 &
kj=$!
for _ in $(seq 1 100); do [ "$(mails)" -gt "$before" ] && break; sleep 0.1; done
kill -9 "$kj"
wait "$kj" 2>/dev/null
rm "$M/delay"
remind 2099-05-05
expect_eq "$rrc" 1 "an uncertain reminder is reported"
grep -q "1 uncertain" "$W/remind.out" || die "uncertain not counted: $(cat "$W/remind.out")"
expect_eq "$(sent_list | grep overdue-35 | tr '\n' ' ')" "jones@r.example overdue-35 sato@s.example overdue-35 " "killed job: each once"
remind 2099-05-05
expect_eq "$(sent_list | grep -c overdue-35)" 2 "nothing more after the crash"

# every stored message is unique by Message-ID
expect_eq "$(cat "$M"/*.eml | grep -c '^Message-ID:')" "$(cat "$M"/*.eml | grep '^Message-ID:' | sort -u | wc -l)" "unique Message-IDs"

# the sendmail transport: msmtp (Debian's sendmail-compatible client, run
# with this test's configuration) relays to the same SMTP server
cat >"$W/msmtprc" <<EOX
account default
host localhost
port $(cat "$M/port")
tls on
tls_starttls on
tls_trust_file $RI/pki/ca.crt
auth on
user itaku
password s3cret pass
from itaku@holdings.example
EOX
chmod 600 "$W/msmtprc"
printf '#!/bin/sh\nexec msmtp -C "%s" "$@"\n' "$W/msmtprc" >"$W/sendmail"
chmod 755 "$W/sendmail"
sed -i "s|^transport = smtp|transport = sendmail|; s|^smtp_url = .*|sendmail = $W/sendmail|" "$RI/itaku.conf"
remind 2099-05-12
expect_eq "$rrc" 0 "sendmail run: $(cat "$W/remind.out")"
expect_eq "$(sent_list | grep overdue-42 | tr '\n' ' ')" "jones@r.example overdue-42 sato@s.example overdue-42 " "delivered through sendmail"

# the history in the API: S sees its assignment's, R does not
"$ITAKUD" --config "$RI/itaku.conf" --port "$RPORT" >>"$W/rem-itakud.log" 2>&1 &
RPID=$!
for _ in $(seq 1 100); do curl -sf --cacert "$RI/pki/ca.crt" "https://localhost:$RPORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
expect_eq "$(rcurl --cert "$W/s.crt" --key "$W/s.key" "$RB/api/v1/assignments/$sid/reminders")" 200 "history"
expect_eq "$(jq -c '[.reminders[] | select(.recipient == "sato@s.example") | .stage] | sort' "$W/out.json")" \
	'["before-14","before-7","due","overdue-14","overdue-21","overdue-28","overdue-35","overdue-42","overdue-7"]' "S's history"
expect_eq "$(jq -c '[.reminders[] | select(.stage == "escalation") | .recipient] | sort' "$W/out.json")" '["kanri@h.example","yamada@a.example"]' "S's escalations"
expect_eq "$(rcurl --cert "$RI/pki/$R/client.crt" --key "$RI/pki/$R/client.key" "$RB/api/v1/assignments/$sid/reminders")" 404 "R reads S's history"

# every reminder's outcome is in the audit log (actor "remind"): one
# reminder.sent per mail that left, with its Message-ID; the refused
# recipient's failure; the claim the killed job left; and the chain holds
audit_of() { dbi "$RI" "SELECT count(*) FROM audit_log WHERE actor = 'remind' AND action = '$1'"; }
expect_eq "$(audit_of reminder.sent)" "$(dbi "$RI" "SELECT count(*) FROM reminders WHERE status = 'sent'")" "sent reminders audited"
expect_eq "$(dbi "$RI" "SELECT object, outcome, detail FROM audit_log WHERE action = 'reminder.sent' AND detail LIKE 'due to sato@%'")" \
	"assignment/$sid|ok|due to sato@s.example, Message-ID <$(grep -m1 '^Message-ID:' "$sato_due" | sed 's/^Message-ID: <\(.*\)>.*/\1/')>" "the due reminder's entry"
expect_eq "$(dbi "$RI" "SELECT object, outcome FROM audit_log WHERE action = 'reminder.failed' AND detail LIKE 'overdue-21 to jones@r.example: %550%'")" \
	"assignment/$rid|failed" "the refused recipient's entry"
expect_eq "$(audit_of reminder.uncertain)" 1 "the killed job's claim"
"$ITAKU" audit verify "${RC[@]}" >/dev/null || die "audit chain after the reminders"

# the dry run predicts the real run exactly (issue 15, 2): the same lines
# ("would" where the real run says "sent "), the same counts, the same exit
# status — here with an organisation that has no contact, which the real run
# reports and fails on
"$ITAKU" org add --id no-contact-co --name "No Contact Co" "${RC[@]}" >/dev/null || die "org add"
"$ITAKU" campaign assign "$cid" no-contact-co "${RC[@]}" >/dev/null || die "assign"
remind 2099-05-19 --dry-run
dry_rc=$rrc
sed -e 's/^would /sent  /' -e 's/^dry run: /reminders: /' "$W/remind.out" | sort >"$W/dry.out"
grep -q "^NOCONTACT assignment .*(no-contact-co)" "$W/dry.out" || die "the dry run does not name the organisation without contact: $(cat "$W/remind.out")"
remind 2099-05-19
sort "$W/remind.out" >"$W/real.out"
diff -u "$W/dry.out" "$W/real.out" >&2 || die "the dry run did not predict the real run"
expect_eq "$dry_rc" "$rrc" "dry run and real run exit alike"
expect_eq "$rrc" 1 "an organisation without contact fails the run"

# a direct vendor's invitation (issue 15, item 9): mailed like a
# subcontractor's, naming the vendor by the name the entrusting company gave,
# without the paragraph about who declared it
before_inv=$(find "$M" -name "*.eml" | sort)
"$ITAKU" chain invite --campaign "$cid" --org 7400000000044 --org-name "柏印刷株式会社" \
	--email kashiwa@k.example --name "柏 次郎" "${RC[@]}" >"$W/inv.out" || die "invite direct: $(cat "$W/inv.out")"
dinv=$(comm -13 <(echo "$before_inv") <(find "$M" -name "*.eml" | sort))
expect_eq "$(echo "$dinv" | wc -l)" 1 "one direct invitation mail"
dtok=$(sed -n 's/^token //p' "$W/inv.out")
letter "$dinv" --link "https://itaku.example/enrol#c=$cid&o=7400000000044&t=$dtok" \
	--has "柏印刷株式会社（7400000000044）" --has "柏 次郎 様" --has "$SENDER（8999900000001）" \
	--has "ブラウザの中で鍵が作られ" --lacks "申告" --lacks "再委託先" --lacks "ipa-benchmark"

# the due date moves (issue 15, item 12): `itaku campaign due`, audited; a
# date in the past only with --force; the reminders follow the new date —
# its stages are sent although the same stage names went out for the old
# one, once each
cdue() { dbi "$RI" "SELECT due FROM campaigns WHERE id = $cid"; }
if "$ITAKU" campaign due "$cid" 2000-01-01 "${RC[@]}" >"$W/due.out" 2>&1; then die "a past due date was taken"; fi
grep -q "^itaku campaign due: the due date is in the past: 2000-01-01 is before today" "$W/due.out" || die "due past: $(cat "$W/due.out")"
for bad in 2099-02-30 "" 20990630 "2099-06-30 "; do
	if "$ITAKU" campaign due "$cid" "$bad" "${RC[@]}" >"$W/due.out" 2>&1; then die "due '$bad' was taken"; fi
	grep -q "^itaku campaign due: invalid argument" "$W/due.out" || die "due '$bad': $(cat "$W/due.out")"
done
"$ITAKU" campaign due 999 2099-06-30 "${RC[@]}" >"$W/due.out" 2>&1 && die "due of no campaign"
expect_eq "$(cdue)" 2099-03-31 "refusals change nothing"
expect_eq "$("$ITAKU" campaign due "$cid" 2099-06-30 "${RC[@]}")" "campaign $cid due 2099-06-30 (was 2099-03-31)" "due moved"
expect_eq "$(dbi "$RI" "SELECT actor, outcome, detail FROM audit_log WHERE action = 'campaign.due' ORDER BY seq DESC LIMIT 1")" \
	"cli|ok|2099-03-31 -> 2099-06-30" "the move audited"
before_due=$(find "$M" -name '*.json' | sort)
remind 2099-06-24 --dry-run
grep -q "^would assignment $sid .* before-7 -> sato@s.example" "$W/remind.out" || die "dry run after the move: $(cat "$W/remind.out")"
remind 2099-06-24
new_due=$(comm -13 <(echo "$before_due") <(find "$M" -name '*.json' | sort))
[ -n "$new_due" ] || die "nothing sent for the new date: $(cat "$W/remind.out")"
sato_new=$(grep -l '"sato@' $new_due | sed 's/json$/eml/')
expect_eq "$(echo "$sato_new" | wc -l)" 1 "one mail to S for the new date"
grep -q "^Message-ID: <remind\.$sid\.before-7\.2099-06-30\." "$sato_new" || die "S's mail: $(grep Message-ID "$sato_new")"
letter "$sato_new" --has "回答期限は2099年6月30日（火）です（あと6日）。"
remind 2099-06-24
expect_eq "$(find "$M" -name '*.json' | wc -l)" "$(( $(echo "$before_due" | wc -l) + $(echo "$new_due" | wc -l) ))" "the new date's stage once"
expect_eq "$(rcurl --cert "$W/s.crt" --key "$W/s.key" "$RB/api/v1/assignments/$sid/reminders")" 200 "S's history after the move"
expect_eq "$(jq -r '[.reminders[] | select(.stage == "before-7" and (.recipient | startswith("sato@"))) | .due] | sort | join(" ")' "$W/out.json")" \
	"2099-03-31 2099-06-30" "before-7 once per due date"
# a dead job's claim marks its own row uncertain, not the same stage for
# other due dates (found by review)
dbi "$RI" "INSERT INTO reminders (assignment_id, stage, recipient, due, about, status, claimed_by, claimed_at, attempts, message_id) VALUES
	($sid, 'overdue-70', 'x@s.example', '2027-01-10', 'x', 'sent', 'gone:1', '2020-01-01T00:00:00.000Z', 1, 'm-a'),
	($sid, 'overdue-70', 'x@s.example', '2027-01-20', 'x', 'claimed', 'gone:1', '2020-01-01T00:00:00.000Z', 1, 'm-b'),
	($sid, 'overdue-70', 'x@s.example', '2027-01-30', 'x', 'failed', 'gone:1', '2020-01-01T00:00:00.000Z', 1, 'm-c')"
remind 2099-06-24
expect_eq "$(dbi "$RI" "SELECT due || ' ' || status FROM reminders WHERE stage = 'overdue-70' ORDER BY due" | paste -sd,)" \
	"2027-01-10 sent,2027-01-20 uncertain,2027-01-30 failed" "only the dead claim's row is uncertain"
