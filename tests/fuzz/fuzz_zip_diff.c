/* fuzz_zip_diff.c — differential: for every input that the package
 * reader's ZIP stage accepts (pkg_read_container(): the same code as
 * pkg_verify()'s steps 1-2: ziplayout.c and zipread.c), a second, independent ZIP
 * reader, minizip, must list the same entries in the same order with the
 * same bytes. A difference means that what itaku verifies is not what
 * another tool extracts: abort() with both views on stderr.
 *
 * ITAKU_FUZZ_KNOWN=layout skips differences in inputs whose layout is not
 * strict (more than one end-of-central-directory record, bytes between the
 * central directory and that record, or after its comment): known issues
 * that the strict layout check (zip_ambiguous) fixes, landing separately;
 * their reproducers are in tests/fuzz/pending/zip_diff/. The check here is
 * the harness's own, only to keep fuzzing past them. Without the variable
 * every difference aborts. */
#include "exchange/package.h"
#include "exchange/package_internal.h"
#include "fuzz_util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

static pkg_limits limits;
static int skip_layout;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *known = getenv("ITAKU_FUZZ_KNOWN");
	(void)argc;
	(void)argv;
	pkg_limits_default(&limits);
	limits.max_bytes = 1u << 20;
	limits.max_entry = 8u << 20;
	limits.max_total = 16u << 20;
	skip_layout = known != NULL && strstr(known, "layout") != NULL;
	return 0;
}

/* minizip reads the input from memory through these */
typedef struct mem {
	const uint8_t *p;
	size_t len, pos;
} mem;

static voidpf m_open(voidpf opaque, const void *name, int mode)
{
	(void)name;
	(void)mode;
	((mem *)opaque)->pos = 0;
	return opaque;
}

static uLong m_read(voidpf opaque, voidpf s, void *buf, uLong size)
{
	mem *m = opaque;
	size_t n = m->len - m->pos < size ? m->len - m->pos : size;
	(void)s;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (uLong)n;
}

static uLong m_write(voidpf opaque, voidpf s, const void *buf, uLong size)
{
	(void)opaque;
	(void)s;
	(void)buf;
	(void)size;
	return 0;
}

static ZPOS64_T m_tell(voidpf opaque, voidpf s)
{
	(void)s;
	return ((mem *)opaque)->pos;
}

static long m_seek(voidpf opaque, voidpf s, ZPOS64_T off, int origin)
{
	mem *m = opaque;
	ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
	                : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos
	                                                   : m->len;
	(void)s;
	if (off > m->len || base + off > m->len)
		return -1;
	m->pos = (size_t)(base + off);
	return 0;
}

static int m_close(voidpf opaque, voidpf s)
{
	(void)opaque;
	(void)s;
	return 0;
}

static int m_error(voidpf opaque, voidpf s)
{
	(void)opaque;
	(void)s;
	return 0;
}

static unsigned le16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

/* Not one EOCD record whose comment ends the file and whose central
 * directory ends where it begins (ZIP64: the harness does not look). */
static int layout_loose(const uint8_t *data, size_t size)
{
	size_t eocd = 0;
	int n = 0;

	for (size_t i = 0; i + 22 <= size; i++)
		if (memcmp(data + i, "PK\x05\x06", 4) == 0) {
			eocd = i;
			n++;
		}
	if (n != 1 || eocd + 22 + le16(data + eocd + 20) != size)
		return 1;
	if (eocd >= 20 && memcmp(data + eocd - 20, "PK\x06\x07", 4) == 0)
		return 0;
	return (uint64_t)le32(data + eocd + 16) + le32(data + eocd + 12) != eocd;
}

static const uint8_t *cur_data;
static size_t cur_size;

__attribute__((format(printf, 1, 2))) static void differ(const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	if (skip_layout && layout_loose(cur_data, cur_size))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fz_fail("zip_diff: itaku (the package reader) and minizip differ: %s", msg);
}

#define DIFFER(...)                  \
	do {                         \
		differ(__VA_ARGS__); \
		return;              \
	} while (0)

/* The current minizip entry's bytes, at most max + 1 (to see a longer
 * one); -1 when minizip cannot read it. */
static long read_current(unzFile uf, unsigned char *buf, size_t max)
{
	size_t n = 0;
	int r;

	if (unzOpenCurrentFile(uf) != UNZ_OK)
		return -1;
	while (n < max + 1 && (r = unzReadCurrentFile(uf, buf + n, (unsigned)(max + 1 - n))) > 0)
		n += (size_t)r;
	if (r < 0) {
		unzCloseCurrentFile(uf);
		return -1;
	}
	/* UNZ_CRCERROR when the bytes do not match the declared CRC */
	if (unzCloseCurrentFile(uf) != UNZ_OK && n <= max)
		return -1;
	return (long)n;
}

static void compare(const pkg *p, unzFile uf)
{
	size_t n = pkg_entry_count(p), i = 0;
	char name[65536 + 1];
	unz_global_info64 gi;
	int r;

	if (unzGetGlobalInfo64(uf, &gi) != UNZ_OK)
		DIFFER("minizip cannot read the end of central directory record");
	/* minizip reads a first record even when the directory is empty */
	if (gi.number_entry == 0) {
		if (n != 0)
			DIFFER("minizip lists no entries, itaku %zu", n);
		return;
	}
	for (r = unzGoToFirstFile(uf); r == UNZ_OK; r = unzGoToNextFile(uf), i++) {
		unz_file_info64 info;
		const unsigned char *want;
		size_t want_len;
		const char *want_name;
		unsigned char *got;
		long got_len;

		if (unzGetCurrentFileInfo64(uf, &info, name, sizeof(name), NULL, 0, NULL, 0) !=
		    UNZ_OK)
			DIFFER("minizip cannot read entry %zu's record", i);
		if (i >= n)
			DIFFER("minizip lists more entries (%zu+) than itaku (%zu)", i + 1, n);
		want_name = pkg_entry_at(p, i, &want, &want_len);
		if (strlen(name) != info.size_filename || strcmp(name, want_name) != 0)
			DIFFER("entry %zu: \"%.200s\" vs \"%.200s\"", i, want_name, name);
		if ((got = malloc(want_len + 2)) == NULL)
			return;
		got_len = read_current(uf, got, want_len);
		if (got_len < 0 || (size_t)got_len != want_len ||
		    (want_len > 0 && memcmp(got, want, want_len) != 0)) {
			free(got);
			DIFFER("entry %zu \"%.200s\": %zu bytes vs %ld%s", i, want_name, want_len,
			       got_len, got_len < 0 ? " (unreadable)" : "");
		}
		free(got);
	}
	if (r != UNZ_END_OF_LIST_OF_FILE)
		DIFFER("minizip stops at entry %zu (%d)", i, r);
	if (i != n)
		DIFFER("minizip lists %zu entries, itaku %zu", i, n);
}

FZ_ZIP_MUTATOR

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mem m = {data, size, 0};
	zlib_filefunc64_def io = {m_open, m_read, m_write, m_tell, m_seek, m_close, m_error, &m};
	char detail[256];
	pkg *p = NULL;
	unzFile uf;

	if (pkg_read_container(data, size, &limits, &p, detail, sizeof(detail)) != PKG_OK)
		return 0;
	/* an empty archive: the package reader refuses it at the next step
	 * (mimetype_missing), so no reader's view of it matters (minizip
	 * refuses to open one, found by the smoke run) */
	if (pkg_entry_count(p) == 0) {
		pkg_free(p);
		return 0;
	}
	cur_data = data;
	cur_size = size;
	if ((uf = unzOpen2_64("mem", &io)) == NULL)
		differ("minizip cannot open what itaku accepted (%zu entries)", pkg_entry_count(p));
	else
		compare(p, uf);
	if (uf != NULL)
		unzClose(uf);
	pkg_free(p);
	return 0;
}
