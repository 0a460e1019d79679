/* tsa.h — receipts: RFC 3161 time-stamp responses over a package's SHA-256,
 * signed by the instance's receipt (TSA) key, and their verification. The
 * response is what `openssl ts -verify -data PKG -in R -CAfile CA` checks. */
#ifndef ITAKU_CRYPTO_TSA_H
#define ITAKU_CRYPTO_TSA_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

/* itaku's receipt policy: a UUID-based OID (ITU-T X.667), no registry needed */
#define TSA_POLICY_OID "2.25.230318770384562342961407016263066584612"

typedef enum {
	TSA_OK = 0,
	TSA_ERR_NOMEM,
	TSA_ERR_SIGN,   /* the response could not be made */
	TSA_ERR_PARSE,  /* not a TimeStampResp */
	TSA_ERR_VERIFY, /* signature, chain, policy or imprint do not verify */
	TSA_ERR_IO,
} tsa_rc;

/* Stamps a SHA-256 digest. *der (caller frees with OPENSSL_free) is a DER
 * TimeStampResp whose token includes the TSA certificate and chain;
 * gen_time receives genTime as "YYYY-MM-DDTHH:MM:SSZ" (at least 21 bytes). */
tsa_rc tsa_stamp(X509 *cert, EVP_PKEY *key, STACK_OF(X509) * chain, const unsigned char sha256[32],
                 unsigned char **der, size_t *len, char *gen_time, size_t gen_time_len);

/* Verifies a DER TimeStampResp against data and the CA file: granted,
 * signed by a certificate with timeStamping usage that chains to ca_file,
 * imprint = SHA-256(data). detail receives the reason on failure. */
tsa_rc tsa_verify(const unsigned char *resp, size_t resp_len, const unsigned char *data,
                  size_t data_len, const char *ca_file, char *detail, size_t detail_len);

#endif
