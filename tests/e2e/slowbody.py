#!/usr/bin/env python3
"""slowbody.py — clients that hold a connection inside a request body
(issue 11, hole 4; found by review). Each mode prints one JSON object.

  refused  no certificate, Content-Length 999999999999, then one byte a
           second: the refusal must come at once and the connection close.
  slow     a client certificate, a body announced at N bytes and sent one
           byte a second: the server must shut it at its body deadline.
  memory   a client certificate: one body of N bytes held unfinished, then
           a second of N bytes: with max_buffered_bytes below 2N the
           second is refused 503 server_busy while the first waits.
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
ap.add_argument("--bytes", type=int, default=100000)
ap.add_argument("--limit", type=float, default=30)
a = ap.parse_args()


def connect():
    ctx = ssl.create_default_context(cafile=a.ca)
    if a.cert:
        ctx.load_cert_chain(a.cert, a.key)
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
    first = connect()
    first.sendall(head(a.bytes) + b"x" * (a.bytes - 1))  # all but the last byte
    time.sleep(1)
    second = connect()
    second.sendall(head(a.bytes))
    second.settimeout(a.limit)
    try:
        second.sendall(b"x" * a.bytes)
    except OSError:
        pass
    text = b""
    try:
        while b"}" not in text:  # the headers, then the JSON body
            chunk = second.recv(4096)
            if not chunk:
                break
            text += chunk
    except OSError:
        pass
    text = text[:600].decode(errors="replace")
    print(json.dumps({"second_status": status_of(text), "second": text}))
    first.close()
    second.close()
