# backends: sqlite
# (the modes of itaku.db, its WAL and SHM, a restored database file and the package files)
# Private by construction: with the caller's umask at 022, what itaku and
# itakud create is the owner's alone — the instance directory, pki/ and
# its keys, the configuration, the database with its WAL and SHM, the
# store's directories (700) and packages (400: write-once), backups and
# restored databases, packed packages and templates (600).
umask 022
M=$W/modes
"$ITAKU" init "$M" --demo >/dev/null || die "init"
mode() { stat -c %a "$1"; }
MPORT=$(free_port)
"$ITAKUD" --config "$M/itaku.conf" --port "$MPORT" >"$W/modes-itakud.log" 2>&1 &
MPID=$!
trap '[ -n "$MPID" ] && kill -9 "$MPID" 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 1 100); do
	curl -sf --cacert "$M/pki/ca.crt" "https://localhost:$MPORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
O=7999900000002
"$ITAKU" pack --answers "$M/examples/$O/answers.xml" --cert "$M/pki/$O/client.crt" \
	--key "$M/pki/$O/client.key" -o "$W/modes.asice" >/dev/null || die "pack"
code=$(curl -s -o "$W/modes.json" -w '%{http_code}' --cacert "$M/pki/ca.crt" --cert "$M/pki/$O/client.crt" \
	--key "$M/pki/$O/client.key" -H 'Content-Type: application/vnd.etsi.asic-e+zip' \
	--data-binary "@$W/modes.asice" "https://localhost:$MPORT/api/v1/submissions")
expect_eq "$code" 201 "upload"
sha=$(jq -r .sha256 "$W/modes.json")
"$ITAKU" backup --to "$W/modes-backup.db" --config "$M/itaku.conf" >/dev/null || die "backup"
"$ITAKU" template --campaign 1 --org "$O" --output "$W/modes-template.xml" --config "$M/itaku.conf" ||
	die "template"
for f in "$M" "$M/pki" "$M/pki/$O" "$M/examples" "$M/store" "$M/store/tmp" "$M/store/${sha:0:2}"; do
	expect_eq "$(mode "$f")" 700 "mode of directory $f"
done
for f in "$M/itaku.conf" "$M/pki/ca.key" "$M/pki/server.key" "$M/pki/tsa.key" "$M/pki/ca.crt" \
	"$M/pki/$O/client.key" "$M/itaku.db" "$M/itaku.db-wal" "$M/itaku.db-shm" \
	"$W/modes-backup.db" "$W/modes.asice" "$W/modes-template.xml"; do
	expect_eq "$(mode "$f")" 600 "mode of $f"
done
expect_eq "$(mode "$M/store/${sha:0:2}/$sha")" 400 "mode of the stored package"
kill -TERM "$MPID"
wait "$MPID"
MPID=
# a restore into a fresh file is private too
{ cat "$M/itaku.conf"; printf '\n[storage]\ndatabase = restored.db\n'; } >"$M/restore.conf"
"$ITAKU" restore --from "$W/modes-backup.db" --config "$M/restore.conf" >/dev/null || die "restore"
expect_eq "$(mode "$M/restored.db")" 600 "mode of a restored database"
