#!/usr/bin/env bash
# tests/pg/twonode.sh — two itakud processes on one PostgreSQL behind a real
# TCP balancer (nginx's stream module on loopback, TLS passed through so the
# client certificate still reaches itakud), as issue 18 asks (`make
# pg-nodes`). One instance directory serves both nodes. Checks, each printing
# ok/FAIL lines; the script exits 1 on any FAIL:
#   1. the same package POSTed to both nodes at the same moment: one 201, one
#      409 nonce_reused, one submission row (10 rounds)
#   2. 4 clients uploading through the balancer while node 2 is SIGKILLed and
#      restarted every second: every 201 is stored (row, receipt, score, the
#      bytes back from GET …/package), failures are connection errors or 5xx
#      with a code, `itaku fsck` clean
#   3. PostgreSQL restarted, then stopped, during uploads: 503
#      database_unavailable or connection errors only; /healthz 503 with that
#      code while it is down; then 200 and uploads on both nodes again
#      without restarting itakud
#   4. two `itaku remind` jobs at once against a real SMTP server: every
#      mail once, one reminders row per (assignment, stage, recipient)
#   5. `itaku audit verify` intact after all of it
# Everything it starts it stops (trap); nothing is killed by name.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
E2E=$ROOT/tests/e2e
ITAKUD=$(cd "$ROOT" && realpath "${ITAKUD:-build/asan/bin/itakud}")
ITAKU=$(cd "$ROOT" && realpath "${ITAKU:-build/asan/bin/itaku}")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}
export ITAKU_E2E_BACKEND=postgresql
W=$(mktemp -d /tmp/itaku-2n.XXXXXX)
# outside $W: as root the cluster runs as nobody, who cannot enter $W
PGDIR=$(mktemp -d /tmp/itaku-pg2n.XXXXXX)
NGX=$(mktemp -d /tmp/itaku-ngx.XXXXXX)
# shellcheck source=tests/e2e/lib/db.sh
. "$E2E/lib/db.sh"
. "$E2E/lib/fixtures.sh"
. "$E2E/lib/server.sh" # free_port

FAILS=0
T0=$(date +%s)
ok() { echo "ok   $*"; }
fail() {
	echo "FAIL $*"
	FAILS=$((FAILS + 1))
}
check() { # GOT WANT WHAT
	if [ "$1" = "$2" ]; then ok "$3"; else fail "$3: got '$1', want '$2'"; fi
}

declare -A NODE_PID
BG_PIDS=()
cleanup() {
	local p
	touch "$W/stop"
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${NODE_PID[@]}"; do kill -TERM "$p" 2>/dev/null; done
	"$HERE/balancer.sh" stop "$NGX"
	wait 2>/dev/null
	"$HERE/cluster.sh" stop "$PGDIR" 2>/dev/null
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept: $W $PGDIR $NGX"
	else
		rm -rf "$W" "$PGDIR" "$NGX"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- the cluster, the instance, the fixtures --------------------------------
ITAKU_E2E_PG_URI=$("$HERE/cluster.sh" start "$PGDIR") || { echo "FAIL PostgreSQL cluster did not start"; exit 1; }
export ITAKU_E2E_PG_URI
make_fixtures || { echo "FAIL fixtures"; exit 1; }
export ITAKU_E2E_INST=$INST
CONF=$INST/itaku.conf
CA=$INST/pki/ca.crt
grep -q '^backend = postgresql$' "$CONF" || { echo "FAIL instance is not on PostgreSQL"; exit 1; }
# four more organisations, one per client of check 2, each assigned to the
# demo campaign with a certificate of its own
for c in a b c d; do
	"$ITAKU" org add --id "tn-$c" --name "Two Node $c" --config "$CONF" >/dev/null || { echo "FAIL org add"; exit 1; }
	"$ITAKU" cert issue --org "tn-$c" --out "$W/fx/tn-$c" --config "$CONF" >/dev/null 2>&1 || { echo "FAIL cert issue"; exit 1; }
	cp "$W/fx/tn-$c/client.crt" "$W/fx/tn-$c.crt"
	cp "$W/fx/tn-$c/client.key" "$W/fx/tn-$c.key"
	"$ITAKU" campaign assign 1 "tn-$c" --config "$CONF" >/dev/null || { echo "FAIL assign"; exit 1; }
done

# --- two nodes, one balancer -------------------------------------------------
P1=$(free_port)
P2=$(free_port)
PB=$(free_port)
N1=https://localhost:$P1
N2=https://localhost:$P2
NB=https://localhost:$PB

node_start() { # N PORT
	"$ITAKUD" --config "$CONF" --port "$2" >>"$W/node$1.log" 2>&1 &
	NODE_PID[$1]=$!
	for _ in $(seq 1 150); do
		curl -sf --cacert "$CA" "https://localhost:$2/healthz" >/dev/null 2>&1 && return 0
		kill -0 "${NODE_PID[$1]}" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
node_start 1 "$P1" || { echo "FAIL node 1 did not start: $(tail -3 "$W/node1.log")"; exit 1; }
node_start 2 "$P2" || { echo "FAIL node 2 did not start: $(tail -3 "$W/node2.log")"; exit 1; }

# nginx stream on loopback, TLS passed through
"$HERE/balancer.sh" start "$NGX" "$PB" "$P1" "$P2"
for _ in $(seq 1 50); do
	curl -sf --cacert "$CA" "$NB/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
curl -sf --cacert "$CA" "$NB/healthz" >/dev/null 2>&1 || {
	echo "FAIL nginx balancer: $(cat "$NGX/error.log" "$NGX/stdout.log" 2>/dev/null | tail -5)"
	exit 1
}
# the client certificate passes the balancer: whoami answers as resp-ec
curl -sS --cacert "$CA" --cert "$W/fx/resp-ec.crt" --key "$W/fx/resp-ec.key" "$NB/api/v1/whoami" >"$W/whoami.json"
check "$(jq -r .organisation "$W/whoami.json" 2>/dev/null)" "$RESP_EC" \
	"the client certificate reaches itakud through the balancer"

nsub() { dbq "SELECT count(*) FROM submissions"; }
# post CLIENT BASE PKG OUT: upload; "STATUS CODE" into OUT (000 for no answer),
# the body into OUT.json
post() {
	local st code
	st=$(curl -sS -o "$4.json" -w '%{http_code}' --max-time 20 --cacert "$CA" \
		--cert "$W/fx/$1.crt" --key "$W/fx/$1.key" -H 'Content-Type: application/vnd.etsi.asic-e+zip' \
		--data-binary "@$3" "$2/api/v1/submissions" 2>>"$W/curl.err")
	code=$(jq -r '.error.code // empty' "$4.json" 2>/dev/null)
	echo "${st:-000} ${code:--}" >"$4"
}
mkpkg() { # SIGNER OUT [mkpkg options]: a package quoting the assignment's current nonce
	local who=$1 out=$2
	shift 2
	local org=()
	[[ "$who" == tn-* ]] && org=(--org "$who" --answers "$W/fx/resp-ec.answers.xml")
	python3 "$E2E/mkpkg.py" --fixtures "$W/fx" --out "$out" --signer "$who" "${org[@]}" "$@"
}

# --- 1. the same package on both nodes at the same moment --------------------
echo "== $(($(date +%s) - T0)) s: 1. same package, two nodes, one moment"
n0=$(nsub)
r201=0 r409=0 rother=0
for i in $(seq 1 10); do
	mkpkg resp-ec "$W/same-$i.asice" --set-level "1.2=$((i % 5 + 1))" || { fail "mkpkg $i"; continue; }
	post resp-ec "$N1" "$W/same-$i.asice" "$W/same-$i.n1" &
	a=$!
	post resp-ec "$N2" "$W/same-$i.asice" "$W/same-$i.n2" &
	b=$!
	wait "$a" "$b"
	got=$(sort "$W/same-$i.n1" "$W/same-$i.n2" | tr '\n' ' ')
	case "$got" in
	"201 - 409 nonce_reused ") r201=$((r201 + 1)) r409=$((r409 + 1)) ;;
	*)
		rother=$((rother + 1))
		fail "round $i: node 1 '$(cat "$W/same-$i.n1")', node 2 '$(cat "$W/same-$i.n2")' ($(cat "$W/same-$i.n1.json" "$W/same-$i.n2.json" | head -c 400))"
		;;
	esac
	sha=$(sha256sum <"$W/same-$i.asice" | cut -d' ' -f1)
	[ "$(dbq "SELECT count(*) FROM submissions WHERE sha256 = '$sha'")" = 1 ] ||
		fail "round $i: $(dbq "SELECT count(*) FROM submissions WHERE sha256 = '$sha'") submission rows for the package"
done
check "$r201 $r409 $rother" "10 10 0" "10 rounds: one 201 and one 409 nonce_reused each (201/409/other)"
check "$(nsub)" $((n0 + 10)) "one submission row per round"
echo "figures 1: 20 uploads tried, $r201 201, $r409 refused nonce_reused, $rother other"

# --- 2. node 2 SIGKILLed and restarted while 4 clients upload -------------------
echo "== $(($(date +%s) - T0)) s: 2. 4 clients through the balancer, node 2 killed every second"
# client NAME: uploads fresh packages through BASE until $W/stop exists; one
# line per attempt into $W/log-NAME: "STATUS CODE ID SHA"
client() {
	local who=$1 base=$2 tag=$3 n=0 st code
	while [ ! -e "$W/stop" ]; do
		n=$((n + 1))
		mkpkg "$who" "$W/k-$tag.asice" --set-level "4.$((n % 5 + 1))=$((n % 5 + 1))" 2>>"$W/mkpkg.err" || { sleep 0.2; continue; }
		post "$who" "$base" "$W/k-$tag.asice" "$W/k-$tag.out"
		read -r st code <"$W/k-$tag.out"
		if [ "$st" = 201 ]; then
			echo "$st $code $(jq -r '"\(.id) \(.sha256)"' "$W/k-$tag.out.json")" >>"$W/log-$tag"
		else
			echo "$st $code - -" >>"$W/log-$tag"
		fi
	done
}
# stored_all LOG…: every 201 of the logs has its row (same sha256), receipt
# and score, and its bytes come back from GET …/package; failures are
# connection errors (000) or 5xx with an error code, or one of ALLOWED
stored_all() {
	local allowed=$1 what=$2 st code id sha bad=0 tried=0 acked=0 refused=0 errs=0 got
	shift 2
	while read -r st code id sha; do
		tried=$((tried + 1))
		case "$st" in
		201)
			acked=$((acked + 1))
			got=$(dbq "SELECT s.sha256 || ' ' || (SELECT count(*) FROM receipts r WHERE r.submission_id = s.id) || ' ' || (SELECT count(*) FROM scores c WHERE c.submission_id = s.id) FROM submissions s WHERE s.id = $id")
			[ "$got" = "$sha 1 1" ] || { fail "$what: 201 for submission $id ($sha) but stored '$got'"; bad=1; }
			got=$(curl -sS --cacert "$CA" --cert "$W/fx/admin.crt" --key "$W/fx/admin.key" \
				"$N1/api/v1/submissions/$id/package" | sha256sum | cut -d' ' -f1)
			[ "$got" = "$sha" ] || { fail "$what: the package of submission $id reads back as $got"; bad=1; }
			;;
		000) errs=$((errs + 1)) ;;
		5??)
			errs=$((errs + 1))
			[ "$code" != - ] || { fail "$what: a $st without an error code"; bad=1; }
			[[ " $allowed " == *" $st:$code "* || " $allowed " == *" 5xx "* ]] ||
				{ fail "$what: $st $code"; bad=1; }
			;;
		*)
			refused=$((refused + 1))
			[[ " $allowed " == *" $st:$code "* ]] || { fail "$what: unexpected $st $code"; bad=1; }
			;;
		esac
	done < <(cat "$@")
	echo "figures $what: $tried uploads tried, $acked 201, $refused refused, $errs errors (connection or 5xx)"
	[ "$acked" -gt 0 ] || { fail "$what: no upload was acknowledged"; bad=1; }
	[ $bad = 0 ] && ok "$what: every 201 stored with receipt and score, bytes read back; failures as allowed"
}
rm -f "$W/stop"
for c in a b c d; do
	: >"$W/log-k$c"
	client "tn-$c" "$NB" "k$c" &
	BG_PIDS+=($!)
done
restarts=0
for _ in $(seq 1 15); do
	sleep 1
	kill -9 "${NODE_PID[2]}"
	wait "${NODE_PID[2]}" 2>/dev/null
	node_start 2 "$P2" || fail "node 2 did not come back: $(tail -3 "$W/node2.log")"
	restarts=$((restarts + 1))
done
touch "$W/stop"
for p in "${BG_PIDS[@]}"; do wait "$p"; done
BG_PIDS=()
echo "node 2 SIGKILLed and restarted $restarts times"
stored_all "5xx" "2" "$W"/log-k?
# fsck's summary, or its first error (orphan files, stored but never
# committed by a node killed before its commit, are listed and harmless)
fsck_says() { grep -v '^orphan ' <<<"$1" | grep -m1 -i 'error\|cannot\|fsck:' | cut -c1-300; }
out=$("$ITAKU" fsck --config "$CONF" 2>&1)
rc=$?
check "$rc" 0 "itaku fsck clean after the kills ($(fsck_says "$out"))"
# nothing half-stored: every submission has its receipt and score, and its
# package comes back byte for byte (read through the API: where the bytes
# live is the server's business)
all_readable() { # WHAT
	local id sha got bad=0 n=0
	check "$(dbq "SELECT count(*) FROM submissions s WHERE NOT EXISTS (SELECT 1 FROM receipts r WHERE r.submission_id = s.id) OR NOT EXISTS (SELECT 1 FROM scores c WHERE c.submission_id = s.id)")" 0 \
		"$1: no submission without receipt or score"
	while IFS='|' read -r id sha; do
		n=$((n + 1))
		got=$(curl -sS --cacert "$CA" --cert "$W/fx/admin.crt" --key "$W/fx/admin.key" \
			"$N2/api/v1/submissions/$id/package" | sha256sum | cut -d' ' -f1)
		[ "$got" = "$sha" ] || { fail "$1: submission $id's package reads back as $got, not $sha"; bad=1; }
	done < <(dbq "SELECT id, sha256 FROM submissions ORDER BY id")
	[ $bad = 0 ] && ok "$1: all $n submissions' packages read back byte for byte"
}
all_readable 2

# --- 3. PostgreSQL restarted and stopped during uploads --------------------------
echo "== $(($(date +%s) - T0)) s: 3. PostgreSQL restarted, then stopped, during uploads"
healthz() { # BASE → "STATUS CODE"
	local st
	st=$(curl -sS -o "$W/h.json" -w '%{http_code}' --max-time 10 --cacert "$CA" "$1/healthz" 2>/dev/null)
	echo "${st:-000} $(jq -r '.error.code // .status // "-"' "$W/h.json" 2>/dev/null)"
}
rm -f "$W/stop"
for c in a:"$NB" b:"$NB" c:"$N1" d:"$N2"; do
	: >"$W/log-p${c%%:*}"
	client "tn-${c%%:*}" "${c#*:}" "p${c%%:*}" &
	BG_PIDS+=($!)
done
sleep 2
"$HERE/cluster.sh" restart "$PGDIR" || fail "cluster restart"
sleep 2
# a package no client uses, built while the database is up, sent to each
# node and the balancer while it is down
mkpkg resp-rsa "$W/outage.asice" --set-level "1.1=2" || fail "mkpkg outage"
"$HERE/cluster.sh" stop "$PGDIR" || fail "cluster stop"
sleep 1
for b in "$N1" "$N2" "$NB"; do
	post resp-rsa "$b" "$W/outage.asice" "$W/outage.out"
	check "$(cat "$W/outage.out")" "503 database_unavailable" "an upload to $b while PostgreSQL is down"
done
check "$(healthz "$N1")" "503 database_unavailable" "node 1 /healthz while PostgreSQL is down"
check "$(healthz "$N2")" "503 database_unavailable" "node 2 /healthz while PostgreSQL is down"
sleep 1
"$HERE/cluster.sh" start "$PGDIR" "$(cat "$PGDIR/port")" >/dev/null || fail "cluster start" # the same port
up=0
for _ in $(seq 1 100); do
	[ "$(healthz "$N1")" = "200 ok" ] && [ "$(healthz "$N2")" = "200 ok" ] && { up=1; break; }
	sleep 0.1
done
check "$up" 1 "/healthz 200 on both nodes again, itakud not restarted"
sleep 2
touch "$W/stop"
for p in "${BG_PIDS[@]}"; do wait "$p"; done
BG_PIDS=()
post resp-rsa "$N1" "$W/outage.asice" "$W/outage.out"
check "$(cat "$W/outage.out")" "201 -" "the package refused during the outage is accepted after it (nothing was consumed)"
stored_all "503:database_unavailable" "3" "$W"/log-p?
echo "figures 3: $(cat "$W"/log-p? | grep -c '^503 database_unavailable') of them 503 database_unavailable"
for n in 1 2; do
	base=$N1
	[ $n = 2 ] && base=$N2
	mkpkg tn-a "$W/after-$n.asice" --set-level "1.1=$n" && post tn-a "$base" "$W/after-$n.asice" "$W/after-$n"
	check "$(cat "$W/after-$n")" "201 -" "an upload on node $n after the outage"
done
all_readable 3
out=$("$ITAKU" fsck --config "$CONF" 2>&1)
rc=$?
check "$rc" 0 "itaku fsck clean after the outage ($(fsck_says "$out"))"

# --- 4. two remind jobs at once --------------------------------------------------
echo "== $(($(date +%s) - T0)) s: 4. two itaku remind jobs at once, real SMTP"
M=$W/mail
PY=/usr/bin/python3 # Debian's, which has python3-aiosmtpd
[ -x "$PY" ] || PY=python3
mkdir -p "$M"
"$PY" "$E2E/lib/smtpd.py" --dir "$M" --cert "$INST/pki/server.crt" --key "$INST/pki/server.key" \
	--port-file "$M/port" --user itaku --password 's3cret pass' >"$W/smtpd.log" 2>&1 &
BG_PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$M/port" ] && break; sleep 0.1; done
[ -s "$M/port" ] || { fail "smtpd did not start: $(cat "$W/smtpd.log")"; exit 1; }
printf 's3cret pass\n' >"$INST/smtp-password"
cat >>"$CONF" <<EOX

[reminders]
before_days = 14,7,1
on_due = yes
overdue_every_days = 7
escalate_after_days = 14
portal_url = https://itaku.example
from = itaku@holdings.example

[mail]
transport = smtp
smtp_url = smtp://localhost:$(cat "$M/port")
starttls = required
username = itaku
password_file = smtp-password
ca_file = pki/ca.crt
EOX
RC=(--config "$CONF")
"$ITAKU" campaign close 1 "${RC[@]}" >/dev/null || fail "close campaign 1"
cid=$("$ITAKU" campaign create --questionnaire ipa-benchmark@1 --due 2099-03-31 --name "two nodes" "${RC[@]}") || fail "campaign create"
orgs="$RESP_EC $RESP_RSA tn-a tn-b tn-c tn-d"
# shellcheck disable=SC2086
"$ITAKU" campaign assign "$cid" $orgs "${RC[@]}" >/dev/null || fail "assign"
k=0
for o in $orgs; do
	k=$((k + 1))
	for j in 1 2; do
		"$ITAKU" org contact add --org "$o" --name "Contact $k-$j" --email "c$k-$j@x.example" --lang en "${RC[@]}" >/dev/null ||
			fail "contact $o $j"
	done
done
rmails=0
for day in 2099-03-21 2099-03-25; do
	"$ITAKU" remind --now "$day" --dry-run "${RC[@]}" >"$W/dry.out" 2>&1
	want=$(grep -c '^would assignment' "$W/dry.out")
	[ "$want" -gt 0 ] || fail "remind $day: nothing due ($(tail -2 "$W/dry.out"))"
	before=$(find "$M" -name '*.json' | wc -l)
	"$ITAKU" remind --now "$day" "${RC[@]}" >"$W/j1.out" 2>&1 &
	j1=$!
	"$ITAKU" remind --now "$day" "${RC[@]}" >"$W/j2.out" 2>&1 &
	j2=$!
	wait "$j1"
	r1=$?
	wait "$j2"
	r2=$?
	check "$r1 $r2" "0 0" "remind $day: both jobs exit 0 ($(grep -m1 -i "error\|FAIL" "$W/j1.out" "$W/j2.out" | cut -c1-200))"
	got=$(($(find "$M" -name '*.json' | wc -l) - before))
	check "$got" "$want" "remind $day: $want mails delivered (dry run's count)"
	rmails=$((rmails + got))
done
# each (recipient, Message-ID's assignment.stage.due) exactly once
for j in $(find "$M" -name '*.json' | sort); do
	printf '%s %s\n' "$(jq -r '.to[0]' "$j")" "$(grep -m1 '^Message-ID:' "${j%.json}.eml" | sed 's/^Message-ID: <remind\.\([0-9]*\.[^.]*\.[0-9-]*\)\..*/\1/')"
done | sort >"$W/sent.list"
check "$(uniq -d "$W/sent.list" | wc -l)" 0 "no mail twice to one recipient for one assignment and stage"
check "$(wc -l <"$W/sent.list")" "$((6 * 2 * 2))" "every contact got each of the two stages"
check "$(dbq "SELECT count(*) FROM (SELECT 1 FROM reminders GROUP BY assignment_id, stage, recipient, due HAVING count(*) > 1) d")" 0 \
	"one reminders row per (assignment, stage, recipient)"
check "$(dbq "SELECT count(*) FROM reminders r JOIN assignments a ON a.id = r.assignment_id WHERE a.campaign_id = $cid AND r.status = 'sent'")" "$rmails" \
	"reminders rows 'sent' equal the mails delivered"
echo "figures 4: $rmails mails, $(wc -l <"$W/sent.list") distinct (recipient, stage)"

# --- 5. the audit chain -------------------------------------------------------
echo "== $(($(date +%s) - T0)) s: 5. audit chain"
out=$("$ITAKU" audit verify "${RC[@]}" 2>&1)
check "$?" 0 "itaku audit verify: $(echo "$out" | head -1)"

# the nodes stop cleanly, without a sanitizer report
for n in 1 2; do
	kill -TERM "${NODE_PID[$n]}"
	wait "${NODE_PID[$n]}"
	rc=$?
	unset "NODE_PID[$n]"
	check "$rc" 0 "node $n exits 0 on SIGTERM"
done
if grep -l "AddressSanitizer\|LeakSanitizer\|runtime error:" "$W"/node?.log >/dev/null 2>&1; then
	fail "sanitizer report: $(grep -h -m3 'Sanitizer\|runtime error' "$W"/node?.log)"
else
	ok "no sanitizer report from either node"
fi
echo "pg-nodes: $FAILS failed ($(($(date +%s) - T0)) s)"
[ "$FAILS" = 0 ]
