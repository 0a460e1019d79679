/* ziplayout.c — the strict layout walk of a ZIP container, run on the raw
 * bytes before anything else reads them. It owns one question: would every
 * ZIP reader find the same entries, with the same names, sizes and data?
 * It does not inflate, check data against CRCs, names against the ASiC
 * rules or sizes against the limits: the entries it returns
 * (ziplayout_read()) are the one reading of the directory that package.c
 * judges, and zipread.c reads their data where this walk found them.
 *
 * Readers find the entries in different ways. unzip, Python's zipfile, Go,
 * 7-Zip, minizip, Java and .NET search backwards from the end for the last
 * end of central directory record (EOCD) within the comment window; libzip
 * 1.7 tries every EOCD in that window and keeps the one whose entries span
 * most; unzip and Python shift all offsets when data was put before the
 * archive; streaming readers ignore the central directory and walk the
 * local headers from offset 0, ending stored entries with a data
 * descriptor at the first descriptor signature. Only a container on which
 * all these ways arrive at the same place is accepted:
 *
 * - one EOCD, in the last 22 bytes, without a comment, on disk 0, without
 *   ZIP64 escape values or a ZIP64 locator before it, and no other EOCD
 *   signature in the file that a reader could take for one (other_eocd);
 * - the central directory ends where the EOCD starts and holds exactly the
 *   declared number of records and bytes;
 * - entry i's local header starts where entry i-1 ended (its data and data
 *   descriptor), entry 0 at offset 0, and the central directory where the
 *   last entry ended: no prefix, gap, overlap or trailing byte;
 * - each local header agrees with its central record on the name bytes,
 *   the method, the whole flags field, the CRC and both sizes, ZIP64
 *   values included; with a data descriptor (flag bit 3) the local values
 *   may be zero and the descriptor must carry the central ones. Other extra
 *   fields may differ (Info-ZIP writes a longer UT field locally) but must
 *   be well formed, and a Unicode Path field must repeat the name.
 *
 * Every offset and length comes from the untrusted buffer: all arithmetic
 * is in uint64_t and every range is checked with fits() before it is read. */
#include "exchange/ziplayout.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SIG_LOCAL   0x04034b50u /* PK\3\4 */
#define SIG_CENTRAL 0x02014b50u /* PK\1\2 */
#define SIG_EOCD    0x06054b50u /* PK\5\6 */
#define SIG_LOC64   0x07064b50u /* PK\6\7, the ZIP64 EOCD locator */
#define SIG_DESC    0x08074b50u /* PK\7\8, the optional data descriptor signature */

#define LOCAL_LEN   30
#define CENTRAL_LEN 46
#define EOCD_LEN    22
#define LOC64_LEN   20

#define FLAG_DESCRIPTOR 0x0008u
#define FLAG_UTF8       0x0800u /* the name is UTF-8 (APPNOTE 4.4.4 bit 11) */
#define METHOD_STORE    0
#define EXTRA_ZIP64     0x0001u
#define EXTRA_UPATH     0x7075u /* Info-ZIP Unicode Path */
#define ESC16           0xffffu
#define ESC32           0xffffffffu

typedef struct walk {
	const unsigned char *buf;
	size_t len;
	char *detail;
	size_t detail_len;
	zl_entry *out; /* may be NULL */
	size_t cap;
} walk;

/* What readers act on in one local header or central record. */
typedef struct hdr {
	const unsigned char *name;
	size_t name_len;
	uint16_t flags, method, made_by; /* made_by: central records only */
	uint32_t crc, disk, ext_attr;    /* ext_attr too */
	uint64_t csize, usize, offset;   /* offset: central records only */
	int zip64;                       /* it has a ZIP64 extra field */
	uint64_t len;                    /* the header with its variable fields */
} hdr;

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* True when the n bytes from off lie before end (no overflow possible). */
static int fits(uint64_t off, uint64_t n, uint64_t end)
{
	return off <= end && n <= end - off;
}

static int sig_at(const walk *w, uint64_t off, uint64_t end, uint32_t sig)
{
	return fits(off, 4, end) && end <= w->len && le32(w->buf + off) == sig;
}

/* First offset of sig in p[0, n), or n. */
static size_t find_sig(const unsigned char *p, size_t n, uint32_t sig)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (p[i] == 'P' && le32(p + i) == sig)
			return i;
	return n;
}

__attribute__((format(printf, 2, 3))) static zl_rc refuse(const walk *w, const char *fmt, ...)
{
	va_list ap;
	if (w->detail_len == 0)
		return ZL_AMBIGUOUS;
	va_start(ap, fmt);
	vsnprintf(w->detail, w->detail_len, fmt, ap);
	va_end(ap);
	return ZL_AMBIGUOUS;
}

/* "entry 2 (answers.xml)" for the messages; the name is untrusted, so
 * anything unprintable shows as '?'. */
static void label(char *out, size_t n, size_t i, const hdr *c)
{
	char name[64];
	size_t k = 0;
	for (; k < c->name_len && k < sizeof(name) - 1; k++) {
		unsigned char ch = c->name[k];
		name[k] = '?';
		if (ch >= 0x20 && ch < 0x7f)
			name[k] = (char)ch;
	}
	name[k] = '\0';
	snprintf(out, n, "entry %zu (%s%s)", i, name, c->name_len > k ? "..." : "");
}

/* An extra-field block must be a well-formed list; at most one ZIP64 field
 * (returned), since readers differ on which of two they take; a Unicode
 * Path field only when it repeats the header's name, since unzip, 7-Zip
 * and libzip take the name from it and Python and Go do not. */
static zl_rc read_extra(const walk *w, const unsigned char *x, size_t n, const hdr *h,
                        const char *where, const unsigned char **z64, size_t *z64_len)
{
	size_t off = 0;

	*z64 = NULL;
	*z64_len = 0;
	while (off < n) {
		uint16_t id, sz;
		const unsigned char *d;
		if (n - off < 4)
			return refuse(w, "%s: an extra field is cut short", where);
		id = le16(x + off);
		sz = le16(x + off + 2);
		d = x + off + 4;
		if (sz > n - off - 4)
			return refuse(w, "%s: extra field 0x%04x overruns its block", where, id);
		if (id == EXTRA_ZIP64) {
			if (*z64 != NULL)
				return refuse(w, "%s: two ZIP64 extra fields", where);
			*z64 = d;
			*z64_len = sz;
		} else if (id == EXTRA_UPATH &&
		           (sz < 5 || d[0] != 1 || (size_t)sz - 5 != h->name_len ||
		            memcmp(d + 5, h->name, h->name_len) != 0)) {
			return refuse(w, "%s: a Unicode Path extra field names another file",
			              where);
		}
		off += 4 + (size_t)sz;
	}
	return ZL_OK;
}

/* APPNOTE 4.5.3: a central ZIP64 field holds, in this order, exactly the
 * values whose 32-bit (disk: 16-bit) field is all ones; with more or
 * fewer, readers disagree on which value is which. */
static zl_rc central_zip64(const walk *w, hdr *h, const unsigned char *z, size_t zlen,
                           const char *where)
{
	int eu = h->usize == ESC32, ec = h->csize == ESC32, eo = h->offset == ESC32;
	int ed = h->disk == ESC16;
	size_t need = 8u * (size_t)(eu + ec + eo) + 4u * (size_t)ed, at = 0;

	if (z == NULL ? need != 0 : zlen != need)
		return refuse(w,
		              "%s: the ZIP64 extra field holds %zu bytes where the escaped fields "
		              "need %zu",
		              where, z == NULL ? (size_t)0 : zlen, need);
	if (z == NULL)
		return ZL_OK;
	if (eu) {
		h->usize = le64(z + at);
		at += 8;
	}
	if (ec) {
		h->csize = le64(z + at);
		at += 8;
	}
	if (eo) {
		h->offset = le64(z + at);
		at += 8;
	}
	if (ed)
		h->disk = le32(z + at);
	h->zip64 = 1;
	return ZL_OK;
}

/* APPNOTE 4.5.3: a local ZIP64 field holds both sizes. Each 32-bit field
 * must then be all ones or the same value: whichever a reader takes, it
 * reads the same size. */
static zl_rc local_zip64(const walk *w, hdr *h, const unsigned char *z, size_t zlen,
                         const char *where)
{
	uint64_t u, c;

	if (z == NULL)
		return ZL_OK;
	if (zlen != 16)
		return refuse(w, "%s: the local ZIP64 extra field holds %zu bytes, not 16", where,
		              zlen);
	u = le64(z);
	c = le64(z + 8);
	if ((h->usize != ESC32 && h->usize != u) || (h->csize != ESC32 && h->csize != c))
		return refuse(w, "%s: the local ZIP64 sizes contradict the 32-bit ones", where);
	h->usize = u;
	h->csize = c;
	h->zip64 = 1;
	return ZL_OK;
}

/* Central record i at offset at, inside the directory that ends at end. */
/* A name every reader reads alike: no NUL (C readers end the name there,
 * others do not), no other control byte (libzip then takes the name for
 * CP437 and maps 0x01-0x1f to symbols, minizip and unzip keep the bytes:
 * found by fuzz_zip_diff), and nothing beyond ASCII without the UTF-8
 * flag (UTF-8 to libzip and unzip, CP437 to Python: two entries could
 * differ for one reader and be the same name for another). */
static zl_rc name_readable(const walk *w, const hdr *h, const char *where)
{
	for (size_t k = 0; k < h->name_len; k++) {
		unsigned char c = h->name[k];
		if (c == 0)
			return refuse(w, "%s: the name holds a NUL byte", where);
		if (c < 0x20 || c == 0x7f)
			return refuse(w, "%s: the name holds a control character", where);
		if (c >= 0x80 && !(h->flags & FLAG_UTF8))
			return refuse(w, "%s: a non-ASCII name without the UTF-8 flag (bit 11)",
			              where);
	}
	return ZL_OK;
}

static zl_rc read_central(const walk *w, uint64_t at, uint64_t end, size_t i, hdr *h, char *where,
                          size_t where_len)
{
	const unsigned char *p = w->buf + at, *z;
	size_t nl, el, cl, zlen;
	zl_rc rc;

	memset(h, 0, sizeof(*h));
	if (!sig_at(w, at, end, SIG_CENTRAL) || !fits(at, CENTRAL_LEN, end))
		return refuse(w, "central directory record %zu is missing or cut short", i);
	h->made_by = le16(p + 4);
	h->flags = le16(p + 8);
	h->method = le16(p + 10);
	h->crc = le32(p + 16);
	h->csize = le32(p + 20);
	h->usize = le32(p + 24);
	nl = le16(p + 28);
	el = le16(p + 30);
	cl = le16(p + 32);
	h->disk = le16(p + 34);
	h->ext_attr = le32(p + 38);
	h->offset = le32(p + 42);
	if (!fits(at + CENTRAL_LEN, (uint64_t)nl + el + cl, end))
		return refuse(w, "central directory record %zu overruns the directory", i);
	h->name = p + CENTRAL_LEN;
	h->name_len = nl;
	h->len = CENTRAL_LEN + (uint64_t)nl + el + cl;
	label(where, where_len, i, h);
	if ((rc = name_readable(w, h, where)) != ZL_OK)
		return rc;
	if ((rc = read_extra(w, p + CENTRAL_LEN + nl, el, h, where, &z, &zlen)) != ZL_OK)
		return rc;
	if ((rc = central_zip64(w, h, z, zlen, where)) != ZL_OK)
		return rc;
	if (h->disk != 0)
		return refuse(w, "%s: starts on disk %u", where, (unsigned)h->disk);
	return ZL_OK;
}

/* The local header at at, which must end before the directory (end). */
static zl_rc read_local(const walk *w, uint64_t at, uint64_t end, const char *where, hdr *h)
{
	const unsigned char *p = w->buf + at, *z;
	size_t nl, el, zlen;
	zl_rc rc;

	memset(h, 0, sizeof(*h));
	if (!sig_at(w, at, end, SIG_LOCAL) || !fits(at, LOCAL_LEN, end))
		return refuse(w, "%s: no local header at offset %llu", where,
		              (unsigned long long)at);
	h->flags = le16(p + 6);
	h->method = le16(p + 8);
	h->crc = le32(p + 14);
	h->csize = le32(p + 18);
	h->usize = le32(p + 22);
	nl = le16(p + 26);
	el = le16(p + 28);
	if (!fits(at + LOCAL_LEN, (uint64_t)nl + el, end))
		return refuse(w, "%s: the local header overruns the entries", where);
	h->name = p + LOCAL_LEN;
	h->name_len = nl;
	h->len = LOCAL_LEN + (uint64_t)nl + el;
	if ((rc = read_extra(w, p + LOCAL_LEN + nl, el, h, where, &z, &zlen)) != ZL_OK)
		return rc;
	return local_zip64(w, h, z, zlen, where);
}

/* With a data descriptor the local field may be zero (APPNOTE 4.4.4;
 * Info-ZIP fills some of them anyway), else it is the central value. */
static int agrees(uint64_t local, uint64_t central, int descriptor)
{
	return local == central || (descriptor && local == 0);
}

/* The whole flags field is compared: bits 0, 6 and 13 say how the data is
 * encrypted, 3 where the sizes are, 11 how the name is decoded; a reader
 * of the local header (streaming) and one of the central record would read
 * differently if they differed, and no writer makes them differ. */
static zl_rc compare(const walk *w, const hdr *l, const hdr *c, const char *where)
{
	int desc = (c->flags & FLAG_DESCRIPTOR) != 0;

	if (l->name_len != c->name_len ||
	    (c->name_len > 0 && memcmp(l->name, c->name, c->name_len) != 0))
		return refuse(w, "%s: the local header names another file", where);
	if (l->method != c->method)
		return refuse(w, "%s: compression method %u locally, %u in the central directory",
		              where, (unsigned)l->method, (unsigned)c->method);
	if (l->flags != c->flags)
		return refuse(w, "%s: flags 0x%04x locally, 0x%04x in the central directory", where,
		              (unsigned)l->flags, (unsigned)c->flags);
	if (!agrees(l->crc, c->crc, desc))
		return refuse(w, "%s: CRC %08x locally, %08x in the central directory", where,
		              (unsigned)l->crc, (unsigned)c->crc);
	if (!agrees(l->csize, c->csize, desc) || !agrees(l->usize, c->usize, desc))
		return refuse(w, "%s: sizes %llu/%llu locally, %llu/%llu in the central directory",
		              where, (unsigned long long)l->csize, (unsigned long long)l->usize,
		              (unsigned long long)c->csize, (unsigned long long)c->usize);
	return ZL_OK;
}

/* Flag bit 3: CRC and sizes follow the data (at), 4-byte sizes or, when
 * the local header has a ZIP64 field, 8-byte ones (APPNOTE 4.3.9), after
 * the optional signature PK\7\8. Streaming readers use these values, so
 * they must be the central ones. A CRC equal to the signature makes the
 * two forms indistinguishable. A stored entry's end is found only by
 * searching for the signature: it must be there, and nowhere in the data. */
static zl_rc read_descriptor(const walk *w, uint64_t data, uint64_t at, uint64_t end, const hdr *l,
                             const hdr *c, const char *where, uint64_t *dlen)
{
	int sig = sig_at(w, at, end, SIG_DESC);
	uint64_t width = l->zip64 ? 8 : 4, n = (sig ? 4 : 0) + 4 + 2 * width;
	const unsigned char *q;
	uint64_t cs, us;

	if (c->crc == SIG_DESC)
		return refuse(w, "%s: its CRC equals the data descriptor signature", where);
	if (c->method == METHOD_STORE) {
		if (!sig)
			return refuse(w, "%s: stored, with a data descriptor without signature",
			              where);
		if (find_sig(w->buf + data, (size_t)(at - data), SIG_DESC) != (size_t)(at - data))
			return refuse(w, "%s: stored data holds a data descriptor signature",
			              where);
	}
	if (!fits(at, n, end))
		return refuse(w, "%s: the data descriptor overruns the entries", where);
	q = w->buf + at + (sig ? 4 : 0);
	cs = width == 8 ? le64(q + 4) : le32(q + 4);
	us = width == 8 ? le64(q + 12) : le32(q + 8);
	if (le32(q) != c->crc || cs != c->csize || us != c->usize)
		return refuse(w, "%s: the data descriptor disagrees with the central directory",
		              where);
	*dlen = n;
	return ZL_OK;
}

/* Entries in central order, each local header where the previous entry
 * ended, the directory right after the last. */
static zl_rc walk_entries(const walk *w, uint64_t cd_off, uint64_t cd_size, size_t count)
{
	uint64_t next = 0, at = cd_off, cd_end = cd_off + cd_size;
	char where[128];
	zl_rc rc;

	for (size_t i = 0; i < count; i++) {
		hdr c, l;
		uint64_t data, dlen = 0;
		if ((rc = read_central(w, at, cd_end, i, &c, where, sizeof(where))) != ZL_OK)
			return rc;
		if (c.offset != next)
			return refuse(
			        w,
			        "%s: local header at offset %llu, the previous entry ends at %llu",
			        where, (unsigned long long)c.offset, (unsigned long long)next);
		if ((rc = read_local(w, next, cd_off, where, &l)) != ZL_OK)
			return rc;
		if ((rc = compare(w, &l, &c, where)) != ZL_OK)
			return rc;
		data = next + l.len;
		if (!fits(data, c.csize, cd_off))
			return refuse(w, "%s: %llu bytes of data overrun the entries", where,
			              (unsigned long long)c.csize);
		if ((c.flags & FLAG_DESCRIPTOR) &&
		    (rc = read_descriptor(w, data, data + c.csize, cd_off, &l, &c, where, &dlen)) !=
		            ZL_OK)
			return rc;
		if (i < w->cap)
			w->out[i] = (zl_entry){c.name,     c.name_len, c.method, c.flags, c.made_by,
			                       c.ext_attr, c.crc,      data,     c.csize, c.usize};
		next = data + c.csize + dlen;
		at += c.len;
	}
	if (at != cd_end)
		return refuse(w, "the central directory has %llu bytes after its %zu records",
		              (unsigned long long)(cd_end - at), count);
	if (next != cd_off)
		return refuse(w, "%llu bytes between the last entry and the central directory",
		              (unsigned long long)(cd_off - next));
	return ZL_OK;
}

/* Any EOCD signature but the real one (at eocd) that a reader could take
 * for the end record: one whose 22 bytes are in the file and that points
 * at a directory inside it, by its offset (libzip, Go) or by its size
 * back from itself (unzip and Python, adjusting for prepended data), or
 * that a ZIP64 locator precedes (every reader looks for one 20 bytes
 * before). The locator is only ever looked for there, so this also
 * covers ZIP64 end records. A chance hit in compressed data points
 * nowhere and is let be: refusing every hit would refuse about one honest
 * 5 MB package in 860, and again after every repacking. */
static zl_rc eocd_candidate(const walk *w, size_t i, size_t eocd)
{
	const unsigned char *p = w->buf + i;

	if (i == eocd || le32(p) != SIG_EOCD)
		return ZL_OK;
	if (!fits(i, EOCD_LEN, w->len) || le32(p + 16) < w->len || le32(p + 12) <= i ||
	    (i >= LOC64_LEN && le32(p - LOC64_LEN) == SIG_LOC64))
		return refuse(w, "a second end of central directory record at offset %zu", i);
	return ZL_OK;
}

/* Whether "PK" starts at one of p[0, SCAN_BLOCK) (p holds 3 bytes more),
 * as a first sieve for end record signatures. A loop of fixed length
 * without branches, which the compiler turns into vector compares: the
 * scan covers the whole package, and memchr() for 'P' stops every 256
 * bytes of compressed or random data. */
#define SCAN_BLOCK 64
static int block_has_pk(const unsigned char *p)
{
	unsigned char hit = 0;
	for (size_t i = 0; i < SCAN_BLOCK; i++)
		hit |= (unsigned char)((p[i] == 0x50) & (p[i + 1] == 0x4b));
	return hit != 0;
}

static void scan_note(zl_scan *s, uint64_t at)
{
	if (s->n < ZL_SCAN_MAX)
		s->at[s->n++] = at;
	else
		s->overflow = 1;
}

/* The first offset from "from" on where an EOCD signature starts and ends
 * in p[0, n), or n. */
static size_t next_sig(const unsigned char *p, size_t n, size_t from)
{
	size_t i = from;
	for (; n >= SCAN_BLOCK + 3 && i <= n - (SCAN_BLOCK + 3); i += SCAN_BLOCK) {
		if (!block_has_pk(p + i))
			continue;
		for (size_t k = i; k < i + SCAN_BLOCK; k++)
			if (le32(p + k) == SIG_EOCD)
				return k;
	}
	for (; i + 4 <= n; i++)
		if (le32(p + i) == SIG_EOCD)
			return i;
	return n;
}

/* The signatures that start and end in p[0, n), at base. */
static void scan_piece(zl_scan *s, const unsigned char *p, size_t n, uint64_t base)
{
	for (size_t i = next_sig(p, n, 0); i < n; i = next_sig(p, n, i + 1))
		scan_note(s, base + i);
}

void ziplayout_scan_init(zl_scan *s)
{
	memset(s, 0, sizeof(*s));
}

void ziplayout_scan(zl_scan *s, const unsigned char *piece, size_t n)
{
	unsigned char joint[6];
	size_t nj = s->ncarry, take = n < 3 ? n : 3;

	if (n == 0)
		return;
	/* the signatures that start in the carried bytes */
	memcpy(joint, s->carry, s->ncarry);
	memcpy(joint + nj, piece, take);
	for (size_t j = 0; j < s->ncarry && j + 4 <= nj + take; j++)
		if (le32(joint + j) == SIG_EOCD)
			scan_note(s, s->seen - s->ncarry + j);
	scan_piece(s, piece, n, s->seen);
	s->seen += n;
	/* the last 3 bytes of everything so far */
	nj += take;
	if (n >= 3) {
		memcpy(s->carry, piece + n - 3, 3);
		s->ncarry = 3;
	} else {
		size_t keep = nj < 3 ? nj : 3;
		memmove(s->carry, joint + nj - keep, keep);
		s->ncarry = keep;
	}
}

static zl_rc other_eocd(const walk *w, size_t eocd, const zl_scan *scan)
{
	zl_rc rc;

	if (scan == NULL || scan->overflow || scan->seen != w->len) {
		for (size_t i = next_sig(w->buf, w->len, 0); i < w->len;
		     i = next_sig(w->buf, w->len, i + 1))
			if ((rc = eocd_candidate(w, i, eocd)) != ZL_OK)
				return rc;
		return ZL_OK;
	}
	for (size_t k = 0; k < scan->n; k++)
		if ((rc = eocd_candidate(w, (size_t)scan->at[k], eocd)) != ZL_OK)
			return rc;
	return ZL_OK;
}

/* The last EOCD whose 22 bytes are in the file, as unzip finds it. */
static int last_eocd(const walk *w, size_t *at)
{
	if (w->len < EOCD_LEN)
		return 0;
	for (size_t i = w->len - EOCD_LEN + 1; i-- > 0;)
		if (w->buf[i] == 'P' && le32(w->buf + i) == SIG_EOCD) {
			*at = i;
			return 1;
		}
	return 0;
}

static zl_rc read_end(const walk *w, uint64_t *cd_off, uint64_t *cd_size, size_t *count)
{
	size_t at, eocd;
	const unsigned char *p;
	unsigned clen;

	if (!last_eocd(w, &at)) {
		snprintf(w->detail, w->detail_len, "no end of central directory record");
		return ZL_NOT_ZIP;
	}
	eocd = w->len - EOCD_LEN;
	p = w->buf + at;
	clen = le16(p + 20);
	if (at != eocd && at + EOCD_LEN + clen == w->len)
		return refuse(w, "the end of central directory record has a %u-byte comment", clen);
	if (at != eocd)
		return refuse(w, "%zu bytes after the end of central directory record", eocd - at);
	if (clen != 0)
		return refuse(w, "the end record declares a %u-byte comment that is not there",
		              clen);
	if (le16(p + 4) != 0 || le16(p + 6) != 0 || le16(p + 8) != le16(p + 10))
		return refuse(w, "the end record spans disks");
	*count = le16(p + 10);
	*cd_size = le32(p + 12);
	*cd_off = le32(p + 16);
	/* no package needs ZIP64 end records; readers differ on when they
	 * prefer them to this one */
	if (*count == ESC16 || *cd_size == ESC32 || *cd_off == ESC32 ||
	    (eocd >= LOC64_LEN && le32(p - LOC64_LEN) == SIG_LOC64))
		return refuse(w, "ZIP64 end records are not accepted");
	return ZL_OK;
}

zl_rc ziplayout_read(const unsigned char *buf, size_t len, const zl_scan *scan, zl_entry *out,
                     size_t cap, size_t *n, char *detail, size_t detail_len)
{
	walk w = {buf, len, detail, detail_len, out, out == NULL ? 0 : cap};
	uint64_t cd_off = 0, cd_size = 0;
	size_t count = 0;
	zl_rc rc;

	*n = 0;
	if (detail_len > 0)
		detail[0] = '\0';
	if ((rc = read_end(&w, &cd_off, &cd_size, &count)) != ZL_OK)
		return rc;
	*n = count;
	if (count > 0 && !sig_at(&w, 0, len, SIG_LOCAL))
		return refuse(&w, "data before the first local header");
	if (!fits(cd_off, cd_size, len - EOCD_LEN) || cd_off + cd_size != len - EOCD_LEN)
		return refuse(&w,
		              "the central directory (offset %llu, %llu bytes) does not end where "
		              "the end record starts (offset %zu)",
		              (unsigned long long)cd_off, (unsigned long long)cd_size,
		              len - EOCD_LEN);
	if ((rc = other_eocd(&w, len - EOCD_LEN, scan)) != ZL_OK)
		return rc;
	return walk_entries(&w, cd_off, cd_size, count);
}

zl_rc ziplayout_check(const unsigned char *buf, size_t len, char *detail, size_t detail_len)
{
	size_t n;
	return ziplayout_read(buf, len, NULL, NULL, 0, &n, detail, detail_len);
}
