#!/usr/bin/env python3
"""cli_flags.py — one meaning per flag across the `itaku` commands.

Checks, from the sources:
- every long option in a getopt table of core/cli/*.c has its one meaning
  in core/cli/flags.c, and flags.c holds no option no command takes;
- the options the command table (core/cli/itaku.c) lists for `itaku help
  CMD` are exactly those of the getopt tables in the file that defines the
  command (cmd_contact.c serves `org contact`);
- a short option means the same long option everywhere it is taken.

Run from anywhere: tests/lint/cli_flags.py [ROOT]. Exit 0 when all agree."""

import pathlib
import re
import sys

LONG = re.compile(r'\{"([a-z][a-z0-9-]*)", (?:no|required|optional)_argument, NULL, \'(.)\'\}')
SHORT = re.compile(r'getopt_long\([^,]+,[^,]+, "([^"]*)"')
FLAG = re.compile(r'^\s*\{"([a-z][a-z0-9-]*)", (?:"[^"]*"|NULL),', re.M)
DEFINES = re.compile(r"^int (cmd_[a-z_]+)\(int argc", re.M)
SERVES = {"cmd_contact": "cmd_org"}  # called by another command, not by the table


def literals(text):
    """The C string literals of text in order, adjacent ones joined, as a
    list split at commas: [[lit, lit], [lit], ...] per comma-separated item."""
    items, cur, i = [], None, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            cur = (cur or "") + text[i + 1:j]
            i = j + 1
            continue
        if ch == ",":
            items.append(cur)
            cur = None
        i += 1
    items.append(cur)
    return items


def command_table(root):
    text = (root / "core/cli/itaku.c").read_text(encoding="utf-8")
    table = {}
    for m in re.finditer(r'\{"([a-z]+)", (cmd_[a-z_]+),(.*?)\},\n', text, re.S):
        items = [x for x in literals(m.group(3)) if x is not None]
        if len(items) != 3:
            continue
        table[m.group(1)] = (m.group(2), set(items[2].split()))
    return table


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                        pathlib.Path(__file__).resolve().parents[2])
    problems = []
    flags = set(FLAG.findall((root / "core/cli/flags.c").read_text(encoding="utf-8")))
    table = command_table(root)
    if len(table) < 10:
        problems.append(f"core/cli/itaku.c: only {len(table)} commands read; has the table moved?")
    taken, by_fn, short_means = set(), {}, {}
    for f in sorted((root / "core/cli").glob("cmd_*.c")):
        text = f.read_text(encoding="utf-8")
        longs = LONG.findall(text)
        names = {n for n, _ in longs}
        taken |= names
        for fn in DEFINES.findall(text):
            by_fn.setdefault(SERVES.get(fn, fn), set()).update(names)
        vals = {}
        for n, v in longs:
            vals.setdefault(v, set()).add(n)
        for shorts in SHORT.findall(text):
            for letter in shorts.replace(":", ""):
                for n in vals.get(letter, {"?"}):
                    short_means.setdefault(letter, set()).add((n, f.name))
    for n in sorted(taken - flags):
        problems.append(f"--{n} has no meaning in core/cli/flags.c")
    for n in sorted(flags - taken):
        problems.append(f"core/cli/flags.c: --{n} is taken by no command")
    listed_by_fn = {}
    for cmd, (fn, listed) in table.items():
        for n in sorted(listed - flags):
            problems.append(f"itaku help {cmd}: --{n} has no meaning in core/cli/flags.c")
        listed_by_fn.setdefault(fn, set()).update(listed)
    files_of = {}
    for f in sorted((root / "core/cli").glob("cmd_*.c")):
        for fn in DEFINES.findall(f.read_text(encoding="utf-8")):
            files_of[fn] = f.name
    # a file's tables serve every command defined in it: compare per file
    per_file_taken, per_file_listed = {}, {}
    for fn, names in by_fn.items():
        per_file_taken.setdefault(files_of.get(fn, fn), set()).update(names)
    for fn, names in listed_by_fn.items():
        per_file_listed.setdefault(files_of.get(fn, fn), set()).update(names)
    for f in sorted(set(per_file_taken) | set(per_file_listed)):
        t, l = per_file_taken.get(f, set()), per_file_listed.get(f, set())
        for n in sorted(t - l):
            problems.append(f"{f}: --{n} is taken but `itaku help` does not list it")
        for n in sorted(l - t):
            problems.append(f"{f}: `itaku help` lists --{n}, which no table there takes")
    for letter, uses in sorted(short_means.items()):
        if len({n for n, _ in uses}) != 1:
            problems.append(f"-{letter} means different options: {sorted(uses)}")
    for p in problems:
        print("cli_flags:", p, file=sys.stderr)
    if not problems:
        print(f"cli_flags: {len(flags)} options, {len(table)} commands; one meaning each")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
