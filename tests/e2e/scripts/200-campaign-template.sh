# Campaigns and assignments from the CLI, templates per assignment: the
# base variant asks 27 items, low-IT 15; a filled template packs, verifies
# and is accepted. Refusals change nothing.
C=(--config "$INST/itaku.conf")
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2027-03-31 --name "2027 上期" "${C[@]}") ||
	die "campaign create"
"$ITAKU" campaign assign "$cid" 7999900000002 "${C[@]}" >/dev/null || die "assign base"
"$ITAKU" campaign assign "$cid" 6999900000003 --variant low-it "${C[@]}" >/dev/null || die "assign low-it"
"$ITAKU" campaign list "${C[@]}" | grep -q "^$cid  open   due 2027-03-31  ipa-benchmark@1  2 assigned  2027 上期$" ||
	die "list: $("$ITAKU" campaign list "${C[@]}")"
"$ITAKU" template --campaign "$cid" --org 7999900000002 --output "$W/t-ec.xml" "${C[@]}" || die "template"
"$ITAKU" template --campaign "$cid" --org 6999900000003 --output "$W/t-rsa.xml" "${C[@]}" || die "template"
expect_eq "$(grep -c '<item ' "$W/t-ec.xml")" 27 "base items"
expect_eq "$(grep -c '<item ' "$W/t-rsa.xml")" 15 "low-it items"
grep -q '<item id="3.1"' "$W/t-rsa.xml" && die "low-it template asks section 3"
nonce=$(dbq "SELECT nonce FROM assignments WHERE campaign_id=$cid AND org_id='6999900000003'")
grep -q "campaign=\"$cid\" nonce=\"$nonce\"" "$W/t-rsa.xml" || die "template binding"
# an unfilled template is refused by pack; a filled one goes through
out=$("$ITAKU" pack --answers "$W/t-rsa.xml" --cert "$W/fx/resp-rsa.crt" --key "$W/fx/resp-rsa.key" -o "$W/t.asice" 2>&1) &&
	die "pack accepted empty levels"
[[ "$out" == *answers_schema_invalid* ]] || die "pack: $out"
sed 's/level=""/level="3"/' "$W/t-rsa.xml" >"$W/t-rsa-filled.xml"
"$ITAKU" pack --answers "$W/t-rsa-filled.xml" --cert "$W/fx/resp-rsa.crt" --key "$W/fx/resp-rsa.key" -o "$W/t.asice" >/dev/null ||
	die "pack filled template"
expect_eq "$(upload resp-rsa "$W/t.asice")" 201 "upload filled template"
# refusals: exact message, nothing stored
state() { dbq "SELECT count(*) FROM campaigns; SELECT count(*) FROM assignments"; }
before=$(state)
refuse() { # expected-message command…
	local want=$1 out
	shift
	out=$("$@" "${C[@]}" 2>&1) && die "accepted: $*"
	[[ "$out" == *"$want"* ]] || die "$*: '$out', want '$want'"
}
refuse 'due date "2027-02-30" is not YYYY-MM-DD' "$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2027-02-30 --name x
refuse 'no such questionnaire version: ipa-benchmark@9 is not imported' "$ITAKU" campaign create --questionnaire ipa-benchmark@9 --due 2027-01-31 --name x
refuse 'assigned already' "$ITAKU" campaign assign "$cid" 6999900000003
refuse 'no such variant: variant "mid-it"' "$ITAKU" campaign assign "$cid" 8999900000001 --variant mid-it
refuse 'no such organisation: no organisation 5999900000004' "$ITAKU" campaign assign "$cid" 5999900000004
refuse 'no such campaign' "$ITAKU" campaign assign 999 7999900000002
refuse 'is not assigned to campaign' "$ITAKU" template --campaign "$cid" --org 8999900000001
expect_eq "$(state)" "$before" "campaigns and assignments after refusals"
"$ITAKU" audit verify "${C[@]}" | grep -q intact || die "audit chain"
# the server binds answers that name a campaign to the uploader's assignment
pack_up() { # answers-file → status of uploading it packed by resp-rsa
	# --no-check: these answers are meant to reach the server
	"$ITAKU" pack --no-check --answers "$1" --cert "$W/fx/resp-rsa.crt" --key "$W/fx/resp-rsa.key" -o "$W/bind.asice" >/dev/null ||
		die "pack $1"
	upload resp-rsa "$W/bind.asice"
}
bound_refusal() { # answers-file status code
	local subs got
	subs=$(dbq "SELECT count(*) FROM submissions; SELECT count(*) FROM answers")
	got=$(pack_up "$1")
	expect_eq "$got" "$2" "status for $2/$3"
	expect_eq "$(jq -r .error.code "$W/out.json")" "$3" "code"
	expect_eq "$(dbq "SELECT count(*) FROM submissions; SELECT count(*) FROM answers")" "$subs" "stored after $3"
	expect_eq "$(dbq "SELECT outcome || ' ' || code FROM audit_log WHERE action != 'auth.login' ORDER BY seq DESC LIMIT 1")" "rejected $3" "audit after $3"
}
F=$W/t-rsa-filled.xml
# the filled template's nonce was used by the accepted upload: a package
# packed from it again is a replay
bound_refusal "$F" 409 nonce_reused
jq -e '.error.detail | test("used by accepted version")' "$W/out.json" >/dev/null || die "reuse not explained"
jq -e '.error.message | test("The nonce was used by an accepted version already")' "$W/out.json" >/dev/null ||
	die "reuse: not the table's explanation: $(cat "$W/out.json")"
fresh_nonce resp-rsa "$F"
grep -q "nonce=\"$nonce\"" "$F" && die "the nonce did not change after the acceptance"
sed 's/nonce="[^"]*"/nonce="00112233445566778899aabbccddeeff"/' "$F" >"$W/b1.xml"
bound_refusal "$W/b1.xml" 422 nonce_mismatch
sed 's/ campaign="[^"]*" nonce="[^"]*"//' "$F" >"$W/b0.xml"
bound_refusal "$W/b0.xml" 422 campaign_required
sed 's/<item id="1.1" level="3"/<item id="1.1" level="na"/' "$F" >"$W/b6.xml"
bound_refusal "$W/b6.xml" 422 na_not_allowed
jq -e '.error.detail | test("item 1.1 must be answered with a level 1-5")' "$W/out.json" >/dev/null || die "na item not named"
# the variant the template names must be the assignment's (checked by the
# server; `itaku pack --no-check` skips the offline check of the same)
grep -q ' variant="low-it"' "$F" || die "template names no variant"
sed 's/ variant="low-it"/ variant="high-it"/' "$F" >"$W/b7.xml"
bound_refusal "$W/b7.xml" 422 questionnaire_version_mismatch
sed '/<item id="5.3"/d' "$F" >"$W/b2.xml"
bound_refusal "$W/b2.xml" 422 answers_missing_items
jq -e '.error.detail | test("5.3 is not answered")' "$W/out.json" >/dev/null || die "missing item not named"
sed 's|<subcontractors/>|<item id="3.1" level="2"/><subcontractors/>|' "$F" >"$W/b3.xml"
bound_refusal "$W/b3.xml" 422 answers_unknown_items
sed 's/ version="1"/ version="2026-04"/' "$F" >"$W/b4.xml"
bound_refusal "$W/b4.xml" 422 questionnaire_version_mismatch
other=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2027-06-30 --name other "${C[@]}")
sed "s/campaign=\"$cid\"/campaign=\"$other\"/" "$F" >"$W/b5.xml"
bound_refusal "$W/b5.xml" 403 not_assigned
expect_eq "$(api resp-ec GET /api/v1/assignments)" 200 "assignments of resp-ec"
expect_eq "$(jq -r "[.assignments[] | select(.campaign.id == $cid)][0].status" "$W/out.json")" not_started "resp-ec not started"
# a refused upload makes it "submitted", with the reason
"$ITAKU" template --campaign "$cid" --org 7999900000002 --output "$W/t-ec-bad.xml" "${C[@]}" || die "template"
sed -i 's/level=""/level="2"/; s/nonce="[^"]*"/nonce="ffeeddccbbaa99887766554433221100"/' "$W/t-ec-bad.xml"
sed -i 's/level=""/level="4"/g' "$W/t-ec-bad.xml"
"$ITAKU" pack --answers "$W/t-ec-bad.xml" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" -o "$W/ec-bad.asice" >/dev/null || die "pack ec"
expect_eq "$(upload resp-ec "$W/ec-bad.asice")" 422 "resp-ec wrong nonce"
api resp-ec GET /api/v1/assignments >/dev/null
expect_eq "$(jq -c "[.assignments[] | select(.campaign.id == $cid)][0] | [.status, .last_refusal.code]" "$W/out.json")" '["submitted","nonce_mismatch"]' "resp-ec submitted"
expect_eq "$(pack_up "$F")" 201 "bound upload while open"
sub=$(jq -r .id "$W/out.json")
expect_eq "$(api resp-rsa GET /api/v1/assignments)" 200 "assignments of resp-rsa"
expect_eq "$(jq -c "[.assignments[] | select(.campaign.id == $cid)][0] | [.status, .latest_submission, .questionnaire.variant, .questionnaire.id]" "$W/out.json")" \
	"[\"accepted\",$sub,\"low-it\",\"ipa-benchmark\"]" "resp-rsa accepted"
jq -e '[.assignments[].campaign.id] | index('"$other"') == null' "$W/out.json" >/dev/null || die "unassigned campaign listed"
# a due date already past is refused unless forced (issue 15, 12)
n_before=$(dbq "SELECT count(*) FROM campaigns")
refuse 'is before today' "$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2020-01-31 --name past
expect_eq "$(dbq "SELECT count(*) FROM campaigns")" "$n_before" "no campaign from a refused past date"
old=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2020-01-31 --name past --force "${C[@]}") ||
	die "a forced past date"
expect_eq "$(api admin POST /api/v1/campaigns -H 'Content-Type: application/json' \
	-d '{"name":"past too","questionnaire":"ipa-benchmark@1","due":"2001-01-31","force":true}')" 201 "the API, forced"
"$ITAKU" campaign assign "$old" 6999900000003 "${C[@]}" >/dev/null
api resp-rsa GET /api/v1/assignments >/dev/null
expect_eq "$(jq -r "[.assignments[] | select(.campaign.id == $old)][0].status" "$W/out.json")" overdue "past due"
"$ITAKU" campaign close "$cid" "${C[@]}" | grep -qx "campaign $cid closed" || die "close"
bound_refusal "$F" 409 campaign_closed
refuse 'the campaign is closed' "$ITAKU" campaign close "$cid"
refuse 'the campaign is closed' "$ITAKU" campaign assign "$cid" 8999900000001
"$ITAKU" campaign list "${C[@]}" | grep -q "^$cid  closed" || die "list after close"
