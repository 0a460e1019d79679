#!/usr/bin/env python3
"""limits.py — every field of every JSON route, every path id and paging
argument, at its limit and just over it (issue 11, hole 14). A request at
the limit gets what a valid one gets; one over it gets its 4xx and code;
no request ever gets a 5xx, and a refused one changes nothing stored. A
sweep then sends each field wrong types, NUL, invalid or huge strings.
Prints one line per failure and exits 1 if there was any."""
import argparse
import http.client
import json
import os
import subprocess
import ssl
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--ca", required=True)
ap.add_argument("--fx", required=True, help="fixtures directory (admin.crt …)")
ap.add_argument("--inst", required=True, help="the instance directory (its database, either backend)")
ap.add_argument("--campaign", type=int, required=True, help="an open campaign of the admin's")
ap.add_argument("--long-org", required=True, help="a registered organisation with a 32-character id")
a = ap.parse_args()

FAILS = []
COUNT = 0
LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib")


def snapshot():
    """every table of the schema but the records of refusals, as run.sh
    takes it (lib/snapshot.sh: one definition for cases and scripts)"""
    return subprocess.run(["bash", "-c", '. "$1/db.sh" && . "$1/snapshot.sh" && snapshot_db "$2"', "_", LIB, a.inst],
                          check=True, capture_output=True).stdout


def conn(client):
    ctx = ssl.create_default_context(cafile=a.ca)
    if client:
        ctx.load_cert_chain(f"{a.fx}/{client}.crt", f"{a.fx}/{client}.key")
    return http.client.HTTPSConnection("localhost", a.port, context=ctx, timeout=30)


def send(client, method, path, body=None, raw=None):
    global COUNT
    COUNT += 1
    c = conn(client)
    headers = {}
    data = None
    if raw is not None:
        data = raw
        headers["Content-Type"] = "application/json"
    elif body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=headers)
    r = c.getresponse()
    text = r.read()
    c.close()
    try:
        doc = json.loads(text)
    except ValueError:
        doc = {}
    code = doc.get("error", {}).get("code") if isinstance(doc, dict) else None
    return r.status, code


def check(what, client, method, path, body=None, want=None, raw=None):
    """want: a status (success) or (status, code) for a refusal"""
    before = snapshot()
    status, code = send(client, method, path, body, raw)
    if status >= 500:
        FAILS.append(f"{what}: {status} {code}")
        return
    if isinstance(want, tuple):
        if (status, code) != want:
            FAILS.append(f"{what}: got {status} {code}, want {want[0]} {want[1]}")
        if snapshot() != before:
            FAILS.append(f"{what}: refused, yet stored data changed")
    elif want is not None and status != want:
        FAILS.append(f"{what}: got {status} {code}, want {want}")


C = a.campaign
ORG = "7999900000002"
n = [0]


def uniq():
    n[0] += 1
    return n[0]


def email(total):
    """a unique plain address of exactly total bytes"""
    tail = f"{uniq()}@example.jp"
    return "a" * (total - len(tail)) + tail


inv = "lim-invited"
ja = "楓"  # 3 bytes of UTF-8

# --- contacts: name 1-200 bytes on one line, email 3-254 bytes, lang ja|en
P = f"/api/v1/organisations/{ORG}/contacts"
check("contact name 200 bytes", "admin", "POST", P, {"name": "n" * 200, "email": email(40)}, 201)
check("contact name 66 kanji (198 bytes)", "admin", "POST", P, {"name": ja * 66, "email": email(40)}, 201)
check("contact name 201 bytes", "admin", "POST", P, {"name": "n" * 201, "email": email(40)}, (422, "invalid_field"))
check("contact name 67 kanji (201 bytes)", "admin", "POST", P, {"name": ja * 67, "email": email(40)}, (422, "invalid_field"))
check("contact name empty", "admin", "POST", P, {"name": "", "email": email(40)}, (422, "invalid_field"))
check("contact name newline", "admin", "POST", P, {"name": "a\nBcc: x@y.z", "email": email(40)}, (422, "invalid_field"))
check("contact email 254 bytes", "admin", "POST", P, {"name": "n", "email": email(254)}, 201)
check("contact email 255 bytes", "admin", "POST", P, {"name": "n", "email": email(255)}, (422, "invalid_field"))
check("contact lang en", "admin", "POST", P, {"name": "n", "email": email(30), "lang": "en"}, 201)
check("contact lang eng", "admin", "POST", P, {"name": "n", "email": email(30), "lang": "eng"}, (422, "invalid_field"))
check("contact of another organisation", "resp-rsa", "POST", P, {"name": "n", "email": email(30)}, (404, "not_found"))

# --- campaigns: name 1-200 bytes, questionnaire ID@VERSION, due YYYY-MM-DD
P = "/api/v1/campaigns"
base = {"questionnaire": "ipa-benchmark@1", "due": "2099-12-31"}
check("campaign name 200 bytes", "admin", "POST", P, dict(base, name="c" * 200), 201)
check("campaign name 201 bytes", "admin", "POST", P, dict(base, name="c" * 201), (422, "invalid_field"))
check("campaign name 67 kanji", "admin", "POST", P, dict(base, name=ja * 67), (422, "invalid_field"))
check("campaign questionnaire id 65", "admin", "POST", P, dict(base, name="q", questionnaire="q" * 65 + "@1"), (422, "invalid_field"))
check("campaign questionnaire version 65", "admin", "POST", P, dict(base, name="q", questionnaire="ipa-benchmark@" + "1" * 65), (422, "invalid_field"))
check("campaign questionnaire no @", "admin", "POST", P, dict(base, name="q", questionnaire="ipa-benchmark"), (422, "invalid_field"))
check("campaign questionnaire id 64 unknown", "admin", "POST", P, dict(base, name="q", questionnaire="q" * 64 + "@1"), (422, "questionnaire_unknown"))
check("campaign due 9999-12-31", "admin", "POST", P, dict(base, name="d", due="9999-12-31"), 201)
check("campaign due 2099-02-30", "admin", "POST", P, dict(base, name="d", due="2099-02-30"), (422, "invalid_field"))
check("campaign due with time", "admin", "POST", P, dict(base, name="d", due="2099-12-31T00:00"), (422, "invalid_field"))

# --- assignments: organisation (13-digit Corporate Number or 2-32 character internal id), variant
P = f"/api/v1/campaigns/{C}/assignments"
check("assign a 32-character id", "admin", "POST", P, {"organisation": a.long_org}, 201)
check("assign a 33-character id", "admin", "POST", P, {"organisation": a.long_org + "x"}, (422, "organisation_unknown"))
check("assign variant 65 characters", "admin", "POST", P, {"organisation": "6999900000003", "variant": "v" * 65}, (422, "variant_unknown"))
check("assign in campaign 18 digits", "admin", "POST", "/api/v1/campaigns/999999999999999999/assignments", {"organisation": ORG}, (404, "not_found"))
check("assign in campaign 19 digits", "admin", "POST", "/api/v1/campaigns/9999999999999999999/assignments", {"organisation": ORG}, (404, "not_found"))

# --- approvals and invitations: ids that no edge or declaration has
check("approve parent 10000 characters", "admin", "POST", f"/api/v1/campaigns/{C}/approvals", {"parent": "p" * 10000, "child": ORG}, (404, "edge_not_found"))
check("invite organisation 10000 characters", "admin", "POST", f"/api/v1/campaigns/{C}/invitations", {"organisation": "o" * 10000}, (422, "not_declared"))
check("invite days 90 / 91", "admin", "POST", f"/api/v1/campaigns/{C}/invitations", {"organisation": inv, "days": "91"}, (422, "invalid_field"))

# --- enrolment: token 64 hex, campaign an id, csr one PEM request
P = "/api/v1/enrol"
hexok = "0" * 64
check("enrol token 64 hex", None, "POST", P, {"token": hexok, "campaign": str(C), "csr": "x"}, (403, "token_invalid"))
check("enrol token 65 hex", None, "POST", P, {"token": hexok + "0", "campaign": str(C), "csr": "x"}, (403, "token_invalid"))
check("enrol campaign 18 digits", None, "POST", P, {"token": hexok, "campaign": "9" * 18, "csr": "x"}, (403, "token_invalid"))
check("enrol campaign 19 digits", None, "POST", P, {"token": hexok, "campaign": "9" * 19, "csr": "x"}, (422, "invalid_field"))
check("enrol campaign +1", None, "POST", P, {"token": hexok, "campaign": "+1", "csr": "x"}, (422, "invalid_field"))

# --- whole bodies: 64 KiB is the limit of a JSON body (padded with spaces)
P = f"/api/v1/organisations/{ORG}/contacts"
filler = json.dumps({"name": "n", "email": email(40), "lang": "ja"})
check("JSON body of 64 KiB", "admin", "POST", P, raw=(filler[:-1] + " " * (65536 - len(filler)) + "}").encode(), want=201)
filler = json.dumps({"name": "n", "email": email(40), "lang": "ja"})
check("JSON body of 64 KiB + 1", "admin", "POST", P, raw=(filler[:-1] + " " * (65537 - len(filler)) + "}").encode(), want=(413, "body_too_large"))

# --- path segments and paging arguments
check("path id 127 characters", "admin", "GET", "/api/v1/submissions/" + "1" * 127, want=(404, "not_found"))
check("path id 128 characters", "admin", "GET", "/api/v1/submissions/" + "1" * 128, want=(404, "not_found"))
check("aggregate limit 100000", "admin", "GET", f"/api/v1/campaigns/{C}/aggregate?limit=100000", want=200)
check("aggregate limit 100001", "admin", "GET", f"/api/v1/campaigns/{C}/aggregate?limit=100001", want=(400, "query_invalid"))
check("aggregate limit -1", "admin", "GET", f"/api/v1/campaigns/{C}/aggregate?limit=-1", want=(400, "query_invalid"))
check("chains paths 10000", "admin", "GET", f"/api/v1/campaigns/{C}/chains?paths=10000", want=200)
check("chains paths 10001", "admin", "GET", f"/api/v1/campaigns/{C}/chains?paths=10001", want=(400, "query_invalid"))
check("chains offset 13 digits", "admin", "GET", f"/api/v1/campaigns/{C}/chains?offset=1000000000000", want=(400, "query_invalid"))

# --- the sweep: every field of every JSON route, each kind of wrong value
ROUTES = [
    ("POST", f"/api/v1/organisations/{ORG}/contacts", "admin", ["name", "email", "lang"]),
    ("POST", "/api/v1/campaigns", "admin", ["name", "questionnaire", "due", "vendor_invites"]),
    ("POST", f"/api/v1/campaigns/{C}/assignments", "admin", ["organisation", "variant"]),
    ("POST", f"/api/v1/campaigns/{C}/approvals", "admin", ["parent", "child"]),
    ("POST", f"/api/v1/campaigns/{C}/invitations", "resp-ec", ["organisation", "variant", "days"]),
    ("POST", "/api/v1/enrol", None, ["token", "campaign", "csr"]),
]
WRONG = [1, 1.5, -1, None, [], {}, True, "", "\u0000", "a\u0000b", "x" * 60000,
         "\ud83c\udf41" * 100, "\u202e", "../../etc/passwd", "' OR 1=1 --", "%00"]
for method, path, client, fields in ROUTES:
    good = {f: "1" for f in fields}
    for f in fields:
        for v in WRONG:
            body = dict(good)
            body[f] = v
            try:
                raw = json.dumps(body).encode()
            except ValueError:
                continue
            before = snapshot()
            status, code = send(client, method, path, raw=raw)
            if status >= 500:
                FAILS.append(f"sweep {path} {f}={str(v)[:20]!r}: {status} {code}")
            if status >= 400 and snapshot() != before:
                FAILS.append(f"sweep {path} {f}={str(v)[:20]!r}: {status} {code}, stored data changed")
    # a field twice, an unknown one, not an object
    for raw in (b'{"a":1}', b'[]', b'"x"', b'{', b'',
                ('{' + ','.join(f'"{f}":"1","{f}":"2"' for f in fields[:1]) + '}').encode(),
                b'{"name":' + b'[' * 5000 + b']' * 5000 + b'}'):
        status, code = send(client, method, path, raw=raw)
        if status >= 500:
            FAILS.append(f"sweep {path} raw {raw[:30]!r}: {status} {code}")

for f in FAILS:
    print("FAIL", f)
print(f"limits: {COUNT} requests, {len(FAILS)} failures")
sys.exit(1 if FAILS else 0)
