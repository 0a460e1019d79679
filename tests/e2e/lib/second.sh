# second.sh — a second itakud on a copy of the test instance, for scripts
# that need other settings (limits, origins) than the shared server. Sourced
# by run.sh, after lib/db.sh.

# second_start NAME [CONF-LINES]: copies $INST to $W/NAME (inst_copy: its
# database too, so that the second server changes only the copy), appends the lines
# (INI; a section may repeat a key only if the instance lacks it) to its
# config, starts itakud on a free port: $S2 (dir), $S2BASE, $S2PID, $S2PORT
second_start() {
	S2=$W/$1
	rm -rf "$S2"
	inst_copy "$INST" "$S2" || die "copy of $INST"
	[ -n "${2:-}" ] && printf '\n%s\n' "$2" >>"$S2/itaku.conf"
	S2PORT=$(free_port)
	S2BASE=https://localhost:$S2PORT
	"$ITAKUD" --config "$S2/itaku.conf" --port "$S2PORT" >>"$S2/itakud.log" 2>&1 &
	S2PID=$!
	echo "$S2PID" >>"$W/second.pids" # run.sh stops it should the script die first
	for _ in $(seq 1 100); do
		curl -sf --cacert "$INST/pki/ca.crt" "$S2BASE/healthz" >/dev/null 2>&1 && return 0
		kill -0 "$S2PID" 2>/dev/null || die "second itakud did not start: $(tail -3 "$S2/itakud.log")"
		sleep 0.1
	done
	die "second itakud did not answer"
}

second_stop() {
	kill -TERM "$S2PID" 2>/dev/null
	wait "$S2PID" 2>/dev/null
	sed -i "/^$S2PID\$/d" "$W/second.pids"
	! grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$S2/itakud.log" ||
		die "second itakud: $(grep -m3 'Sanitizer\|runtime error' "$S2/itakud.log")"
}

# s2 CLIENT METHOD PATH [curl args…]: like api, against the second server
s2() {
	local client=$1 method=$2 path=$3
	shift 3
	# shellcheck disable=SC2046
	curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" -X "$method" \
		$(client_args "$client") "$@" "$S2BASE$path"
}
