# Cross-site request forgery: a browser holding a client certificate sends
# it to any page that posts to us. The route table is walked (`itakud
# --routes`): every state-changing route gets a form post in each content
# type a cross-site form can send (urlencoded, text/plain, multipart) and
# a bodyless one, with a foreign Origin, Origin: null, and Sec-Fetch-Site
# cross-site / same-site — as the admin and as a respondent. Every one is
# 403 cross_origin_refused, nothing stored changes, and each refusal of an
# authenticated request for its Origin is one audit entry (the enrolment
# route's, which asks for no certificate, are anonymous: counted, not
# chained; so are those a browser marks cross-site or same-site with
# Sec-Fetch-Site, refused before the certificate is looked at, so that
# another site cannot fill an organisation's audit log). Then the
# server's own origin passes, a route that reads no body refuses one
# (400 body_not_allowed) and [server] origins is honoured.
ADMIN_ORG=8999900000001
mapfile -t WRITES < <("$ITAKUD" --routes | awk -F'\t' '$1 != "GET"')
[ "${#WRITES[@]}" -ge 8 ] || die "route table: only ${#WRITES[@]} state-changing routes"
# every state-changing route is marked same-origin in the table itself
# (a page's form: same-origin and its CSRF token)
for r in "${WRITES[@]}"; do
	case "$(cut -f5 <<<"$r")" in same | form) ;; *) die "route not same-origin: $r" ;; esac
done

err_code() { # the API's JSON error code, or a page's <code>
	jq -r .error.code "$W/out.json" 2>/dev/null ||
		sed -n 's/.*<code>\([a-z_]*\)<\/code>.*/\1/p' "$W/out.json"
}
path_of() { # pattern → a concrete path (existing ids, so a forged request would act)
	sed -e "s|/organisations/{id}|/organisations/$ADMIN_ORG|" -e 's|{id}|1|g' <<<"$1"
}
forge() { # CLIENT PATH HEADER KIND: one forged post; status on stdout
	local client=$1 path=$2 hdr=$3 kind=$4
	case "$kind" in
	urlencoded) api "$client" POST "$path" -H "$hdr" -d 'name=x&due=2099-01-01' ;;
	text) api "$client" POST "$path" -H "$hdr" -H 'Content-Type: text/plain' \
		--data-binary '{"name":"x","questionnaire":"ipa-benchmark@1","due":"2099-01-01"}' ;;
	multipart) api "$client" POST "$path" -H "$hdr" -F 'name=x' -F 'f=@/dev/null' ;;
	empty) api "$client" POST "$path" -H "$hdr" ;;
	esac
}
n=0
for r in "${WRITES[@]}"; do
	path=$(path_of "$(cut -f2 <<<"$r")")
	for client in admin resp-ec; do
		for hdr in 'Origin: https://evil.example' 'Origin: null' \
			'Sec-Fetch-Site: cross-site' 'Sec-Fetch-Site: same-site' \
			"Origin: https://localhost:$PORT.evil.example"; do
			for kind in urlencoded text multipart empty; do
				before=$(snapshot)
				abefore=$(audit_count)
				got=$(forge "$client" "$path" "$hdr" "$kind")
				expect_eq "$got" 403 "$client $kind '$hdr' → POST $path"
				expect_eq "$(err_code)" cross_origin_refused "code of POST $path"
				expect_eq "$(snapshot)" "$before" "stored data after forged POST $path"
				if [ "$(cut -f3 <<<"$r")" = enrol ] || [[ "$hdr" == Sec-Fetch-Site:* ]]; then
					# no certificate asked: anonymous, counted, not chained
					expect_eq "$(audit_count)" "$abefore" "audit entries after forged POST $path"
				else
					expect_eq "$(audit_count)" $((abefore + 1)) "audit entries after forged POST $path"
					[[ "$(audit_last)" == *" rejected cross_origin_refused" ]] || die "audit: $(audit_last)"
				fi
				n=$((n + 1))
			done
		done
	done
done
echo "forged requests refused: $n"

# the server's own origin (as the browser writes it) passes the check
JSON=(-H 'Content-Type: application/json')
OWN="Origin: https://localhost:$PORT"
expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" -H "$OWN" -H 'Sec-Fetch-Site: same-origin' \
	-d '{"name":"same origin","questionnaire":"ipa-benchmark@1","due":"2099-01-31"}')" 201 "own origin"
cid=$(jq -r .id "$W/out.json")
expect_eq "$(api admin POST /api/v1/campaigns "${JSON[@]}" -H 'Origin: HTTPS://LOCALHOST:'"$PORT" \
	-d '{"name":"case","questionnaire":"ipa-benchmark@1","due":"2099-01-31"}')" 201 "origin case-insensitive"

# a route that reads no body refuses one: forms, chunked, even from our origin
for extra in "-d a=b" "-H Transfer-Encoding:chunked -d a=b" "-H Content-Type:application/json -d {}"; do
	before=$(snapshot)
	# shellcheck disable=SC2086
	got=$(api admin POST "/api/v1/campaigns/$cid/close" -H "$OWN" $extra)
	expect_eq "$got" 400 "close with a body ($extra)"
	expect_eq "$(jq -r .error.code "$W/out.json")" body_not_allowed "code"
	expect_eq "$(snapshot)" "$before" "stored data after close with a body"
done
expect_eq "$(dbq "SELECT status FROM campaigns WHERE id=$cid")" open "still open"
expect_eq "$(api admin POST "/api/v1/campaigns/$cid/close" -H "$OWN" -H 'Sec-Fetch-Site: same-origin')" 200 "close"

# [server] origins: only the listed origins pass, the Host is no longer enough
second_start origins "[server]
origins = https://itaku.example, https://portal.example:8443"
ocurl() { # ORIGIN: status of a campaign creation with that Origin
	s2 admin POST /api/v1/campaigns -H "Origin: $1" "${JSON[@]}" \
		-d '{"name":"o","questionnaire":"ipa-benchmark@1","due":"2099-01-31"}'
}
expect_eq "$(ocurl https://itaku.example)" 201 "listed origin"
expect_eq "$(ocurl https://portal.example:8443)" 201 "listed origin with port"
expect_eq "$(ocurl "https://localhost:$S2PORT")" 403 "own Host, not listed"
expect_eq "$(ocurl https://itaku.example.evil)" 403 "listed origin as a prefix"
second_stop

# what another site's page makes the browser send with the certificate
# (images, scripts, fetches; here of a read): refused before the
# certificate is looked at, so it does not count against the organisation's
# rate nor go into its audit log; following a link to a page still works
abefore=$(audit_count)
for i in $(seq 1 30); do
	got=$(api resp-ec GET "/api/v1/submissions/1/receipt?n=$i" -H 'Sec-Fetch-Site: cross-site' \
		-H 'Sec-Fetch-Mode: no-cors' -H 'Sec-Fetch-Dest: image')
	expect_eq "$got" 403 "a cross-site image of a receipt"
done
expect_eq "$(jq -r .error.code "$W/out.json")" cross_origin_refused "code of a cross-site image"
expect_eq "$(audit_count)" "$abefore" "audit entries after cross-site subresources"
expect_eq "$(api resp-ec GET / -H 'Sec-Fetch-Site: cross-site' -H 'Sec-Fetch-Mode: navigate' \
	-H 'Sec-Fetch-Dest: document')" 200 "a link from another site to the home page"
expect_eq "$(api resp-ec GET /api/v1/whoami -H 'Sec-Fetch-Site: cross-site' -H 'Sec-Fetch-Mode: cors' \
	-H 'Sec-Fetch-Dest: empty')" 403 "a cross-site fetch"
