#!/usr/bin/env python3
"""migrations.py — the two sets of schema migrations are numbered alike:
core/db/migrations/NNN.sql (sqlite) and core/db/migrations/pg/NNN.sql
(PostgreSQL) are each 001..N without a gap, with the same N. A version is
a migration's place in its list and schema_version records it, so a
migration written for one backend only, or a gap, would put the two
backends' schemas at different places under the same number (what each
file must contain is tests/pg/test_schema.sh's to check). Any other file
in either folder is an error too.

Run from anywhere: tests/lint/migrations.py [ROOT]. Exit 0 when they agree."""

import pathlib
import re
import sys


def numbers(d, problems):
    """The numbers of d's migrations; anything else in d is a problem."""
    got = []
    for p in sorted(d.iterdir()):
        if p.is_dir() and p.name == "pg" and d.name == "migrations":
            continue
        m = re.fullmatch(r"(\d{3})\.sql", p.name)
        if m is None or not p.is_file():
            problems.append("%s: not a migration (NNN.sql)" % p)
            continue
        got.append(int(m.group(1)))
    for i, n in enumerate(got, 1):
        if n != i:
            problems.append("%s: %03d.sql where %03d.sql belongs: number them without gaps" % (d, n, i))
            break
    return got


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2])
    lite = root / "core/db/migrations"
    pg = lite / "pg"
    problems = []
    if not pg.is_dir():
        problems.append("%s: missing (the PostgreSQL migrations)" % pg)
        a, b = numbers(lite, problems), []
    else:
        a, b = numbers(lite, problems), numbers(pg, problems)
    for n in sorted(set(a) - set(b)):
        problems.append("%s/%03d.sql: no %s/%03d.sql" % (lite, n, pg, n))
    for n in sorted(set(b) - set(a)):
        problems.append("%s/%03d.sql: no %s/%03d.sql" % (pg, n, lite, n))
    for p in problems:
        print(p)
    if problems:
        print("migrations: %d problems" % len(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
