# A four-tier re-entrustment chain through real signed packages and real
# enrolments. Tier 1: resp-ec (A) and resp-rsa (R), assigned through the API
# in a campaign that lets vendors invite. A and R both declare B (a diamond;
# personal data); the admin invites B, B enrols with a CSR made by openssl,
# answers and declares C (confidential data); B invites C (a vendor
# invitation); C declares D and B (a cycle B <-> C); C invites D; D answers.
# The fixtures set [chains] max_depth = 3, so D (tier 4) is too deep.
# Checked: the chains API (tiers, statuses, weakest link and lowest item
# levels per path, every flag), the respondent's view, `itaku chain show`,
# approvals, and every enrolment refusal (token reused, expired, for another
# campaign, CSR subject of another organisation, CSR altered after signing,
# vendor inviting what it did not declare) with nothing stored.
C=(--config "$INST/itaku.conf")
JSON=(-H 'Content-Type: application/json')
A=7999900000002
R=6999900000003
B=5500000000011
CC=2500000000022
D=8500000000033

expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" \
	-d '{"name":"再委託 2099","questionnaire":"ipa-benchmark@1","due":"2099-06-30","vendor_invites":true}')" 201 "campaign"
cid=$(jq -r .id "$W/out.json")
expect_eq "$(jq -r .vendor_invites "$W/out.json")" true "vendor invites"
for org in $A $R; do
	expect_eq "$(api admin POST "/api/v1/campaigns/$cid/assignments" "${JSON[@]}" -d "{\"organisation\":\"$org\"}")" 201 "assign $org"
done

chains() { expect_eq "$(api admin GET "/api/v1/campaigns/$cid/chains$1")" 200 "chains"; }
node() { jq -c --arg id "$1" ".nodes[] | select(.id == \$id) | $2" "$W/out.json"; }

# tier 1 answers; both declare B
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 4 "$(subs_xml "$B:Kaede Systems:運用保守:true:false")"
answer resp-rsa "$W/fx/resp-rsa.crt" "$W/fx/resp-rsa.key" 3 "$(subs_xml "$B:Kaede Systems:配送システム:true:false")"
chains ""
expect_eq "$(node "$B" '[.tier, .status, .registered, ([.parents[].parent] | sort)]')" "[2,\"pending\",false,[\"$R\",\"$A\"]]" "B pending, declared by both"
expect_eq "$(jq -c '.summary | [.nodes, .pending, .unapproved]' "$W/out.json")" "[3,1,2]" "summary before invitations"

# the admin invites B; B enrols and answers, declaring C
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$B\"}")" 201 "invite B"
tokB=$(jq -r .token "$W/out.json")
[ "$(dbq "SELECT count(*) FROM invitations WHERE token_sha256 = '$tokB'")" = 0 ] || die "token stored in clear"
chains ""
expect_eq "$(node "$B" .status)" '"invited"' "B invited"

# enrolment refusals before B enrols: each stores nothing and is audited
state() { dbq "SELECT count(*) FROM organisations; SELECT count(*) FROM certificates;
	SELECT count(*) FROM assignments; SELECT id, coalesce(used_at, '-') FROM invitations ORDER BY id"; }
refuse_enrol() { # body-file status code
	local before
	before=$(state)
	expect_eq "$(curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" -X POST \
		-H 'Content-Type: application/json' --data-binary "@$1" "$BASE/api/v1/enrol")" "$2" "enrol refusal $3"
	expect_eq "$(jq -r .error.code "$W/out.json")" "$3" "code"
	expect_eq "$(state)" "$before" "nothing stored after $3"
	expect_eq "$(dbq "SELECT actor || ' ' || outcome || ' ' || code FROM audit_log ORDER BY seq DESC LIMIT 1")" "anonymous rejected $3" "audit of $3"
}
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/x.key" \
	-subj "/serialNumber=$CC/O=Other/CN=Other" -out "$W/x.csr" 2>/dev/null
jq -n --arg t "$tokB" --arg c "$cid" --rawfile csr "$W/x.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/bad1.json"
refuse_enrol "$W/bad1.json" 422 csr_subject_mismatch
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/y.key" \
	-subj "/serialNumber=$B/O=KaedeX/CN=Kaede" -out "$W/y.csr" 2>/dev/null
# alter the signed subject (O=KaedeX → O=KaedeY) inside the DER, keep the signature
openssl req -in "$W/y.csr" -outform DER -out "$W/y.der"
python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); open(sys.argv[1],"wb").write(d.replace(b"KaedeX", b"KaedeY", 1))' "$W/y.der"
openssl req -inform DER -in "$W/y.der" -out "$W/y2.csr" 2>/dev/null
jq -n --arg t "$tokB" --arg c "$cid" --rawfile csr "$W/y2.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/bad2.json"
refuse_enrol "$W/bad2.json" 422 csr_signature_invalid
jq -n --arg t "$tokB" --arg c 1 --rawfile csr "$W/y.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/bad3.json"
refuse_enrol "$W/bad3.json" 403 token_campaign_mismatch
# the key rule of every bound certificate: P-384 and RSA-1024 are not it
for spec in "ec -pkeyopt ec_paramgen_curve:P-384" rsa:1024; do
	# shellcheck disable=SC2086
	openssl req -new -newkey $spec -nodes -keyout "$W/k.key" \
		-subj "/serialNumber=$B/CN=Kaede" -out "$W/k.csr" 2>/dev/null
	jq -n --arg t "$tokB" --arg c "$cid" --rawfile csr "$W/k.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/bad5.json"
	refuse_enrol "$W/bad5.json" 422 csr_key_unsupported
done

enrol kaede "$B" "$tokB"
refuse_enrol "$W/kaede.enrol.json" 409 token_used
answer kaede "$W/kaede.crt" "$W/kaede.key" 2 "$(subs_xml "$CC:Sakura Data:データ入力:false:true")" 's/<item id="1.1" level="2"/<item id="1.1" level="1"/'

# A did not declare C: it may not invite it; B (which did) may
expect_eq "$(api resp-ec POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$CC\"}")" 403 "A invites C"
expect_eq "$(jq -r .error.code "$W/out.json")" invite_forbidden "code"
expect_eq "$(api_as "$W/kaede.crt" "$W/kaede.key" POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$CC\"}")" 201 "B invites C"
tokC=$(jq -r .token "$W/out.json")
enrol sakura "$CC" "$tokC"
# C declares D and B: B <-> C is a cycle
answer sakura "$W/sakura.crt" "$W/sakura.key" 5 "$(subs_xml "$D:Fuji Print:印刷:false:false" "$B:Kaede Systems:再々委託:false:false")"

# an expired token (its expiry moved into the past) is refused
expect_eq "$(api_as "$W/sakura.crt" "$W/sakura.key" POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$D\",\"days\":\"3\"}")" 201 "C invites D (1)"
tokD1=$(jq -r .token "$W/out.json")
dbq "UPDATE invitations SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = $(jq -r .id "$W/out.json")"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/z.key" \
	-subj "/serialNumber=$D/CN=Fuji" -out "$W/z.csr" 2>/dev/null
jq -n --arg t "$tokD1" --arg c "$cid" --rawfile csr "$W/z.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/bad4.json"
refuse_enrol "$W/bad4.json" 410 token_expired
expect_eq "$(api_as "$W/sakura.crt" "$W/sakura.key" POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$D\"}")" 201 "C invites D (2)"
enrol fuji "$D" "$(jq -r .token "$W/out.json")"
answer fuji "$W/fuji.crt" "$W/fuji.key" 4 "<subcontractors/>"

# the whole graph
chains ""
expect_eq "$(jq -c '[.nodes[] | [.id, .tier]]' "$W/out.json")" "[[\"$R\",1],[\"$A\",1],[\"$B\",2],[\"$CC\",3],[\"$D\",4]]" "tiers"
expect_eq "$(jq -c '.summary.tiers' "$W/out.json")" '{"1":2,"2":1,"3":1,"4":1}' "nodes per tier"
expect_eq "$(jq -c '.summary | [.nodes, .unanswered, .overdue, .pending, .invited, .cycles, .too_deep, .unreachable]' "$W/out.json")" "[5,0,0,0,0,1,1,0]" "summary"
expect_eq "$(jq -c '.summary.cycle_list' "$W/out.json")" "[{\"id\":\"$CC\",\"organisations\":[\"$CC\",\"$B\"]}]" "the cycle"
expect_eq "$(node "$B" '[.cycle, .status, .score.total, .best_parent, .weakest]')" "[\"$CC\",\"answered\",53,\"$R\",{\"organisation\":\"$B\",\"mean\":1.963,\"total\":53}]" "B (mean 53 / 27 = 1.963)"
expect_eq "$(node "$D" '[.too_deep, .weakest.organisation, .weakest.total, .best_parent]')" "[true,\"$B\",53,\"$CC\"]" "D: too deep, weakest link B"
expect_eq "$(node "$CC" '[.parents[] | [.parent, .approval.state]]')" "[[\"$B\",\"unapproved\"]]" "B -> C needs approval"
expect_eq "$(node "$B" '[.parents[] | select(.parent == "'"$CC"'") | .approval.state]')" '["not_required"]' "C -> B passes on nothing"
# the weakest path: entrusting company → R → B → C → D, B the weakest, B's 1.1 the lowest item
expect_eq "$(jq -c '.paths[0] | [.organisations, .weakest]' "$W/out.json")" "[[\"$R\",\"$B\",\"$CC\",\"$D\"],{\"organisation\":\"$B\",\"mean\":1.963,\"total\":53}]" "weakest path"
expect_eq "$(jq -c '.paths[0].lowest_items[] | select(.item == "1.1")' "$W/out.json")" "{\"item\":\"1.1\",\"level\":1,\"organisation\":\"$B\"}" "lowest item on the path"
expect_eq "$(jq -c '.summary.unapproved' "$W/out.json")" 3 "unapproved: A->B, R->B, B->C"

# the terminal tree: the diamond, the cycle, the flags
out=$("$ITAKU" chain show --campaign "$cid" "${C[@]}")
[[ "$out" == *"unapproved 3, cycles 1, too deep 1"* ]] || die "chain show summary: $out"
grep -q "CYCLE" <<<"$out" || die "chain show marks no cycle: $out"
grep -q "$D .*TOO DEEP" <<<"$out" || die "chain show: D not flagged: $out"
grep -q "UNAPPROVED" <<<"$out" || die "chain show: no unapproved edge: $out"
grep -q "$B  (also declared elsewhere" <<<"$out" || die "chain show: the diamond: $out"

# approvals: the API and the CLI; both audited
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/approvals" "${JSON[@]}" -d "{\"parent\":\"$A\",\"child\":\"$B\"}")" 201 "approve A->B"
"$ITAKU" chain approve --campaign "$cid" --parent "$B" --child "$CC" "${C[@]}" | grep -q approved || die "CLI approve"
out=$("$ITAKU" chain approve --campaign "$cid" --parent "$CC" --child "$B" "${C[@]}" 2>&1) && die "approved an edge that needs none"
[[ "$out" == *"passes on no personal or confidential data"* ]] || die "approve: $out"
chains ""
expect_eq "$(jq -c '.summary.unapproved' "$W/out.json")" 1 "unapproved after approvals"
expect_eq "$(node "$B" '[.parents[] | select(.parent == "'"$A"'") | .approval | [.state, .by]]')" "[[\"approved\",\"8999900000001\"]]" "approval recorded"
expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE action = 'chain.approve' AND object LIKE 'campaign/$cid/%'")" 2 "approvals audited"

# the respondent's view: its direct subcontractors, nothing more; B's
# status only where R's relationship with B is established (R did not
# invite B, and R -> B is not approved: "declared"), A's (approved) in full
expect_eq "$(api resp-rsa GET /api/v1/chains/mine)" 200 "mine"
expect_eq "$(jq -c ".campaigns[] | select(.campaign.id == $cid) | .subcontractors | [.[] | [.organisation, .status, .approval]]" "$W/out.json")" "[[\"$B\",\"declared\",\"unapproved\"]]" "R sees B only, as declared"
grep -q "$CC\|$D\|score\|total" "$W/out.json" && die "the respondent's view shows more than its direct subcontractors"
expect_eq "$(api resp-ec GET /api/v1/chains/mine)" 200 "mine of A"
expect_eq "$(jq -c ".campaigns[] | select(.campaign.id == $cid) | .subcontractors | [.[] | [.organisation, .status, .approval]]" "$W/out.json")" "[[\"$B\",\"answered\",\"approved\"]]" "A sees B answered (approved)"

# a later version replaces the parent's edges: R drops B
answer resp-rsa "$W/fx/resp-rsa.crt" "$W/fx/resp-rsa.key" 3 "<subcontractors/>"
chains ""
expect_eq "$(node "$B" '[.tier, .best_parent, [.parents[].parent]]')" "[2,\"$A\",[\"$CC\",\"$A\"]]" "B after R's new version"
expect_eq "$(dbq "SELECT count(*) FROM declarations d JOIN submissions s ON s.id = d.submission_id WHERE s.org_id = '$R' AND d.child_id = '$B'")" 1 "declaration history kept"

# the terminal tree, now that everything is approved
out=$("$ITAKU" chain show --campaign "$cid" "${C[@]}")
[[ "$out" == *"unapproved 0, cycles 1, too deep 1"* ]] || die "chain show summary: $out"
grep -q "$CC .*approved" <<<"$out" || die "chain show: approvals: $out"
"$ITAKU" audit verify "${C[@]}" | grep -q intact || die "audit chain"

# A drops B too: B, C and D are now reachable from no direct vendor. The
# summary counts them; `itaku chain show` lists them under their own
# heading instead of leaving them out (issue 15, 14)
answer resp-ec "$W/fx/resp-ec.crt" "$W/fx/resp-ec.key" 4 "<subcontractors/>"
chains ""
expect_eq "$(jq -c '.summary.unreachable' "$W/out.json")" 3 "unreachable after A's new version"
out=$("$ITAKU" chain show --campaign "$cid" "${C[@]}")
[[ "$out" == *"unreachable 3"* ]] || die "chain show summary: $out"
after=$(sed -n '/^not reachable from the entrusting company/,$p' <<<"$out")
[ -n "$after" ] || die "chain show: no unreachable section: $out"
for org in $B $CC $D; do
	grep -q "$org" <<<"$after" || die "chain show: $org not listed as unreachable: $out"
done

# numbers where numbers are natural (issue 15, 12): "days": 30 and
# "campaign": <n> as JSON integers are read as their decimal strings are;
# a negative, fractional, boolean or huge one is body_invalid, nothing stored
before=$(state)
expect_eq "$(api_as "$W/kaede.crt" "$W/kaede.key" POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$CC\",\"days\":30}")" 409 "days as a number is read (C is registered)"
expect_eq "$(jq -r .error.code "$W/out.json")" already_registered "code"
for bad in '-1' '2.5' 'true' '9007199254740993'; do
	expect_eq "$(api_as "$W/kaede.crt" "$W/kaede.key" POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$CC\",\"days\":$bad}")" 400 "days $bad"
	expect_eq "$(jq -r .error.code "$W/out.json")" body_invalid "days $bad: code"
done
# a string is parsed as before: not a number of days
expect_eq "$(api_as "$W/kaede.crt" "$W/kaede.key" POST "/api/v1/campaigns/$cid/invitations" "${JSON[@]}" -d "{\"organisation\":\"$CC\",\"days\":\"3x\"}")" 422 "days \"3x\""
expect_eq "$(jq -r .error.code "$W/out.json")" invalid_field "days \"3x\": code"
jq -n --arg t "$tokB" --argjson c "$cid" --rawfile csr "$W/y.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/num.json"
refuse_enrol "$W/num.json" 409 token_used
jq -n --arg t "$tokB" --rawfile csr "$W/y.csr" '{token: $t, campaign: true, csr: $csr}' >"$W/num2.json"
expect_eq "$(curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" -X POST \
	-H 'Content-Type: application/json' --data-binary "@$W/num2.json" "$BASE/api/v1/enrol")" 400 "campaign true"
expect_eq "$(jq -r .error.code "$W/out.json")" body_invalid "campaign true: code"
expect_eq "$(state)" "$before" "nothing stored by the numbers"
