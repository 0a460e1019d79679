# http.sh — helpers for multi-step end-to-end scripts. Sourced by run.sh.

# api CLIENT METHOD PATH [curl args…]: response body to $W/out.json, status on stdout
api() {
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" -X "$method" \
		$(client_args "$client") "$@" "$BASE$path"
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

expect_eq() { # got want what
	[ "$1" = "$2" ] || die "$3: got '$1', want '$2'"
}
