# backends: sqlite
# (the source of itaku migrate is a sqlite instance; the target a cluster of the script's own)
# `itaku migrate --to URI` (issue 18): a copy of the shared instance, after
# an upload, moved into a fresh PostgreSQL database; a server started on
# the migrated configuration answers every campaign's aggregate and chains
# byte for byte as the sqlite server does, returns a package with the same
# bytes, and `itaku audit verify` passes with the same head; a new campaign
# gets a fresh id (the identity sequences were set). Refused, with nothing
# written: a target that holds rows, a URI that is none or unreachable, an
# instance that is PostgreSQL already, a table the copy's list lacks, and a
# source that itakud serves.
python3 "$HERE/mkpkg.py" --fixtures "$W/fx" --out "$W/mig-1.asice" --signer resp-ec --set-level "2.1=3" ||
	die "mkpkg"
expect_eq "$(upload resp-ec "$W/mig-1.asice")" 201 "a package to migrate"
sha=$(jq -r .sha256 "$W/out.json")
[ "${#sha}" = 64 ] || die "upload answer: $(cat "$W/out.json")"

PGD=$(mktemp -d /tmp/itaku-mig.XXXXXX)
trap '"$ROOT/tests/pg/cluster.sh" stop "$PGD" >/dev/null 2>&1; rm -rf "$PGD"' EXIT
U=$("$ROOT/tests/pg/cluster.sh" start "$PGD") || die "PostgreSQL cluster did not start"
psq() { PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" "$1" -X -q -At -F'|' -v ON_ERROR_STOP=1 -c "$2"; }
uri_of() { sed "s|^postgresql:///[^?]*|postgresql:///$1|" <<<"$U"; }
for d in m1 m2 m3; do psq "$U" "CREATE DATABASE $d" || die "create database $d"; done
ntables() { psq "$1" "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"; }

M=$W/mig
inst_copy "$INST" "$M" || die "copy of the instance"
MC=(--config "$M/itaku.conf")
src_head=$("$ITAKU" audit verify "${MC[@]}") || die "audit verify of the copy: $src_head"

# the refusals first, each leaving its target as it was
out=$("$ITAKU" migrate --to "/tmp/not-a-uri.db" "${MC[@]}" 2>&1) && die "a file path accepted as --to"
expect_eq "$out" "itaku migrate: not_postgresql: --to takes a libpq URI (postgresql://… or postgres://…)" "not a URI"
bad="postgresql:///m1?host=$PGD/nosuchdir&port=1&user=itaku&connect_timeout=2"
out=$("$ITAKU" migrate --to "$bad" "${MC[@]}" 2>&1) && die "an unreachable URI accepted"
[[ "$out" == *"itaku migrate: target_unreachable: cannot open the PostgreSQL database --to names"* ]] ||
	die "unreachable: $out"
# a target that holds rows: m2 gets an organisation, and stays as it was
"$ITAKU" migrate --to "$(uri_of m2)" "${MC[@]}" >/dev/null || die "first migrate into m2"
before=$(psq "$(uri_of m2)" "SELECT count(*), max(seq) FROM audit_log")
out=$("$ITAKU" migrate --to "$(uri_of m2)" "${MC[@]}" 2>&1) && die "a non-empty target accepted"
[[ "$out" == "itaku migrate: target_not_empty: the PostgreSQL database already holds rows ("*" in a table of itaku's); itaku migrate copies into an empty database only: nothing was written" ]] ||
	die "non-empty: $out"
expect_eq "$(psq "$(uri_of m2)" "SELECT count(*), max(seq) FROM audit_log")" "$before" "m2 after the refusal"
# a table the copy's list lacks: refused before a row is written
X=$W/mig-extra
inst_copy "$INST" "$X" || die "second copy"
sqlite3 "$X/itaku.db" "CREATE TABLE stray_notes (id INTEGER PRIMARY KEY, note TEXT)"
out=$("$ITAKU" migrate --to "$(uri_of m3)" --config "$X/itaku.conf" 2>&1) && die "an unlisted table migrated"
expect_eq "$out" "itaku migrate: schema_unlisted: table stray_notes of the source is not in itaku migrate's list (core/migrate.c); nothing was copied" "unlisted table"
expect_eq "$(psq "$(uri_of m3)" "SELECT count(*) FROM organisations")" 0 "m3 after the unlisted table"
# the shared instance is served: its lock is held
out=$("$ITAKU" migrate --to "$(uri_of m3)" --config "$INST/itaku.conf" 2>&1) && die "a served instance migrated"
[[ "$out" == "itaku migrate: instance_busy: itakud is serving this instance ("*"); stop it first" ]] ||
	die "served: $out"
expect_eq "$(psq "$(uri_of m3)" "SELECT count(*) FROM audit_log")" 0 "m3 after the busy refusal"

# the migration itself, into m3 (empty schema left by the refusals above)
start=$(date +%s.%N)
out=$("$ITAKU" migrate --to "$(uri_of m3)" "${MC[@]}") || die "migrate: $out"
echo "migrate took $(echo "$(date +%s.%N) - $start" | bc) s: $(grep '^migrated' <<<"$out")"
[[ "$out" == *"verified: row counts, every package's SHA-256, the audit chain, the counters"* ]] ||
	die "migrate said: $out"
[[ "$(tail -n 1 <<<"$out")" == "done: "* ]] || die "migrate did not end with done: $out"
nsub=$(sqlite3 "$M/itaku.db" "SELECT count(*) FROM submissions")
[[ "$out" == *"rows, $nsub packages ("* ]] || die "packages counted: $out"
for t in organisations submissions assignments audit_log chain_nodes campaign_progress; do
	expect_eq "$(psq "$(uri_of m3)" "SELECT count(*) FROM $t")" "$(sqlite3 "$M/itaku.db" "SELECT count(*) FROM $t")" "rows of $t"
done
expect_eq "$(psq "$(uri_of m3)" "SELECT count(*) FROM objects")" \
	"$(sqlite3 "$M/itaku.db" "SELECT count(DISTINCT sha256) FROM submissions")" "objects"
head=$(sed -n 's/.*audit head \([0-9]*:[0-9a-f]*\).*/\1/p' <<<"$out")
[ -n "$head" ] || die "no audit head in: $out"

# a server on the migrated configuration
awk -v u="$(uri_of m3)" '{ print } /^\[storage\]$/ { print "backend = postgresql"; print "postgresql = " u }' \
	"$M/itaku.conf" >"$M/itaku.conf.new" && mv "$M/itaku.conf.new" "$M/itaku.conf"
rm -f "$M"/store/??/*
out=$("$ITAKU" audit verify "${MC[@]}") || die "audit verify on PostgreSQL: $out"
[[ "$out" == *intact* ]] || die "audit verify on PostgreSQL: $out"
"$ITAKU" audit verify --expect-head "$head" "${MC[@]}" >/dev/null || die "the source's head is not in the migrated log"
port=$(free_port)
"$ITAKUD" --config "$M/itaku.conf" --port "$port" >>"$M/itakud.log" 2>&1 &
pid=$!
echo "$pid" >>"$W/second.pids"
S2PID=$pid S2=$M S2BASE=https://localhost:$port
for _ in $(seq 1 100); do
	curl -sf --cacert "$INST/pki/ca.crt" "$S2BASE/healthz" >/dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || die "itakud on PostgreSQL did not start: $(tail -3 "$M/itakud.log")"
	sleep 0.1
done
for c in $(sqlite3 "$M/itaku.db" "SELECT id FROM campaigns ORDER BY id"); do
	for what in aggregate chains; do
		expect_eq "$(api admin GET "/api/v1/campaigns/$c/$what")" 200 "sqlite $what of $c"
		cp "$W/out.json" "$W/mig-sqlite.json"
		expect_eq "$(s2 admin GET "/api/v1/campaigns/$c/$what")" 200 "PostgreSQL $what of $c"
		cmp -s "$W/out.json" "$W/mig-sqlite.json" ||
			die "$what of campaign $c differs: $(diff <(jq -S . "$W/mig-sqlite.json") <(jq -S . "$W/out.json") | head -20)"
	done
done
expect_eq "$(s2 admin GET "/api/v1/submissions/$(sqlite3 "$M/itaku.db" "SELECT id FROM submissions WHERE sha256 = '$sha'")/package")" 200 \
	"the package from PostgreSQL"
expect_eq "$(sha256sum <"$W/out.json" | cut -d' ' -f1)" "$sha" "the package's bytes from PostgreSQL"
cmp -s "$W/out.json" "$W/mig-1.asice" || die "the package differs from what was uploaded"
second_stop
# a new campaign after the migration gets a fresh id
maxc=$(sqlite3 "$M/itaku.db" "SELECT max(id) FROM campaigns")
q=$(sqlite3 "$M/itaku.db" "SELECT questionnaire || '@' || questionnaire_version FROM campaigns ORDER BY id LIMIT 1")
out=$("$ITAKU" campaign create --questionnaire "$q" --due 2099-01-01 --name "after migrate" "${MC[@]}") ||
	die "campaign create on PostgreSQL: $out"
expect_eq "$(psq "$(uri_of m3)" "SELECT max(id) FROM campaigns")" "$((maxc + 1))" "the new campaign's id"
# the source is left as it was
expect_eq "$(sqlite3 "$M/itaku.db" "SELECT max(id) FROM campaigns")" "$maxc" "the sqlite source"
