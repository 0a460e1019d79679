# backends: sqlite
# (the archive holds itaku.db; the restore replaces that file, under itaku.db.lock)
# One archive of the whole instance (issue 15, 5 and 6): `itaku backup`
# while the shared itakud serves writes the database snapshot, the packages
# it references, pki/ and the configuration with a MANIFEST sha256sum
# checks; `itaku restore` on a "new machine" (nothing at the configuration
# path) brings it all back, and a server started on it knows every client
# and returns the packages and receipts of before. A restore while a server
# holds the instance is refused with instance_busy and changes nothing; a
# damaged, extended, edited or hostile archive is refused before anything
# is written.
C=(--config "$INST/itaku.conf")
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/arch-1.asice" --signer resp-ec --set-level "2.1=4" ||
	die "mkpkg"
expect_eq "$(upload resp-ec "$W/arch-1.asice")" 201 "a package to archive"
out=$("$ITAKU" backup --to "$W/inst.zip" "${C[@]}") || die "backup: $out"
[[ "$out" == "backed up to $W/inst.zip: the database, "*" packages, "*" files of pki/, the configuration"* ]] ||
	die "backup said: $out"
(mkdir "$W/unz" && cd "$W/unz" && unzip -q "$W/inst.zip" && sha256sum -c --quiet MANIFEST) ||
	die "the archive's MANIFEST does not check with sha256sum"
for f in itaku.db itaku.conf pki/ca.crt pki/ca.key pki/server.key pki/tsa.key; do
	[ -f "$W/unz/$f" ] || die "$f is not in the archive"
done
npk=$(sqlite3 "$W/unz/itaku.db" "SELECT count(DISTINCT sha256) FROM submissions")
[ "$npk" -gt 0 ] || die "the shared instance has no submissions yet"
expect_eq "$(find "$W/unz/store" -type f | wc -l)" "$npk" "packages in the archive"
[[ "$out" == *"database, $npk packages"* ]] || die "backup counted: $out"
[ "$(stat -c %a "$W/inst.zip")" = 600 ] || die "the archive holds keys: mode $(stat -c %a "$W/inst.zip")"

# a new machine: nothing at the configuration path
N=$W/newhost/itaku
out=$("$ITAKU" restore --from "$W/inst.zip" --config "$N/itaku.conf") || die "restore: $out"
[[ "$out" == *"the configuration (written)"* && "$out" == *"packages ($npk written, 0 already there)"* ]] ||
	die "restore said: $out"
out=$("$ITAKU" fsck --config "$N/itaku.conf") || die "fsck of the restored instance: $out"
"$ITAKU" audit verify --config "$N/itaku.conf" | grep -q intact || die "restored audit chain"
expect_eq "$(dbi "$N" "SELECT count(*), max(id) FROM submissions")" \
	"$(sqlite3 "$W/unz/itaku.db" "SELECT count(*), max(id) FROM submissions")" "submissions restored"
# a server on it: the same clients, the same packages and receipts
port=$(free_port)
"$ITAKUD" --config "$N/itaku.conf" --port "$port" >>"$W/newhost.log" 2>&1 &
npid=$!
echo "$npid" >>"$W/second.pids"
for _ in $(seq 1 100); do
	curl -sf --cacert "$N/pki/ca.crt" "https://localhost:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
sub=$(dbi "$N" "SELECT id FROM submissions WHERE org_id = '7999900000002' ORDER BY id DESC LIMIT 1")
[ -n "$sub" ] || die "no submission of resp-ec to read back"
# shellcheck disable=SC2046
code=$(curl -sS -o "$W/nh.json" -w '%{http_code}' --cacert "$N/pki/ca.crt" $(client_args resp-ec) \
	"https://localhost:$port/api/v1/submissions/$sub")
expect_eq "$code" 200 "a submission through the restored server (the client certificate still trusted)"
# shellcheck disable=SC2046
code=$(curl -sS -o "$W/nh.tsr" -w '%{http_code}' --cacert "$N/pki/ca.crt" $(client_args resp-ec) \
	"https://localhost:$port/api/v1/submissions/$sub/receipt")
expect_eq "$code" 200 "its receipt"

# restore while that server serves: instance_busy, nothing changed
before=$(dbi "$N" "SELECT count(*) FROM submissions; SELECT count(*) FROM audit_log")
ino=$(stat -c %i "$N/itaku.db")
out=$("$ITAKU" restore --from "$W/inst.zip" --config "$N/itaku.conf" 2>&1) && die "restore beside a server: $out"
[[ "$out" == *"instance_busy"* ]] || die "restore beside a server said: $out"
expect_eq "$(dbi "$N" "SELECT count(*) FROM submissions; SELECT count(*) FROM audit_log")" "$before" "state after a refused restore"
expect_eq "$(stat -c %i "$N/itaku.db")" "$ino" "the database file was not replaced"
kill -TERM "$npid" && wait "$npid"
sed -i "/^$npid\$/d" "$W/second.pids"
# stopped: the restore goes through, into a new file renamed into place,
# keeping the instance's own configuration and keys
out=$("$ITAKU" restore --from "$W/inst.zip" --config "$N/itaku.conf") || die "restore after stop: $out"
[[ "$out" == *"the configuration (kept)"* && "$out" == *"0 written, $npk already there"* && "$out" == *"pki/ (0 written, "* ]] ||
	die "second restore said: $out"
[ "$(stat -c %i "$N/itaku.db")" != "$ino" ] || die "the database was written in place"

# damaged archives: each refused before anything is written
bad() { # NAME EXPECTED-IN-MESSAGE: restore $W/NAME.zip onto a new path
	local t=$W/badhost-$1
	out=$("$ITAKU" restore --from "$W/$1.zip" --config "$t/itaku.conf" 2>&1) && die "restored $1"
	[[ "$out" == *"$2"* ]] || die "restore of $1 said: $out"
	[ ! -e "$t" ] || die "restore of $1 wrote $(find "$t" | head -3)"
}
python3 - "$W/inst.zip" "$W" <<'PY'
import sys, zipfile
src, w = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(src)
names = z.namelist()
def write(name, edit):
    with zipfile.ZipFile(f"{w}/{name}.zip", "w") as o:
        for n in names:
            r = edit(n, z.read(n))
            if r is not None:
                o.writestr(n, r)
        extra = edit(None, None)
        if extra:
            for n, data in extra:
                o.writestr(n, data)
# a changed byte in the configuration, manifest unchanged
write("edited", lambda n, d: (d.replace(b"[server]", b"[server]\nport = 1", 1) if n == "itaku.conf" else d) if n else None)
# an entry the manifest does not list
write("extra", lambda n, d: d if n else [("pki/extra.key", b"x")])
# a hostile name, listed in the manifest too
import hashlib
def hostile(n, d):
    if n is None:
        return [("../../escape.txt", b"x")]
    if n == "MANIFEST":
        return d + (hashlib.sha256(b"x").hexdigest() + "  ../../escape.txt\n").encode()
    return d
write("hostile", hostile)
# a manifest line without its entry
write("missing", lambda n, d: (None if n == "pki/ca.key" else d) if n else None)
PY
bad edited "itaku.conf: SHA-256"
bad extra 'entry "pki/extra.key" is not in the manifest'
bad hostile "manifest line"
bad missing "pki/ca.key is in the manifest, not in the archive"
printf 'not a zip' >"$W/junk.zip"
bad junk "not an itaku instance archive"

# an archive whose configuration points elsewhere (a backup share written
# by someone else): restored on a new machine it would decide where the
# database goes, as root. Refused; the file it names is untouched.
mkdir -p "$W/victim" && echo "precious" >"$W/victim/authorized_keys"
python3 - "$W/inst.zip" "$W" <<'PY'
import hashlib, sys, zipfile
src, w = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(src)
def rebuild(name, changes):
    files = {n: z.read(n) for n in z.namelist() if n != "MANIFEST"}
    files.update(changes)
    with zipfile.ZipFile(f"{w}/{name}.zip", "w") as o:
        for n, d in files.items():
            o.writestr(n, d)
        o.writestr("MANIFEST", "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in files.items()))
conf = z.read("itaku.conf") + f"\n[storage]\ndatabase = {w}/victim/authorized_keys\n".encode()
rebuild("elsewhere", {"itaku.conf": conf})
rebuild("relative", {"itaku.conf": z.read("itaku.conf") + b"\n[tls]\nkey = ../../x.key\n"})
rebuild("notdb", {"itaku.db": b"ssh-ed25519 AAAA attacker@evil\n"})
rebuild("bigkey", {"pki/big.key": b"x" * (1024 * 1024 + 1)})
PY
for a in elsewhere relative; do
	out=$("$ITAKU" restore --from "$W/$a.zip" --config "$W/host-$a/itaku.conf" 2>&1) && die "restored $a"
	[[ "$out" == *"the archive's itaku.conf names "*", outside "* ]] || die "restore of $a said: $out"
	[ ! -e "$W/host-$a/itaku.conf" ] && [ ! -e "$W/host-$a/pki" ] || die "restore of $a wrote the instance"
done
expect_eq "$(cat "$W/victim/authorized_keys")" "precious" "the file the archive named"
bad notdb "the archive's itaku.db is not an sqlite database"
bad bigkey "entry pki/big.key is larger than 1024 KiB"

# revocations made after the backup survive a restore of it (pki/revoked),
# and the restored log begins its new part with the restore
fp=$(openssl x509 -in "$W/fx/resp-rsa.crt" -outform DER | sha256sum | cut -c1-64)
"$ITAKU" cert revoke --fingerprint "$fp" --config "$N/itaku.conf" >/dev/null || die "revoke on the restored instance"
out=$("$ITAKU" restore --from "$W/inst.zip" --config "$N/itaku.conf") || die "restore over a revocation: $out"
[[ "$out" == *"re-applied 1 revocations made after the backup"* ]] || die "restore said: $out"
expect_eq "$(dbi "$N" "SELECT CAST(revoked_at IS NOT NULL AS INTEGER) FROM certificates WHERE fingerprint = '$fp'")" 1 "still revoked"
expect_eq "$(dbi "$N" "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")" instance.restore "the restore audited"
"$ITAKU" audit verify --config "$N/itaku.conf" | grep -q intact || die "the chain after a restore"

# the lock: a command holding the instance keeps a restore out, and a
# restore keeps commands out (flock(1) stands in for the other side)
flock -s "$N/itaku.db.lock" sleep 3 &
holder=$!
sleep 0.3
out=$("$ITAKU" restore --from "$W/inst.zip" --config "$N/itaku.conf" 2>&1) && die "restore beside a shared lock: $out"
[[ "$out" == *instance_busy* ]] || die "restore beside a command said: $out"
wait "$holder"
flock -x "$N/itaku.db.lock" sleep 3 &
holder=$!
sleep 0.3
out=$("$ITAKU" campaign list --config "$N/itaku.conf" 2>&1) && die "a command during a restore: $out"
[[ "$out" == *instance_busy* ]] || die "a command during a restore said: $out"
out=$("$ITAKU" backup --to "$W/during.zip" --config "$N/itaku.conf" 2>&1) && die "a backup during a restore: $out"
[[ "$out" == *instance_busy* ]] || die "a backup during a restore said: $out"
wait "$holder"
[ ! -e "$W/escape.txt" ] && [ ! -e "$W/../escape.txt" ] || die "a hostile name escaped"
