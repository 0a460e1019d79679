# Crash test: a second itakud on a copy of the instance is killed with
# SIGKILL at random moments while six clients upload in parallel, three per
# organisation, so that acceptances commit together and share their fsync
# (group commit, core/db/durable.h) (bounded: 5 kills, well under a minute). After each restart: every submission that got a 201 is
# there with intact bytes, no half-written package is left in store/tmp,
# fsck is clean and the audit chain verifies.
inst_copy "$INST" "$W/crash" || die "copy of the instance"
CPORT=$(free_port)
CBASE=https://localhost:$CPORT
: >"$W/acked"
client() { # NAME SIGNER: runs until the file $W/stop exists; appends "id sha" of every 201
	local n=0
	while [ ! -e "$W/stop" ]; do
		n=$((n % 5 + 1))
		# a fresh package per upload: it quotes the assignment's current nonce
		ITAKU_E2E_INST=$W/crash python3 "$HERE/mkpkg.py" --fixtures "$W/fx" \
			--out "$W/k-$1.asice" --signer "$2" --set-level "4.$n=$n" || continue
		code=$(curl -sS -o "$W/k-out-$1.json" -w '%{http_code}' --max-time 5 --cacert "$INST/pki/ca.crt" \
			--cert "$W/fx/$2.crt" --key "$W/fx/$2.key" \
			-H 'Content-Type: application/vnd.etsi.asic-e+zip' \
			--data-binary "@$W/k-$1.asice" "$CBASE/api/v1/submissions" 2>/dev/null)
		[ "$code" = 201 ] && jq -r '"\(.id) \(.sha256)"' "$W/k-out-$1.json" >>"$W/acked"
	done
}
start_crash_server() {
	"$ITAKUD" --config "$W/crash/itaku.conf" --port "$CPORT" >>"$W/crash.log" 2>&1 &
	CPID=$!
	for _ in $(seq 1 100); do
		curl -sf --cacert "$INST/pki/ca.crt" "$CBASE/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	die "crash server did not start"
}
check_state() {
	while read -r id sha; do
		[ -n "$id" ] || continue
		got=$(dbi "$W/crash" "SELECT sha256 FROM submissions WHERE id=$id")
		expect_eq "$got" "$sha" "acknowledged submission $id"
	done <"$W/acked"
	out=$("$ITAKU" fsck --config "$W/crash/itaku.conf") || die "fsck after crash: $out"
	"$ITAKU" audit verify --config "$W/crash/itaku.conf" | grep -q intact || die "audit chain after crash"
}
rm -f "$W/stop"
start_crash_server
pids=()
for c in a:resp-ec b:resp-rsa c:resp-ec d:resp-rsa e:resp-ec f:resp-rsa; do
	client "${c%%:*}" "${c#*:}" &
	pids+=($!)
done
for round in 1 2 3 4 5; do
	sleep "0.$((RANDOM % 9 + 1))"
	kill -9 "$CPID"
	wait "$CPID" 2>/dev/null
	left=$(ls -A "$W/crash/store/tmp")
	start_crash_server
	# what the killed server was writing is removed at start (uploads to
	# the new server may already have new temporary files there)
	for f in $left; do
		[ ! -e "$W/crash/store/tmp/$f" ] || die "half-written $f left in store/tmp (round $round)"
	done
	check_state
done
touch "$W/stop"
wait "${pids[@]}"
kill -TERM "$CPID"
wait "$CPID" 2>/dev/null
check_state
acks=$(wc -l <"$W/acked")
[ "$acks" -gt 0 ] || die "no upload was acknowledged"
echo "crash test: $acks acknowledged uploads from 6 parallel clients, all present after 5 kills"
