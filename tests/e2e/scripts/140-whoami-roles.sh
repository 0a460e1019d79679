# The identity the server derives from each certificate.
expect_eq "$(api admin GET /api/v1/whoami)" 200 "admin"
expect_eq "$(jq -r .role "$W/out.json")" admin "admin role"
expect_eq "$(jq -r .organisation "$W/out.json")" 8999900000001 "admin org"
expect_eq "$(api resp-rsa GET /api/v1/whoami)" 200 "respondent"
expect_eq "$(jq -r .role "$W/out.json")" respondent "respondent role"
expect_eq "$(jq -r .fingerprint "$W/out.json")" \
	"$(openssl x509 -in "$W/fx/resp-rsa.crt" -outform DER | sha256sum | cut -d' ' -f1)" "fingerprint"
expect_eq "$(api none GET /healthz)" 200 "health without certificate"
# an admin certificate's use is audited as a login, once per TLS connection
n0=$(dbq "SELECT count(*) FROM audit_log WHERE action='auth.login'")
curl -sS -o /dev/null -o /dev/null --cacert "$INST/pki/ca.crt" --cert "$W/fx/admin.crt" --key "$W/fx/admin.key" \
	"$BASE/api/v1/whoami" "$BASE/api/v1/submissions/1"
expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE action='auth.login'")" $((n0 + 1)) "one login for two requests on one connection"
expect_eq "$(dbq "SELECT actor FROM audit_log WHERE action='auth.login' ORDER BY seq DESC LIMIT 1")" 8999900000001 "login actor"
api resp-ec GET /api/v1/whoami >/dev/null
expect_eq "$(dbq "SELECT count(*) FROM audit_log WHERE action='auth.login'")" $((n0 + 1)) "respondents are not logins"
