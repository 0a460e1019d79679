# backends: sqlite
# (itaku backup and restore of the sqlite file, found through ITAKU_CONFIG)
# Every instance command finds its instance the same way: --config, else
# $ITAKU_CONFIG, else ./itaku.conf (issue 15, 1). Run from a directory with
# no itaku.conf, backup, restore and fsck honour $ITAKU_CONFIG as audit
# verify does; with nothing to find, each names the file it looked for and
# how to name another, and exits 1.
cd "$W" || die "cd"
[ ! -e itaku.conf ] || die "the work directory must not hold an itaku.conf"
ITAKU_CONFIG="$INST/itaku.conf" "$ITAKU" backup --to "$W/env-backup.db" | grep -q "backed up" ||
	die "backup ignores ITAKU_CONFIG"
[ -s "$W/env-backup.db" ] || die "no backup written"
# (earlier scripts may have left orphans in the shared store: fsck's verdict
# is not this script's concern, only that it read this instance)
out=$(ITAKU_CONFIG="$INST/itaku.conf" "$ITAKU" fsck 2>&1)
[[ "$out" == *"fsck: "*" submissions checked"* ]] || die "fsck with ITAKU_CONFIG: $out"
ITAKU_CONFIG="$INST/itaku.conf" "$ITAKU" audit verify | grep -q intact || die "audit verify"
# restore into a copy named only by the environment
cp -a "$INST" "$W/env-restored"
rm -f "$W/env-restored/itaku.db" "$W/env-restored/itaku.db-wal" "$W/env-restored/itaku.db-shm"
ITAKU_CONFIG="$W/env-restored/itaku.conf" "$ITAKU" restore --from "$W/env-backup.db" |
	grep -q restored || die "restore ignores ITAKU_CONFIG"
unzip -p "$W/env-backup.db" itaku.db >"$W/env-backup.sqlite"
expect_eq "$(sqlite3 "$W/env-restored/itaku.db" "SELECT count(*) FROM submissions")" \
	"$(sqlite3 "$W/env-backup.sqlite" "SELECT count(*) FROM submissions")" "restored submissions"
# --config wins over the environment
out=$(ITAKU_CONFIG=/nonexistent/itaku.conf "$ITAKU" audit verify --config "$INST/itaku.conf") ||
	die "--config over ITAKU_CONFIG: $out"
# nothing to find: which file, and how to name another
for cmd in "backup --to $W/x.db" "restore --from $W/env-backup.db" fsck "audit verify" "campaign list"; do
	# shellcheck disable=SC2086
	err=$("$ITAKU" $cmd 2>&1 >/dev/null) && die "itaku $cmd without a configuration succeeded"
	[[ "$err" == *"no configuration at itaku.conf (the default, in the current directory)"* ]] ||
		die "itaku $cmd: $err"
	[[ "$err" == *"--config FILE or ITAKU_CONFIG=FILE"* || "$err" == *"--config DIR/itaku.conf or ITAKU_CONFIG=DIR/itaku.conf"* ]] ||
		die "itaku $cmd: how to name one: $err"
	# shellcheck disable=SC2086
	[[ "$cmd" == restore* ]] && continue # a named place is where a new machine's instance goes
	err=$(ITAKU_CONFIG=/nonexistent/itaku.conf "$ITAKU" $cmd 2>&1 >/dev/null) &&
		die "itaku $cmd with a missing ITAKU_CONFIG succeeded"
	[[ "$err" == *"no configuration at /nonexistent/itaku.conf (\$ITAKU_CONFIG)"* ]] ||
		die "itaku $cmd: $err"
done
[ ! -e itaku.conf ] || die "a restore without a named place made an instance here"
[ ! -e "$W/x.db" ] || die "a backup was written without an instance"
