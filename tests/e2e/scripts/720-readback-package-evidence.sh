# Reading back what a vendor sent: GET /api/v1/submissions/{id}/package is
# the exact uploaded bytes (SHA-256 of the file sent) for the submitting
# organisation and admins, GET …/evidence/{path} one evidence file whose
# bytes are what the signed manifest's digest says, both downloads that
# never render (attachment, nosniff, octet-stream for evidence); another
# organisation gets 404 as for GET /api/v1/submissions/{id}; every bad
# evidence path gets its exact code, is audited and changes nothing; a
# package altered in the store is refused, not served.
hdr() { grep -i "^$1:" "$W/h.txt" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
get() { # CLIENT PATH [curl args]: body to $W/out.json, headers to $W/h.txt
	local c=$1 p=$2
	shift 2
	api "$c" GET "$p" -D "$W/h.txt" "$@"
}
# the digest the signed manifest gives NAME in package PKG, hex
signed_digest() {
	python3 - "$1" "$2" <<'EOF'
import base64, sys, zipfile, xml.etree.ElementTree as ET
ns = {"asic": "http://uri.etsi.org/02918/v1.2.1#", "ds": "http://www.w3.org/2000/09/xmldsig#"}
m = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("META-INF/ASiCManifest.xml"))
for ref in m.findall("asic:DataObjectReference", ns):
    if ref.get("URI") == sys.argv[2]:
        print(base64.b64decode(ref.find("ds:DigestValue", ns).text).hex())
EOF
}
urlpath() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/"))' "$1"; }

EVIL='証跡 <script>alert(1)<script> & "q" '"'"'s'"'"' ‮fdp.exe' # no "=": mkpkg splits NAME=TEXT there
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/rb.asice" --signer resp-ec \
	--evidence 'Policy.txt=our security policy' --evidence "$EVIL=hostile name" \
	--evidence-random 200000 --entry 'extra/notes.txt=listed, not evidence' ||
	die "mkpkg"
st=$(upload resp-ec "$W/rb.asice")
[ "$st" = 201 ] || die "upload: $st $(cat "$W/out.json")"
id=$(jq -r .id "$W/out.json")
version=$(jq -r .version "$W/out.json")
sha=$(sha256sum <"$W/rb.asice" | cut -d' ' -f1)
expect_eq "$(jq -r .sha256 "$W/out.json")" "$sha" "sha256 of the upload"

# the package: exact bytes, a download
for who in admin resp-ec; do
	expect_eq "$(get $who "/api/v1/submissions/$id/package")" 200 "package as $who"
	expect_eq "$(sha256sum <"$W/out.json" | cut -d' ' -f1)" "$sha" "package bytes as $who"
	expect_eq "$(hdr Content-Type)" "application/vnd.etsi.asic-e+zip" "package type"
	expect_eq "$(hdr Content-Disposition)" "attachment; filename=\"submission-$id-v$version.asice\"" \
		"package disposition"
	expect_eq "$(hdr X-Content-Type-Options)" nosniff "package nosniff"
	expect_eq "$(hdr Cache-Control)" no-store "package Cache-Control"
done
"$ITAKU" verify "$W/out.json" --ca "$INST/pki/ca.crt" | grep -q ": OK " || die "itaku verify of the download"

# evidence: the signed bytes, never a page
for name in evidence/random.bin evidence/Policy.txt "evidence/$EVIL"; do
	st=$(get admin "/api/v1/submissions/$id/evidence/$(urlpath "$name")")
	[ "$st" = 200 ] || die "evidence $name: $st $(cat "$W/out.json")"
	want=$(signed_digest "$W/rb.asice" "$name")
	[ -n "$want" ] || die "no manifest digest for $name"
	expect_eq "$(sha256sum <"$W/out.json" | cut -d' ' -f1)" "$want" "bytes of $name"
	expect_eq "$(hdr Content-Type)" application/octet-stream "type of $name"
	expect_eq "$(hdr X-Content-Type-Options)" nosniff "nosniff of $name"
	[[ "$(hdr Content-Security-Policy)" == *"default-src 'self'"* ]] || die "CSP of $name"
done
expect_eq "$(get resp-ec "/api/v1/submissions/$id/evidence/evidence/Policy.txt")" 200 "own evidence"
expect_eq "$(cat "$W/out.json")" "our security policy" "own evidence bytes"
expect_eq "$(hdr Content-Disposition)" \
	"attachment; filename=\"Policy.txt\"; filename*=UTF-8''Policy.txt" "evidence disposition"
get admin "/api/v1/submissions/$id/evidence/$(urlpath "evidence/$EVIL")" >/dev/null
cd_evil=$(hdr Content-Disposition)
[[ "$cd_evil" == 'attachment; filename="'*'"; filename*=UTF-8'"''"* ]] || die "hostile disposition: $cd_evil"
fn=${cd_evil#attachment; filename=\"}
fn=${fn%%\"*}
[[ "$fn" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]] || die "unsafe ASCII file name: $fn"
star=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1].split("UTF-8'"''"'", 1)[1]))' "$cd_evil")
# the name as signed, but for the character that would show "fdp.exe" as "exe.pdf"
expect_eq "$star" "${EVIL//‮/___}" "filename* is the name as signed, without direction controls"

# another organisation: absent, like GET /api/v1/submissions/{id}
before=$(snapshot)
for p in "" /package /evidence/evidence/Policy.txt /evidence/answers.xml /evidence/..%2Fx; do
	expect_eq "$(get resp-rsa "/api/v1/submissions/$id$p")" 404 "other organisation: $p"
	expect_eq "$(jq -r .error.code "$W/out.json")" not_found "other organisation code: $p"
done
for p in /api/v1/submissions/999999/package /api/v1/submissions/0/package \
	/api/v1/submissions/x1/evidence/evidence/Policy.txt; do
	expect_eq "$(get admin "$p")" 404 "$p"
	expect_eq "$(jq -r .error.code "$W/out.json")" not_found "$p code"
done

# bad evidence paths: each its code, audited, nothing stored
long=$(printf 'a%.0s' $(seq 1 300))
audit_n() { dbq "SELECT count(*) FROM audit_log WHERE action != 'auth.login'"; }
bad() { # PATH-AFTER-evidence/ STATUS CODE [curl args]
	local p=$1 status=$2 code=$3 n
	shift 3
	n=$(audit_n)
	expect_eq "$(get admin "/api/v1/submissions/$id/evidence/$p" "$@")" "$status" "evidence $p"
	expect_eq "$(jq -r .error.code "$W/out.json")" "$code" "code of $p"
	jq -e '.error.message | length > 0' "$W/out.json" >/dev/null || die "no message for $p"
	expect_eq "$(audit_n)" $((n + 1)) "audit entries after $p"
	expect_eq "$(dbq "SELECT outcome || ' ' || code FROM audit_log WHERE action != 'auth.login' ORDER BY seq DESC LIMIT 1")" \
		"rejected $code" "audit of $p"
}
bad evidence/../answers.xml 400 evidence_path_invalid --path-as-is
bad evidence%2F..%2Fanswers.xml 400 evidence_path_invalid
bad ..%2F..%2Fitaku.conf 400 evidence_path_invalid
bad evidence/./Policy.txt 400 evidence_path_invalid --path-as-is
bad evidence//Policy.txt 400 evidence_path_invalid --path-as-is
bad evidence/Policy.txt/ 400 evidence_path_invalid
bad evidence/ 400 evidence_path_invalid
bad 'evidence%5CPolicy.txt' 400 evidence_path_invalid
bad 'evidence/Policy.txt%0A' 400 evidence_path_invalid
bad 'evidence/C:Policy.txt' 400 evidence_path_invalid
bad "evidence/$long" 400 evidence_path_invalid
bad answers.xml 404 evidence_not_found
bad mimetype 404 evidence_not_found
bad META-INF/ASiCManifest.xml 404 evidence_not_found
bad META-INF/signature.p7s 404 evidence_not_found
bad extra/notes.txt 404 evidence_not_found
bad evidence/policy.txt 404 evidence_not_found
bad Evidence/Policy.txt 404 evidence_not_found
bad EVIDENCE/POLICY.TXT 404 evidence_not_found
bad evidence/Policy.txt%00.html 404 evidence_not_found
bad evidence/Policy.txt.html 404 evidence_not_found
bad evidence/nothing.txt 404 evidence_not_found
expect_eq "$(snapshot)" "$before" "stored data after refused reads"

# a package altered in the store is not served (and the store is put back)
pkg_read "$INST" "$sha" >"$W/stored.bak"
cp "$W/stored.bak" "$W/stored.bad"
printf 'X' | dd of="$W/stored.bad" bs=1 seek=2000 conv=notrunc status=none
pkg_write "$INST" "$sha" <"$W/stored.bad"
expect_eq "$(get admin "/api/v1/submissions/$id/package")" 500 "altered package"
expect_eq "$(jq -r .error.code "$W/out.json")" storage_corrupt "altered package code"
expect_eq "$(get admin "/api/v1/submissions/$id/evidence/evidence/Policy.txt")" 500 "evidence of an altered package"
expect_eq "$(jq -r .error.code "$W/out.json")" storage_corrupt "altered evidence code"
pkg_write "$INST" "$sha" <"$W/stored.bak"
expect_eq "$(get admin "/api/v1/submissions/$id/package")" 200 "package put back"
expect_eq "$(sha256sum <"$W/out.json" | cut -d' ' -f1)" "$sha" "bytes put back"
