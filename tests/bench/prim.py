#!/usr/bin/env python3
"""prim.py PKG DIR XSD CA — the primitive CPU cost of accepting one package,
timed on its own bytes, in milliseconds of CPU time: prints each part on
stderr and their sum on stdout. Used by cpu.sh.

  TLS decryption of the body   openssl speed -decrypt -evp aes-256-gcm (16 KiB records)
  SHA-256 of package + entries hashlib (OpenSSL's), in process
  inflate of deflated entries  zlib, in process, raw deflate of each entry
  signer + chain signature     openssl speed of the key types, verify/s
  XSD validation of answers    xmllint --schema, (100 runs - 1 run) / 99
  write + fsync of the package in DIR (the store's file system)
  one sqlite commit            WAL, synchronous=FULL, one row, in DIR
"""
import hashlib
import os
import resource
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib


def cpu_ms(fn, reps):
    """median CPU milliseconds of fn() over reps runs"""
    t = []
    for _ in range(reps):
        a = time.process_time()
        fn()
        t.append((time.process_time() - a) * 1000)
    t.sort()
    return t[len(t) // 2]


def speed(args):
    out = subprocess.run(["openssl", "speed", "-mr", "-seconds", "1"] + args,
                         capture_output=True, text=True, check=True).stdout
    return [l for l in out.splitlines() if l.startswith("+F")][-1].split(":")


def verify_ms(pem):
    """one signature verification with the key of certificate pem"""
    txt = subprocess.run(["openssl", "x509", "-noout", "-text"], input=pem,
                         capture_output=True, text=True, check=True).stdout
    if "id-ecPublicKey" in txt:
        curve = {"prime256v1": "ecdsap256", "secp384r1": "ecdsap384",
                 "secp521r1": "ecdsap521"}
        alg = next(v for k, v in curve.items() if k in txt)
    else:
        bits = txt.split("Public-Key: (")[1].split(" ")[0]
        alg = "rsa" + bits
    return alg, 1000 / float(speed([alg])[-1])


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def xsd_ms(xsd, xml):
    def run(extra):
        a = children_cpu()
        subprocess.run(["xmllint", "--noout", "--schema", xsd] + extra + [xml],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return children_cpu() - a
    best = min(run(["--repeat"]) - run([]) for _ in range(3))
    return max(best, 0) * 1000 / 99


def raw_deflated(path):
    """the raw deflate streams of the deflated entries"""
    out = []
    with open(path, "rb") as f, zipfile.ZipFile(path) as z:
        for i in z.infolist():
            if i.compress_type != zipfile.ZIP_DEFLATED:
                continue
            f.seek(i.header_offset)
            h = f.read(30)
            n, e = struct.unpack("<HH", h[26:30])
            f.seek(i.header_offset + 30 + n + e)
            out.append(f.read(i.compress_size))
    return out


def main():
    pkg, d, xsd, ca = sys.argv[1:5]
    data = open(pkg, "rb").read()
    with zipfile.ZipFile(pkg) as z:
        entries = [z.read(n) for n in z.namelist()]
        answers = z.read("answers.xml")
        p7 = z.read("META-INF/signature.p7s")
    parts = {}
    rate = float(speed(["-decrypt", "-evp", "aes-256-gcm", "-bytes", "16384"])[-1])
    parts["TLS decrypt (aes-256-gcm)"] = len(data) / rate * 1000

    def sha():
        hashlib.sha256(data).digest()
        for e in entries:
            hashlib.sha256(e).digest()
    parts["SHA-256 package + entries"] = cpu_ms(sha, 20)
    raws = raw_deflated(pkg)
    parts["inflate"] = cpu_ms(lambda: [zlib.decompress(r, -15) for r in raws], 20)
    signer = subprocess.run(["openssl", "pkcs7", "-inform", "DER", "-print_certs"], input=p7,
                            capture_output=True, check=True).stdout.decode()
    alg, ms = verify_ms(signer)
    parts["signature verify (%s)" % alg] = ms
    alg, ms = verify_ms(open(ca).read())
    parts["chain verify (%s)" % alg] = ms
    with tempfile.NamedTemporaryFile(suffix=".xml") as t:
        t.write(answers)
        t.flush()
        parts["XSD validation (xmllint)"] = xsd_ms(xsd, t.name)

    def durable():
        fd, name = tempfile.mkstemp(dir=d)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        os.unlink(name)
    parts["write + fsync package"] = cpu_ms(durable, 5)
    db = os.path.join(d, "prim-bench.db")
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=FULL")
    c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, sha TEXT, n INTEGER)")

    def commit():
        c.execute("BEGIN")
        c.execute("INSERT INTO t (sha, n) VALUES (?, ?)", (hashlib.sha256(data[:64]).hexdigest(), len(data)))
        c.execute("COMMIT")
    parts["sqlite commit (WAL, FULL)"] = cpu_ms(commit, 20)
    c.close()
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.unlink(f)
    for k, v in parts.items():
        print("%-34s %8.3f ms" % (k, v), file=sys.stderr)
    print("%.3f" % sum(parts.values()))


main()
