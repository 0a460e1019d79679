# chains.sh — helpers for scripts about re-entrustment: declaring
# subcontractors, answering through template → itaku pack → upload, and
# enrolling with an openssl CSR. Sourced by run.sh. `answer` and `enrol`
# act in campaign $cid.

subs_xml() { # "id:name:scope:personal:confidential" …
	local out="" s id name scope p c
	for s in "$@"; do
		IFS=: read -r id name scope p c <<<"$s"
		out+="<subcontractor id=\"$id\" personal-data=\"$p\" confidential-data=\"$c\"><name>$name</name><scope>$scope</scope></subcontractor>"
	done
	printf '<subcontractors>%s</subcontractors>' "$out"
}
# answer WHO CERT KEY LEVEL SUBS-XML [sed]: template → fill → itaku pack → upload
answer() {
	local who=$1 crt=$2 key=$3 level=$4 subs=$5 extra=${6:-} aid
	expect_eq "$(api_as "$crt" "$key" GET /api/v1/assignments)" 200 "assignments of $who"
	aid=$(jq -r ".assignments[] | select(.campaign.id == $cid) | .id" "$W/out.json")
	[ -n "$aid" ] || die "$who has no assignment in campaign $cid"
	expect_eq "$(api_as "$crt" "$key" GET "/api/v1/assignments/$aid/template")" 200 "template of $who"
	sed "s/level=\"\"/level=\"$level\"/; s|<subcontractors/>|$subs|; $extra" "$W/out.json" >"$W/ch-$who.xml"
	"$ITAKU" pack --answers "$W/ch-$who.xml" --cert "$crt" --key "$key" -o "$W/ch-$who.asice" >/dev/null ||
		die "pack $who: $("$ITAKU" pack --answers "$W/ch-$who.xml" --cert "$crt" --key "$key" -o /dev/null 2>&1)"
	expect_eq "$(api_as "$crt" "$key" POST /api/v1/submissions -H 'Content-Type: application/vnd.etsi.asic-e+zip' \
		--data-binary "@$W/ch-$who.asice")" 201 "upload $who: $(cat "$W/out.json")"
}
api_as() { # CRT KEY METHOD PATH [curl args…]
	local crt=$1 key=$2 method=$3 path=$4
	shift 4
	curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" -X "$method" \
		--cert "$crt" --key "$key" "$@" "$BASE$path"
}
enrol() { # WHO ORG TOKEN: key + CSR with openssl, POST /api/v1/enrol; cert in $W/WHO.crt
	local who=$1 org=$2 token=$3
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/$who.key" \
		-subj "/serialNumber=$org/O=$who/CN=$who" -out "$W/$who.csr" 2>/dev/null
	jq -n --arg t "$token" --arg c "$cid" --rawfile csr "$W/$who.csr" '{token: $t, campaign: $c, csr: $csr}' >"$W/$who.enrol.json"
	expect_eq "$(curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" -X POST \
		-H 'Content-Type: application/json' --data-binary "@$W/$who.enrol.json" "$BASE/api/v1/enrol")" 201 "enrol $who: $(cat "$W/out.json")"
	jq -r .certificate "$W/out.json" >"$W/$who.crt"
	expect_eq "$(jq -r .organisation "$W/out.json")" "$org" "enrolled organisation"
	openssl verify -CAfile "$INST/pki/ca.crt" "$W/$who.crt" >/dev/null || die "issued certificate of $who"
}
# refuse_invite CLIENT STATUS CODE BODY: an invitation of campaign $cid
# refused with that code, nothing stored (state() says what), one audit
# entry "rejected CODE"; the scripts define state()
refuse_invite() {
	local before abefore
	before=$(state)
	abefore=$(audit_count)
	expect_eq "$(api "$1" POST "/api/v1/campaigns/$cid/invitations" -H 'Content-Type: application/json' -d "$4")" "$2" "invite $4 as $1"
	expect_eq "$(jq -r .error.code "$W/out.json")" "$3" "code of invite $4"
	expect_eq "$(state)" "$before" "nothing stored after $3"
	expect_eq "$(audit_count)" $((abefore + 1)) "one audit entry for $3"
	[[ "$(audit_last)" == *" rejected $3" ]] || die "audit: $(audit_last)"
}
