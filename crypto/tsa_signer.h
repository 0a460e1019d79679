/* tsa_signer.h — the instance's receipt (TSA) signer as one opaque handle:
 * its certificate and key, loaded once at start and shared by every request
 * thread, so that what holds it (core/http/server.h) sees no OpenSSL type. */
#ifndef ITAKU_CRYPTO_TSA_SIGNER_H
#define ITAKU_CRYPTO_TSA_SIGNER_H

#include "crypto/tsa.h"

typedef struct tsa_signer tsa_signer;

/* Reads the certificate and the key (PEM files). *out is the caller's:
 * tsa_signer_free(). TSA_ERR_IO when either cannot be read. */
tsa_rc tsa_signer_load(const char *cert_path, const char *key_path, tsa_signer **out);

/* NULL is a no-op. */
void tsa_signer_free(tsa_signer *s);

/* tsa_stamp() with this signer (no chain): *der is the caller's,
 * OPENSSL_free(). Thread-safe. */
tsa_rc tsa_signer_stamp(const tsa_signer *s, const unsigned char sha256[32], unsigned char **der,
                        size_t *len, char *gen_time, size_t gen_time_len);

/* Frees a receipt tsa_signer_stamp() made; NULL is a no-op. */
void tsa_signer_der_free(unsigned char *der);

#endif
