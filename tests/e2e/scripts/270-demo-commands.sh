# The commands `make demo` prints work: a fresh demo instance
# (`itaku init --demo`, config/demo.sh), itakud on it, then every printed
# curl and itaku command run as printed (only the port changed): each
# succeeds, the upload is accepted, the admin reads it back, the aggregate
# and the CSV come, the replay is the 409 the text announces. The .p12 the
# text offers for the browser opens with the printed passphrase.
D=$W/demo
inst_init "$D" --demo >/dev/null || die "itaku init --demo"
(cd "$ROOT" && sh config/demo.sh "$D") >"$W/demo.out" || die "demo.sh"
grep -q 'https://localhost:8443/' "$W/demo.out" || die "the portal URL is not printed"
pass=$(sed -n 's/.*(passphrase: \([^)]*\)).*/\1/p' "$W/demo.out")
p12=$(grep -o "$D/pki/[0-9]*/client.p12" "$W/demo.out" | head -n 1)
openssl pkcs12 -in "$p12" -passin "pass:$pass" -noout 2>/dev/null || die "the printed .p12 and passphrase"
port=$(free_port)
"$ITAKUD" --config "$D/itaku.conf" --port "$port" >>"$D/itakud.log" 2>&1 &
pid=$!
echo "$pid" >>"$W/second.pids"
for _ in $(seq 1 100); do
	curl -sf --cacert "$D/pki/ca.crt" "https://localhost:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
# the commands: lines after "In another terminal:", continuations joined
sed -n '/In another terminal:/,$p' "$W/demo.out" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
	sed -n 's/^ *\(curl .*\|bin\/itaku .*\)$/\1/p' | sed "s|localhost:8443|localhost:$port|g" >"$W/demo.cmds"
[ "$(wc -l <"$W/demo.cmds")" -ge 6 ] || die "only $(wc -l <"$W/demo.cmds") commands printed"
n=0
while read -r cmd; do
	cmd=${cmd/#bin\/itaku /$ITAKU }
	out=$(cd "$W" && eval "$cmd" 2>&1) || die "demo command failed: $cmd: $out"
	case $n in
	0) [[ "$out" == *'"status":"accepted"'* ]] || die "the upload: $out" ;;
	esac
	n=$((n + 1))
done <"$W/demo.cmds"
expect_eq "$n" "$(wc -l <"$W/demo.cmds")" "commands run"
# the replay the text announces: the same package again is 409 nonce_reused
expect_eq "$(curl -sS -o "$W/out.json" -w '%{http_code}' --cacert "$D/pki/ca.crt" \
	--cert "$D/pki/7999900000002/client.crt" --key "$D/pki/7999900000002/client.key" \
	-H 'Content-Type: application/vnd.etsi.asic-e+zip' \
	--data-binary "@$D/examples/7999900000002/package.asice" "https://localhost:$port/api/v1/submissions")" 409 "replay"
kill -TERM "$pid" && wait "$pid"
sed -i "/^$pid\$/d" "$W/second.pids"
# a second `make demo` (issue 15, 7): demo.sh again, itakud again, and the
# printed upload is accepted (the next version), not refused as a replay
(cd "$ROOT" && sh config/demo.sh "$D") >"$W/demo2.out" || die "demo.sh, second time"
"$ITAKUD" --config "$D/itaku.conf" --port "$port" >>"$D/itakud.log" 2>&1 &
pid=$!
echo "$pid" >>"$W/second.pids"
for _ in $(seq 1 100); do
	curl -sf --cacert "$D/pki/ca.crt" "https://localhost:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
cmd=$(head -n 1 "$W/demo.cmds")
out=$(cd "$W" && eval "$cmd" 2>&1) || die "second demo's upload: $out"
[[ "$out" == *'"status":"accepted"'* && "$out" == *'"version":2'* ]] || die "second demo's upload: $out"
kill -TERM "$pid" && wait "$pid"
sed -i "/^$pid\$/d" "$W/second.pids"
