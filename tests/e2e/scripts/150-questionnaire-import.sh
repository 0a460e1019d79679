# `itaku questionnaire import|list` on the running instance: the shipped
# questionnaire is there from `itaku init`, an identical re-import changes
# nothing, changed content under the same version and invalid files are
# refused with a reason and leave the table as it was.
C=(--config "$INST/itaku.conf")
"$ITAKU" questionnaire list "${C[@]}" | grep -q '^ipa-benchmark@1  27 items  variants \["low-it","high-it"\]' ||
	die "shipped questionnaire missing"
"$ITAKU" questionnaire list "${C[@]}" | grep -q '^csmg-checklist@1  20 items' ||
	die "shipped CSMG checklist missing"
before=$(dbq "SELECT id, version, sha256 FROM questionnaires ORDER BY 1, 2")
out=$("$ITAKU" questionnaire import "$ROOT/forms/questionnaires/ipa-benchmark.xml" "${C[@]}") ||
	die "re-import failed: $out"
[[ "$out" == *"already imported"* ]] || die "re-import: $out"
sed 's/desirable="3"/desirable="2"/' "$ROOT/forms/questionnaires/ipa-benchmark.xml" >"$W/q-changed.xml"
out=$("$ITAKU" questionnaire import "$W/q-changed.xml" "${C[@]}" 2>&1) && die "changed v1 accepted"
[[ "$out" == *"exists with other content"* ]] || die "changed: $out"
sed 's/<item id="2.1"/<item id="3.9"/' "$ROOT/forms/questionnaires/ipa-benchmark.xml" >"$W/q-bad.xml"
out=$("$ITAKU" questionnaire import "$W/q-bad.xml" "${C[@]}" 2>&1) && die "bad item id accepted"
[[ "$out" == *"item 3.9 is in section 2"* ]] || die "bad: $out"
expect_eq "$(dbq "SELECT id, version, sha256 FROM questionnaires ORDER BY 1, 2")" \
	"$before" "questionnaires table"
sed 's/version="1"/version="2026-04"/' "$W/q-changed.xml" >"$W/q-v2.xml"
"$ITAKU" questionnaire import "$W/q-v2.xml" "${C[@]}" | grep -qx 'imported ipa-benchmark@2026-04' ||
	die "new version not imported"
"$ITAKU" audit verify "${C[@]}" | grep -q intact || die "audit chain"
