# backends: sqlite
# (itaku backup and restore copy the sqlite file; fsck finds packages damaged on disk)
# Online backup while uploads run, restore into a second instance directory:
# every submission acknowledged before the backup started is there with its
# bytes, fsck is clean, the audit chain verifies and exports as JSON lines.
# Then fsck names a missing and a corrupt package and an orphan file.
C=(--config "$INST/itaku.conf")
# each package is built just before its upload: it quotes the current nonce
b_pkg() { python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/b-$1.asice" --signer resp-rsa --set-level "3.$(($1 % 7 + 1))=$(($1 % 5 + 1))"; }
for i in 1 2 3 4; do
	b_pkg "$i"
	expect_eq "$(upload resp-rsa "$W/b-$i.asice")" 201 "before backup $i"
done
acked=$(dbq "SELECT id || ' ' || sha256 FROM submissions ORDER BY id")
# uploads keep running while the backup is taken
(for i in 5 6 7 8; do b_pkg "$i" && upload resp-rsa "$W/b-$i.asice" >/dev/null; done) &
loader=$!
"$ITAKU" backup --to "$W/backup.db" "${C[@]}" | grep -q "backed up" || die "backup failed"
wait "$loader"
cp -a "$INST" "$W/restored"
rm -f "$W/restored/itaku.db" "$W/restored/itaku.db-wal" "$W/restored/itaku.db-shm"
R=(--config "$W/restored/itaku.conf")
"$ITAKU" restore --from "$W/backup.db" "${R[@]}" | grep -q "restored" || die "restore failed"
while read -r id sha; do
	expect_eq "$(sqlite3 "$W/restored/itaku.db" "SELECT sha256 FROM submissions WHERE id=$id")" "$sha" "submission $id after restore"
done <<<"$acked"
out=$("$ITAKU" fsck "${R[@]}") || die "fsck of the restored instance: $out"
[[ "$out" == *", 0 missing or corrupt, "* ]] || die "fsck of the restored instance: $out"
"$ITAKU" audit verify "${R[@]}" | grep -q intact || die "restored audit chain"
n=$(sqlite3 "$W/restored/itaku.db" "SELECT count(*) FROM audit_log")
expect_eq "$("$ITAKU" audit export "${R[@]}" | jq -c 'select(.hash | length == 64)' | wc -l)" "$n" "export lines"
"$ITAKU" audit export "${R[@]}" | head -n 1 | jq -e '.seq == 1 and (.prev_hash | test("^0{64}$"))' >/dev/null ||
	die "first exported entry"
# damage the restored copy's store: fsck names each problem
first=$(sqlite3 "$W/restored/itaku.db" "SELECT sha256 FROM submissions ORDER BY id LIMIT 1")
second=$(sqlite3 "$W/restored/itaku.db" "SELECT sha256 FROM submissions ORDER BY id LIMIT 1 OFFSET 1")
[ "$first" != "$second" ] || die "need two distinct packages"
rm -f "$W/restored/store/${first:0:2}/$first"
chmod u+w "$W/restored/store/${second:0:2}/$second"
printf 'x' >>"$W/restored/store/${second:0:2}/$second"
mkdir -p "$W/restored/store/ff"
echo junk >"$W/restored/store/ff/$(printf 'f%.0s' $(seq 1 64))"
out=$("$ITAKU" fsck "${R[@]}") && die "fsck passed a damaged store"
[[ "$out" == *"missing submission "*" $first"* ]] || die "fsck missing: $out"
[[ "$out" == *"corrupt submission "*" $second"* ]] || die "fsck corrupt: $out"
[[ "$out" == *"orphan ff/"* ]] || die "fsck orphan: $out"
