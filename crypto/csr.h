/* csr.h — certificate signing requests from enrolling subcontractors:
 * untrusted PEM in, a checked request out (its self-signature verifies,
 * its key is one the server accepts, its subject names the invited
 * organisation). */
#ifndef ITAKU_CRYPTO_CSR_H
#define ITAKU_CRYPTO_CSR_H

#include <openssl/x509.h>
#include <stddef.h>

typedef enum {
	CSR_OK = 0,
	CSR_ERR_PARSE,     /* not one PEM CERTIFICATE REQUEST */
	CSR_ERR_SIGNATURE, /* the self-signature does not verify: altered after signing */
	CSR_ERR_KEY,       /* fails the key rule, cert_key_check() */
	CSR_ERR_SUBJECT,   /* subject serialNumber is not the expected organisation */
	CSR_ERR_NOMEM,
} csr_rc;

/* Parses and checks a PEM request (at most CSR_MAX bytes) whose subject
 * must carry serialNumber=org. *out is the caller's: X509_REQ_free(). detail
 * says what was found on CSR_ERR_SUBJECT/CSR_ERR_KEY. */
#define CSR_MAX 16384
csr_rc csr_check(const char *pem, size_t len, const char *org, X509_REQ **out, char *detail,
                 size_t detail_len);

const char *csr_rc_str(csr_rc rc);

#endif
