/* fuzz_util.c — helpers of the fuzz targets (see fuzz_util.h). Also
 * defines MHD_lookup_connection_value(): the executable's definition wins
 * over libmicrohttpd's, so http_query() reads a fz_query instead of a live
 * connection. No target starts a daemon, so nothing else of libmicrohttpd
 * is affected. */
#include "fuzz_util.h"

#include "core/util/file.h"
#include "crypto/ca.h"

#include <ftw.h>
#include <limits.h>
#include <microhttpd.h>
#include <sanitizer/common_interface_defs.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

void fz_fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n = snprintf(msg, sizeof(msg), "fuzz invariant failed: ");
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	/* to the sanitizers' report fd: libFuzzer's -close_fd_mask=2 closes
	 * stderr but keeps that one */
	__sanitizer_report_error_summary(msg);
	abort();
}

static char tmpdirs[8][PATH_MAX];
static int ntmpdirs;

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_tmpdirs(void)
{
	for (int i = 0; i < ntmpdirs; i++)
		nftw(tmpdirs[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fz_tmpdir(const char *tag)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	if (ntmpdirs == (int)(sizeof(tmpdirs) / sizeof(tmpdirs[0])))
		fz_fail("too many temporary directories");
	dir = tmpdirs[ntmpdirs];
	snprintf(dir, PATH_MAX, "%s/itaku-fuzz-%s.XXXXXX", base && base[0] ? base : "/tmp", tag);
	if (mkdtemp(dir) == NULL)
		fz_fail("mkdtemp %s", dir);
	if (ntmpdirs++ == 0)
		atexit(rm_tmpdirs);
	return dir;
}

void fz_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		fz_fail("cannot write %s", path);
}

unsigned char *fz_read(const char *path, size_t *len)
{
	unsigned char *buf = NULL;

	/* fixtures and packages of the tree: a few MiB at most */
	if (file_read(path, (size_t)64 << 20, &buf, len) != FILE_OK)
		return NULL;
	return buf;
}

void fz_src(char *buf, size_t len, const char *rel)
{
	const char *env = getenv("ITAKU_SRC");
	char exe[PATH_MAX];
	ssize_t n;

	if (env != NULL && env[0] != '\0') {
		snprintf(buf, len, "%s/%s", env, rel);
		return;
	}
	/* <src>/build/fuzz/bin/fuzz_x: three levels up */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		fz_fail("cannot find the source tree: set ITAKU_SRC");
	exe[n] = '\0';
	for (int i = 0; i < 4; i++) {
		char *slash = strrchr(exe, '/');
		if (slash == NULL)
			fz_fail("cannot find the source tree: set ITAKU_SRC");
		*slash = '\0';
	}
	snprintf(buf, len, "%s/%s", exe, rel);
}

const fz_pki *fz_pki_get(void)
{
	static fz_pki pki;
	static int loaded;
	char path[PATH_MAX];

	if (loaded)
		return &pki;
	fz_src(pki.ca_path, sizeof(pki.ca_path), "tests/fuzz/pki/ca.crt");
	if (cert_trust_load(pki.ca_path, NULL, &pki.trust) != CERT_OK)
		fz_fail("cannot load %s", pki.ca_path);
	fz_src(path, sizeof(path), "tests/fuzz/pki/signer.crt");
	if (ca_read_cert(path, &pki.signer) != CA_OK)
		fz_fail("cannot load %s", path);
	fz_src(path, sizeof(path), "tests/fuzz/pki/signer.key");
	if (ca_read_key(path, &pki.key) != CA_OK)
		fz_fail("cannot load %s", path);
	loaded = 1;
	return &pki;
}

const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                        const char *key)
{
	static char value[256];
	const fz_query *q = (const fz_query *)(void *)connection;
	size_t klen = strlen(key);
	const char *p;

	if (q == NULL || q->qs == NULL || kind != MHD_GET_ARGUMENT_KIND)
		return NULL;
	for (p = q->qs; *p != '\0';) {
		size_t n = strcspn(p, "&");
		if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t vlen = n - klen - 1;
			if (vlen >= sizeof(value))
				vlen = sizeof(value) - 1;
			memcpy(value, p + klen + 1, vlen);
			value[vlen] = '\0';
			return value;
		}
		p += n;
		if (*p == '&')
			p++;
	}
	return NULL;
}

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

void fz_zip_fix_crc(unsigned char *data, size_t size)
{
	size_t eocd = size, cd, n;

	if (size < 22)
		return;
	for (size_t i = size - 22 + 1; i-- > 0;)
		if (memcmp(data + i, "PK\x05\x06", 4) == 0) {
			eocd = i;
			break;
		}
	if (eocd == size)
		return;
	cd = get32(data + eocd + 16);
	n = get16(data + eocd + 10);
	for (size_t k = 0; k < n && cd + 46 <= eocd && memcmp(data + cd, "PK\x01\x02", 4) == 0;
	     k++) {
		size_t lh = get32(data + cd + 42), csize = get32(data + cd + 20), start;
		if (get16(data + cd + 10) == 0 && lh + 30 <= size &&
		    memcmp(data + lh, "PK\x03\x04", 4) == 0) {
			start = lh + 30 + get16(data + lh + 26) + get16(data + lh + 28);
			if (start <= size && csize <= size - start) {
				uint32_t crc = (uint32_t)crc32(0L, data + start, (uInt)csize);
				put32(data + cd + 16, crc);
				put32(data + lh + 14, crc);
			}
		}
		cd += 46 + get16(data + cd + 28) + get16(data + cd + 30) + get16(data + cd + 32);
	}
}
