#!/usr/bin/env python3
"""config_keys.py — the configuration keys itakud knows (the key table in
core/config.c) against the two places an operator reads them: the shipped
config/itaku.conf.example and README.md. The example sets or shows (as a
commented "; key = value" line) every key the parser knows, under its own
section, and nothing else; every "`[section] key`" README names is a key
the parser knows. So a documented configuration is never refused, and a
key is never added without being shown.

Run from anywhere: tests/lint/config_keys.py [ROOT]. Exit 0 when all agree."""

import pathlib
import re
import sys

KEY_ROW = re.compile(r'\{"([a-z_]+)", "([a-z_]+)", K_[A-Z0-9]+,')
README_KEY = re.compile(r"`\[([a-z_]+)\] ([a-z_]+)")
SECTION = re.compile(r"^\s*\[([a-z_]+)\]\s*$")
EXAMPLE_KEY = re.compile(r"^\s*[;#]?\s*([a-z_]+)\s*=")


def parser_keys(root):
    text = (root / "core/config.c").read_text(encoding="utf-8")
    return set(KEY_ROW.findall(text))


def example_keys(root):
    keys, section = set(), None
    for line in (root / "config/itaku.conf.example").read_text(encoding="utf-8").splitlines():
        m = SECTION.match(line)
        if m:
            section = m.group(1)
            continue
        m = EXAMPLE_KEY.match(line)
        if m and section is not None:
            keys.add((section, m.group(1)))
    return keys


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                        pathlib.Path(__file__).resolve().parents[2])
    known = parser_keys(root)
    problems = []
    if len(known) < 10:
        problems.append(f"core/config.c: only {len(known)} keys found; has the table moved?")
    example = example_keys(root)
    for s, k in sorted(known - example):
        problems.append(f"config/itaku.conf.example: [{s}] {k} is not shown")
    for s, k in sorted(example - known):
        problems.append(f"config/itaku.conf.example: [{s}] {k} is not a key itakud knows")
    readme = set(README_KEY.findall((root / "README.md").read_text(encoding="utf-8")))
    for s, k in sorted(readme - known):
        problems.append(f"README.md: `[{s}] {k}` is not a key itakud knows")
    for p in problems:
        print("config_keys:", p, file=sys.stderr)
    if not problems:
        print(f"config_keys: {len(known)} keys; example and README agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
