/* test_ziplayout.c — the strict ZIP layout walk: real ZIPs written by
 * libzip, then edited byte by byte into each layout that some reader reads
 * otherwise than another. */
#include "../testutil.h"

#include "exchange/ziplayout.h"

#include <stdint.h>
#include <zip.h>

#define CAP 65536

typedef struct zbuf {
	unsigned char b[CAP];
	size_t len;
} zbuf;

static char dir[256];
static zbuf base; /* mimetype (stored), a.txt (deflated), b.txt (stored) */

static const char *const MT = "application/vnd.etsi.asic-e+zip";
static const char *const A_TXT = "hello hello hello hello hello hello hello hello hello hello";

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static size_t eocd(const zbuf *z)
{
	return z->len - 22;
}

static size_t central(const zbuf *z, size_t i)
{
	size_t p = le32(z->b + eocd(z) + 16);
	while (i-- > 0)
		p += 46 + (size_t)le16(z->b + p + 28) + le16(z->b + p + 30) + le16(z->b + p + 32);
	return p;
}

static size_t local(const zbuf *z, size_t i)
{
	return le32(z->b + central(z, i) + 42);
}

/* offset of entry i's data */
static size_t data_of(const zbuf *z, size_t i)
{
	size_t l = local(z, i);
	return l + 30 + le16(z->b + l + 26) + le16(z->b + l + 28);
}

static void insert(zbuf *z, size_t at, const void *src, size_t n)
{
	assert_true(z->len + n <= CAP && at <= z->len);
	memmove(z->b + at + n, z->b + at, z->len - at);
	memcpy(z->b + at, src, n);
	z->len += n;
}

/* Moves every local-header offset (and the directory's) at or after from
 * by n bytes, after n bytes were inserted there. */
static void shift(zbuf *z, size_t from, size_t n)
{
	size_t count = le16(z->b + eocd(z) + 10);
	/* the directory first: central() finds the records through it */
	if (le32(z->b + eocd(z) + 16) >= from)
		put32(z->b + eocd(z) + 16, le32(z->b + eocd(z) + 16) + (uint32_t)n);
	for (size_t i = 0; i < count; i++) {
		unsigned char *off = z->b + central(z, i) + 42;
		if (le32(off) >= from)
			put32(off, le32(off) + (uint32_t)n);
	}
}

/* Inserts n bytes at at and fixes the offsets, as a writer would have. */
static void insert_shifted(zbuf *z, size_t at, const void *src, size_t n)
{
	insert(z, at, src, n);
	shift(z, at, n);
}

static void local_extra(zbuf *z, size_t i, const void *x, size_t n)
{
	size_t l = local(z, i);
	size_t at = l + 30 + le16(z->b + l + 26) + le16(z->b + l + 28);
	put16(z->b + l + 28, le16(z->b + l + 28) + (uint32_t)n);
	insert_shifted(z, at, x, n);
}

static void central_extra(zbuf *z, size_t i, const void *x, size_t n)
{
	size_t c = central(z, i);
	size_t at = c + 46 + le16(z->b + c + 28) + le16(z->b + c + 30);
	put16(z->b + c + 30, le16(z->b + c + 30) + (uint32_t)n);
	insert(z, at, x, n);
	put32(z->b + eocd(z) + 12, le32(z->b + eocd(z) + 12) + (uint32_t)n);
}

static void make(zbuf *z, const char *const *names, const char *const *data, const size_t *lens,
                 const int *stored, size_t n)
{
	char path[300];
	int err;
	FILE *f;
	zip_t *za;

	snprintf(path, sizeof(path), "%s/t.zip", dir);
	assert_non_null(za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err));
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(za, data[i], lens[i], 0);
		zip_int64_t idx = zip_file_add(za, names[i], s, 0);
		assert_true(idx >= 0);
		zip_set_file_compression(za, (zip_uint64_t)idx,
		                         stored[i] ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_non_null(f = fopen(path, "rb"));
	z->len = fread(z->b, 1, CAP, f);
	fclose(f);
	assert_true(z->len > 0 && z->len < CAP);
}

static int setup(void **state)
{
	const char *names[] = {"mimetype", "a.txt", "b.txt"}, *data[] = {MT, A_TXT, "bbbb"};
	const size_t lens[] = {strlen(MT), strlen(A_TXT), 4};
	const int stored[] = {1, 0, 1};
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	make(&base, names, data, lens, stored, 3);
	/* a.txt really is deflated, the others stored */
	assert_int_equal(le16(base.b + central(&base, 1) + 10), 8);
	assert_int_equal(le16(base.b + central(&base, 2) + 10), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmrf(dir);
	return 0;
}

/* ziplayout_read() after a scan of b in pieces of step bytes, as
 * pkg_verify() does while hashing */
static zl_rc read_scanned(const unsigned char *b, size_t len, size_t step, zl_entry *out,
                          size_t cap, size_t *n, char *detail, size_t detail_len)
{
	zl_scan sc;
	ziplayout_scan_init(&sc);
	for (size_t at = 0; at < len; at += step)
		ziplayout_scan(&sc, b + at, len - at < step ? len - at : step);
	return ziplayout_read(b, len, &sc, out, cap, n, detail, detail_len);
}

/* The walk's verdict; for a refusal, detail must contain want. The same
 * with the end records looked for beforehand, in pieces of any size. */
static void expect(const zbuf *z, zl_rc rc, const char *want)
{
	static const size_t steps[] = {1, 2, 3, 5, 64, 67, 4096};
	char detail[256], again[256];
	zl_rc got = ziplayout_check(z->b, z->len, detail, sizeof(detail));
	if (got != rc)
		fail_msg("got %d (%s), want %d", got, detail, rc);
	if (want != NULL && strstr(detail, want) == NULL)
		fail_msg("detail \"%s\" lacks \"%s\"", detail, want);
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		zl_entry e[8];
		size_t n;
		got = read_scanned(z->b, z->len, steps[k], e, 8, &n, again, sizeof(again));
		if (got != rc || strcmp(again, detail) != 0)
			fail_msg("scanned in pieces of %zu: %d (%s), not %d (%s)", steps[k], got,
			         again, rc, detail);
	}
}

#define AMBIGUOUS(z, want) expect((z), ZL_AMBIGUOUS, (want))

static void canonical_accepted(void **state)
{
	zbuf z;
	(void)state;
	expect(&base, ZL_OK, NULL);
	/* an empty archive is one end record: nothing ambiguous about it */
	memset(&z, 0, sizeof(z));
	memcpy(z.b, "PK\x05\x06", 4);
	z.len = 22;
	expect(&z, ZL_OK, NULL);
}

static void not_zip(void **state)
{
	static const char *text = "this is not a zip file, just text that is long enough";
	zbuf z;
	(void)state;
	assert_int_equal(ziplayout_check((const unsigned char *)"", 0, NULL, 0), ZL_NOT_ZIP);
	assert_int_equal(ziplayout_check((const unsigned char *)"PK\x03", 3, NULL, 0), ZL_NOT_ZIP);
	assert_int_equal(ziplayout_check((const unsigned char *)text, strlen(text), NULL, 0),
	                 ZL_NOT_ZIP);
	/* local headers without any central directory: streaming readers
	 * would read them, but it is no ZIP for the rest */
	z = base;
	z.len = central(&base, 0);
	expect(&z, ZL_NOT_ZIP, "no end of central directory record");
}

static void end_record(void **state)
{
	zbuf z;
	/* extra field 0x4242, 20 bytes: a locator */
	unsigned char loc[24] = {0x42, 0x42, 20, 0, 'P', 'K', 6, 7};
	(void)state;
	z = base;
	put16(z.b + eocd(&z) + 20, 7);
	insert(&z, z.len, "comment", 7);
	AMBIGUOUS(&z, "7-byte comment");
	z = base;
	insert(&z, z.len, "\0\0\0\0", 4);
	AMBIGUOUS(&z, "4 bytes after the end of central directory record");
	z = base;
	put16(z.b + eocd(&z) + 20, 7);
	AMBIGUOUS(&z, "comment that is not there");
	z = base;
	put16(z.b + eocd(&z) + 4, 1);
	AMBIGUOUS(&z, "spans disks");
	z = base;
	put16(z.b + eocd(&z) + 8, 2);
	AMBIGUOUS(&z, "spans disks");
	/* one record more or less than there are: Python counts bytes,
	 * unzip and libzip records */
	z = base;
	put16(z.b + eocd(&z) + 8, 2);
	put16(z.b + eocd(&z) + 10, 2);
	AMBIGUOUS(&z, "bytes after its 2 records");
	z = base;
	put16(z.b + eocd(&z) + 8, 4);
	put16(z.b + eocd(&z) + 10, 4);
	AMBIGUOUS(&z, "record 3 is missing");
	z = base;
	put16(z.b + eocd(&z) + 8, 0xffff);
	put16(z.b + eocd(&z) + 10, 0xffff);
	AMBIGUOUS(&z, "ZIP64 end records");
	/* a ZIP64 locator hidden in the last central record's extra field,
	 * right before the end record, where Python and libzip look */
	z = base;
	central_extra(&z, 2, loc, sizeof(loc));
	AMBIGUOUS(&z, "ZIP64 end records");
}

static void layout(void **state)
{
	zbuf z;
	(void)state;
	/* a self-extractor stub, offsets adjusted (zip -A) or not */
	z = base;
	insert_shifted(&z, 0, "#!/bin/sh\n", 10);
	AMBIGUOUS(&z, "data before the first local header");
	z = base;
	insert(&z, 0, "#!/bin/sh\n", 10);
	AMBIGUOUS(&z, "data before the first local header");
	z = base;
	insert_shifted(&z, local(&base, 2), "\0\0\0\0\0\0\0\0", 8);
	AMBIGUOUS(&z, "entry 2 (b.txt): local header at offset");
	/* two central records, one local header */
	z = base;
	put32(z.b + central(&z, 2) + 42, (uint32_t)local(&z, 1));
	AMBIGUOUS(&z, "entry 2 (b.txt): local header at offset");
	/* bytes between the last entry and the directory */
	z = base;
	insert_shifted(&z, central(&base, 0), "\0\0\0\0", 4);
	AMBIGUOUS(&z, "4 bytes between the last entry and the central directory");
	z = base;
	insert_shifted(&z, central(&base, 0), "\0\0\0\0", 4);
	put32(z.b + eocd(&z) + 16, (uint32_t)central(&base, 0));
	AMBIGUOUS(&z, "does not end where the end record starts");
	z = base;
	insert_shifted(&z, central(&base, 0), "\0\0\0\0", 4);
	put32(z.b + eocd(&z) + 16, (uint32_t)central(&base, 0));
	put32(z.b + eocd(&z) + 12, le32(z.b + eocd(&z) + 12) + 4);
	AMBIGUOUS(&z, "central directory record 0 is missing");
	/* bytes between the directory and the end record */
	z = base;
	insert(&z, eocd(&z), "\0\0\0\0", 4);
	AMBIGUOUS(&z, "does not end where the end record starts");
	z = base;
	put32(z.b + eocd(&z) + 16, le32(z.b + eocd(&z) + 16) + 1);
	AMBIGUOUS(&z, "does not end where the end record starts");
	/* an entry whose data overruns into the directory */
	z = base;
	put32(z.b + central(&z, 2) + 20, 1000);
	put32(z.b + local(&z, 2) + 18, 1000);
	AMBIGUOUS(&z, "overrun the entries");
}

static void local_headers(void **state)
{
	static const struct {
		size_t off; /* in the local header of a.txt: flip bit 0 */
		const char *want;
	} fields[] = {
	        {30, "names another file"},
	        {26, "names another file"}, /* name, its length */
	        {8, "compression method"},
	        {6, "flags 0x"},
	        {14, "CRC"},
	        {18, "sizes"},
	        {22, "sizes"},
	};
	zbuf z;
	(void)state;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		z = base;
		z.b[local(&z, 1) + fields[i].off] ^= 0x01;
		AMBIGUOUS(&z, fields[i].want);
	}
	/* the UTF-8 flag (bit 11) locally only */
	z = base;
	put16(z.b + local(&z, 1) + 6, le16(z.b + local(&z, 1) + 6) | 0x0800);
	AMBIGUOUS(&z, "flags 0x0802 locally, 0x0002 in the central directory");
	/* no local header where the central record says */
	z = base;
	z.b[local(&z, 1)] = 'X';
	AMBIGUOUS(&z, "no local header at offset");
}

static void names_and_extras(void **state)
{
	zbuf z;
	unsigned char up[4 + 5 + 5] = {0x75, 0x70, 10, 0, 1, 0, 0, 0, 0};
	(void)state;
	/* a.txt -> a\0txt in both headers: C readers see "a" */
	z = base;
	z.b[local(&z, 1) + 31] = 0;
	z.b[central(&z, 1) + 47] = 0;
	AMBIGUOUS(&z, "NUL byte");
	/* a\x07txt: CP437 symbols to libzip, the byte to minizip and unzip */
	for (unsigned c = 1; c < 0x20; c++) {
		z = base;
		z.b[local(&z, 1) + 31] = (unsigned char)c;
		z.b[central(&z, 1) + 47] = (unsigned char)c;
		AMBIGUOUS(&z, "control character");
	}
	z = base;
	z.b[local(&z, 1) + 31] = 0x7f;
	z.b[central(&z, 1) + 47] = 0x7f;
	AMBIGUOUS(&z, "control character");
	/* é without the UTF-8 flag: UTF-8 to libzip, CP437 to Python */
	{
		zbuf u;
		const char *names[] = {"mimetype", "\xc3\xa9.txt"}, *data[] = {"x", "y"};
		const size_t lens[] = {1, 1};
		const int stored[] = {1, 0};
		make(&u, names, data, lens, stored, 2);
		expect(&u, ZL_OK, NULL); /* libzip writes the flag */
		put16(u.b + local(&u, 1) + 6, 0);
		put16(u.b + central(&u, 1) + 8, 0);
		AMBIGUOUS(&u, "without the UTF-8 flag");
	}
	/* Unicode Path: the same name is fine, another is not */
	memcpy(up + 9, "a.txt", 5);
	z = base;
	central_extra(&z, 1, up, sizeof(up));
	local_extra(&z, 1, up, sizeof(up));
	expect(&z, ZL_OK, NULL);
	memcpy(up + 9, "b.txt", 5);
	z = base;
	central_extra(&z, 1, up, sizeof(up));
	AMBIGUOUS(&z, "Unicode Path extra field names another file");
	z = base;
	local_extra(&z, 1, up, sizeof(up));
	AMBIGUOUS(&z, "Unicode Path extra field names another file");
	/* extra fields that differ between local and central are fine (the
	 * UT field Info-ZIP writes) if well formed */
	{
		unsigned char ut[4 + 9] = {0x55, 0x54, 9, 0, 3};
		z = base;
		local_extra(&z, 1, ut, sizeof(ut));
		expect(&z, ZL_OK, NULL);
		ut[2] = 10; /* overruns the block */
		z = base;
		local_extra(&z, 1, ut, sizeof(ut));
		AMBIGUOUS(&z, "overruns its block");
		z = base;
		local_extra(&z, 1, ut, 3); /* a header cut short */
		AMBIGUOUS(&z, "cut short");
	}
}

static void zip64_fields(void **state)
{
	size_t us = strlen(A_TXT), cs;
	unsigned char x[4 + 16] = {1, 0, 16, 0}, c8[4 + 8] = {1, 0, 8, 0};
	zbuf z;
	(void)state;
	cs = le32(base.b + central(&base, 1) + 20);
	/* local ZIP64 with both sizes, 32-bit fields escaped: what libzip
	 * and Python write for a size unknown in advance */
	put64(x + 4, us);
	put64(x + 12, cs);
	z = base;
	local_extra(&z, 1, x, sizeof(x));
	put32(z.b + local(&z, 1) + 18, 0xffffffff);
	put32(z.b + local(&z, 1) + 22, 0xffffffff);
	expect(&z, ZL_OK, NULL);
	/* … and unescaped but equal: whichever a reader takes, same value */
	z = base;
	local_extra(&z, 1, x, sizeof(x));
	expect(&z, ZL_OK, NULL);
	put64(x + 4, us + 1);
	z = base;
	local_extra(&z, 1, x, sizeof(x));
	AMBIGUOUS(&z, "ZIP64 sizes contradict");
	z = base;
	local_extra(&z, 1, x, 12);
	put16(z.b + data_of(&z, 1) - 12 + 2, 8);
	AMBIGUOUS(&z, "holds 8 bytes, not 16");
	/* two ZIP64 fields: readers differ on which one counts */
	put64(x + 4, us);
	z = base;
	local_extra(&z, 1, x, sizeof(x));
	local_extra(&z, 1, x, sizeof(x));
	AMBIGUOUS(&z, "two ZIP64 extra fields");
	/* central: exactly the escaped values */
	put64(c8 + 4, us);
	z = base;
	central_extra(&z, 1, c8, sizeof(c8));
	put32(z.b + central(&z, 1) + 24, 0xffffffff);
	expect(&z, ZL_OK, NULL);
	z = base;
	central_extra(&z, 1, c8, sizeof(c8));
	AMBIGUOUS(&z, "holds 8 bytes where the escaped fields need 0");
	z = base;
	put32(z.b + central(&z, 1) + 24, 0xffffffff);
	AMBIGUOUS(&z, "holds 0 bytes where the escaped fields need 8");
	/* an escaped value that says another size than the local header */
	put64(c8 + 4, us + 1);
	z = base;
	central_extra(&z, 1, c8, sizeof(c8));
	put32(z.b + central(&z, 1) + 24, 0xffffffff);
	AMBIGUOUS(&z, "sizes");
	/* the disk number, escaped, must still be 0 */
	{
		unsigned char d4[4 + 4] = {1, 0, 4, 0, 1, 0, 0, 0};
		z = base;
		central_extra(&z, 1, d4, sizeof(d4));
		put16(z.b + central(&z, 1) + 34, 0xffff);
		AMBIGUOUS(&z, "starts on disk 1");
	}
}

/* Entry i with flag bit 3 and a descriptor after its data: with or without
 * signature, local values zeroed or kept, sizes 4 or 8 bytes wide. */
static void to_descriptor(zbuf *z, size_t i, int sig, int zero, int wide)
{
	size_t l = local(z, i), c = central(z, i), at;
	unsigned char d[24], *p = d;
	if (sig) {
		memcpy(p, "PK\x07\x08", 4);
		p += 4;
	}
	memcpy(p, z->b + c + 16, 4);
	if (wide) {
		put64(p + 4, le32(z->b + c + 20));
		put64(p + 12, le32(z->b + c + 24));
		p += 20;
	} else {
		memcpy(p + 4, z->b + c + 20, 8);
		p += 12;
	}
	put16(z->b + l + 6, le16(z->b + l + 6) | 8);
	put16(z->b + c + 8, le16(z->b + c + 8) | 8);
	if (zero)
		memset(z->b + l + 14, 0, 12);
	at = data_of(z, i) + le32(z->b + c + 20);
	insert_shifted(z, at, d, (size_t)(p - d));
}

static void descriptors(void **state)
{
	zbuf z;
	(void)state;
	/* Python streaming: signature, zeros locally */
	z = base;
	to_descriptor(&z, 1, 1, 1, 0);
	expect(&z, ZL_OK, NULL);
	/* Info-ZIP zip -P: signature, values kept locally */
	z = base;
	to_descriptor(&z, 1, 1, 0, 0);
	expect(&z, ZL_OK, NULL);
	/* no signature (APPNOTE allows it) */
	z = base;
	to_descriptor(&z, 1, 0, 1, 0);
	expect(&z, ZL_OK, NULL);
	/* a stored entry with a signed descriptor, as Python streams mimetype */
	z = base;
	to_descriptor(&z, 0, 1, 1, 0);
	to_descriptor(&z, 2, 1, 1, 0);
	expect(&z, ZL_OK, NULL);
	/* what it says must be the central values */
	z = base;
	to_descriptor(&z, 1, 1, 1, 0);
	z.b[data_of(&z, 1) + le32(z.b + central(&z, 1) + 20) + 8] ^= 1;
	AMBIGUOUS(&z, "data descriptor disagrees");
	/* bit 3 but no descriptor: the next local header is read as one */
	z = base;
	put16(z.b + local(&z, 1) + 6, 8);
	put16(z.b + central(&z, 1) + 8, 8);
	AMBIGUOUS(&z, "entry 1 (a.txt)");
	/* a stored entry's end is found by its signature only */
	z = base;
	to_descriptor(&z, 2, 0, 1, 0);
	AMBIGUOUS(&z, "without signature");
	/* … so it may not be in the data */
	{
		const char *names[] = {"mimetype", "b.txt"}, *data[] = {MT, "xxPK\x07\x08xx"};
		const size_t lens[] = {strlen(MT), 8};
		const int stored[] = {1, 1};
		make(&z, names, data, lens, stored, 2);
		expect(&z, ZL_OK, NULL);
		to_descriptor(&z, 1, 1, 1, 0);
		AMBIGUOUS(&z, "stored data holds a data descriptor signature");
	}
	/* a CRC equal to the signature: with or without it, same bytes */
	z = base;
	to_descriptor(&z, 1, 1, 1, 0);
	put32(z.b + central(&z, 1) + 16, 0x08074b50);
	AMBIGUOUS(&z, "CRC equals the data descriptor signature");
	/* 8-byte sizes when, and only when, the local header has ZIP64 */
	{
		unsigned char x[4 + 16] = {1, 0, 16, 0};
		z = base;
		local_extra(&z, 1, x, sizeof(x)); /* zeros, as for a size not known */
		to_descriptor(&z, 1, 1, 1, 1);
		expect(&z, ZL_OK, NULL);
		z = base;
		to_descriptor(&z, 1, 1, 1, 1);
		AMBIGUOUS(&z, "entry 1 (a.txt)");
	}
	/* the descriptor overrunning into the directory */
	z = base;
	put16(z.b + local(&z, 2) + 6, 8);
	put16(z.b + central(&z, 2) + 8, 8);
	insert_shifted(&z, central(&z, 0), "PK\x07\x08", 4);
	AMBIGUOUS(&z, "data descriptor overruns");
}

/* A stored entry holding a whole ZIP: its end record is one that libzip
 * 1.7 would consider. A chance "PK\5\6" that points nowhere is let be. */
static void other_end_records(void **state)
{
	zbuf z, inner = base;
	char stray[32] = "xxPK\x05\x06";
	const char *names[] = {"mimetype", "nested.zip"}, *data[] = {MT, (const char *)inner.b};
	size_t lens[] = {strlen(MT), inner.len};
	const int stored[] = {1, 1};
	(void)state;
	make(&z, names, data, lens, stored, 2);
	AMBIGUOUS(&z, "a second end of central directory record at offset");
	/* disk fields, counts, then size and offset all ones: no directory */
	memset(stray + 6, 0xff, 20);
	data[1] = stray;
	lens[1] = 26;
	make(&z, names, data, lens, stored, 2);
	expect(&z, ZL_OK, NULL);
	/* the same with an offset inside the file */
	memset(stray + 18, 0, 4);
	make(&z, names, data, lens, stored, 2);
	AMBIGUOUS(&z, "a second end of central directory record");
	/* or a size that fits before it (unzip, Python) */
	memset(stray + 6, 0xff, 20);
	memset(stray + 14, 0, 4);
	make(&z, names, data, lens, stored, 2);
	AMBIGUOUS(&z, "a second end of central directory record");
	/* or a ZIP64 locator 20 bytes before it */
	{
		char loc[48] = "PK\x06\x07";
		memset(loc + 4, 'x', 16);
		memcpy(loc + 20, "PK\x05\x06", 4);
		memset(loc + 24, 0xff, 18);
		data[1] = loc;
		lens[1] = 42;
		make(&z, names, data, lens, stored, 2);
		AMBIGUOUS(&z, "a second end of central directory record");
	}
	/* a signature inside the end record itself (here: its offset) */
	z = base;
	memcpy(z.b + eocd(&z) + 16, "PK\x05\x06", 4);
	AMBIGUOUS(&z, NULL);
}

/* The entries returned are where the data lie, with the central values. */
static void entries_returned(void **state)
{
	zl_entry e[4];
	size_t n = 0;
	(void)state;
	assert_int_equal(ziplayout_read(base.b, base.len, NULL, e, 4, &n, NULL, 0), ZL_OK);
	assert_true(n >= 2);
	for (size_t i = 0; i < n && i < 4; i++) {
		const unsigned char *l = base.b + (i == 0 ? 0 : e[i - 1].data + e[i - 1].csize);
		assert_memory_equal(l, "PK\x03\x04", 4);
		assert_int_equal(e[i].data,
		                 (size_t)(l - base.b) + 30 + e[i].name_len + (l[28] | l[29] << 8));
		assert_memory_equal(e[i].name, l + 30, e[i].name_len);
		assert_int_equal(e[i].method, l[8] | l[9] << 8);
		assert_int_equal(e[i].csize,
		                 l[18] | l[19] << 8 | l[20] << 16 | (uint32_t)l[21] << 24);
	}
	assert_memory_equal(base.b + e[0].data, MT, strlen(MT));
	/* fewer slots than entries: the count is still all of them */
	size_t m = 0;
	assert_int_equal(ziplayout_read(base.b, base.len, NULL, e, 1, &m, NULL, 0), ZL_OK);
	assert_int_equal(m, n);
}

/* The scan in pieces finds every signature a scan of the whole finds, also
 * across piece and block boundaries, and more than it can note sends the
 * walk back to a scan of its own. */
static void scan_pieces(void **state)
{
	static const size_t at[] = {0, 61, 62, 63, 64, 65, 127, 65533, 65534, 65535, 65536, 69996};
	static const size_t steps[] = {1, 2, 3, 4, 63, 64, 65, 65536, 1 << 20};
	const size_t len = 70000;
	unsigned char *b = malloc(len);
	zbuf z;
	(void)state;
	for (size_t k = 0; k + 1 < sizeof(at) / sizeof(at[0]); k += 2) {
		memset(b, 'x', len);
		memcpy(b + at[k], "PK\x05\x06", 4);
		memcpy(b + at[k + 1], "PK\x05\x06", 4);
		for (size_t j = 0; j < sizeof(steps) / sizeof(steps[0]); j++) {
			zl_scan sc;
			ziplayout_scan_init(&sc);
			for (size_t o = 0; o < len; o += steps[j])
				ziplayout_scan(&sc, b + o, len - o < steps[j] ? len - o : steps[j]);
			/* overlapping ones (61, 62, ...) cannot both be there */
			size_t want = at[k + 1] - at[k] >= 4 ? 2 : 1;
			if (sc.seen != len || sc.n != want || sc.overflow ||
			    sc.at[sc.n - 1] != at[k + 1])
				fail_msg("pieces of %zu, signatures at %zu and %zu: found %zu",
				         steps[j], at[k], at[k + 1], sc.n);
		}
	}
	free(b);
	/* nine stray signatures in stored data, the last one pointing into
	 * the file: the walk must still find that one */
	{
		char stray[9 * 26];
		const char *names[] = {"mimetype", "a.bin"}, *data[] = {MT, stray};
		size_t lens[] = {strlen(MT), sizeof(stray)};
		const int stored[] = {1, 1};
		for (size_t i = 0; i < 9; i++) {
			memcpy(stray + 26 * i, "PK\x05\x06", 4);
			memset(stray + 26 * i + 4, 0xff, 22);
		}
		memset(stray + 8 * 26 + 16, 0, 4);
		make(&z, names, data, lens, stored, 2);
		AMBIGUOUS(&z, "a second end of central directory record");
	}
}

/* Untrusted input: every truncation and every single flipped byte of a
 * package with a data descriptor and extra fields is walked without
 * reading outside the buffer (ASan), and no truncation passes. */
static void robustness(void **state)
{
	unsigned char ut[4 + 5] = {0x55, 0x54, 5, 0, 3};
	zbuf z = base, t;
	(void)state;
	local_extra(&z, 1, ut, sizeof(ut));
	to_descriptor(&z, 1, 1, 1, 0);
	expect(&z, ZL_OK, NULL);
	for (size_t n = 0; n < z.len; n++) {
		if (ziplayout_check(z.b, n, NULL, 0) == ZL_OK)
			fail_msg("accepted a truncation to %zu of %zu bytes", n, z.len);
		/* and the same bytes at the end of a buffer (no slack after) */
		unsigned char *tail = malloc(n ? n : 1);
		memcpy(tail, z.b + z.len - n, n);
		(void)ziplayout_check(tail, n, NULL, 0);
		free(tail);
	}
	for (size_t i = 0; i < z.len; i++)
		for (unsigned bit = 0; bit < 8; bit++) {
			char detail[64];
			t = z;
			t.b[i] ^= (unsigned char)(1u << bit);
			(void)ziplayout_check(t.b, t.len, detail, sizeof(detail));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(canonical_accepted), cmocka_unit_test(not_zip),
	        cmocka_unit_test(end_record),         cmocka_unit_test(layout),
	        cmocka_unit_test(local_headers),      cmocka_unit_test(names_and_extras),
	        cmocka_unit_test(zip64_fields),       cmocka_unit_test(descriptors),
	        cmocka_unit_test(other_end_records),  cmocka_unit_test(robustness),
	        cmocka_unit_test(entries_returned),   cmocka_unit_test(scan_pieces),
	};
	return cmocka_run_group_tests_name("ziplayout", tests, setup, teardown);
}
