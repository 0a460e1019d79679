"""zipedit.py — byte edits on a ZIP written by Python's zipfile, for the
layout variants the server must refuse as zip_ambiguous (see the --zip-edit
option of mkpkg.py). It parses the canonical layout zipfile writes (entries
from offset 0, central directory, end record), lets an edit change headers,
and lays the parts out again with correct offsets unless the edit is about
the offsets themselves. It knows nothing of itaku.
"""
import struct

CENTRAL, EOCD, DESC = b"PK\x01\x02", b"PK\x05\x06", b"PK\x07\x08"


class Entry:
    def __init__(self, local, data, desc, central):
        self.local = bytearray(local)      # header, name and extra
        self.data = data
        self.desc = bytearray(desc)        # data descriptor, b"" if none
        self.central = bytearray(central)  # record, name, extra and comment

    def name(self):
        n = struct.unpack_from("<H", self.central, 28)[0]
        return bytes(self.central[46:46 + n]).decode()


class Zip:
    def __init__(self, buf):
        e = len(buf) - 22
        assert buf[e:e + 4] == EOCD, "not a canonical ZIP"
        count, size, off = struct.unpack_from("<HII", buf, e + 10)
        self.entries = []
        p = off
        for _ in range(count):
            assert buf[p:p + 4] == CENTRAL
            flags = struct.unpack_from("<H", buf, p + 8)[0]
            csize = struct.unpack_from("<I", buf, p + 20)[0]
            nl, el, cl = struct.unpack_from("<HHH", buf, p + 28)
            lo = struct.unpack_from("<I", buf, p + 42)[0]
            central = buf[p:p + 46 + nl + el + cl]
            lnl, lel = struct.unpack_from("<HH", buf, lo + 26)
            data_at = lo + 30 + lnl + lel
            end = data_at + csize
            desc = b""
            if flags & 8:
                desc = buf[end:end + (16 if buf[end:end + 4] == DESC else 12)]
            self.entries.append(Entry(buf[lo:data_at], buf[data_at:end], desc, central))
            p += len(central)

    def entry(self, name):
        return next(e for e in self.entries if e.name() == name)

    def build(self, prefix=b"", gap_after=None, gap=b"", before_eocd=b"", comment=b"",
              trailing=b"", shift=True):
        """Lays the parts out; with shift, offsets count from the start of
        the file (prefix included), as `zip -A` adjusts a self-extractor."""
        out = bytearray(prefix)
        base = len(prefix) if shift else 0
        for e in self.entries:
            struct.pack_into("<I", e.central, 42, len(out) - len(prefix) + base)
            out += e.local + e.data + e.desc
            if e.name() == gap_after:
                out += gap
        cd_off = len(out) - len(prefix) + base
        cd = b"".join(bytes(e.central) for e in self.entries)
        out += cd + before_eocd
        out += EOCD + struct.pack("<HHHHIIH", 0, 0, len(self.entries), len(self.entries),
                                  len(cd), cd_off, len(comment)) + comment + trailing
        return bytes(out)


def set_field(buf, off, fmt, value):
    struct.pack_into(fmt, buf, off, value)


def get_field(buf, off, fmt):
    return struct.unpack_from(fmt, buf, off)[0]


def add_extra(rec, name_off, extra):
    """Appends one extra field to a local (name at 30) or central (46) header."""
    nl_off, el_off = (26, 28) if name_off == 30 else (28, 30)
    nl, el = get_field(rec, nl_off, "<H"), get_field(rec, el_off, "<H")
    at = name_off + nl + el
    rec[at:at] = extra
    set_field(rec, el_off, "<H", el + len(extra))


EDITS = {}


def edit(fn):
    EDITS[fn.__name__.replace("_", "-")] = fn
    return fn


@edit
def comment(z):
    return z.build(comment=b"signed by someone else")


@edit
def trailing(z):
    return z.build(trailing=b"\x00" * 16)


@edit
def prefix(z):
    return z.build(prefix=b"#!/bin/sh\nexit 0\n")


@edit
def gap(z):
    return z.build(gap_after="answers.xml", gap=b"\x00" * 8)


@edit
def overlap(z):
    # the last central record points at answers.xml's local header: two
    # entries, one piece of data
    out = bytearray(z.build())
    cd_off = get_field(out, len(out) - 6, "<I")
    at = cd_off + sum(len(e.central) for e in z.entries[:-1])
    assert out[at:at + 4] == CENTRAL
    set_field(out, at + 42, "<I", get_field(z.entry("answers.xml").central, 42, "<I"))
    return bytes(out)


@edit
def deflate_slack(z):
    # answers.xml's deflate stream, then bytes a streaming reader would take
    # for the next entry; both sizes cover them, so every header agrees
    e = z.entry("answers.xml")
    assert get_field(e.central, 10, "<H") == 8, "answers.xml is not deflated"
    slack = b"PK\x03\x04" + b"\x00" * 26 + b"hidden"
    e.data = e.data + slack
    set_field(e.local, 18, "<I", len(e.data))
    set_field(e.central, 20, "<I", len(e.data))
    return z.build()


@edit
def name_no_utf8_flag(z):
    # a non-ASCII name without flag bit 11: UTF-8 to libzip and unzip,
    # CP437 to Python
    e = next(e for e in z.entries if any(b >= 0x80 for b in e.name().encode()))
    set_field(e.local, 6, "<H", get_field(e.local, 6, "<H") & ~0x800)
    set_field(e.central, 8, "<H", get_field(e.central, 8, "<H") & ~0x800)
    return z.build()


@edit
def cd_not_before_eocd(z):
    return z.build(before_eocd=b"\x00" * 12)


@edit
def local_name(z):
    e = z.entry("answers.xml")
    e.local[30:30 + 7] = b"answerz"
    return z.build()


@edit
def local_size(z):
    e = z.entry("answers.xml")
    set_field(e.local, 22, "<I", get_field(e.local, 22, "<I") + 1)
    return z.build()


@edit
def local_method(z):
    e = z.entry("answers.xml")
    set_field(e.local, 8, "<H", 0)
    return z.build()


@edit
def local_flags(z):
    e = z.entry("answers.xml")
    set_field(e.local, 6, "<H", get_field(e.local, 6, "<H") | 0x0800)
    return z.build()


@edit
def local_crc(z):
    e = z.entry("answers.xml")
    set_field(e.local, 14, "<I", get_field(e.local, 14, "<I") ^ 1)
    return z.build()


@edit
def zip64_extra(z):
    # a ZIP64 field in the central record although no field is escaped,
    # with another size: readers that take it when present read 1 byte more
    e = z.entry("answers.xml")
    usize = get_field(e.central, 24, "<I")
    add_extra(e.central, 46, struct.pack("<HHQ", 1, 8, usize + 1))
    return z.build()


@edit
def descriptor_mismatch(z):
    e = z.entry("answers.xml")
    assert e.desc, "descriptor-mismatch needs --stream"
    at = 4 if e.desc[:4] == DESC else 0
    set_field(e.desc, at, "<I", get_field(e.desc, at, "<I") ^ 1)
    return z.build()


@edit
def crc_stored(z):
    # one byte of the stored mimetype flipped, its CRC left as it was:
    # `unzip -t` reports a bad CRC
    e = z.entry("mimetype")
    assert get_field(e.central, 10, "<H") == 0, "mimetype is not stored"
    d = bytearray(e.data)
    d[-1] ^= 1
    e.data = bytes(d)
    return z.build()


@edit
def crc_deflated(z):
    # one byte flipped in the middle of evidence/random.bin's deflate data:
    # incompressible bytes are stored blocks inside the stream, so it still
    # inflates, to other bytes, and only the CRC tells (needs
    # --evidence-random)
    e = z.entry("evidence/random.bin")
    assert get_field(e.central, 10, "<H") == 8, "evidence/random.bin is not deflated"
    d = bytearray(e.data)
    d[len(d) // 2] ^= 1
    e.data = bytes(d)
    return z.build()


def apply(path, name):
    buf = open(path, "rb").read()
    out = EDITS[name](Zip(buf))
    open(path, "wb").write(out)


def append_package(first, second):
    """The second-end-record attack: `second` is appended to `first` with
    its offsets moved, and first's end record gets a comment that covers
    it. Readers that take the last end record (unzip, Python) read
    `second`; libzip 1.7 keeps the record whose entries span most: `first`
    when it is the larger."""
    out = bytearray(Zip(second).build(prefix=first))
    set_field(out, len(first) - 2, "<H", len(out) - len(first))
    return bytes(out)
