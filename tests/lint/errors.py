#!/usr/bin/env python3
"""errors.py — the error table (core/errors.c) against everything that names
a code: the C sources (calls of http_res_fail() and the like, and each
module's rc -> code table), the end-to-end cases and scripts, and README.md's
"Error codes" list. Every code the sources emit or the tests expect is in
the table, with the status the tests expect; README lists exactly the
table's codes, each with its status; "internal_error" is spelled only in
core/errors.h (exchange/ sits below core/ and names it in its rc tables).

A call that writes its own status (http_res_error(res, 404, …), the call
of before the table, rewritten everywhere when the table came) and a
handler's own {status, code} map are errors.

Run from anywhere: tests/lint/errors.py [ROOT]. Exit 0 when all agree."""

import pathlib
import re
import sys

CODE_RE = r"[a-z][a-z0-9_]*"
COMPAT_BEGIN = re.compile(r"/\* errors-sweep: compat (\w+) \*/")
COMPAT_END = "/* errors-sweep: end */"
# the C that can emit a code (tests compare codes, they do not emit them)
SOURCE_DIRS = ("core", "exchange", "crypto", "forms")


# --- a little C: comments and strings masked, calls and arguments ----------


def shadow(text):
    """text with comments blanked and string/char literal bodies replaced
    by 'x' (quotes kept), same length: parentheses and commas found in it
    are code."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            for k in range(i + 1, min(j, n)):
                if out[k] != "\n":
                    out[k] = "x"
            i = j + 1
        else:
            i += 1
    return "".join(out)


def split_args(sh, open_paren):
    """The argument spans [(start, end)] of the call whose '(' is at
    open_paren, and the index of its ')'."""
    depth, start, args = 0, open_paren + 1, []
    for i in range(open_paren, len(sh)):
        c = sh[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append((start, i))
                return args, i
        elif c == "," and depth == 1:
            args.append((start, i))
            start = i + 1
    raise ValueError("unbalanced call at %d" % open_paren)


def calls(text, sh, name):
    """(name_start, args, close) of every call of name, declarations and
    definitions excluded (their first argument has a type)."""
    for m in re.finditer(r"\b%s\s*\(" % re.escape(name), sh):
        args, close = split_args(sh, m.end() - 1)
        first = text[args[0][0] : args[0][1]].strip()
        if re.match(r"(const\s+)?\w+\s*\*", first) or first.startswith("http_res *"):
            continue
        yield m.start(), args, close


def literals(expr):
    """The string literals in a C expression (adjacent ones joined)."""
    return [m.group(1) for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', expr)]


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def compat_spans(text):
    """[(start, end, name)] of the blocks marked for tools/errors-sweep.py."""
    spans = []
    for m in COMPAT_BEGIN.finditer(text):
        end = text.find(COMPAT_END, m.end())
        if end < 0:
            raise ValueError("errors-sweep: compat %s without its end" % m.group(1))
        spans.append((m.start(), end + len(COMPAT_END), m.group(1)))
    return spans


def inside(spans, pos):
    return any(s <= pos < e for s, e, _ in spans)


# --- the table --------------------------------------------------------------


def read_table(root):
    """{code: status} of core/errors.c, in table order."""
    defines = dict(
        re.findall(r'#define\s+(ERR_\w+)\s+"(%s)"' % CODE_RE, (root / "core/errors.h").read_text())
    )
    text = (root / "core/errors.c").read_text()
    sh = shadow(text)
    start = sh.index("static const err_def table[] = {")
    end = sh.index("\n};", start)
    table = {}
    for m in re.finditer(r"\bERR\s*\(", sh[start:end]):
        args, _ = split_args(sh, start + m.end() - 1)
        code_expr = text[args[0][0] : args[0][1]].strip()
        lit = literals(code_expr)
        code = lit[0] if lit else defines.get(code_expr)
        status = text[args[1][0] : args[1][1]].strip()
        if code is None or not re.fullmatch(CODE_RE, code) or not status.isdigit():
            raise ValueError("core/errors.c:%d: cannot read this entry" % line_of(text, start + m.start()))
        if code in table:
            raise ValueError("core/errors.c: %s is in the table twice" % code)
        table[code] = int(status)
    if not table:
        raise ValueError("core/errors.c: no table found")
    return table


def c_files(root, dirs=SOURCE_DIRS):
    for d in dirs:
        for p in sorted((root / d).rglob("*.[ch]")):
            yield p


# rc tables: [SOME_RC] = {"code", …} or {status, "code"} (a handler's map)
RC_ENTRY = re.compile(r"\[([A-Z][A-Z0-9_]*)\]\s*=\s*\{\s*(?:(\d{3})\s*,\s*)?(\"(%s)\"|ERR_INTERNAL)" % CODE_RE)

# HTTP status names that calls may use instead of numbers
MHD_STATUS = {
    "MHD_HTTP_BAD_REQUEST": 400,
    "MHD_HTTP_UNAUTHORIZED": 401,
    "MHD_HTTP_FORBIDDEN": 403,
    "MHD_HTTP_NOT_FOUND": 404,
    "MHD_HTTP_METHOD_NOT_ALLOWED": 405,
    "MHD_HTTP_CONFLICT": 409,
    "MHD_HTTP_GONE": 410,
    "MHD_HTTP_CONTENT_TOO_LARGE": 413,
    "MHD_HTTP_PAYLOAD_TOO_LARGE": 413,
    "MHD_HTTP_UNSUPPORTED_MEDIA_TYPE": 415,
    "MHD_HTTP_UNPROCESSABLE_ENTITY": 422,
    "MHD_HTTP_UNPROCESSABLE_CONTENT": 422,
    "MHD_HTTP_TOO_MANY_REQUESTS": 429,
    "MHD_HTTP_INTERNAL_SERVER_ERROR": 500,
    "MHD_HTTP_SERVICE_UNAVAILABLE": 503,
    "MHD_HTTP_INSUFFICIENT_STORAGE": 507,
}


def static_status(expr):
    expr = expr.strip()
    if expr.isdigit():
        return int(expr)
    return MHD_STATUS.get(expr)


def rc_codes(root):
    """{RC_CONSTANT: code} from every rc table of the sources."""
    out = {}
    for p in c_files(root):
        text = p.read_text()
        sh = shadow(text)
        for m in RC_ENTRY.finditer(text):
            if sh[m.start()] == "[":  # not inside a comment or string
                out[m.group(1)] = m.group(4) or "internal_error"
    return out


def legacy(root):
    """True while core/http/http.h still declares the call of before the
    table: tools/errors-sweep.py has not run yet."""
    return "http_res_error(" in shadow((root / "core/http/http.h").read_text())


# --- the checks -------------------------------------------------------------


class Report:
    def __init__(self):
        self.problems = []

    def __call__(self, where, msg):
        self.problems.append("%s: %s" % (where, msg))


def check_sources(root, table, bad, counts):
    old = legacy(root)
    for p in c_files(root):
        rel = p.relative_to(root).as_posix()
        if rel in ("core/errors.c", "core/errors.h"):
            continue
        text = p.read_text()
        sh = shadow(text)
        spans = compat_spans(text)
        # calls: (function, index of the code argument, index of a status)
        for fn, ci, si in (("http_res_fail", 1, None), ("early_error", 1, None), ("http_res_error", 2, 1)):
            for start, args, _ in calls(text, sh, fn):
                where = "%s:%d" % (rel, line_of(text, start))
                if inside(spans, start):
                    continue
                if len(args) <= ci:
                    bad(where, "%s() with too few arguments" % fn)
                    continue
                codes = literals(text[args[ci][0] : args[ci][1]])
                counts["calls"] += 1
                for c in codes:
                    if c not in table:
                        bad(where, "code %s is not in core/errors.c" % c)
                if si is None:
                    continue
                counts["legacy"] += 1
                if not old:
                    bad(where, "http_res_error() is gone: use http_res_fail(res, code, …)")
                st = static_status(text[args[si][0] : args[si][1]])
                if st is not None and len(codes) == 1 and codes[0] in table and table[codes[0]] != st:
                    bad(where, "%s written as %d, the table says %d" % (codes[0], st, table[codes[0]]))
        for m in RC_ENTRY.finditer(text):
            if sh[m.start()] != "[":
                continue
            where = "%s:%d" % (rel, line_of(text, m.start()))
            code = m.group(4) or "internal_error"
            counts["rc"] += 1
            if code != "ok" and code not in table:
                bad(where, "code %s (%s) is not in core/errors.c" % (code, m.group(1)))
            if m.group(2):
                counts["legacy"] += 1
                if not old:
                    bad(where, "a status beside code %s: the status is the table's" % code)
                elif code in table and int(m.group(2)) != table[code]:
                    bad(where, "%s mapped to %s, the table says %d" % (code, m.group(2), table[code]))
        # "internal_error" itself: ERR_INTERNAL, except below core/
        for m in re.finditer(r'"internal_error"', text):
            if sh[m.start() + 1] != "x":
                continue  # in a comment
            where = "%s:%d" % (rel, line_of(text, m.start()))
            if rel.startswith("exchange/"):
                continue
            if old and (legacy_call_at(text, sh, m.start()) or RC_ENTRY.match(text, text.rfind("[", 0, m.start()))):
                continue
            bad(where, 'spell it ERR_INTERNAL (core/errors.h), not "internal_error"')


def legacy_call_at(text, sh, pos):
    for start, args, close in calls(text, sh, "http_res_error"):
        if start <= pos <= close:
            return True
    return False


def check_e2e(root, table, bad, counts):
    for p in sorted((root / "tests/e2e/cases").glob("*.case")):
        rel = p.relative_to(root).as_posix()
        keys = {}
        for line in p.read_text().splitlines():
            m = re.match(r"([a-z-]+):\s*(.*?)\s*$", line)
            if m:
                keys[m.group(1)] = m.group(2)
        code, status = keys.get("expect-code"), keys.get("expect-status")
        for k in ("expect-code", "verify-code"):
            c = keys.get(k)
            if c is not None and c != "ok" and c not in table:
                bad(rel, "%s %s is not in core/errors.c" % (k, c))
            counts["e2e"] += c is not None
        if code in table and status and status.isdigit() and int(status) != table[code]:
            bad(rel, "expects %s with %s, the table says %d" % (code, status, table[code]))
    for p in sorted((root / "tests/e2e/scripts").glob("*.sh")):
        rel = p.relative_to(root).as_posix()
        for n, line in enumerate(p.read_text().splitlines(), 1):
            where = "%s:%d" % (rel, n)
            # expect_eq "$(jq -r .error.code …)" CODE
            for m in re.finditer(r'\.error\.code[^)]*\)"\s+"?(%s)\b' % CODE_RE, line):
                counts["e2e"] += 1
                if m.group(1) not in table:
                    bad(where, "expects code %s, not in core/errors.c" % m.group(1))
            # refusal helpers and comments: "409 nonce_reused"
            for m in re.finditer(r"\b([45]\d\d)\s+\"?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b", line):
                st, c = int(m.group(1)), m.group(2)
                counts["e2e"] += 1
                if c not in table:
                    bad(where, "%d %s: code not in core/errors.c" % (st, c))
                elif table[c] != st:
                    bad(where, "%d %s: the table says %d" % (st, c, table[c]))


    # the Python clients: want=(413, "body_too_large")
    for p in sorted((root / "tests/e2e").glob("*.py")):
        rel = p.relative_to(root).as_posix()
        for n, line in enumerate(p.read_text().splitlines(), 1):
            for m in re.finditer(r'\(([45]\d\d),\s*"(%s)"\)' % CODE_RE, line):
                st, c = int(m.group(1)), m.group(2)
                counts["e2e"] += 1
                if c not in table:
                    bad("%s:%d" % (rel, n), "%d %s: code not in core/errors.c" % (st, c))
                elif table[c] != st:
                    bad("%s:%d" % (rel, n), "%d %s: the table says %d" % (st, c, table[c]))


def readme_section(text):
    m = re.search(r"^### Error codes\n(.*?)(?=^#)", text, re.M | re.S)
    if m is None:
        raise ValueError('README.md: no "### Error codes" section')
    return m.group(1)


def check_readme(root, table, bad, counts):
    text = (root / "README.md").read_text()
    seen = {}
    for line in readme_section(text).splitlines():
        m = re.match(r"\|\s*(\d{3})\s*\|(.*)\|\s*$", line)
        if not m:
            continue
        st = int(m.group(1))
        for c in re.findall(r"`(%s)`" % CODE_RE, m.group(2)):
            if c in seen:
                bad("README.md", "%s is listed twice" % c)
            seen[c] = st
    counts["readme"] = len(seen)
    for c, st in seen.items():
        if c not in table:
            bad("README.md", "lists %s, which is not in core/errors.c" % c)
        elif table[c] != st:
            bad("README.md", "lists %s under %d, the table says %d" % (c, st, table[c]))
    for c in table:
        if c not in seen:
            bad("README.md", '%s (%d) is not in "Error codes"' % (c, table[c]))
    # everywhere else: "`409 already_registered`" and the like
    for m in re.finditer(r"`([45]\d\d) (%s)`" % CODE_RE, text):
        st, c = int(m.group(1)), m.group(2)
        if c not in table:
            bad("README.md:%d" % line_of(text, m.start()), "%d %s: not in core/errors.c" % (st, c))
        elif table[c] != st:
            bad("README.md:%d" % line_of(text, m.start()), "%d %s: the table says %d" % (st, c, table[c]))


def main(argv):
    root = pathlib.Path(argv[1]) if len(argv) > 1 else pathlib.Path(__file__).resolve().parents[2]
    bad = Report()
    counts = {"calls": 0, "rc": 0, "legacy": 0, "e2e": 0, "readme": 0}
    try:
        table = read_table(root)
        check_sources(root, table, bad, counts)
        check_e2e(root, table, bad, counts)
        check_readme(root, table, bad, counts)
    except ValueError as e:
        bad("errors.py", str(e))
        table = {}
    for p in bad.problems:
        print("errors: " + p)
    if bad.problems:
        print("errors: %d problem(s)" % len(bad.problems))
        return 1
    print(
        "errors: %d codes in core/errors.c; %d calls, %d rc table entries, %d e2e expectations "
        "and %d README entries agree%s"
        % (
            len(table),
            counts["calls"],
            counts["rc"],
            counts["e2e"],
            counts["readme"],
            " (%d old-style, for tools/errors-sweep.py)" % counts["legacy"] if counts["legacy"] else "",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
