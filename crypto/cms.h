/* cms.h — detached CMS SignedData (CAdES-BES profile) over the ASiC
 * manifest: create it when packing, check it when verifying. Only the
 * signature value, its algorithms and the CAdES-BES shape are checked here;
 * whether the signer is trusted, and its key good enough, is cert.h's
 * decision. */
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
	CMS_RC_NO_CERT,      /* signer certificate not included */
	CMS_RC_NOT_CADES,    /* not the CAdES-BES profile (cms_verify_detached) */
	CMS_RC_ALGORITHM,    /* digest not SHA-256; signing: key fails cert_key_check() */
	CMS_RC_BAD_SIGNATURE,
	CMS_RC_SIGN_FAILED,
} cms_rc;

/* Signs data with key (CAdES-BES: contentType id-data, messageDigest,
 * signingTime, signing-certificate-v2); includes signer and chain
 * certificates. *der is the caller's: OPENSSL_free(). */
cms_rc cms_sign_detached(const unsigned char *data, size_t len, X509 *signer, EVP_PKEY *key,
                         STACK_OF(X509) * chain, unsigned char **der, size_t *der_len);

/* Checks a detached signature over data, in this order: DER SignedData,
 * detached, the signer certificate included, the CAdES-BES profile
 * (CMS_RC_NOT_CADES: exactly one SignerInfo; eContentType id-data; signed
 * attributes with exactly one contentType = id-data, messageDigest,
 * signingTime and signing-certificate-v2 whose first ESSCertIDv2 is the
 * signer certificate; the SHA-1 signing-certificate v1 alone is not
 * enough), the signature value and messageDigest, then SHA-256. On success
 * *signer (X509_free) and *certs (all certificates in the CMS, for chain
 * building; sk_X509_pop_free(.., X509_free)) belong to the caller. On
 * failure detail says what was wrong. */
cms_rc cms_verify_detached(const unsigned char *sig, size_t sig_len, const unsigned char *data,
                           size_t len, X509 **signer, STACK_OF(X509) * *certs, char *detail,
                           size_t detail_len);

const char *cms_rc_str(cms_rc rc);

#endif
