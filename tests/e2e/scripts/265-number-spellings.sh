# Numbers from the command line and the configuration are read one strict
# way (forms/number.h): `itakud --port` and a configuration limit written
# with a sign, a leading zero, a space or out of range are refused with a
# message naming the value, and the server does not start.
for p in "+8443" "08443" " 8443" "8443x" "0" "65536" ""; do
	out=$("$ITAKUD" --config "$INST/itaku.conf" --port "$p" 2>&1)
	rc=$?
	expect_eq "$rc" 2 "itakud --port '$p': exit"
	[[ "$out" == *"--port \"$p\" is not a port number (1 to 65535)"* ]] || die "itakud --port '$p': $out"
done
mkdir -p "$W/num"
cp -a "$INST/pki" "$W/num/"
for v in "03" "+3" "3 x" "101"; do
	printf '[server]\nuser = %s\n[chains]\nmax_depth = %s\n' "$(id -un)" "$v" >"$W/num/itaku.conf"
	out=$(timeout 10 "$ITAKUD" --config "$W/num/itaku.conf" --port "$(free_port)" 2>&1)
	rc=$?
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || die "max_depth = $v: itakud exit $rc"
	[[ "$out" == *"[chains] max_depth: invalid value \"$v\""* ]] || die "max_depth = $v: $out"
done
