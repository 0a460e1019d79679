/* zipread.c — one pass over an entry's data: CRC-32 and SHA-256 of each
 * piece while it is in the cache, a stored entry hashed where it lies in
 * the package, a deflated one inflated by zlib a piece at a time (kept
 * whole only when the caller parses it). The CRC is libdeflate's (carry-
 * less multiply where the CPU has it): zlib's cost half as much as the
 * SHA-256 it sits next to. Must not be handed an entry that
 * ziplayout_read() did not return for the same buffer: the offsets are
 * trusted here. */
#include "exchange/zipread.h"

#include "crypto/digest.h"

#include <libdeflate.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST /* next_in is const: zlib never writes the package */
#include <zlib.h>

/* the piece hashed at a time: it stays in the L2 cache between the CRC
 * and the SHA-256 */
#define PIECE (64u << 10)

struct zipread {
	unsigned char piece[PIECE]; /* inflated bytes only hashed */
	dgst_sha256_ctx *sha;       /* started, between entries */
	z_stream z;
	int z_ready; /* inflateInit2() done: inflateReset() for the next */
	uint32_t crc;
};

zipread *zipread_new(void)
{
	/* not calloc(): the piece needs no zeroing */
	zipread *r = malloc(sizeof(*r));
	if (r == NULL)
		return NULL;
	r->z_ready = 0;
	r->crc = 0;
	memset(&r->z, 0, sizeof(r->z));
	if ((r->sha = dgst_sha256_new()) == NULL) {
		free(r);
		r = NULL;
	}
	return r;
}

void zipread_free(zipread *r)
{
	if (r == NULL)
		return;
	if (r->z_ready)
		inflateEnd(&r->z);
	dgst_sha256_free(r->sha);
	free(r);
}

static int sums_add(zipread *r, const unsigned char *p, size_t n)
{
	r->crc = libdeflate_crc32(r->crc, p, n);
	return dgst_sha256_update(r->sha, p, n);
}

#define FAIL(code, ...)                                            \
	do {                                                       \
		if (detail_len > 0)                                \
			snprintf(detail, detail_len, __VA_ARGS__); \
		rc = (code);                                       \
		goto out;                                          \
	} while (0)

static zr_rc read_stored(zipread *r, const unsigned char *data, const zl_entry *e, const char *name,
                         char *detail, size_t detail_len)
{
	zr_rc rc = ZR_OK;

	/* a reader that takes the one size and one that takes the other
	 * would read different data */
	if (e->csize != e->usize)
		FAIL(ZR_CORRUPT, "%s: stored, but %llu bytes of data for %llu declared", name,
		     (unsigned long long)e->csize, (unsigned long long)e->usize);
	for (uint64_t at = 0; at < e->csize; at += PIECE) {
		uint64_t n = e->csize - at < PIECE ? e->csize - at : PIECE;
		if (sums_add(r, data + at, (size_t)n) != 0)
			FAIL(ZR_NOMEM, "out of memory");
	}
out:
	return rc;
}

/* A deflate stream must end exactly at its entry's declared compressed
 * size. libzip, unzip and Python stop at the stream's end and ignore what
 * follows, but a streaming reader (one that ignores the central directory)
 * looks for the next local header right there: slack after the stream
 * could hold an entry only it sees. Output beyond the declared size stops
 * the inflation at once (a bomb never gets further than its limit). */
static zr_rc read_deflated(zipread *r, const unsigned char *data, const zl_entry *e,
                           const char *name, unsigned char *keep, char *detail, size_t detail_len)
{
	z_stream *z = &r->z;
	uint64_t in_left = e->csize;
	zr_rc rc = ZR_CORRUPT;
	int zr = Z_OK;

	if (r->z_ready ? inflateReset(z) != Z_OK : inflateInit2(z, -MAX_WBITS) != Z_OK)
		FAIL(ZR_NOMEM, "out of memory");
	r->z_ready = 1;
	z->next_in = data;
	z->avail_in = 0;
	while (zr == Z_OK) {
		unsigned char *at = keep ? keep + z->total_out : r->piece;
		uint64_t room = keep ? e->usize + 1 - z->total_out : PIECE;
		if (z->avail_in == 0 && in_left > 0) {
			z->avail_in = in_left < UINT_MAX ? (uInt)in_left : UINT_MAX;
			in_left -= z->avail_in;
		}
		z->next_out = at;
		z->avail_out = room < UINT_MAX ? (uInt)room : UINT_MAX;
		zr = inflate(z, Z_NO_FLUSH);
		if (z->total_out > e->usize)
			FAIL(ZR_CORRUPT, "%s: more data than its declared size", name);
		if (sums_add(r, at, (size_t)(z->next_out - at)) != 0)
			FAIL(ZR_NOMEM, "out of memory");
		if (zr == Z_BUF_ERROR && (z->avail_in > 0 || in_left > 0))
			zr = Z_OK; /* the output was full; go on */
	}
	if (zr == Z_MEM_ERROR)
		FAIL(ZR_NOMEM, "out of memory");
	if (zr != Z_STREAM_END)
		FAIL(ZR_CORRUPT, "%s: deflate data is damaged", name);
	if (z->total_out != e->usize)
		FAIL(ZR_CORRUPT, "%s: data is damaged (%llu bytes, not the %llu declared)", name,
		     (unsigned long long)z->total_out, (unsigned long long)e->usize);
	if (z->avail_in > 0 || in_left > 0)
		FAIL(ZR_AMBIGUOUS, "%s: its deflate data ends %llu bytes before its declared size",
		     name, (unsigned long long)(in_left + z->avail_in));
	rc = ZR_OK;
out:
	return rc;
}

zr_rc zipread_entry(zipread *r, const unsigned char *buf, const zl_entry *e, const char *name,
                    int keep, unsigned char sha256[32], const unsigned char **data,
                    unsigned char **owned, char *detail, size_t detail_len)
{
	const unsigned char *at = buf + e->data;
	unsigned char *copy = NULL;
	zr_rc rc = ZR_NOMEM;

	*data = NULL;
	*owned = NULL;
	r->crc = 0;
	if (e->method == 0) {
		rc = read_stored(r, at, e, name, detail, detail_len);
	} else {
		if (keep && (copy = malloc(e->usize + 1)) == NULL)
			FAIL(ZR_NOMEM, "out of memory");
		rc = read_deflated(r, at, e, name, copy, detail, detail_len);
	}
	/* finished either way: the context starts the next entry afresh */
	if (dgst_sha256_next(r->sha, sha256) != 0 && rc == ZR_OK)
		FAIL(ZR_NOMEM, "out of memory");
	if (rc != ZR_OK)
		goto out;
	/* as `unzip -t` does: data that do not match their CRC are damaged,
	 * whatever else reads them */
	if (r->crc != e->crc)
		FAIL(ZR_CORRUPT, "%s: data is damaged (CRC %08x, the directory says %08x)", name,
		     (unsigned)r->crc, (unsigned)e->crc);
	if (!keep)
		goto out;
	*data = copy != NULL ? copy : at;
	*owned = copy;
	copy = NULL;
out:
	free(copy);
	return rc;
}
