#!/usr/bin/env python3
"""report.py BENCHMARKS.md LOG... — writes the benchmark table from the
FIGURE lines the benchmark scripts print:

  FIGURE: NAME ratio min/median/max = a/b/c (goal OP G) [reference: TEXT]

OP is one of ≤ < ≥ > (or <= >=). A figure's goal is met when its median
meets it. Rows of figures this run measured are replaced, the others are
kept as they were (with the date they were measured); the header (date,
library and tool versions, machine) is this run's.
"""
import datetime
import os
import re
import subprocess
import sys

FIG = re.compile(r"^FIGURE: (.+?) ratio min/median/max = ([-0-9.]+)/([-0-9.]+)/([-0-9.]+) "
                 r"\(goal (≤|<=|<|≥|>=|>) ([0-9.]+)\)(?: reference: (.*))?$")
ROW = re.compile(r"^\| (.+?) \| (.*?) \| (.+?) \| (.+?) \| (.+?) \| (.+?) \|$")
HEAD = "| figure | reference | goal | ratio min/median/max | met? | measured |"


def sh(cmd):
    try:
        r = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20)
        return (r.stdout + r.stderr).strip().splitlines()[0].strip()
    except Exception:  # a tool that is not there: say so
        return "not found"


def met(op, goal, median):
    g, m = float(goal), float(median)
    return {"≤": m <= g, "<=": m <= g, "<": m < g, "≥": m >= g, ">=": m >= g, ">": m > g}[op]


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def ram_gb():
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            return "%.1f GB" % (int(line.split()[1]) * 1024 / 1e9)
    return "unknown"


def main():
    out, logs = sys.argv[1], sys.argv[2:]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    quick = os.environ.get("QUICK", "0") == "1"
    rows = {}
    order = []
    if os.path.exists(out):
        for line in open(out, encoding="utf-8"):
            m = ROW.match(line.rstrip("\n"))
            if m and m.group(1) != "figure" and not m.group(1).startswith("---"):
                rows[m.group(1)] = m.groups()
                order.append(m.group(1))
    fresh = 0
    for log in logs:
        for line in open(log, encoding="utf-8", errors="replace"):
            m = FIG.match(line.rstrip("\n"))
            if not m:
                continue
            name, lo, med, hi, op, goal, ref = m.groups()
            ok = "yes" if met(op, goal, med) else "**no**"
            when = now + (" (QUICK)" if quick else "")
            rows[name] = (name, (ref or "").replace("|", "/"), "%s %s" % (op, goal),
                          "%s / %s / %s" % (lo, med, hi), ok, when)
            if name not in order:
                order.append(name)
            fresh += 1
    versions = [
        ("libmicrohttpd", sh("pkg-config --modversion libmicrohttpd")),
        ("GnuTLS", sh("pkg-config --modversion gnutls")),
        ("OpenSSL", sh("openssl version")),
        ("sqlite", sh("pkg-config --modversion sqlite3")),
        ("libzip", sh("pkg-config --modversion libzip")),
        ("libxml2", sh("pkg-config --modversion libxml-2.0")),
        ("nginx", sh("nginx -v")),
        ("ab", sh("ab -V")),
        ("curl", sh("curl --version")),
    ]
    commit = os.environ.get("BENCH_COMMIT") or sh("git rev-parse --short HEAD")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Benchmarks\n\n")
        f.write("Written by `make bench` (tests/bench/run.sh, tests/bench/report.py); do not edit by hand.\n")
        f.write("Every figure is a ratio against a reference measured in the same run, with\n")
        f.write("min / median / max over its rounds; a goal is met when the median meets it.\n")
        f.write("Each script in tests/bench/ runs alone too and prints how it measures.\n\n")
        f.write("Last run: %s%s, commit %s; %d figures from it.\n\n" % (
            now, " with QUICK=1 (fewer, shorter rounds)" if quick else "", commit, fresh))
        f.write(HEAD + "\n|---|---|---|---|---|---|\n")
        for name in order:
            f.write("| %s |\n" % " | ".join(rows[name]))
        f.write("\n## Versions\n\n")
        for k, v in versions:
            f.write("- %s: %s\n" % (k, v))
        f.write("\n## Machine\n\n")
        f.write("- nproc: %d\n- CPU: %s\n- RAM: %s\n" % (os.cpu_count() or 0, cpu_model(), ram_gb()))
        f.write("- shared: other builds and tests may run beside the benchmark; the ratios\n"
                "  take their reference in the same run so that noise mostly cancels\n")
    print("report: %d figures from this run written to %s" % (fresh, out))


main()
