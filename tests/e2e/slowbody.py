#!/usr/bin/env python3
"""slowbody.py — clients that hold a connection inside a request body
(issue 11, hole 4; found by review). Each mode prints one JSON object.

  refused  no certificate, Content-Length 999999999999, then one byte a
           second: the refusal must come at once and the connection close.
  slow     a client certificate, a body announced at N bytes and sent one
           byte a second: the server must shut it at its body deadline.
  uploads  package bodies are spooled to disk, bounded per organisation
           in number and in all in bytes: one body of N bytes held
           unfinished (--cert), then, while it waits, a second from the same
           organisation (refused 429 too_many_uploads with
           uploads_per_organisation = 1), one from another (--cert2: read
           and refused for what it is), and one of --bytes3 from a third
           (--cert3: refused 503 server_busy when N + bytes3 is over
           uploads_in_flight_bytes). Prints each answer and the files in
           --spool (the store's tmp/) while the first waits and after it
           has gone.
"""
import argparse
import json
import os
import socket
import ssl
import time

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["refused", "slow", "uploads"])
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--ca", required=True)
ap.add_argument("--cert")
ap.add_argument("--key")
ap.add_argument("--cert2")
ap.add_argument("--key2")
ap.add_argument("--cert3")
ap.add_argument("--key3")
ap.add_argument("--bytes3", type=int, default=0)
ap.add_argument("--spool")
ap.add_argument("--bytes", type=int, default=100000)
ap.add_argument("--limit", type=float, default=30)
a = ap.parse_args()


def connect(cert=None, key=None):
    ctx = ssl.create_default_context(cafile=a.ca)
    if cert or a.cert:
        ctx.load_cert_chain(cert or a.cert, key or a.key)
    s = socket.create_connection(("127.0.0.1", a.port), timeout=a.limit)
    return ctx.wrap_socket(s, server_hostname="localhost")


def head(length):
    return (f"POST /api/v1/submissions HTTP/1.1\r\nHost: localhost\r\n"
            f"Content-Type: application/vnd.etsi.asic-e+zip\r\nContent-Length: {length}\r\n\r\n").encode()


def dribble(t, t0):
    """one byte a second until the server answers or closes: (seconds, first bytes)"""
    t.settimeout(1)
    while time.monotonic() - t0 < a.limit:
        try:
            data = t.recv(4096)
            return time.monotonic() - t0, data[:200].decode(errors="replace")
        except socket.timeout:
            try:
                t.sendall(b"x")
            except OSError:
                return time.monotonic() - t0, ""
        except OSError:
            return time.monotonic() - t0, ""
    return None, ""


def status_of(text):
    return int(text.split()[1]) if text.startswith("HTTP/1.1 ") else 0


if a.mode in ("refused", "slow"):
    t0 = time.monotonic()
    t = connect()
    t.sendall(head(999999999999 if a.mode == "refused" else a.bytes))
    secs, text = dribble(t, t0)
    print(json.dumps({"seconds": secs, "status": status_of(text), "answer": text}))
else:
    def answer(t):
        text = b""
        try:
            while b"}" not in text:  # the headers, then the JSON body
                chunk = t.recv(4096)
                if not chunk:
                    break
                text += chunk
        except OSError:
            pass
        return text[:600].decode(errors="replace")

    def second_body(cert, key, n):
        t = connect(cert, key)
        t.settimeout(a.limit)
        try:
            t.sendall(head(n) + b"x" * n)
        except OSError:
            pass
        text = answer(t)
        t.close()
        return text

    def spooled():
        return len(os.listdir(a.spool)) if a.spool else None

    first = connect()
    first.sendall(head(a.bytes) + b"x" * (a.bytes - 1))  # all but the last byte
    time.sleep(1)
    same = second_body(None, None, a.bytes)
    other = second_body(a.cert2, a.key2, a.bytes)
    third = second_body(a.cert3, a.key3, a.bytes3) if a.cert3 else ""
    waiting = spooled()
    first.close()
    gone = None
    for _ in range(50):  # the server notices the close at its next read
        gone = spooled()
        if not gone:
            break
        time.sleep(0.1)
    print(json.dumps({"same_status": status_of(same), "same": same,
                      "other_status": status_of(other), "other": other,
                      "third_status": status_of(third), "third": third,
                      "spooled_while_waiting": waiting, "spooled_after": gone}))
