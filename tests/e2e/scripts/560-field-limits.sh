# Every field of every JSON route at its limit and just over it, paths and
# paging arguments likewise, then a sweep of wrong types, NUL, huge and
# hostile strings through every field (issue 11, hole 14; driver:
# tests/e2e/limits.py). Never a 5xx; every refusal has its code and leaves
# stored data as it was.
LONG_ORG=a$(printf 'b%.0s' $(seq 1 31))
"$ITAKU" org add --id "$LONG_ORG" --name "Thirty-two" --role respondent --config "$INST/itaku.conf" >/dev/null ||
	die "org add $LONG_ORG"
expect_eq "$(api admin POST /api/v1/campaigns -H 'Content-Type: application/json' \
	-d '{"name":"limits","questionnaire":"ipa-benchmark@1","due":"2099-03-31"}')" 201 "campaign"
python3 "$HERE/limits.py" --port "$PORT" --ca "$INST/pki/ca.crt" --fx "$W/fx" --inst "$INST" \
	--campaign "$(jq -r .id "$W/out.json")" --long-org "$LONG_ORG" || die "limits"
