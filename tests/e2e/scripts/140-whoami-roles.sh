# The identity the server derives from each certificate.
expect_eq "$(api admin GET /api/v1/whoami)" 200 "admin"
expect_eq "$(jq -r .role "$W/out.json")" admin "admin role"
expect_eq "$(jq -r .organisation "$W/out.json")" 8999900000001 "admin org"
expect_eq "$(api resp-rsa GET /api/v1/whoami)" 200 "respondent"
expect_eq "$(jq -r .role "$W/out.json")" respondent "respondent role"
expect_eq "$(jq -r .fingerprint "$W/out.json")" \
	"$(openssl x509 -in "$W/fx/resp-rsa.crt" -outform DER | sha256sum | cut -d' ' -f1)" "fingerprint"
expect_eq "$(api none GET /healthz)" 200 "health without certificate"
