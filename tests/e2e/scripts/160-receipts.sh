# Every accepted package comes back with an RFC 3161 receipt: in the 201 and
# at /receipt; both stock `openssl ts -verify` and `itaku receipt verify`
# accept it for the package and refuse it for other bytes; another
# organisation cannot fetch it.
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/r.asice" --signer resp-ec --set-level 2.2=4
expect_eq "$(upload resp-ec "$W/r.asice")" 201 "upload"
id=$(jq -r .id "$W/out.json")
jq -r .receipt.tsr "$W/out.json" | base64 -d >"$W/r-201.tsr"
expect_eq "$(api resp-ec GET "/api/v1/submissions/$id/receipt")" 200 "GET receipt"
cp "$W/out.json" "$W/r.tsr" # the body, whatever its type
cmp -s "$W/r.tsr" "$W/r-201.tsr" || die "receipt in the 201 differs from /receipt"
openssl ts -verify -data "$W/r.asice" -in "$W/r.tsr" -CAfile "$INST/pki/ca.crt" 2>&1 |
	grep -q "Verification: OK" || die "openssl ts -verify refused the receipt"
"$ITAKU" receipt verify --package "$W/r.asice" --receipt "$W/r.tsr" --ca "$INST/pki/ca.crt" |
	grep -q "receipt OK" || die "itaku receipt verify refused the receipt"
printf 'x' >>"$W/r.asice"
openssl ts -verify -data "$W/r.asice" -in "$W/r.tsr" -CAfile "$INST/pki/ca.crt" >/dev/null 2>&1 &&
	die "openssl accepted the receipt for other bytes"
out=$("$ITAKU" receipt verify --package "$W/r.asice" --receipt "$W/r.tsr" --ca "$INST/pki/ca.crt") &&
	die "itaku accepted the receipt for other bytes"
[[ "$out" == *"imprint mismatch"* ]] || die "itaku receipt verify: $out"
expect_eq "$(api resp-rsa GET "/api/v1/submissions/$id/receipt")" 404 "other organisation"
expect_eq "$(api admin GET "/api/v1/submissions/$id/receipt")" 200 "admin"
expect_eq "$(dbq "SELECT count(*) FROM submissions s LEFT JOIN receipts r ON r.submission_id = s.id WHERE r.tsr IS NULL")" 0 "every submission has a receipt"
