/* fuzz_util.h — what the libFuzzer targets of tests/fuzz/ share: temporary
 * directories removed at exit, whole-file reads and writes, the fixed test
 * PKI of tests/fuzz/pki/ (seed packages are signed by its signer, so the
 * package target gets past the signature step), and a stand-in for the one
 * libmicrohttpd call the handlers make (query arguments). Nothing here
 * decides what a target checks. */
#ifndef ITAKU_FUZZ_UTIL_H
#define ITAKU_FUZZ_UTIL_H

#include "crypto/cert.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>
#include <stdint.h>

/* A fresh directory under $TMPDIR (default /tmp), removed with everything
 * in it when the process exits. The path is static; aborts on failure. */
const char *fz_tmpdir(const char *tag);

/* Writes len bytes to path (replacing it); aborts on failure. */
void fz_write(const char *path, const void *data, size_t len);

/* The whole file, NUL-terminated (not counted in *len); the caller
 * free()s. NULL when it cannot be read. */
unsigned char *fz_read(const char *path, size_t *len);

/* path relative to the source tree (found from the binary's location,
 * build/fuzz/bin/, or $ITAKU_SRC) into buf. */
void fz_src(char *buf, size_t len, const char *rel);

/* The test PKI of tests/fuzz/pki/: the CA as a trust store, the signer's
 * certificate and key. Loaded once, kept for the process; aborts when the
 * files are missing. */
typedef struct fz_pki {
	cert_trust *trust;
	X509 *signer;
	EVP_PKEY *key;
	char ca_path[4096];
} fz_pki;
const fz_pki *fz_pki_get(void);

/* The query string http_query() sees for a request whose conn is a
 * fz_query (a "k=v&k=v" string, not decoded). */
typedef struct fz_query {
	const char *qs;
} fz_query;

/* For custom mutators: recomputes the CRC-32 of every stored entry of a
 * ZIP in place (central and local header), so that a mutation of a stored
 * entry's bytes reaches what reads them instead of stopping at libzip's
 * CRC check. Leaves whatever it cannot walk as it is. */
void fz_zip_fix_crc(unsigned char *data, size_t size);

/* The custom mutator of the ZIP targets (only theirs: in fuzz_util.c it
 * would rewrite every target's inputs): libFuzzer's mutations, and on
 * every other one the stored entries' CRCs made right again, so that
 * mutations reach past libzip's CRC check. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed);
#define FZ_ZIP_MUTATOR                                                                            \
	size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed) \
	{                                                                                         \
		size = LLVMFuzzerMutate(data, size, max);                                         \
		if (seed & 1)                                                                     \
			fz_zip_fix_crc(data, size);                                               \
		return size;                                                                      \
	}

/* libFuzzer's entry points, which each target defines (declared here for
 * -Wmissing-prototypes: libFuzzer has no header of its own for them) */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a message: the invariant a target checks did not hold. */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
