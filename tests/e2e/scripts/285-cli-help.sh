# `itaku help`, `itaku help CMD` and `itaku CMD --help` print the command's
# forms and one line per option and exit 0 (issue 15, 4); -o means the
# output file wherever it is taken: `itaku template -o ORG` is a usage
# error, not an organisation.
out=$("$ITAKU" help) || die "itaku help exit $?"
cmds=$(printf '%s\n' "$out" | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}')
[ "$(printf '%s\n' "$cmds" | wc -l)" -ge 16 ] || die "itaku help lists: $cmds"
for c in $cmds; do
	a=$("$ITAKU" help "$c") || die "itaku help $c exit $?"
	b=$("$ITAKU" "$c" --help) || die "itaku $c --help exit $?"
	[ "$a" = "$b" ] || die "itaku help $c and itaku $c --help differ"
	[[ "$a" == *"usage:"*"  itaku $c"*"options:"* ]] || die "itaku help $c: $a"
	# one line per option, each with its meaning
	re='^--[a-z][a-z0-9-]*( [^ ]+)?  +[a-z(]'
	while read -r line; do
		[[ "$line" =~ $re ]] || die "itaku help $c: option line '$line'"
		[[ "$line" != *"(undocumented)"* ]] || die "itaku help $c: $line"
	done < <(printf '%s\n' "$a" | awk '/^options:/{on=1; next} on')
done
"$ITAKU" help campaign | grep -q -- '--vendor-invites' || die "campaign help lacks --vendor-invites"
"$ITAKU" help template | grep -q -- '--org ORG' || die "template help lacks --org"
"$ITAKU" help nosuch >/dev/null 2>&1
expect_eq "$?" 2 "itaku help nosuch"
# -o is the output file only
"$ITAKU" template --campaign 1 -o 7999900000002 --config "$INST/itaku.conf" >/dev/null 2>&1
expect_eq "$?" 2 "itaku template -o ORG"
"$ITAKU" template --campaign 1 --org 7999900000002 --output "$W/t.xml" --config "$INST/itaku.conf" ||
	die "itaku template --org --output"
grep -q '<answers' "$W/t.xml" || die "template written"
