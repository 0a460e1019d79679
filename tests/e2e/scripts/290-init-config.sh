# `itaku init` writes the documented configuration: every section and key of
# config/itaku.conf.example with its comments (issue 15, 13), each key a
# commented default (so a key added later is the only one of its name), the
# account line set as init decides, and the result loads.
"$ITAKU" init "$W/fresh" >/dev/null || die "itaku init"
conf="$W/fresh/itaku.conf"
sections() { grep -E '^\[[a-z]+\]$' "$1"; }
keys() { grep -E '^[;#]? ?[a-z_]+ =' "$1" | sed -E 's/^[;#]? ?//; s/ =.*//' | sort; }
expect_eq "$(sections "$conf")" "$(sections "$ROOT/config/itaku.conf.example")" "sections"
expect_eq "$(keys "$conf")" "$(keys "$ROOT/config/itaku.conf.example")" "keys"
for s in reminders mail limits chains tsa; do
	grep -q "^\[$s\]$" "$conf" || die "[$s] missing"
done
# the comments came along
grep -q '^# ' <(sed -n '/^\[reminders\]/,/^\[/p' "$conf") || die "[reminders] without comments"
# no key is set but the account line: the defaults are the parser's
expect_eq "$(grep -E '^[a-z_]+ =' "$conf" | grep -v '^user =')" "" "keys set"
# exactly one account line, as init decides (not root here: no --user, no --demo)
expect_eq "$(grep -cE '^#? ?user =' "$conf")" 1 "account lines"
"$ITAKU" fsck --config "$conf" >/dev/null || die "the written configuration does not load"
