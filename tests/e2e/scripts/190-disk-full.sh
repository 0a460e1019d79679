# Disk full: the package store of a second itakud is a 256 KiB file
# system. When it is full, an upload gets 507 storage_full, is audited, and
# nothing already stored is harmed; once there is room again uploads
# succeed. The file system is a tmpfs, or where tmpfs cannot be mounted an
# ext2 image on a loop device; both need mount(2), that is root (CI runs as
# root). Without it the script is skipped (counted and printed as such).
mkdir -p "$W/full/mnt"
if mount -t tmpfs -o size=256k tmpfs "$W/full/mnt" 2>"$W/full/mount.err"; then
	:
elif [ "$(id -u)" = 0 ] && command -v mkfs.ext2 >/dev/null &&
	head -c 512k /dev/zero >"$W/full/fs.img" && mkfs.ext2 -q -F -m 0 "$W/full/fs.img" &&
	mount -o loop "$W/full/fs.img" "$W/full/mnt" 2>>"$W/full/mount.err"; then
	:
else
	skip "cannot mount a small file system here (needs root): $(head -n 1 "$W/full/mount.err")"
fi
# the script runs in a subshell: its EXIT trap cleans up on success and on die
FPID=
trap '[ -n "$FPID" ] && kill -9 "$FPID" 2>/dev/null; wait 2>/dev/null; umount "$W/full/mnt" 2>/dev/null' EXIT
# a copy of the shared instance (on PostgreSQL a database of its own) with
# its store on the small file system; [server] user: the account running
# the tests (root on CI) says so
F=$W/full/inst
inst_copy "$INST" "$F" || die "copy of the instance"
{ grep -v '^\(store\|user\) =' "$F/itaku.conf"; printf '\n[server]\nuser = %s\n[storage]\nstore = %s\n' "$(id -un)" "$W/full/mnt/store"; } >"$F/conf.new"
mv "$F/conf.new" "$F/itaku.conf"
# the organisations and campaigns of the shared instance, none of its packages
dbi "$F" "UPDATE assignments SET latest_submission_id = NULL; DELETE FROM section_scores;
	DELETE FROM scores; DELETE FROM answers; DELETE FROM receipts; DELETE FROM submissions"
pkg_clear "$F"
FPORT=$(free_port)
"$ITAKUD" --config "$F/itaku.conf" --port "$FPORT" >>"$W/full.log" 2>&1 &
FPID=$!
for _ in $(seq 1 100); do
	curl -sf --cacert "$INST/pki/ca.crt" "https://localhost:$FPORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
fup() { # package → status; body in $W/full/out.json
	curl -sS -o "$W/full/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" \
		--cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" \
		-H 'Content-Type: application/vnd.etsi.asic-e+zip' --data-binary "@$1" \
		"https://localhost:$FPORT/api/v1/submissions"
}
export ITAKU_E2E_INST=$F # nonces of this instance
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/full/a.asice" --signer resp-ec --evidence-random 40000
expect_eq "$(fup "$W/full/a.asice")" 201 "first upload"
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/full/b.asice" --signer resp-ec --evidence-random 60000
# fill the file system up to the last few KiB
head -c 1000000 /dev/zero >"$W/full/mnt/filler" 2>/dev/null || true
before=$(dbi "$F" "SELECT count(*) FROM submissions; SELECT count(*) FROM answers")
expect_eq "$(fup "$W/full/b.asice")" 507 "upload into a full store"
expect_eq "$(jq -r .error.code "$W/full/out.json")" storage_full "error code"
expect_eq "$(dbi "$F" "SELECT count(*) FROM submissions; SELECT count(*) FROM answers")" "$before" "database"
expect_eq "$(dbi "$F" "SELECT outcome || ' ' || code FROM audit_log ORDER BY seq DESC LIMIT 1")" "rejected storage_full" "audit"
[ -z "$(ls -A "$W/full/mnt/store/tmp")" ] || die "partial file left in store/tmp"
out=$("$ITAKU" fsck --config "$F/itaku.conf") || die "fsck with a full disk: $out"
[[ "$out" == "fsck: 1 submissions checked, 0 missing or corrupt, 0 orphan files" ]] || die "fsck: $out"
rm -f "$W/full/mnt/filler"
expect_eq "$(fup "$W/full/b.asice")" 201 "upload once there is room"
kill -TERM "$FPID"
wait "$FPID" 2>/dev/null
! grep -q "AddressSanitizer\|runtime error:" "$W/full.log" || die "sanitizer report: $(cat "$W/full.log")"
