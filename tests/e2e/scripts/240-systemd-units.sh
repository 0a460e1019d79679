# The shipped systemd units stay hardened: `systemd-analyze security
# --offline=true` rates each at an overall exposure of 2.0 or less (a bare
# unit rates far above, so the parsing is checked too), and the settings
# that keep the configuration and CA key out of the service's reach are
# there. Without a systemd-analyze that works offline the script says SKIP.
U=$ROOT/config
exposure() { # unit file → the overall exposure level, e.g. 1.1
	systemd-analyze security --offline=true "$1" 2>/dev/null |
		sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p'
}
mkdir -p "$W/units"
printf '[Service]\nExecStart=/bin/true\n' >"$W/units/bare.service"
bare=$(exposure "$W/units/bare.service")
if [ -z "$bare" ]; then
	skip "systemd-analyze security --offline=true does not run here"
fi
awk -v e="$bare" 'BEGIN { exit !(e > 2.0) }' || die "a bare unit rates $bare: the parsing is wrong"
for unit in itakud.service itaku-remind.service; do
	e=$(exposure "$U/$unit")
	[ -n "$e" ] || die "$unit: no exposure level"
	echo "$unit: exposure $e"
	awk -v e="$e" 'BEGIN { exit !(e <= 2.0) }' || die "$unit: exposure $e, want <= 2.0"
	for want in 'ProtectSystem=strict' 'ReadWritePaths=/var/lib/itaku' \
		'ReadOnlyPaths=/var/lib/itaku/itaku.conf /var/lib/itaku/pki' 'UMask=0077' \
		'NoNewPrivileges=yes' 'CapabilityBoundingSet=' 'SystemCallFilter=@system-service' \
		'User=itaku' 'ExecStart=/usr/local/bin/itak.* --config /var/lib/itaku/itaku.conf'; do
		grep -qx "$want" "$U/$unit" || die "$unit: no line '$want'"
	done
done
grep -qx 'LimitNOFILE=4096' "$U/itakud.service" || die "itakud.service: LimitNOFILE"
