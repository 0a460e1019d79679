# A resubmission is a new version: nothing is overwritten, both stay.
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/v-a.asice" --signer resp-rsa --set-level 1.1=1
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/v-b.asice" --signer resp-rsa --set-level 1.1=5
expect_eq "$(upload resp-rsa "$W/v-a.asice")" 201 "first"
v1=$(jq -r .version "$W/out.json")
id1=$(jq -r .id "$W/out.json")
sha1=$(jq -r .sha256 "$W/out.json")
expect_eq "$(upload resp-rsa "$W/v-b.asice")" 201 "second"
expect_eq "$(jq -r .version "$W/out.json")" $((v1 + 1)) "version"
id2=$(jq -r .id "$W/out.json")
expect_eq "$(sqlite3 "$INST/itaku.db" "SELECT level FROM answers WHERE submission_id=$id1 AND item_id='1.1'")" 1 "old answers kept"
expect_eq "$(sqlite3 "$INST/itaku.db" "SELECT level FROM answers WHERE submission_id=$id2 AND item_id='1.1'")" 5 "new answers"
[ -f "$INST/store/${sha1:0:2}/$sha1" ] || die "first package bytes gone"
# the very same bytes again: a new version too, one stored file
expect_eq "$(upload resp-rsa "$W/v-b.asice")" 201 "same bytes again"
expect_eq "$(jq -r .version "$W/out.json")" $((v1 + 2)) "version"
