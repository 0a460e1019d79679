# Log injection (issue 11, hole 9): control bytes in what a request brings
# (the URL, here) never start a line of their own in itakud's log. Sent as
# an authenticated request, whose refusal is logged per request.
before=$(wc -l <"$W/itakud.log")
expect_eq "$(api resp-ec GET '/api/v1/submissions/1%0a2026-12-01T00:00:00Z%20itakud[1]%20info:%20FORGED' -g)" 404 "newline in the path"
expect_eq "$(api resp-ec GET '/api/v1/submissions/x%0d%0aFORGED2%1b[2J%e2%80%ae' -g)" 404 "CR LF, ESC and RLO in the path"
sleep 0.2
tail -n +"$((before + 1))" "$W/itakud.log" >"$W/new.log"
grep -q "FORGED" "$W/new.log" || die "the request was not logged at all"
if grep -q "^[^ ]*FORGED\|^2026-12-01T00:00:00Z itakud\[1\]\|^FORGED2" "$W/new.log"; then
	die "a forged log line: $(grep FORGED "$W/new.log")"
fi
grep -q '\\x0a2026-12-01T00:00:00Z' "$W/new.log" || die "newline not escaped: $(grep FORGED "$W/new.log")"
grep -q '\\x0d\\x0aFORGED2\\x1b\[2J\\u202e' "$W/new.log" || die "CR/LF/ESC/RLO not escaped: $(grep FORGED2 "$W/new.log")"
