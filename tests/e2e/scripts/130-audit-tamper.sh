# Editing one audit row directly in the database is caught by `itaku audit
# verify`, which names the row (on a copy, so the running instance stays
# intact).
out=$("$ITAKU" audit verify --config "$INST/itaku.conf") || die "intact log reported broken: $out"
inst_copy "$INST" "$W/tamper" || die "copy of the instance"
seq=$(dbi "$W/tamper" "SELECT seq FROM audit_log WHERE outcome='rejected' ORDER BY seq LIMIT 1")
[ -n "$seq" ] || die "no refusal in the log to tamper with"
dbi "$W/tamper" "UPDATE audit_log SET code='ok' WHERE seq=$seq"
out=$("$ITAKU" audit verify --config "$W/tamper/itaku.conf") && die "tampered log verified: $out"
[[ "$out" == *"BROKEN at entry $seq "* ]] || die "wrong report: $out"
