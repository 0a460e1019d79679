# Every admin route of the table (`itakud --routes`), walked with each kind
# of client: a respondent gets 403 forbidden (a readable page for a page, the
# JSON error for the API), an unregistered certificate 403
# cert_unregistered, no certificate 401 cert_required, and the admin gets
# the page or the answer (never 403, never a server error). Nothing stored
# changes but the refusals' audit entries.
mapfile -t ADMIN_ROUTES < <("$ITAKUD" --routes | awk -F'\t' '$3 == "admin"')
[ "${#ADMIN_ROUTES[@]}" -ge 10 ] || die "route table: only ${#ADMIN_ROUTES[@]} admin routes"
grep -q $'\t/admin/organisations/{id}\t' <<<"$(printf '%s\n' "${ADMIN_ROUTES[@]}")" ||
	die "the organisation page is not an admin route"
path_of() { # pattern → a concrete path (ids that exist)
	sed -e "s|/organisations/{id}|/organisations/$RESP_EC|" -e 's|{id}|1|g' -e 's|{[a-z]*+}|x|g' <<<"$1"
}
call() { # CLIENT METHOD PATH: status; body in $W/out.json
	# shellcheck disable=SC2046
	client_env "$1" curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		$(client_args "$1") -X "$2" "$BASE$3"
}
code_of() { # the JSON error's code, or a page's <code>
	jq -r .error.code "$W/out.json" 2>/dev/null || sed -n 's/.*<code>\([a-z_]*\)<\/code>.*/\1/p' "$W/out.json"
}
before=$(snapshot)
for r in "${ADMIN_ROUTES[@]}"; do
	method=$(cut -f1 <<<"$r")
	path=$(path_of "$(cut -f2 <<<"$r")")
	view=$(cut -f6 <<<"$r")
	for who in resp-ec resp-rsa; do
		expect_eq "$(call $who "$method" "$path")" 403 "$method $path as $who"
		expect_eq "$(code_of)" forbidden "$method $path as $who: code"
		if [ "$view" = html ]; then
			head -c 16 "$W/out.json" | grep -q '^<!DOCTYPE html>' || die "$method $path as $who: not a page"
		fi
	done
	expect_eq "$(call unregistered "$method" "$path")" 403 "$method $path unregistered"
	expect_eq "$(code_of)" cert_unregistered "$method $path unregistered: code"
	expect_eq "$(call none "$method" "$path")" 401 "$method $path without a certificate"
	expect_eq "$(code_of)" cert_required "$method $path without a certificate: code"
	if [ "$method" = GET ]; then
		st=$(call admin GET "$path")
		case "$st" in 200 | 303 | 404) ;; *) die "GET $path as the admin: $st $(head -c 200 "$W/out.json")" ;; esac
	fi
done
expect_eq "$(snapshot)" "$before" "stored data after the walk"
