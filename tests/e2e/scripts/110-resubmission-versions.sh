# A resubmission is a new version: nothing is overwritten, both stay, and
# the latest counts. Nonces are single-use: replaying an accepted package
# (the latest or an older one) is refused with nonce_reused and stores
# nothing.
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/v-a.asice" --signer resp-rsa --set-level 1.1=1
expect_eq "$(upload resp-rsa "$W/v-a.asice")" 201 "first"
v1=$(jq -r .version "$W/out.json")
id1=$(jq -r .id "$W/out.json")
sha1=$(jq -r .sha256 "$W/out.json")
# the next version quotes the assignment's new nonce
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/v-b.asice" --signer resp-rsa --set-level 1.1=5
expect_eq "$(upload resp-rsa "$W/v-b.asice")" 201 "second"
expect_eq "$(jq -r .version "$W/out.json")" $((v1 + 1)) "version"
id2=$(jq -r .id "$W/out.json")
expect_eq "$(dbq "SELECT level FROM answers WHERE submission_id=$id1 AND item_id='1.1'")" 1 "old answers kept"
expect_eq "$(dbq "SELECT level FROM answers WHERE submission_id=$id2 AND item_id='1.1'")" 5 "new answers"
pkg_has "$INST" "$sha1" || die "first package bytes gone"
expect_eq "$(dbq "SELECT latest_submission_id FROM assignments WHERE org_id='6999900000003' AND campaign_id=1")" "$id2" "latest version counts"
snap() { dbq "SELECT count(*) FROM submissions; SELECT nonce, latest_submission_id FROM assignments ORDER BY id; SELECT count(*) FROM scores"; }
before=$(snap)
# replaying the latest package, or an older one, is refused
for p in v-b v-a; do
	expect_eq "$(upload resp-rsa "$W/$p.asice")" 409 "replay of $p"
	expect_eq "$(jq -r .error.code "$W/out.json")" nonce_reused "replay of $p: code"
	expect_eq "$(dbq "SELECT code FROM audit_log ORDER BY seq DESC LIMIT 1")" nonce_reused "replay of $p: audit"
done
expect_eq "$(snap)" "$before" "nothing stored by replays"
# the latest submission carries its score
expect_eq "$(api admin GET "/api/v1/submissions/$id2")" 200 "read latest"
jq -e '.score.total > 0 and (.score.items | length) == 27 and (.score.items[] | select(.id == "1.1") | .level == 5 and .gap == 5 - .desirable)' "$W/out.json" >/dev/null ||
	die "score of the latest version: $(jq -c .score "$W/out.json")"
