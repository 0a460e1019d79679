# dash.sh — helpers for the dashboard's scripts (7xx): pages fetched as a
# browser would (curl with the client certificate), the CSRF token of one
# form on a page, form posts. Sourced by the scripts that use it (not by
# run.sh).
page() { # CLIENT METHOD PATH [curl args…]: body to $W/page.html, headers to $W/page.h; status
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	client_env "$client" curl -sS -o "$W/page.html" -D "$W/page.h" -w '%{http_code}' \
		--cacert "$INST/pki/ca.crt" -X "$method" $(client_args "$client") "$@" "$BASE$path"
}
has() { grep -qF -- "$1" "$W/page.html" || die "page lacks '$1': $(head -c 600 "$W/page.html")"; }
lacks() { ! grep -qF -- "$1" "$W/page.html" || die "page has '$1'"; }
hdr() { grep -i "^$1:" "$W/page.h" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
is_html() {
	expect_eq "$(hdr Content-Type)" "text/html; charset=utf-8" "Content-Type of $1"
	head -c 16 "$W/page.html" | grep -q '^<!DOCTYPE html>' || die "$1: no doctype"
}
# form_token ACTION: the token of the page's form that posts to ACTION
form_token() {
	python3 - "$W/page.html" "$1" <<'PY'
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.form = None; s.tok = None
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == "form":
            s.form = a.get("action")
        elif tag == "input" and a.get("name") == "csrf" and s.form == sys.argv[2] and s.tok is None:
            s.tok = a.get("value")
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print(p.tok or "")
PY
}
# refused STATUS CODE WHAT CLIENT METHOD PATH [curl args…]: the readable
# error page with that code, nothing stored changed
refused() {
	local want=$1 code=$2 what=$3
	shift 3
	local before_r
	before_r=$(snapshot)
	expect_eq "$(page "$@")" "$want" "$what"
	is_html "$what"
	has "<code>$code</code>"
	expect_eq "$(snapshot)" "$before_r" "stored data after: $what"
}
