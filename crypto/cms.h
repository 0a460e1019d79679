/* cms.h — detached CMS SignedData (CAdES-BES profile) over the ASiC
 * manifest: create it when packing, check it when verifying. Only the
 * signature value and algorithms are checked here; whether the signer is
 * trusted is cert.h's decision. */
#ifndef ITAKU_CRYPTO_CMS_H
#define ITAKU_CRYPTO_CMS_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

typedef enum {
	CMS_RC_OK = 0,
	CMS_RC_NOMEM,
	CMS_RC_PARSE,        /* not DER CMS SignedData */
	CMS_RC_NOT_DETACHED, /* content embedded; ASiC wants detached */
	CMS_RC_SIGNERS,      /* not exactly one signer */
	CMS_RC_NO_CERT,      /* signer certificate not included */
	CMS_RC_ALGORITHM,    /* digest not SHA-256, or key not P-256 / RSA >= 2048 */
	CMS_RC_BAD_SIGNATURE,
	CMS_RC_SIGN_FAILED,
} cms_rc;

/* Signs data with key; includes signer and chain certificates and the
 * signing-certificate-v2 attribute. *der is the caller's: OPENSSL_free(). */
cms_rc cms_sign_detached(const unsigned char *data, size_t len, X509 *signer, EVP_PKEY *key,
                         STACK_OF(X509) * chain, unsigned char **der, size_t *der_len);

/* Checks the signature over data. On success *signer (X509_free) and
 * *certs (all certificates in the CMS, for chain building;
 * sk_X509_pop_free(.., X509_free)) belong to the caller. */
cms_rc cms_verify_detached(const unsigned char *sig, size_t sig_len, const unsigned char *data,
                           size_t len, X509 **signer, STACK_OF(X509) * *certs);

/* Accepted key types: ECDSA P-256, RSA >= 2048 bits. */
int cms_key_acceptable(EVP_PKEY *key);

const char *cms_rc_str(cms_rc rc);

#endif
