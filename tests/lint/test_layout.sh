#!/usr/bin/env bash
# test_layout.sh — the layout checker finds what it must (so that its
# silence on the real tree means something): a tree with one violation of
# each kind, and a clean one. Run by `make lint-layout` before the check.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/itaku-layout.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "test_layout: $*"; exit 1; }
mkdir -p "$T"/core/{util,db,http,api,cli,weird} "$T"/forms "$T"/crypto "$T"/exchange "$T"/tests
cd "$T" || exit 1
printf '#include "core/db/b.h"\n' >core/util/a.h
printf '#include "core/util/a.h"\n#include <sqlite3.h>\n' >core/db/b.h
: >core/db/stmt.h
: >core/http/h.h
printf '#include "core/db/stmt.h"\n#include <microhttpd.h>\n#include "b.h"\n' >core/x.c
printf '/* sqlite3_open( in a comment */\nint x(void) { return sqlite3_step(0); }\n' >>core/x.c
printf '#include <openssl/evp.h>\n#include "core/http/h.h"\n' >forms/f.c
printf '#include "core/cli/c.h"\n' >core/api/a.c
: >core/cli/c.h
printf '#include <microhttpd.h>\n' >core/http/ok.c
: >core/weird/w.c
printf '#include <sqlite3.h>\n#include "core/http/h.h"\n' >tests/t.c
want='core/api/a.c:1: core/api includes core/cli/c.h (core/cli): sideways
core/util/a.h:1: core/util includes core/db/b.h (core/db): upward
core/weird/w.c:1: not in a room (core, core/api, core/cli, core/db, core/http, core/server, core/util, core/web, crypto, exchange, forms)
core/x.c:1: core/db/stmt.h outside core/db/
core/x.c:2: <microhttpd.h> outside core/http/
core/x.c:3: #include "b.h" is not a root-relative project file
core/x.c:5: calls sqlite3_* outside core/db/ (1 line)
forms/f.c:1: <openssl/...> outside crypto/
forms/f.c:2: forms includes core/http/h.h (core/http): upward
room cycle core/db -> core/util -> core/db (core/db/b.h:1, core/util/a.h:1)
core/db/b.h:1: include cycle core/db/b.h -> core/util/a.h -> core/db/b.h
layout: 11 violations'
got=$(python3 "$HERE/layout.py" "$T") && fail "exit 0 with violations"
[ "$got" = "$want" ] || fail "$(diff <(echo "$want") <(echo "$got"))"
rm -rf core/weird core/x.c forms/f.c core/api/a.c core/util/a.h
printf "#include <sqlite3.h>\n" >core/db/b.h
got=$(python3 "$HERE/layout.py" "$T") || fail "clean tree: $got"
[ "$got" = "layout: 0 violations" ] || fail "clean tree: $got"
echo "test_layout: ok"
