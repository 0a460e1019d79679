#!/usr/bin/env python3
"""errors-sweep.py — one-shot rewrite to the error table (core/errors.c),
run once after the issue-12 branches are merged.

  http_res_error(res, 404, "not_found", fmt, …)  ->  http_res_fail(res, "not_found", fmt, …)

The status written at a call must be the table's status of its code, or the
call is left alone and reported. Recognised forms of status and code:
  - a number or MHD_HTTP_* name, with a literal code, ERR_INTERNAL, or
    X_rc_code(SOME_RC) whose rc table entry names the code;
  - "c ? 507 : 500" with "c ? \"storage_full\" : \"storage_error\"" (same c);
  - a retired status mapper with its module's code function and the same
    argument: pkg_status(e)/pkg_rc_code(e), bind_status(e)/bind_rc_code(e),
    enrol_rc_status(e)/enrol_rc_code(e), ident_rc_status(e)/ident_rc_code(e)
    (their agreement with the table is tests/unit/core/test_errors.c's).
"internal_error" at a call becomes ERR_INTERNAL. Then:
  - ident_rc_status(x) / enrol_rc_status(x) elsewhere become
    err_status(ident_rc_code(x)) / err_status(enrol_rc_code(x));
  - the static mappers pkg_status() and bind_status() are deleted once
    nothing calls them;
  - the blocks marked "errors-sweep: compat NAME" (http_res_error itself, the
    two *_rc_status shims and their tests) are deleted once nothing outside
    such a block calls NAME;
  - changed files are run through clang-format.
What it cannot rewrite (a {status, code} map in a handler, a status it
cannot read) is listed with file and line, for a person.

Usage: tools/errors-sweep.py [--dry-run] [--root DIR] [FILE …]
  FILE …     only these files (default: every .c/.h under core, exchange,
             crypto, forms, tests)
  --dry-run  write nothing; report what would change
Exit status: 0 all done; 1 a status or code disagrees with the table (those
calls are left as they were); 2 places left for a person (see the list).
Afterwards: tests/lint/errors.py (make unit) holds the tree to the table."""

import argparse
import importlib.util
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def load_lint(root):
    spec = importlib.util.spec_from_file_location("errors_lint", root / "tests/lint/errors.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# status mapper -> the code function it goes with
MAPPERS = {
    "pkg_status": "pkg_rc_code",
    "bind_status": "bind_rc_code",
    "enrol_rc_status": "enrol_rc_code",
    "ident_rc_status": "ident_rc_code",
}
# public shims: NAME(x) -> err_status(CODEFN(x))
SHIMS = {"ident_rc_status": "ident_rc_code", "enrol_rc_status": "enrol_rc_code"}
# static mappers to delete once unused
RETIRED_STATIC = ("pkg_status", "bind_status")


class Sweep:
    def __init__(self, root, lint, files, dry):
        self.root, self.lint, self.dry = root, lint, dry
        self.table = lint.read_table(root)
        self.rc = lint.rc_codes(root)
        self.all_files = list(lint.c_files(root, ("core", "exchange", "crypto", "forms", "tests")))
        self.files = [root / f for f in files] if files else self.all_files
        self.texts = {p: p.read_text() for p in self.all_files}
        for p in self.files:
            self.texts.setdefault(p, p.read_text())
        self.changed = set()
        self.mismatch, self.manual, self.done = [], [], []

    def rel(self, p):
        return p.relative_to(self.root).as_posix()

    # -- what a call's code and status are --------------------------------

    def code_of(self, expr):
        """The code an expression names, or None."""
        expr = expr.strip()
        lit = self.lint.literals(expr)
        if len(lit) == 1 and re.fullmatch(r'"(?:[^"\\]|\\.)*"', expr):
            return lit[0]
        if expr == "ERR_INTERNAL":
            return "internal_error"
        m = re.fullmatch(r"\w+_rc_code\(\s*([A-Z][A-Z0-9_]*)\s*\)", expr)
        if m and m.group(1) in self.rc:
            return self.rc[m.group(1)]
        return None

    def ternary(self, expr):
        """(cond, a, b) of a top-level c ? a : b, or None."""
        sh = self.lint.shadow(expr)
        depth, q = 0, None
        for i, c in enumerate(sh):
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif c == "?" and depth == 0 and q is None:
                q = i
            elif c == ":" and depth == 0 and q is not None:
                return expr[:q].strip(), expr[q + 1 : i].strip(), expr[i + 1 :].strip()
        return None

    def verdict(self, status, code):
        """'ok', or a reason it is a mismatch ('!…') or for a person ('?…')."""
        st = self.lint.static_status(status)
        if st is not None:
            c = self.code_of(code)
            if c is None:
                return "?cannot tell the code of %s" % code.strip()
            if c not in self.table:
                return "!code %s is not in core/errors.c" % c
            if self.table[c] != st:
                return "!%s written as %d, the table says %d" % (c, st, self.table[c])
            return "ok"
        ts, tc = self.ternary(status), self.ternary(code)
        if ts and tc and ts[0] == tc[0]:
            for s, c in ((ts[1], tc[1]), (ts[2], tc[2])):
                v = self.verdict(s, c)
                if v != "ok":
                    return v
            return "ok"
        m = re.fullmatch(r"(\w+)\[(.+)\]\.status", status.strip(), re.S)
        if m and code.strip() == "%s[%s].code" % (m.group(1), m.group(2)):
            return "map:" + m.group(1)
        m = re.fullmatch(r"(\w+)\((.*)\)", status.strip(), re.S)
        if m and m.group(1) in MAPPERS:
            n = re.fullmatch(r"(\w+)\((.*)\)", code.strip(), re.S)
            if n and n.group(1) == MAPPERS[m.group(1)] and n.group(2).strip() == m.group(2).strip():
                return "ok"
        return "?cannot read the status %s" % " ".join(status.split())

    # -- rewriting ---------------------------------------------------------

    def rewrite_calls(self, p):
        text = self.texts[p]
        sh = self.lint.shadow(text)
        spans = self.lint.compat_spans(text)
        edits = []
        for start, args, close in self.lint.calls(text, sh, "http_res_error"):
            if self.lint.inside(spans, start):
                continue
            where = "%s:%d" % (self.rel(p), self.lint.line_of(text, start))
            if len(args) < 4:
                self.manual.append((where, "http_res_error() with %d arguments" % len(args)))
                continue
            status = text[args[1][0] : args[1][1]]
            code = text[args[2][0] : args[2][1]]
            v = self.verdict(status, code)
            if v.startswith("!"):
                self.mismatch.append((where, v[1:]))
                continue
            if v.startswith("?"):
                self.manual.append((where, v[1:]))
                continue
            if v.startswith("map:"):
                fixed = self.rewrite_map(text, v[4:], where)
                if fixed is None:
                    continue
                # the map is above the call: the call's offsets stay
                edits.append(fixed)
            new_code = re.sub(r'"internal_error"', "ERR_INTERNAL", code.strip())
            name_end = start + len("http_res_error")
            # keep "(res," as it is; drop " status,"; the code; the rest as it is
            edits.append((start, args[2][1], "http_res_fail" + text[name_end : args[1][0]] + " " + new_code))
            self.done.append(where)
        for s, e, new in sorted(edits, reverse=True):
            text = text[:s] + new + text[e:]
        if edits:
            self.set(p, text)

    def rewrite_map(self, text, name, where):
        """A handler's {status, code} map NAME, checked against the table
        and rewritten to {code}: (start, end, new) or None (reported)."""
        m = re.search(
            r"\{\s*unsigned status;\s*const char \*code;\s*\}\s*%s\[[^\]]*\]\s*=\s*\{.*?\n\s*\};" % name,
            text,
            re.S,
        )
        if m is None:
            self.manual.append((where, "the map %s is not {unsigned status; const char *code;}" % name))
            return None
        block = m.group(0)
        entry = re.compile(r"\{(\d{3}),\s*(\"(%s)\"|ERR_INTERNAL)\}" % self.lint.CODE_RE)
        for e in entry.finditer(block):
            c = e.group(3) or "internal_error"
            if c == "ok":
                continue
            if c not in self.table:
                self.mismatch.append((where, "%s maps to %s, not in core/errors.c" % (name, c)))
                return None
            if self.table[c] != int(e.group(1)):
                self.mismatch.append(
                    (where, "%s maps %s to %s, the table says %d" % (name, c, e.group(1), self.table[c]))
                )
                return None
        new = re.sub(r"unsigned status;\s*", "", block, count=1)
        new = entry.sub(lambda e: "{%s}" % e.group(2), new)
        new = new.replace('"internal_error"', "ERR_INTERNAL")
        return (m.start(), m.end(), new)

    def rewrite_shims(self, p):
        text = self.texts[p]
        for name, codefn in SHIMS.items():
            sh = self.lint.shadow(text)
            spans = self.lint.compat_spans(text)
            edits = []
            for start, args, close in self.lint.calls(text, sh, name):
                if self.lint.inside(spans, start) or len(args) != 1:
                    continue
                arg = text[args[0][0] : args[0][1]].strip()
                edits.append((start, close + 1, "err_status(%s(%s))" % (codefn, arg)))
                self.done.append("%s:%d" % (self.rel(p), self.lint.line_of(text, start)))
            for s, e, new in sorted(edits, reverse=True):
                text = text[:s] + new + text[e:]
            if edits:
                text = self.ensure_include(text)
                self.set(p, text)

    def ensure_include(self, text):
        """core/errors.h included (directly or through core/http/http.h)."""
        if re.search(r'#include "core/(errors|http/http)\.h"', text):
            return text
        incs = list(re.finditer(r'^#include "[^"]+"\n', text, re.M))
        if not incs:
            return '#include "core/errors.h"\n' + text
        last = incs[-1]
        return text[: last.end()] + '#include "core/errors.h"\n' + text[last.end() :]

    def referenced(self, name, outside_of=None):
        """Where name( occurs outside compat blocks and outside the span
        (path, start, end) given ("file:line"), or None."""
        for p, text in self.texts.items():
            sh = self.lint.shadow(text)
            spans = self.lint.compat_spans(text)
            for m in re.finditer(r"\b%s\s*\(" % name, sh):
                if self.lint.inside(spans, m.start()):
                    continue
                if outside_of and outside_of[0] == p and outside_of[1] <= m.start() < outside_of[2]:
                    continue
                return "%s:%d" % (self.rel(p), self.lint.line_of(text, m.start()))
        return None

    def drop_retired(self, p):
        text = self.texts[p]
        for name in RETIRED_STATIC:
            m = re.search(r"^static unsigned %s\([^)]*\)\n\{\n.*?^\}\n" % name, text, re.M | re.S)
            if not m or self.referenced(name, (p, m.start(), m.end())):
                continue
            start, end = m.start(), m.end()
            # its comment above, and one blank line
            before = text[:start]
            c = re.search(r"(^/\*(?:(?!\*/).)*\*/\n)$", before, re.M | re.S)
            if c:
                start = c.start()
            if text[end : end + 1] == "\n":
                end += 1
            text = text[:start] + text[end:]
            self.done.append("%s: %s() deleted" % (self.rel(p), name))
        self.set(p, text)

    def drop_compat(self):
        names = set()
        for text in self.texts.values():
            names |= {n for _, _, n in self.lint.compat_spans(text)}
        for name in sorted(names):
            user = self.referenced(name)
            if user:
                self.manual.append((user, "%s() still called: its compat blocks stay" % name))
                continue
            for p, text in list(self.texts.items()):
                spans = [s for s in self.lint.compat_spans(text) if s[2] == name]
                for s, e, _ in sorted(spans, reverse=True):
                    # whole lines, with the indentation before the marker
                    ls = text.rfind("\n", 0, s) + 1
                    le = text.find("\n", e)
                    le = len(text) if le < 0 else le + 1
                    text = text[:ls] + text[le:]
                if spans:
                    text = re.sub(r"\n\n\n+", "\n\n", text)
                    self.set(p, text)
                    self.done.append("%s: compat %s deleted" % (self.rel(p), name))

    def set(self, p, text):
        if text != self.texts[p]:
            self.texts[p] = text
            self.changed.add(p)

    def leftovers(self):
        """Status maps and "internal_error" spellings no rewrite removes."""
        for p in self.files:
            text = self.texts[p]
            rel = self.rel(p)
            if rel.startswith(("tests/", "exchange/")) or rel in ("core/errors.c", "core/errors.h"):
                continue
            sh = self.lint.shadow(text)
            for m in self.lint.RC_ENTRY.finditer(text):
                if sh[m.start()] == "[" and m.group(2):
                    where = "%s:%d" % (rel, self.lint.line_of(text, m.start()))
                    self.manual.append((where, "{%s, %s}: a status beside a code (drop it; "
                                        "http_res_fail takes the table's)" % (m.group(2), m.group(3))))
            for m in re.finditer(r'"internal_error"', text):
                if sh[m.start() + 1] == "x":
                    where = "%s:%d" % (rel, self.lint.line_of(text, m.start()))
                    self.manual.append((where, '"internal_error": spell it ERR_INTERNAL'))

    def run(self):
        for p in self.files:
            self.rewrite_calls(p)
            self.rewrite_shims(p)
        for p in self.files:
            self.drop_retired(p)
        if not self.mismatch:
            self.drop_compat()
        self.leftovers()
        if not self.dry:
            for p in sorted(self.changed):
                p.write_text(self.texts[p])
            fmt = shutil.which("clang-format")
            if fmt and self.changed:
                subprocess.run([fmt, "-i"] + [str(p) for p in sorted(self.changed)], check=True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--root", default=str(ROOT))
    ap.add_argument("files", nargs="*")
    a = ap.parse_args(argv[1:])
    root = pathlib.Path(a.root).resolve()
    s = Sweep(root, load_lint(root), a.files, a.dry_run)
    s.run()
    verb = "would change" if a.dry_run else "changed"
    print("errors-sweep: %d rewrite(s); %s %d file(s)" % (len(s.done), verb, len(s.changed)))
    for p in sorted(s.changed):
        print("  " + s.rel(p))
    for where, why in s.mismatch:
        print("MISMATCH %s: %s (left as it was)" % (where, why))
    for where, why in s.manual:
        print("BY HAND  %s: %s" % (where, why))
    if s.mismatch:
        print("errors-sweep: %d mismatch(es): fix the call or the table, then run again" % len(s.mismatch))
        return 1
    if s.manual:
        print("errors-sweep: %d place(s) for a person, then run again" % len(s.manual))
        return 2
    print("errors-sweep: done; now make unit (tests/lint/errors.py) and make e2e")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
