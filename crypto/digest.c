/* digest.c — SHA-256 and its hex/base64 encodings. One place so that every
 * digest the project writes (manifest, store, fingerprints) is spelled the
 * same way. */
#include "crypto/digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* SHA-256 fetched once: EVP_sha256() makes OpenSSL 3 look the
 * implementation up again on every digest started (a lock and a search;
 * 2 % of verifying a small package went there). NULL only when OpenSSL
 * has none, and then every digest fails as it would have. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA2-256", NULL);
}

static const EVP_MD *sha256(void)
{
	pthread_once(&sha256_once, fetch_sha256);
	return sha256_md != NULL ? sha256_md : EVP_sha256();
}

void dgst_sha256(const void *data, size_t len, unsigned char out[DGST_SHA256_LEN])
{
	unsigned int n = 0;
	/* EVP_Digest cannot fail for SHA-256 short of memory exhaustion inside
	 * OpenSSL; zero the output so a failure never looks like a digest. */
	if (EVP_Digest(data, len, out, &n, sha256(), NULL) != 1 || n != DGST_SHA256_LEN)
		memset(out, 0, DGST_SHA256_LEN);
}

void dgst_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

void dgst_sha256_hex(const void *data, size_t len, char out[DGST_SHA256_HEX])
{
	unsigned char md[DGST_SHA256_LEN];
	dgst_sha256(data, len, md);
	dgst_hex(md, sizeof(md), out);
}

/* the context is OpenSSL's digest context under our own name */
struct dgst_sha256_ctx {
	EVP_MD_CTX *md;
};

dgst_sha256_ctx *dgst_sha256_new(void)
{
	dgst_sha256_ctx *c = malloc(sizeof(*c));
	if (c == NULL)
		return NULL;
	if ((c->md = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(c->md, sha256(), NULL) != 1) {
		dgst_sha256_free(c);
		return NULL;
	}
	return c;
}

int dgst_sha256_update(dgst_sha256_ctx *c, const void *data, size_t len)
{
	return EVP_DigestUpdate(c->md, data, len) == 1 ? 0 : -1;
}

int dgst_sha256_next(dgst_sha256_ctx *c, unsigned char out[DGST_SHA256_LEN])
{
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(c->md, out, &n) != 1 || n != DGST_SHA256_LEN ||
	    EVP_DigestInit_ex(c->md, sha256(), NULL) != 1) {
		memset(out, 0, DGST_SHA256_LEN);
		return -1;
	}
	return 0;
}

int dgst_sha256_final(dgst_sha256_ctx *c, unsigned char out[DGST_SHA256_LEN])
{
	unsigned int n = 0;
	int ok = EVP_DigestFinal_ex(c->md, out, &n) == 1 && n == DGST_SHA256_LEN;
	dgst_sha256_free(c);
	if (!ok) {
		memset(out, 0, DGST_SHA256_LEN);
		return -1;
	}
	return 0;
}

int dgst_sha256_final_hex(dgst_sha256_ctx *c, char out[DGST_SHA256_HEX])
{
	unsigned char md[DGST_SHA256_LEN];
	if (dgst_sha256_final(c, md) != 0) {
		out[0] = '\0';
		return -1;
	}
	dgst_hex(md, sizeof(md), out);
	return 0;
}

void dgst_sha256_free(dgst_sha256_ctx *c)
{
	if (c == NULL)
		return;
	EVP_MD_CTX_free(c->md);
	free(c);
}

int dgst_sha256_file(const char *path, char out[DGST_SHA256_HEX], long long *size)
{
	static const size_t chunk = (size_t)64 * 1024;
	unsigned char *buf = malloc(chunk);
	dgst_sha256_ctx *c = dgst_sha256_new();
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;
	ssize_t n;

	*size = 0;
	if (buf == NULL || c == NULL || fd < 0)
		goto out;
	while ((n = read(fd, buf, chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || dgst_sha256_update(c, buf, (size_t)n) != 0)
			goto out;
		*size += n;
	}
	rc = dgst_sha256_final_hex(c, out);
	c = NULL;
out:
	dgst_sha256_free(c);
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

char *dgst_b64_encode(const unsigned char *in, size_t len)
{
	if (len > (size_t)1 << 30)
		return NULL;
	char *out = malloc(4 * ((len + 2) / 3) + 1);
	if (out == NULL)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return out;
}

size_t dgst_b64_block(char *out, const unsigned char *in, size_t len)
{
	return (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long dgst_b64_decode(const char *in, unsigned char *out, size_t cap)
{
	unsigned int acc = 0;
	int bits = 0, pad = 0;
	size_t n = 0, chars = 0;

	for (const char *p = in; *p != '\0'; p++) {
		char c = *p;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		chars++;
		if (c == '=') {
			pad++;
			continue;
		}
		int v = b64_value(c);
		if (v < 0 || pad > 0)
			return -1; /* bad character, or data after padding */
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (chars % 4 != 0 || pad > 2 || acc != 0)
		return -1;
	return (long)n;
}
