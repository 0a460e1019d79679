#!/usr/bin/env python3
"""layout.py — proves the source layout of README.md "Source layout":

 (a) includes between rooms only go downward, so the room graph has no
     cycle, and no header includes itself through others (file cycles);
 (b) the libraries stay in their rooms: <sqlite3.h>, <libpq-fe.h>,
     core/db/stmt.h, core/db/backend.h and
     sqlite3_* calls only under core/db/, <microhttpd.h> only in
     core/http/, <openssl/...> only under crypto/.

The rooms, from the top (may include every room below) to the bottom:

  core/server           itakud: main, the route table, privileges
  core/api, core/cli    the JSON handlers and the `itaku` commands: two
                        front ends of equal rank that never include each
                        other (what both need belongs further down)
  core/http             libmicrohttpd plumbing, router, identity, limits
  core                  the domain rules (files directly in core/), which
                        know nothing of HTTP, so that a CLI command, a
                        handler and a test apply them alike
  core/db               the stores: the only SQL, behind the db_conn seam,
                        so that a second backend replaces one room
  exchange              the ASiC-E package: ZIP, manifest, binding
  core/util             bounded buffer, file reading with a limit, clock,
                        log: plumbing that exchange uses to read and grow,
                        so it sits below exchange; its log escaping decodes
                        UTF-8 with forms/utf8, so it sits above forms
  forms                 the XML documents (questionnaire, answers), text
                        and numbers: pure functions of bytes
  crypto                OpenSSL behind small wrappers: the bottom

A room may include its own headers. tests/ may include anything. Every
include of a project header is root-relative ("core/db/db.h").

Usage: layout.py [ROOT]. Prints one violation a line as file:line: what,
then "layout: N violations"; exits 1 when there is any.
"""
import os
import re
import sys

# top to bottom; rooms in one tuple have the same rank
RANKS = [
    ("core/server",),
    ("core/api", "core/web", "core/cli"),
    ("core/http",),
    ("core",),
    ("core/db",),
    ("exchange",),
    ("core/util",),
    ("forms",),
    ("crypto",),
]
RANK = {room: i for i, rooms in enumerate(RANKS) for room in rooms}
TOPS = ("core", "exchange", "forms", "crypto")

# (what is included, rooms allowed to include it); a room is a path prefix
CONFINED = [
    (re.compile(r"<sqlite3\.h>"), ("core/db/",), "<sqlite3.h> outside core/db/"),
    (re.compile(r'"core/db/stmt\.h"'), ("core/db/",), "core/db/stmt.h outside core/db/"),
    (re.compile(r"<libpq-fe\.h>"), ("core/db/",), "<libpq-fe.h> outside core/db/"),
    (re.compile(r'"core/db/backend\.h"'), ("core/db/",), "core/db/backend.h outside core/db/"),
    (re.compile(r"<microhttpd\.h>"), ("core/http/",), "<microhttpd.h> outside core/http/"),
    (re.compile(r"<openssl/[^>]*>"), ("crypto/",), "<openssl/...> outside crypto/"),
]
SQLITE_CALL = re.compile(r"\bsqlite3_[a-z0-9_]+\s*\(")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"][^>"]*[>"])')
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')


def room_of(path):
    """the room of a root-relative file path, or None outside the rooms"""
    d = os.path.dirname(path)
    if d in RANK:
        return d
    return None


def code_lines(text):
    """the text with comments and string literals blanked, lines kept"""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return COMMENT.sub(blank, STRING.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text))


def sources(root):
    for top in TOPS + ("tests",):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(d, f), root)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    out = []
    edges = {}  # file -> [(included file, line)] between project files
    room_edges = {}
    for path in sorted(sources(root)):
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        in_tests = path.startswith("tests/")
        room = room_of(path)
        if room is None and not in_tests:
            out.append(f"{path}:1: not in a room ({', '.join(sorted(RANK))})")
        for n, line in enumerate(COMMENT.sub(
                lambda m: re.sub(r"[^\n]", " ", m.group(0)), text).split("\n"), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            inc = m.group(1)
            name = inc[1:-1]
            if not in_tests:
                for rx, allowed, what in CONFINED:
                    if rx.fullmatch(inc) and not path.startswith(allowed):
                        out.append(f"{path}:{n}: {what}")
            if inc[0] != '"' or in_tests:
                if inc[0] == '"' and os.path.exists(os.path.join(root, name)):
                    edges.setdefault(path, []).append((name, n))
                continue
            if not os.path.exists(os.path.join(root, name)):
                out.append(f"{path}:{n}: #include {inc} is not a root-relative project file")
                continue
            edges.setdefault(path, []).append((name, n))
            to = room_of(name)
            if room is None or to is None or to == room:
                continue
            room_edges.setdefault(room, {}).setdefault(to, f"{path}:{n}")
            if RANK[to] <= RANK[room]:
                how = "sideways" if RANK[to] == RANK[room] else "upward"
                out.append(f"{path}:{n}: {room} includes {name} ({to}): {how}")
        if not in_tests and not path.startswith("core/db/"):
            calls = [n for n, line in enumerate(code_lines(text).split("\n"), 1)
                     if SQLITE_CALL.search(line)]
            if calls:
                out.append(f"{path}:{calls[0]}: calls sqlite3_* outside core/db/ "
                           f"({len(calls)} line{'' if len(calls) == 1 else 's'})")
    for ring in cycles(room_edges):
        where = ", ".join(room_edges[a][b] for a, b in zip(ring, ring[1:]))
        out.append(f"room cycle {' -> '.join(ring)} ({where})")
    files = {f: {t: n for t, n in e} for f, e in edges.items()}
    for ring in cycles(files):
        out.append(f"{ring[0]}:{files[ring[0]][ring[1]]}: include cycle {' -> '.join(ring)}")
    for line in out:
        print(line)
    print(f"layout: {len(out)} violation{'' if len(out) == 1 else 's'}")
    return 1 if out else 0


def cycles(graph):
    """each cycle a depth-first search meets, once, as [a, b, …, a]"""
    found, seen, done = [], set(), set()

    def visit(node, stack):
        if node in done:
            return
        stack.append(node)
        for to in sorted(graph.get(node, {})):
            if to in stack:
                ring = stack[stack.index(to):]
                if frozenset(ring) not in seen:
                    seen.add(frozenset(ring))
                    found.append(ring + [to])
            else:
                visit(to, stack)
        stack.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    return found


if __name__ == "__main__":
    sys.exit(main())
