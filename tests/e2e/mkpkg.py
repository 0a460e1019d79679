#!/usr/bin/env python3
"""mkpkg.py — builds answer packages for the end-to-end tests WITHOUT
itaku's code: Python's zipfile (or the `zip` command with --zip-cli) for the
container and the `openssl cms` command for the CAdES signature. Options add
the hostile variants the server must refuse; --zip-edit and --second-package
edit the finished container's bytes (zipedit.py).

usage: mkpkg.py --fixtures DIR --out PKG [options]
"""
import argparse
import base64
import hashlib
import io
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zipedit  # noqa: E402

MIMETYPE = b"application/vnd.etsi.asic-e+zip"
ASIC_NS = "http://uri.etsi.org/02918/v1.2.1#"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--fixtures", required=True, help="directory with <name>.crt/.key")
    p.add_argument("--out", required=True)
    p.add_argument("--signer", default="resp-ec")
    p.add_argument("--answers", help="answers.xml to use (default: the signer's example)")
    p.add_argument("--answers-text", help="literal answers.xml content")
    p.add_argument("--org", help="rewrite the organisation attribute")
    p.add_argument("--set-level", action="append", default=[], metavar="ITEM=LEVEL")
    p.add_argument("--nonce", help="quote this nonce instead of the assignment's current one")
    p.add_argument("--stale-nonce", action="store_true",
                   help="keep the nonce of the answers file as it is")
    p.add_argument("--campaign", help="rewrite the campaign attribute")
    p.add_argument("--no-campaign", action="store_true", help="drop campaign and nonce")
    p.add_argument("--subcontractor", action="append", default=[], metavar="ID",
                   help="declare a subcontractor (personal data passed on)")
    p.add_argument("--duplicate-item", help="answer this item twice")
    p.add_argument("--doctype", action="store_true", help="add a DTD with an external entity")
    p.add_argument("--evidence", action="append", default=[], metavar="NAME=TEXT",
                   help="evidence/NAME, listed and referenced from item 1.1")
    p.add_argument("--evidence-ref", help="reference evidence/NAME from item 1.1 only")
    p.add_argument("--evidence-random", type=int, metavar="BYTES",
                   help="evidence/random.bin of incompressible bytes")
    p.add_argument("--entry", action="append", default=[], metavar="NAME=TEXT",
                   help="extra listed entry with any name")
    p.add_argument("--many", type=int, metavar="N", help="N small listed entries")
    p.add_argument("--unlisted", action="append", default=[], metavar="NAME=TEXT")
    p.add_argument("--manifest-missing-file", help="list a file that is not in the ZIP")
    p.add_argument("--duplicate", help="store this entry name twice")
    p.add_argument("--symlink", metavar="NAME=TARGET")
    p.add_argument("--bomb", type=int, metavar="BYTES", help="listed entry of zeros")
    p.add_argument("--compressible", type=int, nargs=2, metavar=("COUNT", "BYTES"),
                   help="COUNT listed entries of moderately compressible text")
    p.add_argument("--lie-size", action="store_true",
                   help="declare answers.xml 10 bytes shorter than it is")
    p.add_argument("--no-mimetype", action="store_true")
    p.add_argument("--mimetype-last", action="store_true")
    p.add_argument("--mimetype-deflated", action="store_true")
    p.add_argument("--mimetype-text")
    p.add_argument("--no-manifest", action="store_true")
    p.add_argument("--no-signature", action="store_true")
    p.add_argument("--garbage-signature", action="store_true")
    p.add_argument("--tamper", help="flip one byte of this entry after signing")
    p.add_argument("--zip-cli", action="store_true", help="build the ZIP with the zip command")
    p.add_argument("--encrypt", action="store_true", help="with --zip-cli: zip -P")
    p.add_argument("--zip-extras", action="store_true",
                   help="with --zip-cli: keep zip's extra fields (no -X): UT and ux, "
                        "longer in the local headers than in the central directory")
    p.add_argument("--stream", action="store_true",
                   help="Python's zipfile writing to an unseekable stream: every entry "
                        "with a data descriptor")
    p.add_argument("--zip-edit", choices=sorted(zipedit.EDITS),
                   help="edit the finished ZIP's layout (see zipedit.py)")
    p.add_argument("--second-package", metavar="ITEM=LEVEL",
                   help="append a second complete signed package that answers ITEM "
                        "with LEVEL, read by unzip (the last end record) while the first, "
                        "larger one keeps its own end record")
    p.add_argument("--md", default="sha256", help="openssl cms -md")
    p.add_argument("--no-cades", action="store_true",
                   help="sign without -cades: no signing-certificate-v2 attribute")
    p.add_argument("--no-attributes", action="store_true",
                   help="openssl cms -noattr: no signed attributes at all")
    p.add_argument("--econtent-type", metavar="OID",
                   help="openssl cms -econtent_type: another eContentType than id-data")
    return p.parse_args()


def current_nonce(text):
    """The assignment's current nonce, read from the database of the
    instance directory $ITAKU_E2E_INST (lib/db.sh: either backend): nonces
    are single-use, so a fixture file goes stale after each accepted
    upload, as a respondent's old template would."""
    inst = os.environ.get("ITAKU_E2E_INST")
    org = re.search(r'organisation="([^"]*)"', text)
    camp = re.search(r'campaign="([^"]*)"', text)
    if not inst or not org or not camp:
        return None
    # a campaign id that is no number names no assignment (and would be an
    # error, not an empty answer, to PostgreSQL's bigint)
    if not re.fullmatch(r"[0-9]{1,18}", camp.group(1)):
        return None
    sql = "SELECT nonce FROM assignments WHERE campaign_id = %s AND org_id = '%s'" % (
        camp.group(1), org.group(1).replace("'", "''"))
    lib = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib", "db.sh")
    out = subprocess.run(["bash", "-c", '. "$1" && dbi "$2" "$3"', "_", lib, inst, sql],
                         check=True, capture_output=True, text=True).stdout
    return out.split("\n")[0] or None


def answers_xml(a):
    if a.answers_text is not None:
        return a.answers_text.encode()
    path = a.answers or os.path.join(a.fixtures, a.signer + ".answers.xml")
    text = open(path, encoding="utf-8").read()
    if a.org:
        text = re.sub(r'organisation="[^"]*"', 'organisation="%s"' % a.org, text)
    if a.campaign:
        text = re.sub(r'campaign="[^"]*"', 'campaign="%s"' % a.campaign, text)
    nonce = a.nonce or (None if a.stale_nonce else current_nonce(text))
    if nonce:
        text = re.sub(r'nonce="[^"]*"', 'nonce="%s"' % nonce, text)
    if a.no_campaign:
        text = re.sub(r' (campaign|nonce)="[^"]*"', "", text)
    if a.subcontractor:
        subs = "".join('<subcontractor id="%s" personal-data="true" confidential-data="false">'
                       "<name>Sub %s</name><scope>operations</scope></subcontractor>" % (s, s)
                       for s in a.subcontractor)
        text = text.replace("</answers>", "<subcontractors>%s</subcontractors></answers>" % subs)
    for spec in a.set_level:
        item, level = spec.split("=", 1)
        text = re.sub(r'(<item id="%s" level=")[^"]*"' % re.escape(item),
                      r"\g<1>%s" % level + '"', text)
    if a.duplicate_item:
        text = text.replace("</answers>", '  <item id="%s" level="3"/>\n</answers>'
                            % a.duplicate_item)
    refs = [n.split("=", 1)[0] for n in a.evidence]
    if a.evidence_ref:
        refs.append(a.evidence_ref)
    if a.evidence_random:
        refs.append("random.bin")
    if refs:
        ev = "".join('<evidence ref="evidence/%s"/>' % xml_attr(r) for r in refs)
        text = re.sub(r'<item id="1.1" level="(\d)"/>',
                      r'<item id="1.1" level="\1">' + ev + "</item>", text)
    if a.doctype:
        text = text.replace('<?xml version="1.0" encoding="UTF-8"?>',
                            '<?xml version="1.0" encoding="UTF-8"?>\n'
                            '<!DOCTYPE answers [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
        text = text.replace('<item id="1.2" level="', '<item id="1.2" level="&xxe;')
    return text.encode("utf-8")


def xml_attr(s):
    """s as the value of a double-quoted XML attribute (names with & < " in them)"""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def manifest(files, extra_uri=None):
    refs = []
    for name, data in files:
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
        refs.append('  <asic:DataObjectReference URI="%s" MimeType="application/octet-stream">\n'
                    '    <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>\n'
                    '    <ds:DigestValue>%s</ds:DigestValue>\n'
                    '  </asic:DataObjectReference>\n' % (xml_attr(name), digest))
    if extra_uri:
        digest = base64.b64encode(hashlib.sha256(b"absent").digest()).decode()
        refs.append('  <asic:DataObjectReference URI="%s">\n'
                    '    <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>\n'
                    '    <ds:DigestValue>%s</ds:DigestValue>\n'
                    '  </asic:DataObjectReference>\n' % (extra_uri, digest))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<asic:ASiCManifest xmlns:asic="%s" xmlns:ds="%s">\n'
            '  <asic:SigReference URI="META-INF/signature.p7s" '
            'MimeType="application/x-pkcs7-signature"/>\n%s'
            '</asic:ASiCManifest>\n' % (ASIC_NS, DS_NS, "".join(refs))).encode()


def sign(a, data, tmp):
    src = os.path.join(tmp, "manifest.in")
    out = os.path.join(tmp, "sig.der")
    open(src, "wb").write(data)
    crt = os.path.join(a.fixtures, a.signer + ".crt")
    key = os.path.join(a.fixtures, a.signer + ".key")
    # -cades adds signing-certificate-v2: with contentType, signingTime and
    # messageDigest (openssl's defaults) the CAdES-BES attributes
    cmd = ["openssl", "cms", "-sign", "-binary", "-in", src, "-signer", crt, "-inkey", key,
           "-md", a.md, "-outform", "DER", "-out", out]
    if a.no_attributes:  # openssl refuses -cades with it
        cmd.append("-noattr")
    elif not a.no_cades:
        cmd.append("-cades")
    if a.econtent_type:
        cmd += ["-econtent_type", a.econtent_type]
    subprocess.run(cmd, check=True)
    return open(out, "rb").read()


def compressible(n):
    rnd = random.Random(n)
    chunks = []
    size = 0
    while size < n:
        line = ("%032x " % rnd.getrandbits(128)) + "policy " * 8 + "\n"
        chunks.append(line)
        size += len(line)
    return "".join(chunks).encode()[:n]


class Unseekable:
    """A write-only stream zipfile cannot seek back in: it then writes a
    data descriptor after each entry's data instead of patching the local
    header."""

    def __init__(self, path):
        self.f = open(path, "wb")

    def write(self, b):
        return self.f.write(b)

    def flush(self):
        self.f.flush()

    def seekable(self):
        return False

    def close(self):
        self.f.close()


def write_python_zip(a, entries):
    target = Unseekable(a.out) if a.stream else a.out
    with zipfile.ZipFile(target, "w") as z:
        for name, data, kind in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if kind == "stored" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100644 << 16)
            if kind == "symlink":
                info.external_attr = (0o120777 << 16)
            z.writestr(info, data)
    if a.stream:
        target.close()


def write_cli_zip(a, entries, tmp):
    stage = os.path.join(tmp, "stage")
    os.makedirs(stage)
    names = []
    for name, data, kind in entries:
        path = os.path.join(stage, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "wb").write(data)
        names.append(name)
    out = os.path.abspath(a.out)
    if os.path.exists(out):
        os.unlink(out)
    x = [] if a.zip_extras else ["-X"]
    subprocess.run(["zip", "-q"] + x + ["-0", out, "mimetype"], cwd=stage, check=True)
    rest = [n for n in names if n != "mimetype"]
    cmd = ["zip", "-q"] + x + ["-D", out] + (["-P", "secret"] if a.encrypt else []) + rest
    subprocess.run(cmd, cwd=stage, check=True)


def lie_about_size(path, name):
    """Shrink the declared uncompressed size of `name` in both headers."""
    buf = bytearray(open(path, "rb").read())
    bname = name.encode()
    for sig, size_off, name_len_off, name_off in ((b"PK\x03\x04", 22, 26, 30),
                                                   (b"PK\x01\x02", 24, 28, 46)):
        pos = 0
        while (pos := buf.find(sig, pos)) >= 0:
            nlen = struct.unpack_from("<H", buf, pos + name_len_off)[0]
            if bytes(buf[pos + name_off:pos + name_off + nlen]) == bname:
                size = struct.unpack_from("<I", buf, pos + size_off)[0]
                struct.pack_into("<I", buf, pos + size_off, size - 10)
            pos += 4
    open(path, "wb").write(bytes(buf))


def build(a, tmp):
    data = [("answers.xml", answers_xml(a))]
    for spec in a.evidence:
        name, text = spec.split("=", 1)
        data.append(("evidence/" + name, text.encode()))
    if a.evidence_random:
        data.append(("evidence/random.bin", os.urandom(a.evidence_random)))
    for spec in a.entry:
        name, text = spec.split("=", 1)
        data.append((name, text.encode()))
    for i in range(a.many or 0):
        data.append(("evidence/e%03d.txt" % i, b"x"))
    if a.bomb:
        data.append(("evidence/bomb.bin", bytes(a.bomb)))
    if a.compressible:
        count, size = a.compressible
        for i in range(count):
            data.append(("evidence/log%d.txt" % i, compressible(size + i)))
    mf = manifest(data, a.manifest_missing_file)
    sig = os.urandom(600) if a.garbage_signature else sign(a, mf, tmp)

    entries = []
    mt = (a.mimetype_text.encode() if a.mimetype_text else MIMETYPE)
    mt_entry = ("mimetype", mt, "deflated" if a.mimetype_deflated else "stored")
    if not a.no_mimetype and not a.mimetype_last:
        entries.append(mt_entry)
    entries += [(n, d, "deflated") for n, d in data]
    for spec in a.unlisted:
        name, text = spec.split("=", 1)
        entries.append((name, text.encode(), "deflated"))
    if a.duplicate:
        entries.append((a.duplicate, b"second copy", "deflated"))
    if a.symlink:
        name, target = a.symlink.split("=", 1)
        entries.append((name, target.encode(), "symlink"))
    if not a.no_manifest:
        entries.append(("META-INF/ASiCManifest.xml", mf, "deflated"))
    if not a.no_signature:
        entries.append(("META-INF/signature.p7s", sig, "deflated"))
    if a.mimetype_last:
        entries.append(mt_entry)
    if a.tamper:
        entries = [(n, (d[:-2] + bytes([d[-2] ^ 1]) + d[-1:]) if n == a.tamper else d, k)
                   for n, d, k in entries]
    if a.zip_cli or a.encrypt:
        write_cli_zip(a, entries, tmp)
    else:
        import warnings
        warnings.simplefilter("ignore")
        write_python_zip(a, entries)
    if a.lie_size:
        lie_about_size(a.out, "answers.xml")
    if a.zip_edit:
        zipedit.apply(a.out, a.zip_edit)


def second_package(a, tmp):
    """The attack of two end records: a.out as built, then a second
    package answering differently appended after it. Checks that the
    readers really disagree: unzip must read the second answers.xml."""
    b = argparse.Namespace(**vars(a))
    b.out = os.path.join(tmp, "second.asice")
    b.set_level = a.set_level + [a.second_package]
    b.evidence, b.evidence_random, b.zip_edit = [], None, None
    build(b, os.path.join(tmp, "b"))
    first, second = open(a.out, "rb").read(), open(b.out, "rb").read()
    if len(first) <= len(second):
        sys.exit("--second-package: the first package must be the larger (add evidence)")
    open(a.out, "wb").write(zipedit.append_package(first, second))
    seen = subprocess.run(["unzip", "-p", a.out, "answers.xml"], capture_output=True).stdout
    want = subprocess.run(["unzip", "-p", b.out, "answers.xml"], capture_output=True).stdout
    if not seen or seen != want:
        sys.exit("--second-package: unzip does not read the second package")
    if seen == zipfile.ZipFile(io.BytesIO(first)).read("answers.xml"):
        sys.exit("--second-package: both packages answer alike")


def main():
    a = parse_args()
    tmp = tempfile.mkdtemp()
    try:
        os.makedirs(os.path.join(tmp, "a"))
        os.makedirs(os.path.join(tmp, "b"))
        build(a, os.path.join(tmp, "a"))
        if a.second_package:
            second_package(a, tmp)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
