# http.sh — helpers for multi-step end-to-end scripts. Sourced by run.sh.

# api CLIENT METHOD PATH [curl args…]: response body to $W/out.json, status on stdout
api() {
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		-X "$method" $(client_args "$client") "$@" "$BASE$path"
}

# upload CLIENT PKG: POSTs a package; status on stdout, body in $W/out.json
upload() {
	api "$1" POST /api/v1/submissions -H 'Content-Type: application/vnd.etsi.asic-e+zip' \
		--data-binary "@$2"
}

die() {
	echo "$*" >&2
	exit 1
}

# skip REASON: the script cannot run here (not a failure, not a pass);
# run.sh counts it as skipped and prints the reason. Only for what truly
# cannot run on this machine (no root, no tool), never for a flaky check.
skip() {
	echo "SKIP: $*"
	exit 77
}

expect_eq() { # got want what
	[ "$1" = "$2" ] || die "$3: got '$1', want '$2'"
}

# fresh_nonce CLIENT FILE: rewrites the nonce of answers FILE to the current
# one of the client's assignment in the campaign the file names, read from
# GET /api/v1/assignments as that client (nonces are single-use)
fresh_nonce() {
	local client=$1 file=$2 camp nonce
	camp=$(sed -n 's/.*campaign="\([^"]*\)".*/\1/p' "$file" | head -n 1)
	[ "$(api "$client" GET /api/v1/assignments)" = 200 ] || die "assignments of $client"
	nonce=$(jq -r --arg c "$camp" '.assignments[] | select((.campaign.id | tostring) == $c) | .nonce' "$W/out.json")
	[ -n "$nonce" ] || die "$client has no assignment in campaign $camp"
	sed -i "s/nonce=\"[^\"]*\"/nonce=\"$nonce\"/" "$file"
}
