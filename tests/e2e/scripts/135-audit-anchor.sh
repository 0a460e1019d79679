# The end of the audit log (issue 15, 10): the hash chain cannot show its
# own end cut off, so `itaku audit anchor` time-stamps the head with the
# instance TSA and keeps the token, and `itaku audit verify` prints the head
# for recording elsewhere and checks --expect-head. On a copy of the shared
# instance: deleting the last entries is reported with the anchor that
# proves it; a log rewritten from an anchor (the chain recomputed, intact)
# too; a tampered token does not verify; the token checks with openssl ts.
# every acceptance hands the uploader the head at its own audit entry
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/anc-1.asice" --signer resp-rsa --set-level "1.1=2" ||
	die "mkpkg"
# — its hash only: the sequence number counts every organisation's entries,
# which is not a vendor's to know; the entrusting company sees SEQ:HASH
expect_eq "$(upload resp-rsa "$W/anc-1.asice")" 201 "an upload"
vhead=$(jq -r .audit_head "$W/out.json")
sid=$(jq -r .id "$W/out.json")
[[ "$vhead" =~ ^[0-9a-f]{64}$ ]] || die "a respondent's audit head is not its hash alone: $(cat "$W/out.json")"
expect_eq "$(api resp-rsa GET "/api/v1/submissions/$sid")" 200 "the submission"
expect_eq "$(jq -r .audit_head "$W/out.json")" "$vhead" "the submission carries the hash"
expect_eq "$(api admin GET "/api/v1/submissions/$sid")" 200 "the submission, as the admin"
ahead=$(jq -r .audit_head "$W/out.json")
[[ "$ahead" =~ ^([0-9]+):([0-9a-f]{64})$ ]] || die "no audit head for the admin: $(cat "$W/out.json")"
expect_eq "${ahead#*:}" "$vhead" "the same entry"
expect_eq "$(dbq "SELECT seq || ':' || hash FROM audit_log WHERE action = 'submission.create' AND object = 'submission/$sid'")" \
	"$ahead" "the head is the acceptance's own entry"
for h in "$ahead" "$vhead"; do
	"$ITAKU" audit verify --expect-head "$h" --config "$INST/itaku.conf" | grep -q "expected head $h: in the log" ||
		die "the head $h checks against the log"
done

A=$W/anc
rm -rf "$A"
inst_copy "$INST" "$A" || die "copy of the instance"
AC=(--config "$A/itaku.conf")
out=$("$ITAKU" audit anchor "${AC[@]}") || die "anchor: $out"
[[ "$out" =~ ^anchored\ head\ ([0-9]+):([0-9a-f]{64})$ ]] || die "anchor said: $out"
seq1=${BASH_REMATCH[1]}
out=$("$ITAKU" audit anchor "${AC[@]}") || die "second anchor: $out"
[[ "$out" == "already anchored: head $seq1:"* ]] || die "an unchanged head anchored twice: $out"
expect_eq "$(dbi "$A" "SELECT count(*) FROM audit_anchors")" 1 "anchors"
# the token is an RFC 3161 time stamp over the head's text
dbi "$A" "SELECT $(sql_hex token) FROM audit_anchors" | xxd -r -p >"$W/anchor.tsr"
printf 'itaku audit head %s %s' "$seq1" "$(dbi "$A" "SELECT hash FROM audit_anchors")" >"$W/anchor.txt"
openssl ts -verify -in "$W/anchor.tsr" -data "$W/anchor.txt" -CAfile "$A/pki/ca.crt" >/dev/null 2>&1 ||
	die "openssl ts -verify of the anchor"

# more entries, a second anchor; the printed head is what an operator keeps
"$ITAKU" org add --id anchor-one --name "Anchor One" "${AC[@]}" >/dev/null || die "org add"
"$ITAKU" audit anchor "${AC[@]}" >/dev/null || die "anchor 2"
out=$("$ITAKU" audit verify "${AC[@]}") || die "verify: $out"
head=$(sed -n 's/^head //p' <<<"$out")
[[ "$head" =~ ^([0-9]+):[0-9a-f]{64}$ ]] || die "verify printed no head: $out"
seq2=${BASH_REMATCH[1]}
[ "$seq2" -gt "$seq1" ] || die "the head did not move: $seq1 → $seq2"
[[ "$out" == *"anchors: 2, each time stamp verified"* ]] || die "verify: $out"
"$ITAKU" audit verify --expect-head "$head" "${AC[@]}" | grep -q "expected head $head: in the log" ||
	die "--expect-head of the current head"
out=$("$ITAKU" audit verify --expect-head "nonsense" "${AC[@]}") && die "--expect-head nonsense passed"

# cut the log back to the first anchor: the chain is intact, the anchor says
G=$W/anc-good
rm -rf "$G"
inst_copy "$A" "$G" || die "copy of the anchored instance"
dbi "$A" "DELETE FROM audit_log WHERE seq > $seq1"
out=$("$ITAKU" audit verify "${AC[@]}") && die "verify passed a truncated log: $out"
[[ "$out" == *"audit log intact"* ]] || die "the chain itself: $out"
[[ "$out" == *"TRUNCATED or REWRITTEN: anchor of "*": entry $seq2 "*"is gone: the log ends at $seq1"* ]] ||
	die "truncation report: $out"
out=$("$ITAKU" audit verify --expect-head "$head" "${AC[@]}") && die "--expect-head passed a truncated log"
out=$("$ITAKU" audit verify --expect-head "${head#*:}" "${AC[@]}") && die "--expect-head HASH passed a truncated log"
[[ "$out" == *"no entry has hash ${head:${#seq2}+1:16}"*"the log ends at $seq1"* ]] || die "--expect-head HASH: $out"
# rewritten from there: new entries where the deleted ones were, chain intact
"$ITAKU" org add --id anchor-two --name "Anchor Two" "${AC[@]}" >/dev/null || die "org add 2"
"$ITAKU" org add --id anchor-three --name "Anchor Three" "${AC[@]}" >/dev/null || die "org add 3"
out=$("$ITAKU" audit verify "${AC[@]}") && die "verify passed a rewritten log: $out"
[[ "$out" == *"entry $seq2 has hash "*"the log was rewritten from there"* ]] || die "rewrite report: $out"
# a token changed in the database does not verify (on the copy taken
# before the cut)
AC=(--config "$G/itaku.conf")
"$ITAKU" audit verify "${AC[@]}" >/dev/null || die "the good copy"
dbi "$G" "UPDATE audit_anchors SET token = $(sql_blob 3000) WHERE id = 1"
out=$("$ITAKU" audit verify "${AC[@]}") && die "verify passed a forged token: $out"
[[ "$out" == *"anchor 1 of "*"time stamp does not verify"* ]] || die "token report: $out"
