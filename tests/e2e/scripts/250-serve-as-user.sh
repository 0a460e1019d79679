# backends: sqlite
# (the owners of itaku.db, its WAL and SHM, and of the package files)
# itakud started as root: refuses without [server] user (and with an
# unknown account, or a configuration others could change); with
# `user = nobody` it serves /healthz and uploads as nobody, every thread
# with uid/gid nobody, no capabilities and no_new_privs, and what it
# creates (WAL, SHM, store files) is nobody's and private. The service
# account cannot change or replace the configuration or pki/. Root only
# (CI runs as root); otherwise SKIP.
if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1; then
	skip "needs root and the account nobody"
fi
NOBODY=$(id -u nobody)
NOGROUP=$(id -g nobody)
D=$(mktemp -d /tmp/itaku-user.XXXXXX)
chmod 0711 "$D" # nobody must reach the instance inside
UPID=
trap '[ -n "$UPID" ] && kill -9 "$UPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
umask 022 # the caller's umask does not matter
"$ITAKU" init "$D/inst" --demo --user nobody >/dev/null || die "init --user nobody"
I=$D/inst
expect_eq "$(stat -c '%U %a' "$I/itaku.db" "$I/store" "$I/itaku.conf" "$I/pki/ca.key" "$I" | tr '\n' ' ')" \
	"nobody 600 nobody 700 root 640 root 640 root 1770 " "init --user layout"
# refused: no user, an unknown one, a configuration others may write
refused() { # config message-substring what
	local out
	out=$("$ITAKUD" --config "$1" --port "$(free_port)" 2>&1) && die "$3: itakud started"
	[[ "$out" == *"$2"* ]] || die "$3: message '$out', want '$2'"
}
sed '/^user = /d' "$I/itaku.conf" >"$I/nouser.conf"
refused "$I/nouser.conf" "refusing to serve as root: set [server] user = ACCOUNT" "root without user"
sed 's/^user = .*/user = no-such-account-itaku/' "$I/itaku.conf" >"$I/unknown.conf"
refused "$I/unknown.conf" '[server] user "no-such-account-itaku": no such account' "unknown user"
sed 's/^user = .*/user = nobody/' "$I/itaku.conf" >"$I/open.conf"
chmod 0666 "$I/open.conf"
refused "$I/open.conf" "must be owned by root and writable by root only" "writable config"
[ ! -e "$I/itaku.db-wal" ] || die "a refused start left a WAL file"
rm -f "$I/nouser.conf" "$I/unknown.conf" "$I/open.conf"

UPORT=$(free_port)
"$ITAKUD" --config "$I/itaku.conf" --port "$UPORT" >"$W/user-itakud.log" 2>&1 &
UPID=$!
for _ in $(seq 1 100); do
	curl -sf --cacert "$I/pki/ca.crt" "https://localhost:$UPORT/healthz" >/dev/null 2>&1 && break
	kill -0 "$UPID" 2>/dev/null || die "itakud as nobody exited: $(cat "$W/user-itakud.log")"
	sleep 0.1
done
expect_eq "$(curl -s --cacert "$I/pki/ca.crt" "https://localhost:$UPORT/healthz")" '{"status":"ok"}' "healthz"
st=/proc/$UPID/status
expect_eq "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "$st")" "$NOBODY $NOBODY $NOBODY $NOBODY" "uid"
expect_eq "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "$st")" "$NOGROUP $NOGROUP $NOGROUP $NOGROUP" "gid"
expect_eq "$(awk '/^Groups:/ {print NF - 1}' "$st")" 0 "supplementary groups"
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
	expect_eq "$(awk -v c="$c:" '$1 == c {print $2}' "$st")" 0000000000000000 "$c"
done
expect_eq "$(awk '/^NoNewPrivs:/ {print $2}' "$st")" 1 "no_new_privs"
for t in /proc/$UPID/task/*; do # every thread, the HTTP workers too
	expect_eq "$(awk '/^Uid:/ {print $2 $3 $4 $5}' "$t/status")" "$NOBODY$NOBODY$NOBODY$NOBODY" "thread $t uid"
	expect_eq "$(awk '/^CapEff:/ {print $2}' "$t/status")" 0000000000000000 "thread $t CapEff"
done
grep -q "serving as nobody" "$W/user-itakud.log" || die "start line does not say the account"

# an upload is stored by nobody, privately
O=7999900000002
"$ITAKU" pack --answers "$I/examples/$O/answers.xml" --cert "$I/pki/$O/client.crt" \
	--key "$I/pki/$O/client.key" -o "$D/p.asice" >/dev/null || die "pack"
code=$(curl -s -o "$D/out.json" -w '%{http_code}' --cacert "$I/pki/ca.crt" --cert "$I/pki/$O/client.crt" \
	--key "$I/pki/$O/client.key" -H 'Content-Type: application/vnd.etsi.asic-e+zip' \
	--data-binary "@$D/p.asice" "https://localhost:$UPORT/api/v1/submissions")
expect_eq "$code" 201 "upload as nobody ($(cat "$D/out.json"))"
sha=$(jq -r .sha256 "$D/out.json")
expect_eq "$(stat -c '%U %a' "$I/store/${sha:0:2}/$sha" "$I/store/${sha:0:2}" "$I/itaku.db-wal" "$I/itaku.db-shm" | tr '\n' ' ')" \
	"nobody 400 nobody 700 nobody 600 nobody 600 " "files itakud created"
# what root reads before switching is out of the account's reach
runuser -u nobody -- sh -c "echo 'user = root' >>'$I/itaku.conf'" 2>/dev/null && die "nobody wrote the configuration"
runuser -u nobody -- mv "$I/itaku.conf" "$I/moved.conf" 2>/dev/null && die "nobody replaced the configuration"
runuser -u nobody -- mv "$I/pki" "$I/pki2" 2>/dev/null && die "nobody replaced pki/"
runuser -u nobody -- sh -c "echo x >'$I/pki/ca.key'" 2>/dev/null && die "nobody wrote the CA key"
kill -TERM "$UPID"
wait "$UPID"
status=$?
UPID=
expect_eq "$status" 0 "itakud as nobody exit status"
! grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$W/user-itakud.log" ||
	die "sanitizer report: $(cat "$W/user-itakud.log")"
