#!/usr/bin/env python3
"""uploadflood.py — one organisation against the bytes-in-flight budget
(review of issue 17's spooled uploads). Prints one JSON object.

  preamble  --cert sends POST /submissions/upload as a chunked
            multipart/form-data body made of --bytes of preamble (lines
            before the first boundary, which the form's decoder skips and
            nothing writes to disk), as fast as it can, and keeps the
            request open; meanwhile --cert2 (another organisation) sends
            a small package body to POST /api/v1/submissions, which must
            be read and refused for what it is (422), not 503 server_busy.
"""
import argparse
import json
import socket
import ssl
import time

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["preamble"])
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--ca", required=True)
ap.add_argument("--cert", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--cert2", required=True)
ap.add_argument("--key2", required=True)
ap.add_argument("--bytes", type=int, default=8 << 20)
ap.add_argument("--limit", type=float, default=20)
a = ap.parse_args()


def connect(cert, key):
    ctx = ssl.create_default_context(cafile=a.ca)
    ctx.load_cert_chain(cert, key)
    s = socket.create_connection(("127.0.0.1", a.port), timeout=a.limit)
    return ctx.wrap_socket(s, server_hostname="localhost")


def answer(t):
    text = b""
    try:
        while b"}" not in text:
            chunk = t.recv(4096)
            if not chunk:
                break
            text += chunk
    except OSError:
        pass
    return text[:600].decode(errors="replace")


def status_of(text):
    return int(text.split()[1]) if text.startswith("HTTP/1.1 ") else 0


first = connect(a.cert, a.key)
first.sendall(b"POST /submissions/upload HTTP/1.1\r\nHost: localhost\r\n"
              b"Content-Type: multipart/form-data; boundary=XYZ\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
line = b"preamble, skipped by the decoder\r\n"
piece = line * (65536 // len(line))
sent, early = 0, ""
first.settimeout(0.001)
while sent < a.bytes:
    data = b"%x\r\n" % len(piece) + piece + b"\r\n"
    try:
        first.sendall(data)
    except (socket.timeout, ssl.SSLWantWriteError):
        pass
    except OSError:
        break
    sent += len(piece)
    try:
        got = first.recv(4096)
        early = got.decode(errors="replace")[:300]
        break
    except (socket.timeout, ssl.SSLWantReadError):
        pass
    except OSError:
        break
first.settimeout(a.limit)
time.sleep(0.5)
t = connect(a.cert2, a.key2)
body = b"x" * 1000
t.sendall(b"POST /api/v1/submissions HTTP/1.1\r\nHost: localhost\r\n"
          b"Content-Type: application/vnd.etsi.asic-e+zip\r\n"
          b"Content-Length: %d\r\n\r\n" % len(body) + body)
other = answer(t)
t.close()
first.close()
print(json.dumps({"sent": sent, "first_answered": early, "other_status": status_of(other),
                  "other": other}))
