#!/usr/bin/env python3
"""smtpd.py — a real SMTP server for the reminder tests (Debian's
python3-aiosmtpd): STARTTLS with the instance's server certificate,
authentication required, every message stored as DIR/NNNN.eml with its
envelope in DIR/NNNN.json. Recipients listed in DIR/reject (one per line)
get 550; with DIR/delay holding N, a message is stored and the 250 is
held back N seconds (for kill tests).

usage: smtpd.py --dir DIR --cert CRT --key KEY --port-file F --user U --password P
"""
import argparse
import asyncio
import json
import os
import socket
import ssl
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, d):
        self.dir = d
        self.n = 0

    def rejected(self):
        try:
            with open(os.path.join(self.dir, "reject")) as f:
                return {line.strip().lower() for line in f if line.strip()}
        except FileNotFoundError:
            return set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected():
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.dir, "%04d" % self.n)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "tls": session.ssl is not None,
                       "auth": session.authenticated}, f)
        try:
            with open(os.path.join(self.dir, "delay")) as f:
                await asyncio.sleep(float(f.read().strip() or 0))
        except FileNotFoundError:
            pass
        return "250 Message accepted"


def main():
    p = argparse.ArgumentParser()
    for a in ("--dir", "--cert", "--key", "--port-file", "--user", "--password"):
        p.add_argument(a, required=True)
    a = p.parse_args()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)

    def auth(server, session, envelope, mechanism, data):
        ok = (isinstance(data, LoginPassword) and data.login.decode() == a.user
              and data.password.decode() == a.password)
        return AuthResult(success=ok)

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    c = Controller(Handler(a.dir), hostname="127.0.0.1", port=port, tls_context=ctx,
                   require_starttls=True, authenticator=auth, auth_required=True,
                   auth_require_tls=True, decode_data=False)
    c.start()
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(a.port_file + ".tmp", a.port_file)
    try:
        while True:
            time.sleep(3600)
    finally:
        c.stop()


if __name__ == "__main__":
    main()
