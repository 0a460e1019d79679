# The entrusting company never holds a vendor's private key (issue 15,
# item 9): a direct vendor nobody declares is invited like a subcontractor
# — by the API with "organisation_name" or by `itaku chain invite
# --org-name` — makes its key and CSR on its own side and gets its
# certificate and a tier-1 assignment. Only an admin invites one; the rule
# of the security issue stands (a token only ever creates a new
# organisation): a registered organisation is refused, and so is a name
# for an organisation somebody declares (it is invited as the
# subcontractor it is). Every refusal is audited and stores nothing.
JSON=(-H 'Content-Type: application/json')
A=7999900000002
D=7400000000044  # invited by the API
E=4400000000055  # invited by the command line
X=5450000000066  # declared by A
expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" \
	-d '{"name":"direct vendors","questionnaire":"ipa-benchmark@1","due":"2099-06-30","vendor_invites":true}')" 201 "campaign"
cid=$(jq -r .id "$W/out.json")
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/assignments" "${JSON[@]}" -d "{\"organisation\":\"$A\"}")" 201 "assign A"
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 3 "$(subs_xml "$X:Hinoki Data:保守:false:false")"

state() { dbq "SELECT id, name FROM organisations ORDER BY id;
	SELECT count(*) FROM certificates; SELECT count(*) FROM assignments;
	SELECT count(*) FROM invitations"; }
# a vendor may not invite a vendor of the entrusting company's own
refuse_invite resp-ec 403 invite_forbidden "{\"organisation\":\"$D\",\"organisation_name\":\"Kashiwa Print\"}"
# without a name an undeclared organisation is not_declared, and says how
refuse_invite admin 422 not_declared "{\"organisation\":\"$D\"}"
jq -r .error.detail "$W/out.json" | grep -q organisation_name || die "not_declared names organisation_name: $(cat "$W/out.json")"
# names that cannot be registered, ids that are none
for name in '""' '" Kashiwa"' '"Kashiwa\tPrint"' '"Kashiwa\u0085"' '"\u202eKashiwa"' \
	"\"$(printf 'x%.0s' $(seq 1 201))\""; do
	refuse_invite admin 422 invalid_field "{\"organisation\":\"$D\",\"organisation_name\":$name}"
done
refuse_invite admin 422 invalid_field '{"organisation":"7400000000045","organisation_name":"Kashiwa Print"}'
refuse_invite admin 422 invalid_field '{"organisation":"../x","organisation_name":"Kashiwa Print"}'
# registered: enrolment only creates; declared: invited as a subcontractor
refuse_invite admin 409 already_registered "{\"organisation\":\"$A\",\"organisation_name\":\"Sakura\"}"
refuse_invite admin 422 declared_subcontractor "{\"organisation\":\"$X\",\"organisation_name\":\"Other Name\"}"
jq -r .error.detail "$W/out.json" | grep -q "declared" || die "declared: $(cat "$W/out.json")"

# the admin invites D; D makes its key, sends its CSR, gets its certificate
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" \
	-d "{\"organisation\":\"$D\",\"organisation_name\":\"柏印刷株式会社\",\"variant\":\"low-it\"}")" 201 "invite D"
expect_eq "$(jq -r .link "$W/out.json" | sed 's/t=.*/t=/')" "/enrol#c=$cid&o=$D&t=" "D's link"
tok=$(jq -r .token "$W/out.json")
[[ "$(audit_last)" == "invitation.create ok ok" ]] || die "audit: $(audit_last)"
dbq "SELECT detail FROM audit_log ORDER BY seq DESC LIMIT 1" | grep -q "direct vendor" ||
	die "the audit says direct vendor"
enrol kashiwa "$D" "$tok"
expect_eq "$(api_as "$W/kashiwa.crt" "$W/kashiwa.key" GET /api/v1/whoami)" 200 "whoami D"
expect_eq "$(jq -r '.organisation, .name, .role' "$W/out.json" | paste -sd' ')" "$D 柏印刷株式会社 respondent" "D as registered"
expect_eq "$(api_as "$W/kashiwa.crt" "$W/kashiwa.key" GET /api/v1/assignments)" 200 "D's assignments"
expect_eq "$(jq -r --argjson c "$cid" '[.assignments[] | select(.campaign.id == $c) | .questionnaire.variant] | join(",")' "$W/out.json")" "low-it" "D's own assignment: $(head -c 600 "$W/out.json")"
# tier 1: the entrusting company's own vendor, not invited by anyone
expect_eq "$(dbq "SELECT coalesce(invited_by, 'NULL') FROM assignments WHERE campaign_id = $cid AND org_id = '$D'")" NULL "D is tier 1"
expect_eq "$(api admin GET "/api/v1/campaigns/$cid/chains")" 200 "chains"
expect_eq "$(jq -r --arg o "$D" '.nodes[] | select(.id == $o) | "\(.tier) \(.status)"' "$W/out.json")" "1 assigned" "D in the chain"
# the key never left D: the server keeps no private key of D's
[ -z "$(find "$INST" -path "*$D*" -name '*.key')" ] || die "a key of D on the server"
# and the token is spent; D is registered: no second invitation
refuse_invite admin 409 already_registered "{\"organisation\":\"$D\",\"organisation_name\":\"柏印刷株式会社\"}"

# the command line: the same path, the token printed
"$ITAKU" chain invite --campaign "$cid" --org "$E" --org-name "檜 印刷" --config "$INST/itaku.conf" >"$W/inv.out" ||
	die "chain invite --org-name: $(cat "$W/inv.out")"
tok=$(sed -n 's/^token //p' "$W/inv.out")
expect_eq "${#tok}" 64 "CLI token"
enrol hinoki "$E" "$tok"
expect_eq "$(api_as "$W/hinoki.crt" "$W/hinoki.key" GET /api/v1/whoami)" 200 "whoami E"
expect_eq "$(jq -r .name "$W/out.json")" "檜 印刷" "E's name"
# the CLI's refusals name the code and exit 1, storing nothing
before=$(state)
for args in "--org $A --org-name Sakura:already_registered" "--org 7400000000045 --org-name Kashiwa:invalid_field" \
	"--org $X --org-name Other:declared_subcontractor"; do
	code=${args##*:}
	# shellcheck disable=SC2086
	if "$ITAKU" chain invite --campaign "$cid" ${args%:*} --config "$INST/itaku.conf" >"$W/inv.out" 2>"$W/inv.err"; then
		die "chain invite ${args%:*} succeeded"
	fi
	grep -q "^itaku chain invite: $code: " "$W/inv.err" || die "chain invite ${args%:*}: $(cat "$W/inv.err")"
done
expect_eq "$(state)" "$before" "nothing stored by the CLI's refusals"
expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE actor = 'cli' AND action = 'invitation.create' AND outcome = 'rejected'")" 3 \
	"the CLI's refusals audited"

# one live invitation per organisation (found by review): a vendor may not
# invite what the entrusting company's live invitation asks to enrol — it
# could enrol it first with its own key and name — and the entrusting
# company's new invitation ends the earlier ones
F=5120000000512
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" \
	-d "{\"organisation\":\"$F\",\"organisation_name\":\"Fuji Direct\"}")" 201 "admin invites F directly"
tok_f1=$(jq -r .token "$W/out.json")
fresh_nonce resp-ec "$W/ch-resp-ec.xml" 2>/dev/null || true
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 3 "$(subs_xml "$X:Hinoki Data:保守:false:false" "$F:Fuji Squat:印刷:true:true")"
refuse_invite resp-ec 409 invitation_pending "{\"organisation\":\"$F\"}"
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$F\"}")" 201 "admin invites F again"
tok_f2=$(jq -r .token "$W/out.json")
[[ "$(dbq "SELECT action || ' ' || detail FROM audit_log WHERE action = 'invitation.supersede' ORDER BY seq DESC LIMIT 1")" == "invitation.supersede 1 earlier invitation(s) ended" ]] ||
	die "the superseding is audited"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/f1.key" \
	-subj "/serialNumber=$F/CN=Fuji" -out "$W/f1.csr" 2>/dev/null
jq -n --arg t "$tok_f1" --arg c "$cid" --rawfile csr "$W/f1.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/f1.json"
expect_eq "$(curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" "${JSON[@]}" \
	--data-binary "@$W/f1.json" "$BASE/api/v1/enrol")" 410 "the superseded token"
expect_eq "$(jq -r .error.code "$W/out.json")" token_expired "its code"
enrol fuji "$F" "$tok_f2"
"$ITAKU" help chain | grep -q -- "--org-name NAME" || die "help chain lists --org-name"
