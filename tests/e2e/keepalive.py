#!/usr/bin/env python3
"""keepalive.py — one TLS connection with a client certificate held open
across something that happens between two of its requests (issue 17:
identity once per connection; a revocation must count on the next request
of an open connection). GETs PATH, prints "1 STATUS CODE", creates
READY, waits until GO exists, GETs PATH again on the same connection and
prints "2 STATUS CODE SAME" (SAME: 1 when the second request went on the
first connection, still open).
"""
import argparse
import http.client
import json
import os
import ssl
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--ca", required=True)
ap.add_argument("--cert", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--path", default="/api/v1/whoami")
ap.add_argument("--ready", required=True)
ap.add_argument("--go", required=True)
ap.add_argument("--wait", type=float, default=60)
a = ap.parse_args()

ctx = ssl.create_default_context(cafile=a.ca)
ctx.load_cert_chain(a.cert, a.key)
conn = http.client.HTTPSConnection("localhost", a.port, context=ctx, timeout=30)


def get():
    conn.request("GET", a.path, headers={"Connection": "keep-alive"})
    r = conn.getresponse()
    body = r.read()
    try:
        code = json.loads(body).get("error", {}).get("code", "-")
    except ValueError:
        code = "-"
    return r.status, code


s, c = get()
sock = conn.sock
print(f"1 {s} {c}", flush=True)
open(a.ready, "w").close()
deadline = time.time() + a.wait
while not os.path.exists(a.go):
    if time.time() > deadline:
        print("timeout waiting for", a.go, file=sys.stderr)
        sys.exit(2)
    time.sleep(0.05)
# the same connection: http.client opens a new one only when the old is gone
same = 1 if sock is not None and conn.sock is sock else 0
s, c = get()
print(f"2 {s} {c} {same}", flush=True)
