#!/usr/bin/env bash
# run.sh — end-to-end driver. Starts a real itakud on a loopback port with
# a fresh demo instance, then runs every tests/e2e/cases/*.case: each case
# says what is sent (client certificate, package recipe or body, method,
# path) and what must come back (status, error code) and be stored
# (unchanged, or one more submission). Adding a case is adding a file; the
# keys are documented in tests/e2e/README.md.
# ITAKU_E2E_BACKEND=postgresql runs the same suite on a throwaway
# PostgreSQL cluster (tests/pg/cluster.sh); sqlite is the default.
set -u
shopt -s nullglob
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ITAKUD=$(cd "$ROOT" && realpath "${ITAKUD:-bin/itakud}")
ITAKU=$(cd "$ROOT" && realpath "${ITAKU:-bin/itaku}")
W=$(mktemp -d /tmp/itaku-e2e.XXXXXX)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}
. "$HERE/lib/db.sh"
. "$HERE/lib/fixtures.sh"
. "$HERE/lib/server.sh"
. "$HERE/lib/http.sh"
. "$HERE/lib/chains.sh"
. "$HERE/lib/second.sh"
. "$HERE/lib/snapshot.sh"

PASS=0
SKIP=0
FAIL=0
FAILED=()
SKIPPED=()

cleanup() {
	server_stop
	[ -n "${PGDIR:-}" ] && "$ROOT/tests/pg/cluster.sh" stop "$PGDIR"
	[ -n "${PGDIR:-}" ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$PGDIR"
	# second servers of scripts that died before stopping theirs
	[ -f "$W/second.pids" ] && xargs -r kill -TERM <"$W/second.pids" 2>/dev/null
	# tmpfs mounts made by scripts (190-disk-full), should one be left
	grep -o " $W/[^ ]*" /proc/mounts 2>/dev/null | while read -r m; do umount "$m"; done
	[ "${KEEP:-0}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT

# admin logins (auth.login, once per connection) are left out: a case is
# about what its request changed
audit_count() { dbq "SELECT count(*) FROM audit_log WHERE action != 'auth.login'"; }
audit_last() { dbq "SELECT action || ' ' || outcome || ' ' || code FROM audit_log WHERE action != 'auth.login' ORDER BY seq DESC LIMIT 1"; }

# case file: "key: value" lines; "#" comments
case_get() { sed -n "s/^$2:[[:space:]]*//p" "$1" | head -n 1; }

# The keys a case may have (tests/e2e/README.md). A key the runner does not
# know would otherwise be ignored and its check silently switched off, so a
# misspelt, repeated or malformed line fails the case.
CASE_KEYS=" client method path content-type expect-status expect-code expect-stored
	package body verify-code chunked expect-audit "
case_check() { # file → one message per problem, nothing when the case is well-formed
	local line key n=0 seen=" "
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		[[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
		if ! [[ "$line" =~ ^([a-z-]+):[[:space:]]*(.*)$ ]]; then
			echo "line $n is not 'key: value': $line"
			continue
		fi
		key=${BASH_REMATCH[1]}
		[[ "$CASE_KEYS" =~ [[:space:]]$key[[:space:]] ]] || echo "line $n: unknown key '$key'"
		[[ "$seen" == *" $key "* ]] && echo "line $n: key '$key' given twice"
		seen+="$key "
	done <"$1"
	[ -n "$(case_get "$1" expect-status)" ] || echo "no expect-status"
	case "$(case_get "$1" chunked)" in "" | yes | no) ;; *) echo "chunked: yes or no" ;; esac
	case "$(case_get "$1" expect-audit)" in "" | none) ;; *) echo "expect-audit: only none" ;; esac
}

client_args() {
	case "$1" in
	none | "") ;;
	*) echo "--cert $W/fx/$1.crt --key $W/fx/$1.key" ;;
	esac
}

make_body() { # spec out
	local spec=$1 out=$2
	case "$spec" in
	text:*) printf '%s' "${spec#text:}" >"$out" ;;
	zeros:*) head -c "${spec#zeros:}" /dev/zero >"$out" ;;
	file:*) cp "$W/${spec#file:}" "$out" ;;
	*) echo "bad body spec $spec" >&2; return 1 ;;
	esac
}

fail() {
	echo "  FAIL: $*"
	ok=0
}

run_case() {
	local f=$1 name ok=1 problems
	name=$(basename "$f" .case)
	problems=$(case_check "$f")
	if [ -n "$problems" ]; then
		FAIL=$((FAIL + 1))
		FAILED+=("$name")
		echo "FAIL $name: bad case file"
		sed 's/^/  /' <<<"$problems"
		return
	fi
	local client method path ctype status code stored pkgargs body verify chunked audit
	client=$(case_get "$f" client)
	method=$(case_get "$f" method)
	path=$(case_get "$f" path)
	ctype=$(case_get "$f" content-type)
	status=$(case_get "$f" expect-status)
	code=$(case_get "$f" expect-code)
	stored=$(case_get "$f" expect-stored)
	pkgargs=$(case_get "$f" package)
	body=$(case_get "$f" body)
	verify=$(case_get "$f" verify-code)
	chunked=$(case_get "$f" chunked)
	audit=$(case_get "$f" expect-audit)
	: "${method:=POST}" "${path:=/api/v1/submissions}" "${stored:=unchanged}"
	: "${ctype:=application/vnd.etsi.asic-e+zip}"

	local pkg=$W/cases/$name.asice
	mkdir -p "$W/cases"
	if [ -n "$pkgargs" ]; then
		# shellcheck disable=SC2086
		eval python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$pkg" $pkgargs ||
			{ fail "package recipe failed"; }
	elif [ -n "$body" ]; then
		make_body "$body" "$pkg" || fail "body spec"
	fi

	local before after abefore aafter
	before=$(snapshot)
	abefore=$(audit_count)
	local curl_args=(-sS -o "$W/resp.json" -w '%{http_code}' --cacert "$INST/pki/ca.crt" -X "$method")
	# shellcheck disable=SC2206
	curl_args+=($(client_args "$client"))
	if [ -f "$pkg" ] && [ "$method" = POST ]; then
		curl_args+=(-H "Content-Type: $ctype")
		if [ "$chunked" = yes ]; then
			curl_args+=(-H "Transfer-Encoding: chunked" --data-binary "@$pkg")
		else
			curl_args+=(--data-binary "@$pkg")
		fi
	fi
	local got
	got=$(client_env "$client" curl "${curl_args[@]}" "$BASE$path" 2>"$W/curl.err") || true
	local gotcode
	gotcode=$(jq -r '.error.code // empty' "$W/resp.json" 2>/dev/null)
	[ "$got" = "$status" ] || fail "status $got, want $status ($(head -c 300 "$W/resp.json"; cat "$W/curl.err"))"
	if [ -n "$code" ]; then
		[ "$gotcode" = "$code" ] || fail "error code '$gotcode', want '$code'"
		jq -e '(.error.message | length > 0) and (.error.detail | type == "string")' "$W/resp.json" >/dev/null 2>&1 ||
			fail "no human message and detail"
	fi
	after=$(snapshot)
	aafter=$(audit_count)
	# the message is the error table's explanation of the code (English:
	# the case sends no Accept-Language), the same the portal shows
	if [ -n "$code" ]; then
		curl -sS --cacert "$INST/pki/ca.crt" "$BASE/api/v1/errors/$code" >"$W/err.json" 2>/dev/null
		[ "$(jq -r .error.message "$W/resp.json")" = "$(jq -r .message.en "$W/err.json")" ] ||
			fail "message '$(jq -r .error.message "$W/resp.json")' is not the table's for $code"
	fi
	case "$stored" in
	unchanged)
		[ "$before" = "$after" ] || fail "stored data changed"
		if [ "$audit" = none ]; then
			[ "$aafter" -eq "$abefore" ] || fail "audit log grew"
		elif [ -n "$code" ]; then
			[ "$aafter" -eq $((abefore + 1)) ] || fail "audit log grew by $((aafter - abefore)), want 1"
			[[ "$(audit_last)" == *" rejected $code" ]] || fail "audit last: '$(audit_last)', want rejected $code"
		fi
		;;
	+1)
		local id sha
		id=$(jq -r .id "$W/resp.json")
		sha=$(jq -r .sha256 "$W/resp.json")
		[ "$(dbq "SELECT sha256 FROM submissions WHERE id = $id")" = "$sha" ] ||
			fail "submission $id not stored with sha256 $sha"
		[ "$(pkg_read "$INST" "$sha" | sha256sum | cut -d' ' -f1)" = "$sha" ] ||
			fail "stored bytes of $sha missing or wrong"
		[ "$(sha256sum <"$pkg" | cut -d' ' -f1)" = "$sha" ] || fail "sha256 is not the uploaded bytes'"
		[ "$(audit_last)" = "submission.create accepted ok" ] || fail "audit last: '$(audit_last)'"
		;;
	none) ;;
	*) fail "bad expect-stored '$stored'" ;;
	esac
	# a body is spooled into store/tmp as it arrives: accepted, it was
	# renamed into place; refused, it is gone (once the server has
	# finished with the request, just after its answer)
	local left
	for _ in $(seq 1 20); do
		left=$(ls -A "$INST/store/tmp")
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ] || fail "files left in store/tmp: $left"
	# `itaku verify` must agree with the server on the package itself, and
	# stock openssl must accept every package the server accepted
	if [ -n "$verify" ] && [ -f "$pkg" ]; then
		local vout
		vout=$("$ITAKU" verify "$pkg" --ca "$INST/pki/ca.crt" 2>&1)
		if [ "$verify" = ok ]; then
			[[ "$vout" == *": OK "* ]] || fail "itaku verify: $vout"
		else
			[[ "$vout" == *"FAILED $verify:"* ]] || fail "itaku verify: '$vout', want $verify"
		fi
	fi
	if [ "$got" = 201 ]; then
		openssl_verify "$pkg" || fail "openssl cms -verify refused an accepted package"
	fi
	if [ $ok = 1 ]; then
		PASS=$((PASS + 1))
		echo "ok   $name"
	else
		FAIL=$((FAIL + 1))
		FAILED+=("$name")
		echo "FAIL $name"
	fi
}

openssl_verify() {
	local d
	d=$(mktemp -d "$W/ov.XXXXXX")
	(cd "$d" && unzip -q "$1" && openssl cms -verify -binary -inform DER \
		-content META-INF/ASiCManifest.xml -in META-INF/signature.p7s \
		-CAfile "$INST/pki/ca.crt" -out /dev/null 2>/dev/null)
}

# PostgreSQL: a cluster of the run's own (outside $W: as root the server
# runs as nobody, who cannot enter $W; short, for the socket's path); the
# shared instance uses its database itaku, instances the scripts make get
# databases of their own (lib/db.sh)
case "$E2E_BACKEND" in
sqlite) ;;
postgresql)
	PGDIR=$(mktemp -d /tmp/itaku-pg.XXXXXX)
	ITAKU_E2E_PG_URI=$("$ROOT/tests/pg/cluster.sh" start "$PGDIR") ||
		{ echo "e2e: PostgreSQL cluster did not start"; exit 1; }
	export ITAKU_E2E_PG_URI
	;;
*) echo "e2e: ITAKU_E2E_BACKEND is sqlite or postgresql, not '$E2E_BACKEND'"; exit 1 ;;
esac
export ITAKU_E2E_BACKEND=$E2E_BACKEND
make_fixtures || { echo "e2e: fixtures failed"; exit 1; }
if [ "$E2E_BACKEND" = postgresql ]; then
	grep -q '^backend = postgresql$' "$INST/itaku.conf" && [ "$(inst_pg_uri "$INST")" = "$ITAKU_E2E_PG_URI" ] ||
		{ echo "e2e: $INST/itaku.conf does not name the test cluster"; exit 1; }
fi
# mkpkg.py quotes each assignment's current nonce from this instance
export ITAKU_E2E_INST=$INST
server_start || { echo "e2e: server did not start"; cat "$W/itakud.log"; exit 1; }

for f in "$HERE"/cases/*.case; do
	[ -n "${ONLY:-}" ] && [[ "$(basename "$f")" != *$ONLY* ]] && continue
	run_case "$f"
done
# A script passes by exiting 0 and fails otherwise, except that exit 77
# (`skip REASON`, lib/http.sh) is a skip: counted apart and printed with its
# reason. A skip needs a "SKIP: reason" line, and a script that says SKIP
# yet exits 0 fails: what did not run must never count as passed.
for s in "$HERE"/scripts/*.sh; do
	[ -n "${ONLY:-}" ] && [[ "$(basename "$s")" != *$ONLY* ]] && continue
	name=$(basename "$s" .sh)
	# "# backends: sqlite": about the sqlite file itself (lib/db.sh)
	backends=$(sed -n 's/^# backends: //p' "$s" | head -n 1)
	if [ -n "$backends" ] && [[ " $backends " != *" $E2E_BACKEND "* ]]; then
		SKIP=$((SKIP + 1))
		SKIPPED+=("$name")
		echo "SKIP $name: $backends only"
		continue
	fi
	(. "$s") >"$W/script.log" 2>&1
	rc=$?
	reason=$(sed -n 's/^SKIP: //p' "$W/script.log" | head -n 1)
	if [ "$rc" -eq 77 ] && [ -n "$reason" ]; then
		SKIP=$((SKIP + 1))
		SKIPPED+=("$name")
		echo "SKIP $name: $reason"
	elif [ "$rc" -eq 0 ] && ! grep -q '^SKIP' "$W/script.log"; then
		PASS=$((PASS + 1))
		echo "ok   $name"
	else
		FAIL=$((FAIL + 1))
		FAILED+=("$name")
		case "$rc" in
		0) echo "FAIL $name: says SKIP but exits 0 (use skip REASON)" ;;
		77) echo "FAIL $name: exit 77 without a 'SKIP: reason' line" ;;
		*) echo "FAIL $name" ;;
		esac
		sed 's/^/     /' "$W/script.log" | tail -20
	fi
done

server_stop
if ! server_clean_exit; then
	FAIL=$((FAIL + 1))
	FAILED+=("server-sanitizers")
	echo "FAIL server exit (sanitizer report or crash):"
	tail -40 "$W/itakud.log"
fi
[ ${#SKIPPED[@]} -eq 0 ] || echo "skipped: ${SKIPPED[*]}"
[ ${#FAILED[@]} -eq 0 ] || echo "failed: ${FAILED[*]}"
echo "e2e: $PASS passed, $SKIP skipped, $FAIL failed ($E2E_BACKEND)"
[ "$FAIL" -eq 0 ]
