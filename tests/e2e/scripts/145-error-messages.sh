# The API's error body: "code" as always, "message" the error table's
# explanation of the code in the request's language (Accept-Language:
# Japanese when it is preferred to English, English otherwise) — the text
# the portal and the mails give for it — and "detail" what exactly was
# wrong with this request, in English. The audit log keeps the detail.
ja_forbidden=$(jq -r .message.ja <<<"$(curl -sS --cacert "$INST/pki/ca.crt" "$BASE/api/v1/errors/forbidden")")
en_forbidden=$(jq -r .message.en <<<"$(curl -sS --cacert "$INST/pki/ca.crt" "$BASE/api/v1/errors/forbidden")")
[ -n "$ja_forbidden" ] && [ "$ja_forbidden" != "$en_forbidden" ] || die "the table's texts of forbidden"
body() { jq -c '.error | [.code, .message, .detail]' "$W/out.json"; }
for al in "" "en" "en-US,en;q=0.9,ja;q=0.8" "fr" "ja;q=0" "ja;q=2"; do
	expect_eq "$(api resp-ec GET /api/v1/campaigns -H "Accept-Language: $al")" 403 "forbidden ($al)"
	expect_eq "$(body)" "[\"forbidden\",\"$en_forbidden\",\"this resource is for administrators\"]" "English for '$al'"
done
for al in "ja" "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7" "en;q=0.5, JA;q=0.6" "fr, ja;q=0.1"; do
	expect_eq "$(api resp-ec GET /api/v1/campaigns -H "Accept-Language: $al")" 403 "forbidden ($al)"
	expect_eq "$(body)" "[\"forbidden\",\"$ja_forbidden\",\"this resource is for administrators\"]" "Japanese for '$al'"
done
# refused before routing and after, and with a body: the same three fields
expect_eq "$(api none GET /api/v1/nope -H 'Accept-Language: ja')" 404 "no such resource"
expect_eq "$(body)" '["not_found","指定されたものは見つかりません。","no such resource"]' "not found in Japanese"
expect_eq "$(api admin POST /api/v1/campaigns -H 'Accept-Language: ja' -H 'Content-Type: application/json' -d '{"nmae":"x"}')" 400 "bad body"
expect_eq "$(jq -r '.error.code, .error.message, .error.detail' "$W/out.json" | tr '\n' '|')" \
	'body_invalid|リクエスト本文が、このリソースの求める JSON オブジェクトになっていません。|unknown field "nmae"|' "body_invalid in Japanese"
# the audit log records the refusal with its detail, not the explanation
expect_eq "$(dbq "SELECT code || ' ' || detail FROM audit_log WHERE outcome = 'rejected' ORDER BY seq DESC LIMIT 1")" \
	'body_invalid unknown field "nmae"' "audited with the detail"
