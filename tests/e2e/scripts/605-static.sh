# /static/<name>: the embedded files only, by their exact hashed names,
# with their type, nosniff and a year's immutable cache; the query string
# is not part of the name; HEAD and other methods are refused; no spelling
# of a path (dot segments kept as sent, doubled or trailing slashes, other
# case, a huge URL) reaches anything else, and the server stays up.
NAME=$(cd "$ROOT/core/web/static" && ls portal.*.js)
[ "$(echo "$NAME" | wc -l)" = 1 ] || die "one bundle: $NAME"
get() { # PATH [curl args…]: status on stdout, body in $W/static.out, headers in $W/static.hdr
	local p=$1
	shift
	curl -sS -o "$W/static.out" -D "$W/static.hdr" -w '%{http_code}' --cacert "$INST/pki/ca.crt" "$@" "$BASE$p"
}
expect_eq "$(get "/static/$NAME")" 200 "the bundle"
cmp -s "$W/static.out" "$ROOT/core/web/static/$NAME" || die "served bytes differ from the committed bundle"
hdr() { tr -d '\r' <"$W/static.hdr" | sed -n "s/^$1: //Ip"; }
expect_eq "$(hdr Content-Type)" "text/javascript; charset=utf-8" "type"
expect_eq "$(hdr X-Content-Type-Options)" nosniff "nosniff"
expect_eq "$(hdr Cache-Control)" "public, max-age=31536000, immutable" "cache"
expect_eq "$(sha256sum <"$W/static.out" | cut -c1-12)" "$(echo "$NAME" | cut -d. -f2)" "the name is the hash"
# an API answer keeps no-store
get /healthz >/dev/null
expect_eq "$(hdr Cache-Control)" no-store "healthz cache"
# a query string changes nothing
expect_eq "$(get "/static/$NAME?../../itaku.conf")" 200 "with a query"
cmp -s "$W/static.out" "$ROOT/core/web/static/$NAME" || die "a query changed the bytes"
# HEAD is not served
expect_eq "$(curl -sS -I -o /dev/null -w '%{http_code}' --cacert "$INST/pki/ca.crt" "$BASE/static/$NAME")" 405 "HEAD"
# spellings that name something else: 404 (JSON from the static route,
# the readable page for a path that is no route), no-store; an encoded NUL
# does not cut the name short
code_of() { jq -r .error.code "$W/static.out" 2>/dev/null || sed -n 's/.*<code>\([a-z_]*\)<\/code>.*/\1/p' "$W/static.out"; }
for p in "/static/$NAME%00.html" "/static/$NAME%00" "/static/../itaku.conf" "/static/./$NAME" "/static//$NAME" "/static/$NAME/" "/static/$NAME/x" \
	"/static/${NAME^^}" "/static/%2e%2e/%2e%2e/itaku.db" "/static/..%5c..%5citaku.conf" "/static/$NAME%2f" \
	"/static" "/static/*" "/Static/$NAME" "/static/portal.000000000000.js"; do
	expect_eq "$(get "$p" --path-as-is)" 404 "GET $p"
	expect_eq "$(code_of)" not_found "code of $p"
	expect_eq "$(hdr Cache-Control)" no-store "cache of $p"
done
# a huge URL: refused by libmicrohttpd itself, the server goes on
long=$(head -c 70000 /dev/zero | tr '\0' a)
got=$(get "/static/$long.js" 2>/dev/null) || true
echo "huge URL: $got"
case "$got" in 414 | 431 | 000) ;; *) die "a 70 kB name: $got, want 414 or a closed connection" ;; esac
expect_eq "$(get "/static/$NAME")" 200 "served after the huge URL"
