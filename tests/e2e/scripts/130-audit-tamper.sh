# Editing one audit row directly in sqlite is caught by `itaku audit verify`,
# which names the row (on a copy, so the running instance stays intact).
out=$("$ITAKU" audit verify --config "$INST/itaku.conf") || die "intact log reported broken: $out"
mkdir -p "$W/tamper/pki"
sqlite3 "$INST/itaku.db" ".backup '$W/tamper/itaku.db'"
printf '[storage]\ndatabase = itaku.db\nstore = store\n' >"$W/tamper/itaku.conf"
seq=$(sqlite3 "$W/tamper/itaku.db" "SELECT seq FROM audit_log WHERE outcome='rejected' LIMIT 1")
sqlite3 "$W/tamper/itaku.db" "UPDATE audit_log SET code='ok' WHERE seq=$seq"
out=$("$ITAKU" audit verify --config "$W/tamper/itaku.conf") && die "tampered log verified: $out"
[[ "$out" == *"BROKEN at entry $seq "* ]] || die "wrong report: $out"
