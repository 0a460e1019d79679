# The dashboard's organisations list: every organisation by id, searched by
# a name substring or an id prefix (LIKE's wildcards are literal), paged by
# 50 with links that keep the search; the query parsed strictly (400
# query_invalid as a page); admins only (a respondent gets the readable 403
# page); hostile names shown as text; reading changes nothing.
C=(--config "$INST/itaku.conf")
page() { # CLIENT PATH: body to $W/page.html, status on stdout
	# shellcheck disable=SC2046
	client_env "$1" curl -sS -o "$W/page.html" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		$(client_args "$1") "$BASE$2"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 300 "$W/page.html")"; }
lacks() { ! grep -qF -- "$1" "$W/page.html" || die "page has '$1'"; }
rows() { grep -o '<tr><th scope="row"' "$W/page.html" | wc -l; }

EVIL='<script>alert(1)</script> & "q" ‮evil 取引先%_'
"$ITAKU" org add --id list-hostile --name "$EVIL" "${C[@]}" >/dev/null || die "org add"
# enough organisations for two pages (test data straight into the registry)
dbq "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 55)
	INSERT INTO organisations (id, name, role, created_at)
	SELECT 'list-org-' || CASE WHEN i < 10 THEN '0' ELSE '' END || i,
		'一覧試験 ' || CASE WHEN i < 10 THEN '0' ELSE '' END || i, 'respondent', '2026-01-01T00:00:00Z' FROM n" ||
	die "insert"
all=$(dbq "SELECT count(*) FROM organisations")
before=$(snapshot)

expect_eq "$(page admin /admin/organisations)" 200 "the list"
has '<html lang="ja">'
has 'role="search"'
expect_eq "$(rows)" 50 "a page holds 50"
has "全 $all 件"
has "href=\"/admin/organisations/$RESP_EC\""
has 'href="/admin/organisations?offset=50" rel="next"'
lacks 'rel="prev"'
expect_eq "$(page admin '/admin/organisations?offset=50')" 200 "page 2"
expect_eq "$(rows)" $((all - 50)) "the rest on page 2"
has 'href="/admin/organisations?offset=0" rel="prev"'
lacks 'rel="next"'

# search: a name's part, an id's start; the search kept by the pager
# (other scripts may have named organisations alike: counted from the registry)
sakura=$(dbq "SELECT count(*) FROM organisations WHERE lower(name) LIKE '%sakura%' OR lower(id) LIKE 'sakura%'")
[ "$sakura" -ge 1 ] || die "no Sakura"
expect_eq "$(page admin '/admin/organisations?q=Sakura')" 200 "by name"
expect_eq "$(rows)" "$sakura" "every Sakura"
has "href=\"/admin/organisations/$RESP_EC\""
has 'value="Sakura"'
expect_eq "$(page admin '/admin/organisations?q=sakura')" 200 "any case"
expect_eq "$(rows)" "$sakura" "sakura in lower case"
expect_eq "$(page admin "/admin/organisations?q=${RESP_EC:0:4}")" 200 "by id prefix"
has "href=\"/admin/organisations/$RESP_EC\""
expect_eq "$(page admin '/admin/organisations?q=%E4%B8%80%E8%A6%A7%E8%A9%A6%E9%A8%93')" 200 "Japanese"
expect_eq "$(rows)" 50 "一覧試験: a full page"
has 'href="/admin/organisations?offset=50&amp;q=%E4%B8%80%E8%A6%A7%E8%A9%A6%E9%A8%93" rel="next"'
expect_eq "$(page admin '/admin/organisations?q=%25_')" 200 "wildcards are literal"
expect_eq "$(rows)" "$(dbq "SELECT count(*) FROM organisations WHERE replace(name, '%_', '') <> name")" "only names holding %_"
has 'href="/admin/organisations/list-hostile"'
has '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q" ‮evil 取引先%_'
lacks '<script>alert(1)'
expect_eq "$(page admin '/admin/organisations?q=nothing-like-this')" 200 "no match"
expect_eq "$(rows)" 0 "no rows"
has '該当する組織はありません。'
expect_eq "$(page admin '/admin/organisations?q=Sakura&lang=en')" 200 "in English"
has '<html lang="en">'
has 'Search by name or organisation id'

# strict query: each a page with the code
for q in '?offset=-1' '?offset=x' '?offset=' '?q=a&q=b' '?page=2' '?q' '?q=%01' \
	"?q=$(printf 'a%.0s' $(seq 1 201))"; do
	expect_eq "$(page admin "/admin/organisations$q")" 400 "query $q"
	has '<!DOCTYPE html>'
	has '<code>query_invalid</code>'
done
for who in resp-ec resp-rsa; do
	expect_eq "$(page $who /admin/organisations)" 403 "$who"
	has '<code>forbidden</code>'
	lacks 'list-org-01'
done
expect_eq "$(snapshot)" "$before" "stored data after the list"
