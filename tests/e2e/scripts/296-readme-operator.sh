# backends: sqlite
# (README's walk-through backs up and restores the sqlite file, itaku.db.restore-* included)
# README's operator sections, run as they are written (issue 15, "Done
# when"): the ```sh blocks of "Campaigns, assignments, answers",
# "Re-entrustment chains" (onboarding), "Receipts" and "Audit log, backup,
# restore, fsck" are read out of README.md and run line by line, in their
# order, with only the placeholders replaced by a real instance's values
# (`curl …` by curl with the role's client certificate, itaku.example by
# the server, DIR by the instance, the example due date, ids and head by
# real ones, [optional] brackets dropped, a|b by a); every line must
# succeed and the key ones say what README says they say. The command
# table of "Command line" is checked against `itaku help CMD` both ways
# (every form and option of either is in the other), and its other forms,
# the reminders (dry run against a real run through a real SMTP server),
# certificates, contacts, questionnaires and chains are run with the
# options README names. A README line that changes flags, order or output
# fails here. Also: an assignment's status counts days in the instance's
# time zone as the aggregate does; a restore leaves no itaku.db.restore-*
# files; backup names the mail password file it does not archive.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
RD=$ROOT/README.md
RW=$W/readme
RI=$RW/inst
export ITAKU_CONFIG=$RI/itaku.conf # "on the server host": README's lines without --config
mkdir -p "$RW/sub" "$RW/backup" "$RW/mail"
itaku() { "$ITAKU" "$@"; }
AD=8999900000001
EC=7999900000002
RSA=6999900000003
KP=kaede-print
SUBC=5500000000011
DAY=$(date +%F)
DUE=$(date -d '+120 days' +%F)
DUE2=$(date -d '+150 days' +%F) # the date `itaku campaign due` moves it to
HEAD=
TOKEN=
ENROL=
AID=0

# ---- README's blocks -------------------------------------------------
# readme_block HEADING [N]: the Nth ```sh block (default 1) of the section
# "## HEADING", continuation lines (after \ or |) joined
readme_block() {
	awk -v h="$1" -v n="${2:-1}" '
		on && /^```$/ { exit }
		on { print; next }
		/^```/ { code = !code; if (code && insec && $0 == "```sh" && ++k == n) on = 1; next }
		!code && /^#+ / { t = $0; sub(/^#+ /, "", t); insec = (t == h); k = 0 }' "$RD" |
		sed -e ':a' -e '/\\$/ { N; s/\\\n//; ba' -e '}' -e '/|$/ { N; s/|\n/| /; ba' -e '}'
}
# subst LINE: README's placeholders replaced by this instance's values
subst() {
	local l=$1 cred
	case $ROLE in
	admin) cred="--cacert $RI/pki/ca.crt --cert $RI/pki/admin/client.crt --key $RI/pki/admin/client.key" ;;
	*) cred="--cacert $RI/pki/ca.crt --cert $RW/me.crt --key $RW/me.key" ;;
	esac
	l=$(printf '%s' "$l" | sed -E 's/[[:space:]]+#[^'"'"'"]*$//')
	l=${l//curl …/curl -sS -f $cred}
	l=${l//https:\/\/itaku.example/$BASE}
	l=${l//DIR\//$RI/}
	l=${l//\/backup\//$RW/backup/}
	l=${l//'$(date +%F)'/$DAY}
	l=${l//812:3f…/$HEAD}
	l=${l//\/assignments\/7\//\/assignments\/$AID\/}
	l=$(printf '%s' "$l" | sed -E "s/itaku-[0-9]{4}-[0-9]{2}-[0-9]{2}\.zip/itaku-$DAY.zip/g;
		s/--due [0-9]{4}-[0-9]{2}-[0-9]{2}/--due $DUE/;
		s/campaign due ([0-9]+) [0-9]{4}-[0-9]{2}-[0-9]{2}/campaign due \1 $DUE2/; s/\[|\]//g; s/ ([a-z]+)\|[a-z]+/ \1/g")
	printf '%s' "$l"
}
# run_block NAME DIR < lines: runs each command line in DIR; comment lines
# naming a party set whose credentials `curl …` takes; check_line (set by
# the caller) judges each; RAN counts the lines run
run_block() {
	local name=$1 dir=$2 line cmd
	RAN=0
	while IFS= read -r line; do
		case $line in
		*"# the entrusting company"*) ROLE="admin"; continue ;;
		*"# each respondent"* | *"# the subcontractor"*) ROLE="resp"; continue ;;
		"" | \#*) continue ;;
		esac
		cmd=$(subst "$line")
		OUT=$(cd "$dir" && eval "$cmd" 2>"$W/readme-line.err") ||
			die "$name: README's '$line' (run as '$cmd') failed: $OUT $(cat "$W/readme-line.err")"
		RAN=$((RAN + 1))
		check_line "$line" || die "$name: README's '$line': $OUT $(cat "$W/readme-line.err")"
	done
}

# ---- an instance as README's operator makes it -----------------------
if [ "$(id -u)" -eq 0 ]; then
	itaku init "$RI" --user root >/dev/null || die "itaku init --user root"
else
	itaku init "$RI" >/dev/null || die "itaku init"
fi
for f in itaku.conf itaku.db pki/ca.crt pki/ca.key pki/server.crt pki/server.key pki/tsa.crt store; do
	[ -e "$RI/$f" ] || die "itaku init made no $f"
done
{ grep -q '^\[reminders\]' "$RI/itaku.conf" && grep -q '^\[mail\]' "$RI/itaku.conf"; } || die "init: no [reminders]/[mail]"
# days in a time zone where today is not UTC's today (the assignments'
# status must follow it, as the aggregate's does)
if [ "$(date -u +%H)" -ge 12 ]; then ZONE=Etc/GMT-13; else ZONE=Etc/GMT+12; fi
sed -i "s|^# time_zone = Asia/Tokyo|time_zone = $ZONE|" "$RI/itaku.conf"
grep -q "^time_zone = $ZONE" "$RI/itaku.conf" || die "time_zone line not in the written config"
"$PY" "$HERE/lib/smtpd.py" --dir "$RW/mail" --cert "$RI/pki/server.crt" --key "$RI/pki/server.key" \
	--port-file "$RW/mail/port" --user itaku --password 'readme pass' >"$W/readme-smtpd.log" 2>&1 &
SMTPD=$!
RPID=
trap 'kill $SMTPD $RPID 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 1 100); do [ -s "$RW/mail/port" ] && break; sleep 0.1; done
[ -s "$RW/mail/port" ] || die "smtpd did not start: $(cat "$W/readme-smtpd.log")"
printf 'readme pass\n' >"$RI/smtp-password"
cat >>"$RI/itaku.conf" <<EOX

[reminders]
portal_url = https://itaku.example
from = itaku@holdings.example

[mail]
transport = smtp
smtp_url = smtp://localhost:$(cat "$RW/mail/port")
starttls = required
username = itaku
password_file = smtp-password
ca_file = pki/ca.crt
EOX

# Command line: org add / list, both forms of cert issue
itaku org add --id $AD --name "Holdings" --role admin >/dev/null || die "org add admin"
itaku org add --id $EC --name "Sakura Systems" >/dev/null || die "org add"
itaku org add --id $RSA --name "Fuji Logistics" --role respondent >/dev/null || die "org add --role"
itaku org add --id $KP --name "Kaede Print" >/dev/null || die "org add internal id"
out=$(itaku org add --id 7999900000003 --name x 2>&1) && die "a wrong check digit was taken"
[[ "$out" == *"check digit"* ]] || die "org add refusal: $out"
out=$(itaku org list) || die "org list"
[ "$(grep -c 'respondent\|admin' <<<"$out")" = 4 ] || die "org list: $out"
itaku cert issue --org $AD --out "$RI/pki/admin" 2>/dev/null >/dev/null || die "cert issue --out"
itaku cert issue --org $EC --out "$RW/ec" --key-type ec --days 30 2>"$W/readme.err" >/dev/null || die "cert issue ec"
grep -q "warning: the private key of $EC is made here" "$W/readme.err" || die "no warning: $(cat "$W/readme.err")"
out=$(itaku cert issue --org $EC --out "$RW/ec" 2>&1) && die "cert issue overwrote $RW/ec"
[[ "$out" == *"a file is in the way: $RW/ec/client.key exists already"* && "$out" != *warning* ]] ||
	die "second issue: $out"
printf 'readme-passphrase\n' >"$RW/pass"
itaku cert issue --org $RSA --out "$RW/rsa" --key-type rsa --p12 --passphrase-file "$RW/pass" 2>/dev/null >/dev/null ||
	die "cert issue --p12"
openssl pkcs12 -in "$RW/rsa/client.p12" -passin pass:readme-passphrase -noout 2>/dev/null || die "the .p12"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$RW/kp.key" \
	-subj "/serialNumber=$KP/CN=Kaede Print" -out "$RW/kp.csr" 2>/dev/null || die "openssl req"
out=$(itaku cert issue --org $KP --csr "$RW/kp.csr" --output "$RW/kp.crt" 2>&1) || die "cert issue --csr: $out"
[[ "$out" != *warning* ]] || die "a CSR issue warns: $out"
out=$(itaku cert issue --org $EC --csr "$RW/kp.csr" --output "$RW/x.crt" 2>&1) && die "another's CSR was taken"
[[ "$out" == *"subject serialNumber \"$KP\" is not $EC"* ]] || die "CSR refusal: $out"
cp "$RW/ec/client.crt" "$RW/me.crt"
cp "$RW/ec/client.key" "$RW/me.key"

RPORT=$(free_port)
BASE=https://localhost:$RPORT
"$ITAKUD" --config "$RI/itaku.conf" --port "$RPORT" >>"$W/readme-itakud.log" 2>&1 &
RPID=$!
echo "$RPID" >>"$W/second.pids"
for _ in $(seq 1 100); do curl -sf --cacert "$RI/pki/ca.crt" "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf --cacert "$RI/pki/ca.crt" "$BASE/healthz" >/dev/null || die "itakud: $(tail -3 "$W/readme-itakud.log")"
rcurl() { # ROLE-CERT-DIR args…: status on stdout, body in $W/out.json
	local d=$1
	shift
	curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$RI/pki/ca.crt" --cert "$d/client.crt" --key "$d/client.key" "$@"
}

# ---- Campaigns, assignments, answers: the block as written ------------
printf '%%PDF-1.4 policy\n' >"$RW/policy.pdf"
AID=$(dbi "$RI" "SELECT coalesce(max(id), 0) + 1 FROM assignments")
check_line() {
	case $1 in
	"itaku campaign create"*) [ "$OUT" = 1 ] ;;
	"itaku campaign assign 1 7999900000002"*) [[ "$OUT" == *"$EC assignment $AID (base)"* ]] ;;
	"itaku campaign assign 1 kaede-print --variant low-it"*) [[ "$OUT" == *"$KP assignment "*" low-it"* ]] ;;
	"itaku campaign due 1"*) [ "$OUT" = "campaign 1 due $DUE2 (was $DUE)" ] ;;
	"itaku campaign list"*) [[ "$OUT" == *"1  open   due $DUE2  ipa-benchmark@1  3 assigned"* ]] ;;
	*"/api/v1/assignments/7/template > answers.xml"*)
		sed -i 's/level=""/level="3"/' "$RW/answers.xml" && grep -q "campaign=\"1\"" "$RW/answers.xml" ;;
	*"/api/v1/assignments "*) jq -e --argjson a "$AID" '.assignments[] | select(.id == $a) | .status == "not_started"' <<<"$OUT" >/dev/null ;;
	"itaku pack"*) [ -s "$RW/answers.asice" ] ;;
	*"/api/v1/submissions"*) jq -e '.status == "accepted" and .version == 1 and (.receipt.tsr | length > 100)' <<<"$OUT" >/dev/null ;;
	*"/aggregate.csv"*) [ "$(head -c 3 "$RW/aggregate.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] ;;
	*"/aggregate "*) jq -e '.progress.assigned == 3 and .progress.answered == 1' <<<"$OUT" >/dev/null ;;
	"itaku report --campaign 1"*) [[ "$OUT" == *"3 assigned, 1 answered (33%)"* ]] ;;
	"itaku campaign close 1"*) [ "$OUT" = "campaign 1 closed" ] ;;
	*) true ;;
	esac
}
ROLE="admin"
run_block "Campaigns" "$RW" < <(readme_block "Campaigns, assignments, answers")
[ "$RAN" -ge 12 ] || die "Campaigns: only $RAN command lines in README's block"
expect_eq "$(dbi "$RI" "SELECT status FROM campaigns WHERE id = 1")" closed "campaign 1"
# the rest of the campaign forms: a past due date, closing twice, the
# template by the CLI, the report's options
out=$(itaku campaign create --questionnaire ipa-benchmark@1 --due 2020-03-31 --name past 2>&1) && die "a past due date"
[[ "$out" == *"the due date is in the past"* ]] || die "due_past: $out"
itaku campaign close 1 >/dev/null 2>&1
expect_eq "$?" 1 "closing twice"
itaku template --campaign 1 --org $RSA --output "$RW/t.xml" || die "itaku template --output"
grep -q "organisation=\"$RSA\" campaign=\"1\"" "$RW/t.xml" || die "template: $(head -3 "$RW/t.xml")"
[ "$(itaku report --campaign 1 --csv | head -c 3 | od -An -tx1 | tr -d ' ')" = efbbbf ] || die "report --csv"
[ "$(itaku report --campaign 1 --json | jq -r .progress.answered)" = 1 ] || die "report --json"
itaku report --campaign 1 --below-limit 1 --today 2099-01-01 | grep -q "2 overdue" || die "report --today"
itaku report --campaign 1 --today 2027-3-1 >/dev/null 2>&1
expect_eq "$?" 2 "report --today 2027-3-1 (not a date)"

# An assignment's status is decided by the instance's date: the API says
# what the aggregate says (the due date is today in one of UTC and $ZONE)
utc=$(date -u +%F)
loc=$(TZ=$ZONE date +%F)
d2=$utc
[[ "$loc" < "$utc" ]] && d2=$loc
c2=$(itaku campaign create --questionnaire ipa-benchmark@1 --due "$d2" --name "zone" --force) || die "campaign 2"
itaku campaign assign "$c2" $EC >/dev/null || die "assign 2"
want=not_started
[[ "$d2" < "$loc" ]] && want=overdue
expect_eq "$(itaku report --campaign "$c2" --json | jq -r '.organisations[0].status')" $want "aggregate status ($ZONE, due $d2)"
expect_eq "$(rcurl "$RW/ec" "$BASE/api/v1/assignments")" 200 "assignments"
expect_eq "$(jq -r --argjson c "$c2" '.assignments[] | select(.campaign.id == $c) | .status' "$W/out.json")" $want \
	"GET /api/v1/assignments status ($ZONE, due $d2, UTC $utc)"
itaku campaign close "$c2" >/dev/null || die "close 2"

# ---- Receipts: the block as written -----------------------------------
cp "$RW/answers.asice" "$RW/pkg.asice"
cp "$RI/pki/ca.crt" "$RW/ca.crt"
curl -sS -f -o "$RW/receipt.tsr" --cacert "$RI/pki/ca.crt" --cert "$RW/ec/client.crt" --key "$RW/ec/client.key" \
	-w '%{content_type}' "$BASE/api/v1/submissions/1/receipt" >"$RW/receipt.type" || die "GET /api/v1/submissions/1/receipt"
expect_eq "$(cat "$RW/receipt.type")" application/timestamp-reply "the receipt's type"
check_line() {
	case $1 in
	"openssl ts -verify"*) [[ "$OUT" == *"Verification: OK"* ]] ;;
	"itaku receipt verify"*) [[ "$OUT" == *"receipt OK for pkg.asice"* ]] ;;
	*) false ;;
	esac
}
run_block "Receipts" "$RW" < <(readme_block "Receipts")
expect_eq "$RAN" 2 "Receipts: command lines"
itaku receipt verify --package "$RW/t.xml" --receipt "$RW/receipt.tsr" --ca "$RW/ca.crt" >/dev/null 2>&1
expect_eq "$?" 1 "a receipt over other bytes"
# Identity: stock openssl (its default purpose) accepts the package
(mkdir -p "$RW/unz" && cd "$RW/unz" && unzip -q -o ../answers.asice &&
	openssl cms -verify -binary -inform DER -content META-INF/ASiCManifest.xml -in META-INF/signature.p7s \
		-CAfile "$RI/pki/ca.crt" -purpose smimesign -out /dev/null 2>/dev/null) || die "openssl cms -verify"
itaku verify "$RW/answers.asice" --ca "$RI/pki/ca.crt" | grep -q ": OK sha256 " || die "itaku verify"
itaku verify "$RW/answers.asice" --ca "$RI/pki/ca.crt" --json | jq -e '.signer.fingerprint | length == 64' >/dev/null ||
	die "itaku verify --json"
# verify --crl: a current CRL of the instance CA passes, one revoking the
# signer does not
mkdir -p "$RW/ca"
: >"$RW/ca/index.txt"
echo 1000 >"$RW/ca/crlnumber"
printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\ndefault_crl_days = 30\n' \
	"$RW/ca/index.txt" "$RW/ca/crlnumber" >"$RW/ca/ca.cnf"
gencrl() {
	openssl ca -config "$RW/ca/ca.cnf" -gencrl -keyfile "$RI/pki/ca.key" -cert "$RI/pki/ca.crt" -out "$1" 2>/dev/null ||
		die "openssl ca -gencrl"
}
gencrl "$RW/crl1.pem"
itaku verify "$RW/answers.asice" --ca "$RI/pki/ca.crt" --crl "$RW/crl1.pem" | grep -q ": OK sha256 " || die "verify --crl"
openssl ca -config "$RW/ca/ca.cnf" -revoke "$RW/ec/client.crt" -keyfile "$RI/pki/ca.key" -cert "$RI/pki/ca.crt" \
	2>/dev/null || die "openssl ca -revoke"
gencrl "$RW/crl2.pem"
out=$(itaku verify "$RW/answers.asice" --ca "$RI/pki/ca.crt" --crl "$RW/crl2.pem" 2>&1) && die "a revoked signer passed"
[[ "$out" == *"FAILED signer_revoked: "* ]] || die "verify --crl, signer revoked: $out"
# pack --chain: a signer under an intermediate CA verifies against the
# instance CA only with the intermediate in the package
printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth,emailProtection\nkeyUsage=digitalSignature\n' >"$RW/ext.cnf"
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$RW/int.cnf"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$RW/int.key" -subj "/CN=intermediate" \
	-out "$RW/int.csr" 2>/dev/null &&
	openssl x509 -req -in "$RW/int.csr" -CA "$RI/pki/ca.crt" -CAkey "$RI/pki/ca.key" -CAcreateserial -days 30 \
		-extfile "$RW/int.cnf" -out "$RW/int.crt" 2>/dev/null &&
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$RW/leaf.key" \
		-subj "/serialNumber=$EC/CN=Sakura leaf" -out "$RW/leaf.csr" 2>/dev/null &&
	openssl x509 -req -in "$RW/leaf.csr" -CA "$RW/int.crt" -CAkey "$RW/int.key" -CAcreateserial -days 30 \
		-extfile "$RW/ext.cnf" -out "$RW/leaf.crt" 2>/dev/null || die "openssl: intermediate and leaf"
itaku pack --answers "$RW/answers.xml" --cert "$RW/leaf.crt" --key "$RW/leaf.key" --chain "$RW/int.crt" \
	-o "$RW/chain.asice" >/dev/null || die "pack --chain"
itaku verify "$RW/chain.asice" --ca "$RI/pki/ca.crt" | grep -q ": OK sha256 " || die "verify of pack --chain"
itaku pack --answers "$RW/answers.xml" --cert "$RW/leaf.crt" --key "$RW/leaf.key" -o "$RW/nochain.asice" >/dev/null ||
	die "pack without --chain"
itaku verify "$RW/nochain.asice" --ca "$RI/pki/ca.crt" >/dev/null 2>&1 && die "a signer without its intermediate passed"
cat "$RW/leaf.crt" "$RW/int.crt" >"$RW/full.pem" # a full chain: the leaf first
itaku pack --answers "$RW/answers.xml" --cert "$RW/leaf.crt" --key "$RW/leaf.key" --chain "$RW/full.pem" \
	-o "$RW/full.asice" >/dev/null || die "pack --chain FULLCHAIN"
itaku verify "$RW/full.asice" --ca "$RI/pki/ca.crt" | grep -q ": OK sha256 " || die "verify of pack --chain FULLCHAIN"
out=$(itaku pack --answers "$RW/answers.xml" --cert "$RW/leaf.crt" --key "$RW/leaf.key" --chain "$RW/policy.pdf" \
	-o "$RW/bad.asice" 2>&1) && die "pack --chain of a file without certificates"
[[ "$out" == *"--chain $RW/policy.pdf: no PEM certificate in it"* && ! -e "$RW/bad.asice" ]] || die "pack --chain refusal: $out"

# ---- Re-entrustment chains: Fuji declares Kaede Systems in campaign 3 --
itaku campaign create --questionnaire ipa-benchmark@1 --due "$DUE" --name "chains" >/dev/null || die "campaign 3"
expect_eq "$(dbi "$RI" "SELECT max(id) FROM campaigns")" 3 "the chains campaign's id"
itaku campaign assign 3 $RSA >/dev/null || die "assign 3"
itaku template --campaign 3 --org $RSA --output "$RW/fuji.xml" || die "template 3"
sed -i -e 's/level=""/level="4"/' -e "s|<subcontractors/>|<subcontractors><subcontractor id=\"$SUBC\" personal-data=\"true\" confidential-data=\"false\"><name>Kaede Systems</name><scope>運用保守</scope></subcontractor></subcontractors>|" "$RW/fuji.xml"
itaku pack --answers "$RW/fuji.xml" --cert "$RW/rsa/client.crt" --key "$RW/rsa/client.key" -o "$RW/fuji.asice" >/dev/null ||
	die "pack fuji"
expect_eq "$(rcurl "$RW/rsa" -H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$RW/fuji.asice" \
	"$BASE/api/v1/submissions")" 201 "fuji's upload"
itaku chain show --campaign 3 | grep -q "$SUBC  Kaede Systems  \[pending\].*UNAPPROVED" || die "chain show: $(itaku chain show --campaign 3)"
cp "$RI/pki/ca.crt" "$RW/sub/ca.crt"
check_line() {
	case $1 in
	"itaku chain invite"*"--org-name"*) # a direct vendor: its own token
		DTOKEN=$(sed -n 's/^token \([0-9a-f]\{64\}\)$/\1/p' <<<"$OUT")
		[ -n "$DTOKEN" ] && [[ "$OUT" == *"invitation "*" for 7400000000044"* ]] &&
			[ "$(dbi "$RI" "SELECT direct || name FROM invitations WHERE org_id = '7400000000044'")" = "1柏印刷株式会社" ] ;;
	"itaku chain invite"*)
		TOKEN=$(sed -n 's/^token \([0-9a-f]\{64\}\)$/\1/p' <<<"$OUT")
		[ -n "$TOKEN" ] && [[ "$OUT" == *"invitation "*" for $SUBC"* ]] ;;
	"openssl req"*) [ -s "$RW/sub/me.csr" ] && [ -s "$RW/sub/me.key" ] ;;
	"jq -n"*)
		ENROL=$OUT
		jq -e --arg o $SUBC '.organisation == $o and (.certificate | startswith("-----BEGIN CERTIFICATE")) and (.assignment | type == "number")' <<<"$OUT" >/dev/null ;;
	*) true ;; # another line README adds must at least succeed
	esac
}
ROLE="admin"
run_block "Onboarding" "$RW/sub" < <(readme_block "Re-entrustment chains")
[ "$RAN" -ge 3 ] || die "Onboarding: only $RAN command lines in README's block"
jq -r .certificate <<<"$ENROL" >"$RW/sub/client.crt"
cp "$RW/sub/me.key" "$RW/sub/client.key"
expect_eq "$(rcurl "$RW/sub" "$BASE/api/v1/whoami")" 200 "the subcontractor with its own key"
expect_eq "$(jq -r .organisation "$W/out.json")" $SUBC "whoami"
# the invitation went through the SMTP server when README's line named an address
if grep -q 'chain invite.*--email' <(readme_block "Re-entrustment chains"); then
	"$PY" "$HERE/lib/letter.py" "$RW/mail/0001.eml" --print >"$RW/invite.txt" || die "the invitation mail"
	grep -qF "https://itaku.example/enrol#c=3&o=$SUBC&t=$TOKEN" "$RW/invite.txt" ||
		die "the invitation's link: $(cat "$RW/invite.txt")"
	jq -e '.to == ["sato@kaede.example"]' "$RW/mail/0001.json" >/dev/null || die "invitation to $(cat "$RW/mail/0001.json")"
fi
# Approval and views
itaku chain approve --campaign 3 --parent $RSA --child $SUBC | grep -q "approved $RSA -> $SUBC in campaign 3" ||
	die "chain approve"
itaku chain approve --campaign 3 --parent $EC --child $SUBC >/dev/null 2>&1
expect_eq "$?" 1 "approving an edge that does not exist"
itaku chain show --campaign 3 | grep -q "$SUBC  Kaede Systems  \[assigned\].*approved" || die "chain show after approval"
expect_eq "$(itaku chain show --campaign 3 --json | jq -c '[.summary.nodes, .summary.unapproved]')" "[2,0]" "chain show --json"
expect_eq "$(rcurl "$RI/pki/admin" "$BASE/api/v1/campaigns/3/chains?status=unapproved")" 200 "chains view"
expect_eq "$(rcurl "$RW/rsa" "$BASE/api/v1/chains/mine")" 200 "chains/mine"
expect_eq "$(jq -r '.campaigns[0].subcontractors[0].approval' "$W/out.json")" approved "chains/mine approval"

# ---- Reminders: contacts, a dry run predicting the real run -----------
itaku org contact add --org $KP --name "Kaede Staff" --email staff@kaede.example --lang en >/dev/null || die "contact add"
itaku org contact add --org $AD --name "管理 花子" --email kanri@holdings.example >/dev/null || die "contact add admin"
cid=$(itaku org contact add --org $EC --name "x" --email x@sakura.example | sed -n 's/^contact //p')
itaku org contact list --org $EC | grep -q "x@sakura.example" || die "contact list"
itaku org contact remove --org $EC --id "$cid" || die "contact remove --org --id"
[ -z "$(itaku org contact list --org $EC)" ] || die "contact not removed"
itaku campaign assign 3 $KP --variant low-it >/dev/null || die "assign kaede-print"
now=$(date -d "$DUE -7 days" +%F)
mails=$(ls "$RW"/mail/*.eml 2>/dev/null | wc -l)
itaku remind --config "$RI/itaku.conf" --dry-run --now "$now" >"$RW/dry.out"
drc=$?
itaku remind --config "$RI/itaku.conf" --now "$now" >"$RW/real.out"
rrc=$?
expect_eq "$rrc" "$drc" "remind exit status, dry run and real run"
expect_eq "$rrc" 1 "remind with an organisation without contacts"
expect_eq "$(sed 's/^would /sent /; s/^dry run: /reminders: /' "$RW/dry.out" | sed -E 's/^(sent) +/\1 /')" \
	"$(sed -E 's/^(sent) +/\1 /' "$RW/real.out")" "the dry run predicts the real run"
grep -q "before-7 -> staff@kaede.example" "$RW/real.out" || die "remind: $(cat "$RW/real.out")"
grep -q "^NOCONTACT assignment .* ($SUBC) before-7" "$RW/real.out" || die "no_contact: $(cat "$RW/real.out")"
expect_eq "$(($(ls "$RW"/mail/*.eml | wc -l) - mails))" "$(grep -c '^sent' "$RW/real.out")" "mails received"
kid=$(sed -n 's/^sent  *assignment \([0-9]*\) (kaede-print).*/\1/p' "$RW/real.out")
expect_eq "$(rcurl "$RI/pki/admin" "$BASE/api/v1/assignments/$kid/reminders")" 200 "the reminders' history"
jq -e '[.. | objects | select(.stage? == "before-7" and .status? == "sent")] | length == 1' "$W/out.json" >/dev/null ||
	die "history: $(cat "$W/out.json")"
itaku remind --now "$now" | grep -q "reminders: 0 sent, 0 failed, 0 without contact, 0 uncertain, [1-9] already done" ||
	die "a second run sent again"

# ---- Audit log, backup, restore, fsck: the blocks as written ----------
# the certificates first (their lines are audited too): renew, bind, revoke, list
fp=$(itaku cert list --org $EC | awk -v o=$EC '$1 == o {print $2}')
itaku cert renew --org $EC --out "$RW/ec2" 2>/dev/null | grep -q "1 earlier certificate(s) stay valid" || die "cert renew"
itaku cert revoke --fingerprint "$fp" | grep -q "revoked $fp of $EC" || die "cert revoke"
expect_eq "$(rcurl "$RW/ec" "$BASE/api/v1/whoami")" 401 "a revoked certificate, no restart"
expect_eq "$(jq -r .error.code "$W/out.json")" cert_revoked "its code"
expect_eq "$(rcurl "$RW/ec2" "$BASE/api/v1/whoami")" 200 "the renewed certificate"
out=$(itaku cert revoke --fingerprint "$fp" 2>&1) && die "revoked twice"
[[ "$out" == *"revoked already"* ]] || die "second revoke: $out"
itaku cert list | grep -q "^$EC .*$fp  [0-9-]*  revoked 20" || die "cert list: $(itaku cert list)"
for curve in P-256 P-384; do
	openssl req -new -newkey ec -pkeyopt "ec_paramgen_curve:$curve" -nodes -keyout "$RW/b-$curve.key" \
		-subj "/serialNumber=$KP/CN=bind $curve" -out "$RW/b-$curve.csr" 2>/dev/null &&
		openssl x509 -req -in "$RW/b-$curve.csr" -CA "$RI/pki/ca.crt" -CAkey "$RI/pki/ca.key" -CAcreateserial \
			-days 30 -extfile "$RW/ext.cnf" -out "$RW/b-$curve.crt" 2>/dev/null || die "openssl x509 $curve"
done
itaku cert bind --org $KP --cert "$RW/b-P-256.crt" || die "cert bind"
out=$(itaku cert bind --org $KP --cert "$RW/b-P-384.crt" 2>&1) && die "a P-384 certificate was bound"
[[ "$out" == *"fails the client certificate policy: $RW/b-P-384.crt: cert_weak_key: "* ]] || die "bind refusal: $out"
# questionnaires
itaku questionnaire list | grep -q "^ipa-benchmark@1  27 items" || die "questionnaire list"
expect_eq "$(itaku questionnaire list --json | jq -r '[.[] | "\(.id)@\(.version)"] | sort | join(",")')" "csmg-checklist@1,csmg-checklist@2,ipa-benchmark@1,ipa-benchmark@2" "list --json"
itaku questionnaire import "$ROOT/forms/questionnaires/csmg-checklist.xml" | grep -q "already imported (identical)" ||
	die "re-import"
sed 's/version="1"/version="9"/' "$ROOT/forms/questionnaires/csmg-checklist.xml" >"$RW/q9.xml"
itaku questionnaire import "$RW/q9.xml" | grep -q "imported csmg-checklist@9" || die "import @9"

check_line() {
	case $1 in
	"itaku audit verify --expect-head"*) [[ "$OUT" == *"expected head $HEAD: in the log"* ]] ;;
	"itaku audit verify"*)
		HEAD=$(sed -n 's/^head \([0-9]*:[0-9a-f]\{64\}\)$/\1/p' <<<"$OUT")
		[[ -n "$HEAD" && "$OUT" == "audit log intact: "*" entries"* ]] ;;
	"itaku audit anchor"*) [ "$OUT" = "anchored head $HEAD" ] ;;
	"itaku audit export"*) [ "$(tail -n 1 <<<"$OUT" | jq -r '"\(.seq):\(.hash)"')" = "$HEAD" ] ;;
	*) false ;;
	esac
}
HEAD=
run_block "Audit" "$RW" < <(readme_block "Audit log, backup, restore, fsck" 1)
expect_eq "$RAN" 4 "Audit: command lines"
itaku audit verify | grep -q "anchors: 1, each time stamp verified" || die "the anchor is not checked"
itaku audit verify --expect-head "$((${HEAD%%:*} + 5)):${HEAD#*:}" >/dev/null 2>&1
expect_eq "$?" 1 "a head past the log's end"

# backup (itakud running), then restore on a new machine, then on this
# one (refused while itakud serves it, done once it is stopped), fsck
mapfile -t BL < <(readme_block "Audit log, backup, restore, fsck" 2 | grep -v '^#' | sed -E 's/[[:space:]]+#[^'"'"'"]*$//')
expect_eq "${#BL[@]}" 3 "backup block: command lines"
[[ "${BL[0]}" == "itaku backup --to /backup/"* && "${BL[1]}" == "itaku restore --from /backup/"* && "${BL[2]}" == "itaku fsck "* ]] ||
	die "backup block: ${BL[*]}"
ROLE="admin"
out=$(cd "$RW" && eval "$(subst "${BL[0]}")" 2>&1) || die "backup: $out"
[[ "$out" == *"backed up to $RW/backup/itaku-$DAY.zip: the database, 2 packages"* ]] || die "backup: $out"
[[ "$out" == *"not in the archive: $RI/smtp-password (outside $RI/pki/)"* ]] || die "backup does not name the password file: $out"
(mkdir -p "$RW/unzip" && cd "$RW/unzip" && unzip -q "$RW/backup/itaku-$DAY.zip" && sha256sum -c --quiet MANIFEST) ||
	die "unzip + sha256sum -c MANIFEST"
NEW=$RW/new
cmd=$(subst "${BL[1]}")
out=$(eval "${cmd//$RI\//$NEW/}" 2>&1) || die "restore on a new machine: $out"
[[ "$out" == *"the configuration (written)"* ]] || die "restore: $out"
ls "$NEW" | grep -q 'restore' && die "restore left $(ls "$NEW" | grep restore)"
out=$(eval "$cmd" 2>&1) && die "restore while itakud serves the instance"
[[ "$out" == *"instance_busy"* ]] || die "restore refusal: $out"
kill -TERM "$RPID" && wait "$RPID"
sed -i "/^$RPID\$/d" "$W/second.pids"
! grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$W/readme-itakud.log" || die "itakud: sanitizer report"
RPID=
out=$(eval "$cmd" 2>&1) || die "restore with itakud stopped: $out"
[[ "$out" == *"the configuration (kept)"* ]] || die "restore: $out"
ls "$RI" | grep -q 'restore' && die "restore left $(ls "$RI" | grep restore)"
out=$(eval "$(subst "${BL[2]}")") || die "fsck: $out"
expect_eq "$out" "fsck: 2 submissions checked, 0 missing or corrupt, 0 orphan files" "fsck"
itaku audit verify | grep -q "^audit log intact" || die "audit after restore"
itaku audit export | tail -n 1 | jq -e '.action == "instance.restore"' >/dev/null || die "the restore is not the last entry"
# the new machine serves the old clients
"$ITAKUD" --config "$NEW/itaku.conf" --port "$RPORT" >>"$W/readme-itakud.log" 2>&1 &
RPID=$!
echo "$RPID" >>"$W/second.pids"
for _ in $(seq 1 100); do curl -sf --cacert "$NEW/pki/ca.crt" "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
expect_eq "$(rcurl "$RW/rsa" "$BASE/api/v1/whoami")" 200 "a client of the old machine on the new one"
expect_eq "$(rcurl "$RW/ec" "$BASE/api/v1/whoami")" 401 "the revoked certificate stays revoked"
kill -TERM "$RPID" && wait "$RPID"
sed -i "/^$RPID\$/d" "$W/second.pids"
RPID=
! grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$W/readme-itakud.log" || die "itakud: sanitizer report"

# ---- Command line: README's table against `itaku help CMD` ------------
# each form as "key<TAB>options": key the command words, options sorted
forms_help() {
	local c
	for c in $("$ITAKU" help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}'); do
		"$ITAKU" help "$c" | awk '/^usage:/{on=1; next} /^options:/{on=0} on && NF'
	done | sed -E 's/^ +//'
}
forms_readme() {
	grep -E '^\| `itaku ' "$RD" | sed -E 's/^\| ((`[^`]*`[^|`]*)*)\|.*/\1/' | grep -oE '(^|/ )`[^`]*`' |
		sed -E 's|^/ ||' | tr -d '`' |
		awk '/^itaku /{base=""; n=split($0, w, " "); for (i = 2; i <= n && w[i] ~ /^[a-z]+$/; i++) {} last=i-1;
			for (j = 2; j < last; j++) base = base w[j] " "; print; next} {print "itaku " base $0}'
}
norm() { # form lines → "key<TAB>sorted options"
	sed 's/\\|/|/g' | while IFS= read -r f; do
		key=$(awk '{k=$2; for (i = 3; i <= NF && $i ~ /^[a-z]+$/; i++) k = k " " $i; print k}' <<<"$f")
		opts=$(grep -oE '(^| |\[)--?[a-z][a-z0-9-]*' <<<"$f" | tr -d ' [' | sort -u | tr '\n' ' ')
		printf '%s\t%s\n' "$key" "$opts"
	done | sort
}
forms_help | norm >"$RW/help.forms"
forms_readme | norm >"$RW/readme.forms"
[ "$(wc -l <"$RW/help.forms")" -ge 30 ] || die "itaku help forms: $(cat "$RW/help.forms")"
diff "$RW/help.forms" "$RW/readme.forms" >"$RW/forms.diff" ||
	die "README's command table and itaku help differ (< help, > README): $(cat "$RW/forms.diff")"
# help, exit statuses, a missing configuration
"$ITAKU" help | grep -q "^  fsck " || die "itaku help"
"$ITAKU" cert --help | grep -q -- "--fingerprint FP" || die "itaku cert --help"
"$ITAKU" nosuch >/dev/null 2>&1
expect_eq "$?" 2 "an unknown command"
out=$(cd "$RW/sub" && env -u ITAKU_CONFIG "$ITAKU" org list 2>&1) && die "org list without a configuration"
[[ "$out" == *"no configuration at itaku.conf"*"--config FILE or ITAKU_CONFIG=FILE"* ]] || die "missing config: $out"
out=$(ITAKU_CONFIG=$RW/none.conf "$ITAKU" fsck 2>&1) && die "fsck without a configuration"
[[ "$out" == *"no configuration at $RW/none.conf (\$ITAKU_CONFIG)"* ]] || die "missing \$ITAKU_CONFIG: $out"
# Configuration: numbers without leading zeros
out=$("$ITAKUD" --config "$RI/itaku.conf" --port 08443 2>&1)
expect_eq "$?" 2 "itakud --port 08443"
[[ "$out" == *'--port "08443" is not a port number'* ]] || die "itakud --port: $out"
