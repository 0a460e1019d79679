# Concurrency. Twelve packages from two organisations, all quoting their
# assignment's one current nonce, uploaded at once: per organisation exactly
# one is accepted and the others are refused with 409 nonce_reused (the
# nonce is single-use even under a race); then uploads from both run in
# parallel with fresh nonces: versions stay unique and gapless and the
# audit chain verifies.
count() { dbq "SELECT count(*) FROM submissions WHERE org_id='$1'"; }
n_ec=$(count 7999900000002)
n_rsa=$(count 6999900000003)
for i in $(seq 1 6); do
	python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/c-ec-$i.asice" --signer resp-ec --set-level "1.2=$((i % 5 + 1))"
	python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/c-rsa-$i.asice" --signer resp-rsa --set-level "1.2=$((i % 5 + 1))"
done
post() { # who package → "status code" into file
	curl -sS -o "$2.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		--cert "$W/fx/resp-$1.crt" --key "$W/fx/resp-$1.key" \
		-H 'Content-Type: application/vnd.etsi.asic-e+zip' \
		--data-binary "@$2" "$BASE/api/v1/submissions" >"$2.status"
}
pids=()
for i in $(seq 1 6); do
	for who in ec rsa; do
		post "$who" "$W/c-$who-$i.asice" &
		pids+=($!)
	done
done
wait "${pids[@]}"
for who in ec rsa; do
	ok=0
	for i in $(seq 1 6); do
		case "$(cat "$W/c-$who-$i.asice.status")" in
		201) ok=$((ok + 1)) ;;
		409) expect_eq "$(jq -r .error.code "$W/c-$who-$i.asice.json")" nonce_reused "refusal $who $i" ;;
		*) die "upload $who $i: $(cat "$W/c-$who-$i.asice.status")" ;;
		esac
	done
	expect_eq "$ok" 1 "accepted uploads of $who quoting one nonce"
done
expect_eq "$(count 7999900000002)" $((n_ec + 1)) "submissions of resp-ec"
expect_eq "$(count 6999900000003)" $((n_rsa + 1)) "submissions of resp-rsa"
# parallel uploads with fresh nonces: one chain per organisation
chain() {
	for i in 1 2 3; do
		python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/p-$1-$i.asice" --signer "resp-$1" --set-level "1.3=$i"
		post "$1" "$W/p-$1-$i.asice"
		expect_eq "$(cat "$W/p-$1-$i.asice.status")" 201 "chained upload $1 $i"
	done
}
chain ec &
pe=$!
chain rsa &
pr=$!
wait "$pe" || die "resp-ec chain"
wait "$pr" || die "resp-rsa chain"
for org in 7999900000002 6999900000003; do
	expect_eq "$(dbq "SELECT CAST(count(*) = count(DISTINCT version) AND max(version) = count(*) AS INTEGER) FROM submissions WHERE org_id='$org'")" 1 "versions of $org"
done
"$ITAKU" audit verify --config "$INST/itaku.conf" | grep -q "intact" || die "audit chain broken"
