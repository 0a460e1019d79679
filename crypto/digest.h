/* digest.h — SHA-256 and the text encodings (hex, base64) used for digests
 * in manifests, certificate fingerprints and the package store. */
#ifndef ITAKU_CRYPTO_DIGEST_H
#define ITAKU_CRYPTO_DIGEST_H

#include <stddef.h>

#define DGST_SHA256_LEN 32
#define DGST_SHA256_HEX (2 * DGST_SHA256_LEN + 1)

void dgst_sha256(const void *data, size_t len, unsigned char out[DGST_SHA256_LEN]);

/* SHA-256 over data that arrives in pieces (a file, a ZIP entry). The
 * context is the caller's: dgst_sha256_final[_hex]() frees it, and
 * dgst_sha256_free() frees one not finished (NULL is a no-op). */
typedef struct dgst_sha256_ctx dgst_sha256_ctx;
dgst_sha256_ctx *dgst_sha256_new(void); /* NULL when out of memory */
int dgst_sha256_update(dgst_sha256_ctx *c, const void *data, size_t len);      /* 0 ok, -1 */
int dgst_sha256_final_hex(dgst_sha256_ctx *c, char out[DGST_SHA256_HEX]);      /* 0 ok, -1 */
int dgst_sha256_final(dgst_sha256_ctx *c, unsigned char out[DGST_SHA256_LEN]); /* frees c too */
/* The digest so far into out, and c started over for the next one (still
 * the caller's): one context for many digests. 0 ok, -1 (out zeroed). */
int dgst_sha256_next(dgst_sha256_ctx *c, unsigned char out[DGST_SHA256_LEN]);
void dgst_sha256_free(dgst_sha256_ctx *c);

/* SHA-256 of the file at path, read 64 KiB at a time, as hex, and its
 * length in *size. Returns 0, or -1 when the file cannot be read. */
int dgst_sha256_file(const char *path, char out[DGST_SHA256_HEX], long long *size);

/* Lower-case hex of in[0..len); out must hold 2*len+1 bytes. */
void dgst_hex(const unsigned char *in, size_t len, char *out);

void dgst_sha256_hex(const void *data, size_t len, char out[DGST_SHA256_HEX]);

/* Base64 without line breaks. Returns a malloc'd string the caller frees,
 * NULL when out of memory. */
char *dgst_b64_encode(const unsigned char *in, size_t len);

/* Base64 of in[0..len) without line breaks into out, which holds
 * 4 * ((len + 2) / 3) + 1 bytes; returns the characters written (the NUL
 * not counted). For callers that cut lines themselves (MIME). */
size_t dgst_b64_block(char *out, const unsigned char *in, size_t len);

/* Strict base64 decode (ASCII white space ignored, padding required).
 * Returns the decoded length, or -1 when the input is not base64 or does not
 * fit in cap bytes. */
long dgst_b64_decode(const char *in, unsigned char *out, size_t cap);

#endif
