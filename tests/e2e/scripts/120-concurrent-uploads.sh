# Parallel uploads from two organisations: every one gets 201, versions are
# unique and gapless per organisation, and the audit chain still verifies.
for i in $(seq 1 6); do
	python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/c-ec-$i.asice" --signer resp-ec --set-level "1.2=$((i % 5 + 1))"
	python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/c-rsa-$i.asice" --signer resp-rsa --set-level "1.2=$((i % 5 + 1))"
done
pids=()
for i in $(seq 1 6); do
	for who in ec rsa; do
		(curl -sS -o /dev/null -w '%{http_code}\n' --cacert "$INST/pki/ca.crt" \
			--cert "$W/fx/resp-$who.crt" --key "$W/fx/resp-$who.key" \
			-H 'Content-Type: application/vnd.etsi.asic-e+zip' \
			--data-binary "@$W/c-$who-$i.asice" "$BASE/api/v1/submissions" >"$W/c-$who-$i.status") &
		pids+=($!)
	done
done
wait "${pids[@]}"
for f in "$W"/c-*.status; do
	expect_eq "$(cat "$f")" 201 "$(basename "$f")"
done
for org in 7999900000002 6999900000003; do
	expect_eq "$(sqlite3 "$INST/itaku.db" "SELECT count(*) = count(DISTINCT version) AND max(version) = count(*) FROM submissions WHERE org_id='$org'")" 1 "versions of $org"
done
"$ITAKU" audit verify --config "$INST/itaku.conf" | grep -q "intact" || die "audit chain broken"
