#!/usr/bin/env python3
"""slowbody.py — clients that hold a connection inside a request body
(issue 11, hole 4; found by review). Each mode prints one JSON object.

  refused  no certificate, Content-Length 999999999999, then one byte a
           second: the refusal must come at once and the connection close.
  slow     a client certificate, a body announced at N bytes and sent one
           byte a second: the server must shut it at its body deadline.
  memory   a client certificate: one body of N bytes held unfinished, then
           a second of N bytes from the same organisation and one from
           another (--cert2): with N under a quarter of max_buffered_bytes
           and 2N over it, the same organisation's second is refused 503
           server_busy while the first waits, the other's is not.
"""
import argparse
import json
import socket
import ssl
import time

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["refused", "slow", "memory"])
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--ca", required=True)
ap.add_argument("--cert")
ap.add_argument("--key")
ap.add_argument("--cert2")
ap.add_argument("--key2")
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

    def second_body(cert, key):
        t = connect(cert, key)
        t.settimeout(a.limit)
        try:
            t.sendall(head(a.bytes) + b"x" * a.bytes)
        except OSError:
            pass
        text = answer(t)
        t.close()
        return text

    first = connect()
    first.sendall(head(a.bytes) + b"x" * (a.bytes - 1))  # all but the last byte
    time.sleep(1)
    same = second_body(None, None)
    other = second_body(a.cert2, a.key2)
    print(json.dumps({"same_status": status_of(same), "same": same,
                      "other_status": status_of(other), "other": other}))
    first.close()
