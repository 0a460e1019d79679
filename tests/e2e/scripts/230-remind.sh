# Reminders through a real SMTP server (python3-aiosmtpd on loopback,
# STARTTLS with the instance's server certificate, authentication), run by
# `itaku remind --now` over a campaign due 2099-03-31 in a second instance:
# vendor A (resp-ec) answered and declared subcontractor S, which enrolled
# by token + CSR and never answers; vendor R (resp-rsa) never answers.
# Checked: recipients and stages at each date, escalation of S's lateness to
# A and the admin and of R's to the admin only (R's after a refused upload:
# a mail of five paragraphs and the link), the encoded Japanese
# subject, a second run sending nothing, a dry run, a recipient refused by
# the server retried on the next run without re-sending the others, two jobs
# at once, a job killed mid-send, delivery through sendmail (msmtp), the
# history in the API.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
RI=$W/rem
M=$W/mail
mkdir -p "$M"
"$ITAKU" init "$RI" --demo >/dev/null || die "init"
A=7999900000002
R=6999900000003
AD=8999900000001
S=5500000000011
RC=(--config "$RI/itaku.conf")
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
sed -i 's/level=""/level="3"/; s|<subcontractors/>|<subcontractors><subcontractor id="'$S'" personal-data="true" confidential-data="false"><name>佐藤システム</name><scope>保守</scope></subcontractor></subcontractors>|' "$W/ra.xml"
"$ITAKU" pack --answers "$W/ra.xml" --cert "$RI/pki/$A/client.crt" --key "$RI/pki/$A/client.key" -o "$W/ra.asice" >/dev/null || die "pack A"
expect_eq "$(rcurl --cert "$RI/pki/$A/client.crt" --key "$RI/pki/$A/client.key" \
	-H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$W/ra.asice" "$RB/api/v1/submissions")" 201 "A answers"
tok=$("$ITAKU" chain invite --campaign "$cid" --org $S "${RC[@]}" | sed -n 's/^token //p')
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/s.key" \
	-subj "/serialNumber=$S/CN=Sato" -out "$W/s.csr" 2>/dev/null
jq -n --arg t "$tok" --arg c "$cid" --rawfile csr "$W/s.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/s.json"
expect_eq "$(rcurl -H 'Content-Type: application/json' --data-binary "@$W/s.json" "$RB/api/v1/enrol")" 201 "S enrols"
jq -r .certificate "$W/out.json" >"$W/s.crt"
sid=$(jq -r .assignment "$W/out.json")
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
remind 2099-03-21
expect_eq "$(mails)" 2 "a second run sends nothing"
grep -q "0 sent, 0 failed, 0 without contact, 0 uncertain, 2 already done" "$W/remind.out" || die "second run: $(cat "$W/remind.out")"
remind 2099-03-25
expect_eq "$(mails)" 4 "before-7"
# a dry run says what it would send and sends and records nothing
rows=$(sqlite3 "$RI/itaku.db" "SELECT count(*) FROM reminders")
remind 2099-03-31 --dry-run
expect_eq "$(grep -c '^would assignment' "$W/remind.out")" 2 "dry run lines"
expect_eq "$(mails)" 4 "dry run sends nothing"
expect_eq "$(sqlite3 "$RI/itaku.db" "SELECT count(*) FROM reminders")" "$rows" "dry run records nothing"
remind 2099-03-31
expect_eq "$(mails)" 6 "due"
# the Japanese mail: encoded subject, UTF-8 body, both parts
sato_due=$(grep -l '"sato@s.example"' "$M"/*.json | tail -n 1)
grep -q '^Subject: =?UTF-8?B?' "${sato_due%.json}.eml" || die "subject not RFC 2047 encoded"
expect_eq "$("$PY" - "${sato_due%.json}.eml" <<'PYX'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
parts = [p.get_content_type() + ":" + p.get_content_charset() for p in m.iter_parts()]
body = m.get_body(("plain",)).get_content()
print(m["Subject"], "|", ",".join(parts), "|", "佐藤 一郎 様" in body, "https://itaku.example/api/v1/assignments/" in body)
PYX
)" "【itaku】本日が回答期限です：2099 春 点検 | text/plain:utf-8,text/html:utf-8 | True True" "Japanese due mail"
jq -e '.tls and .auth' "$sato_due" >/dev/null || die "not delivered over STARTTLS with authentication"
remind 2099-04-07
expect_eq "$(sent_list | grep -c overdue-7)" 2 "overdue-7"
# 14 days overdue: the overdue stage, and escalation: S's lateness to A
# (the vendor above) and the admin, R's to the admin only
remind 2099-04-14
expect_eq "$rrc" 0 "escalation run: $(cat "$W/remind.out")"
expect_eq "$(sent_list | grep -c overdue-14)" 2 "overdue-14"
expect_eq "$(sent_list | grep escalation | tr '\n' ' ')" "kanri@h.example escalation kanri@h.example escalation yamada@a.example escalation " "escalations"
esc=$(grep -l '"yamada@a.example"' "$M"/*.json | tail -n 1)
"$PY" - "${esc%.json}.eml" "$S" <<'PYX' || die "escalation mail to the vendor does not name the subcontractor"
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
body = m.get_body(("plain",)).get_content()
sys.exit(0 if sys.argv[2] in body and "佐藤システム" in m["Subject"] else 1)
PYX
# R's escalation to the admin after its refused upload: five paragraphs
# (salutation, lateness, what is missing, the refusal, what to do) and the URL
resc=$(grep -l '"kanri@h.example"' "$M"/*.json | while read -r j; do
	grep -q "^Message-ID: <remind\.[0-9]*\.escalation\." "${j%.json}.eml" && echo "$j"; done |
	while read -r j; do "$PY" - "${j%.json}.eml" <<'PYX' && echo "$j"; done
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
sys.exit(0 if "Fuji Logistics" in m["Subject"] else 1)
PYX
)
[ -n "$resc" ] || die "no escalation mail about R"
expect_eq "$("$PY" - "${resc%.json}.eml" "$R" <<'PYX'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
paras = [p for p in m.get_body(("plain",)).get_content().replace("\r\n", "\n").split("\n\n") if p.strip()]
html = m.get_body(("html",)).get_content()
print(len(paras), html.count("<p>"), "nonce_mismatch" in paras[3], sys.argv[2] in paras[1],
      paras[-1].strip().startswith("https://itaku.example/api/v1/assignments/"))
PYX
)" "6 6 True True True" "R's escalation after a refusal"

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
expect_eq "$(sqlite3 "$RI/itaku.db" "SELECT attempts FROM reminders WHERE recipient = 'jones@r.example' AND stage = 'overdue-21'")" 2 "attempts"

# two jobs at once: each reminder once
"$ITAKU" remind --now 2099-04-28 "${RC[@]}" >"$W/j1.out" 2>&1 &
j1=$!
"$ITAKU" remind --now 2099-04-28 "${RC[@]}" >"$W/j2.out" 2>&1 &
j2=$!
wait "$j1" "$j2"
expect_eq "$(sent_list | grep overdue-28 | tr '\n' ' ')" "jones@r.example overdue-28 sato@s.example overdue-28 " "two jobs, one mail each"

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
