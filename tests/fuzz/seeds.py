#!/usr/bin/env python3
"""seeds.py — builds the fuzzers' seed corpora in OUT/<target>/ from the
project's own test material, so the seeds follow the tests:

  package, zip_diff  every `package:` line of tests/e2e/cases/*.case built by
                     tests/e2e/mkpkg.py (Python zipfile / zip + openssl cms),
                     signed by the fuzz test signer (tests/fuzz/pki), and
                     packages of the answer seeds made by itaku's own writer
  answers            the answers.xml of `itaku init --demo` and variants
                     (evidence, comments, subcontractors, na)
  questionnaire      forms/questionnaires/*.xml
  csr                good and bad requests (mkseeds csr)
  api_json           every JSON `body:` of the cases with its request line
  config             config/itaku.conf.example and a demo instance's file
  router             every case's request line and the route table's paths
and then each tests/fuzz/corpus/<target>/ (committed seeds) on top. Skips
the work when nothing it reads is newer than OUT/.stamp.

usage: seeds.py MKSEEDS OUT
"""
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

TARGETS = ["package", "answers", "questionnaire", "csr", "api_json", "config", "router",
           "zip_diff"]
SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MAX_SEED = 64 * 1024
# mkpkg.py options that make seeds too large to be useful to mutate
TOO_BIG = {"--bomb", "--many", "--compressible", "--evidence-random"}
INVITED = "5500000000011"


def inputs():
    paths = [os.path.join(SRC, p) for p in ("tests/e2e/mkpkg.py", "config/itaku.conf.example",
                                             "core/server/routes.c")]
    for pat in ("tests/fuzz/*", "tests/fuzz/corpus/*/*", "tests/e2e/cases/*.case",
                "forms/questionnaires/*.xml"):
        paths += glob.glob(os.path.join(SRC, pat))
    return paths


def fresh(out, mkseeds):
    stamp = os.path.join(out, ".stamp")
    if not os.path.exists(stamp):
        return False
    t = os.path.getmtime(stamp)
    return all(os.path.getmtime(p) <= t for p in inputs() + [mkseeds])


def cases():
    for path in sorted(glob.glob(os.path.join(SRC, "tests/e2e/cases/*.case"))):
        kv = {}
        for line in open(path, encoding="utf-8"):
            if line.startswith("#") or ":" not in line:
                continue
            k, v = line.split(":", 1)
            kv[k.strip()] = v.strip()
        yield os.path.basename(path)[:-5], kv


def put(out, target, name, data):
    if len(data) > MAX_SEED:
        return
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)


def stored(src, dst):
    """The same package with every entry stored: the bytes a mutation
    changes are then the entries' own (the fuzzers fix CRCs up)."""
    import zipfile
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for old in zin.infolist():
            info = zipfile.ZipInfo(old.filename, old.date_time)
            info.external_attr, info.create_system = old.external_attr, old.create_system
            zout.writestr(info, zin.read(old.filename))


def answers_variants(demo):
    """The demo answers and hand-made variants of it (still valid)."""
    yield "demo", demo
    yield "evidence", re.sub(
        r'<item id="1.1" level="(\d)"/>',
        r'<item id="1.1" level="\1"><comment>Policy approved 2026-04 / 方針承認済み</comment>'
        r'<evidence ref="evidence/policy.txt"/></item>', demo)
    yield "na", re.sub(r'<item id="4.3" level="\d"/>', '<item id="4.3" level="na"/>', demo)
    yield "subs", demo.replace(
        "</answers>",
        '<subcontractors><subcontractor id="%s" personal-data="true" '
        'confidential-data="false"><name>Sub One</name><scope>operations</scope>'
        '</subcontractor><subcontractor id="internal-print" personal-data="false" '
        'confidential-data="true"><name>Print</name><scope>printing</scope>'
        "</subcontractor></subcontractors></answers>" % INVITED)
    yield "low-it", re.sub(r'\s*<item id="[34]\.\d" level="\d"/>', "", demo).replace(
        'version="1"', 'version="1" variant="low-it"')


def main():
    mkseeds, out = os.path.abspath(sys.argv[1]), sys.argv[2]
    if fresh(out, mkseeds):
        return 0
    shutil.rmtree(out, ignore_errors=True)
    for t in TARGETS:
        os.makedirs(os.path.join(out, t))
    tmp = tempfile.mkdtemp(prefix="itaku-seeds.")
    try:
        build(mkseeds, out, tmp)
    finally:
        shutil.rmtree(tmp)
    for t in TARGETS:
        for f in glob.glob(os.path.join(SRC, "tests/fuzz/corpus", t, "*")):
            shutil.copy(f, os.path.join(out, t, "committed-" + os.path.basename(f)))
    open(os.path.join(out, ".stamp"), "w").close()
    counts = " ".join("%s %d" % (t, len(os.listdir(os.path.join(out, t)))) for t in TARGETS)
    print("fuzz seeds: " + counts)
    return 0


def build(mkseeds, out, tmp):
    run = lambda *a: subprocess.run(list(a), check=True, stdout=subprocess.DEVNULL)
    inst = os.path.join(tmp, "inst")
    run(mkseeds, "demo", inst)
    put(out, "config", "instance.conf", open(os.path.join(inst, "itaku.conf"), "rb").read())
    put(out, "config", "example.conf",
        open(os.path.join(SRC, "config/itaku.conf.example"), "rb").read())
    for q in glob.glob(os.path.join(SRC, "forms/questionnaires/*.xml")):
        put(out, "questionnaire", os.path.basename(q), open(q, "rb").read())
    run(mkseeds, "csr", os.path.join(out, "csr"))

    # answers, and itaku's own packages of them
    demo = open(os.path.join(inst, "examples/7999900000002/answers.xml"), encoding="utf-8").read()
    evidence = os.path.join(tmp, "policy.txt")
    open(evidence, "w").write("our security policy\n")
    for name, text in answers_variants(demo):
        put(out, "answers", name + ".xml", text.encode())
        src = os.path.join(tmp, name + ".xml")
        open(src, "w", encoding="utf-8").write(text)
        pkg = os.path.join(out, "package", "itaku-" + name + ".asice")
        run(mkseeds, "pack", pkg, src, *([evidence] if name == "evidence" else []))
        shutil.copy(pkg, os.path.join(out, "zip_diff"))
        flat = os.path.join(out, "package", "stored-" + name + ".asice")
        stored(pkg, flat)
        shutil.copy(flat, os.path.join(out, "zip_diff"))

    # the e2e cases' packages, built without itaku's code
    fixtures = os.path.join(tmp, "fixtures")
    os.makedirs(fixtures)
    for ext in ("crt", "key"):
        shutil.copy(os.path.join(SRC, "tests/fuzz/pki/signer." + ext),
                    os.path.join(fixtures, "signer." + ext))
    open(os.path.join(fixtures, "signer.answers.xml"), "w", encoding="utf-8").write(demo)
    env = dict(os.environ)
    env.pop("ITAKU_E2E_INST", None)
    for name, kv in cases():
        if "package" not in kv:
            continue
        args = shlex.split(kv["package"])
        if TOO_BIG & set(args):
            continue
        while "--signer" in args:
            i = args.index("--signer")
            del args[i:i + 2]
        pkg = os.path.join(tmp, name + ".asice")
        r = subprocess.run([sys.executable, os.path.join(SRC, "tests/e2e/mkpkg.py"),
                            "--fixtures", fixtures, "--signer", "signer", "--out", pkg] + args,
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode == 0 and os.path.exists(pkg):
            data = open(pkg, "rb").read()
            put(out, "package", "case-" + name + ".asice", data)
            put(out, "zip_diff", "case-" + name + ".asice", data)

    # request lines and JSON bodies of the cases
    roles = {"admin": "admin", "resp-ec": "resp-ec", "resp-rsa": "resp-rsa"}
    for name, kv in cases():
        method = kv.get("method", "POST")
        path = kv.get("path", "/api/v1/submissions")
        put(out, "router", "case-" + name, ("%s %s\n" % (method, path)).encode())
        body = kv.get("body", "")
        if body.startswith("text:{"):
            line = "%s %s %s\n" % (method, path, roles.get(kv.get("client", ""), "none"))
            put(out, "api_json", "case-" + name, (line + body[5:]).encode())
    routes = open(os.path.join(SRC, "core/server/routes.c"), encoding="utf-8").read()
    for i, (method, pattern) in enumerate(re.findall(r'\{"(GET|POST)", "([^"]+)"', routes)):
        path = pattern.replace("{id}", "1").replace("{version}", "1")
        query = "?offset=0&limit=10&below_limit=5&paths=3" if "aggregate" in path else ""
        put(out, "router", "route-%02d" % i, ("%s %s%s\n" % (method, path, query)).encode())

    # an enrolment with a real request for the invited organisation; the
    # target puts the invitation's token in place of @TOKEN@
    key, csr = os.path.join(tmp, "e.key"), os.path.join(tmp, "e.csr")
    run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=Sub One/serialNumber=" + INVITED)
    body = json.dumps({"token": "@TOKEN@", "campaign": "1", "csr": open(csr).read()})
    put(out, "api_json", "enrol-token", ("POST /api/v1/enrol none\n" + body).encode())


if __name__ == "__main__":
    sys.exit(main())
