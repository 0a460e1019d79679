# Enrolment only ever creates a new organisation (issue 11, hole 1). A
# vendor in a campaign that lets vendors invite declares the admin
# organisation and a registered respondent as its subcontractors: neither
# it nor the admin can invite them (409 already_registered), and nothing is
# stored. An invitation for an organisation that is registered between
# invitation and redemption is refused at redemption too, and its token
# stays unused. Invitation arguments that would fail at redemption fail at
# invitation (variant, days); a 200-character Japanese name is invited,
# redeemed (the certificate carries its first 64 characters, cut between
# characters) and kept whole in the registry. Then chains/mine shows a
# subcontractor's status only where the relationship is established.
JSON=(-H 'Content-Type: application/json')
A=7999900000002
R=6999900000003
ADMIN=8999900000001
LATE=late-registered
LONG=nagai-meisho
LONGNAME=$(python3 -c 'print("株式会社" + "楓" * 189 + "システムズ株式")')
[ "$(python3 -c 'import sys; print(len(sys.argv[1]))' "$LONGNAME")" = 200 ] || die "name length"

expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" \
	-d '{"name":"enrolment privilege","questionnaire":"ipa-benchmark@1","due":"2099-06-30","vendor_invites":true}')" 201 "campaign"
cid=$(jq -r .id "$W/out.json")
for org in $A $R; do
	expect_eq "$(api admin POST "/api/v1/campaigns/$cid/assignments" "${JSON[@]}" -d "{\"organisation\":\"$org\"}")" 201 "assign $org"
done
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 3 "$(subs_xml \
	"$ADMIN:Entrusting Co:監査:true:true" "$R:Registered Respondent:保守:true:false" \
	"$LATE:Late Co:印刷:false:false" "$LONG:$LONGNAME:開発:false:true")"

state() { dbq "SELECT id, role FROM organisations ORDER BY id;
	SELECT fingerprint, org_id FROM certificates ORDER BY fingerprint;
	SELECT count(*) FROM assignments; SELECT id, coalesce(used_at, '-') FROM invitations ORDER BY id"; }
# the attack as reported: the vendor invites the admin organisation …
refuse_invite resp-ec 409 already_registered "{\"organisation\":\"$ADMIN\"}"
# … or a registered respondent; and the admin may not either
refuse_invite resp-ec 409 already_registered "{\"organisation\":\"$R\"}"
refuse_invite admin 409 already_registered "{\"organisation\":\"$ADMIN\"}"
# arguments that would fail later fail now
refuse_invite resp-ec 422 variant_unknown "{\"organisation\":\"$LATE\",\"variant\":\"no-such\"}"
for d in 4294967306 0 91 -1 " 7" 7x 1e1 ""; do
	refuse_invite resp-ec 422 invalid_field "{\"organisation\":\"$LATE\",\"days\":\"$d\"}"
done
expect_eq "$(api resp-ec POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$LATE\",\"days\":\"90\",\"variant\":\"low-it\"}")" 201 "invite $LATE"
tok_late=$(jq -r .token "$W/out.json")
inv_late=$(jq -r .id "$W/out.json")

# the organisation is registered by the operator before it redeems
"$ITAKU" org add --id "$LATE" --name "Late Co" --role respondent --config "$INST/itaku.conf" >/dev/null || die "org add"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/late.key" \
	-subj "/serialNumber=$LATE/CN=Late" -out "$W/late.csr" 2>/dev/null
jq -n --arg t "$tok_late" --arg c "$cid" --rawfile csr "$W/late.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/late.json"
before=$(state)
abefore=$(audit_count)
expect_eq "$(curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
	"${JSON[@]}" --data-binary "@$W/late.json" "$BASE/api/v1/enrol")" 409 "redeem for a registered organisation"
expect_eq "$(jq -r .error.code "$W/out.json")" already_registered "code at redemption"
expect_eq "$(state)" "$before" "nothing stored at redemption"
expect_eq "$(dbq "SELECT CAST(used_at IS NULL AS INTEGER) FROM invitations WHERE id = $inv_late")" 1 "token unused"
expect_eq "$(audit_count)" $((abefore + 1)) "redemption refusal audited"
[[ "$(audit_last)" == *" rejected already_registered" ]] || die "audit: $(audit_last)"
expect_eq "$(dbq "SELECT count(*) FROM certificates WHERE org_id = '$LATE'")" 0 "no certificate for $LATE"

# a name of 200 characters: invited, redeemed, cut to 64 characters in the certificate only
expect_eq "$(api resp-ec POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$LONG\"}")" 201 "invite $LONG"
enrol nagai "$LONG" "$(jq -r .token "$W/out.json")"
cn=$(openssl x509 -in "$W/nagai.crt" -noout -subject -nameopt utf8,sep_multiline | sed -n 's/^ *CN=//p')
expect_eq "$cn" "$(python3 -c 'import sys; print(sys.argv[1][:64])' "$LONGNAME")" "CN: the first 64 characters"
expect_eq "$(api_as "$W/nagai.crt" "$W/nagai.key" GET /api/v1/whoami)" 200 "whoami $LONG"
expect_eq "$(jq -r '.name, .role' "$W/out.json" | paste -sd' ')" "$LONGNAME respondent" "whole name kept, respondent"
expect_eq "$(api admin GET /api/v1/whoami)" 200 "admin whoami"
expect_eq "$(jq -r .role "$W/out.json")" admin "admin still admin"
expect_eq "$(dbq "SELECT count(*) FROM certificates WHERE org_id = '$ADMIN'")" 1 "admin certificates"

# chains/mine: status only where the relationship is established
mine() { expect_eq "$(api resp-ec GET /api/v1/chains/mine)" 200 "chains/mine"
	jq -r --argjson c "$cid" --arg o "$1" '.campaigns[] | select(.campaign.id == $c) | .subcontractors[] | select(.organisation == $o) | .status' "$W/out.json"; }
expect_eq "$(mine "$ADMIN")" declared "admin: declared only"
expect_eq "$(mine "$R")" declared "registered respondent, not invited: declared only"
expect_eq "$(mine "$LATE")" invited "A invited it: its status is A's to see"
expect_eq "$(mine "$LONG")" assigned "invited by A and enrolled: assigned"
# the entrusting company approves A → R: now A may follow R
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/approvals" "${JSON[@]}" -d "{\"parent\":\"$A\",\"child\":\"$R\"}")" 201 "approve A → R"
expect_eq "$(mine "$R")" assigned "approved: R's status shown"
