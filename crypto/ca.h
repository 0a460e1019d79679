/* ca.h — the small CA an instance uses to onboard vendors: key generation,
 * certificate issuing for the CA itself, the server and clients, and PEM
 * files on disk. */
#ifndef ITAKU_CRYPTO_CA_H
#define ITAKU_CRYPTO_CA_H

#include <openssl/evp.h>
#include <openssl/x509.h>

typedef enum {
	CA_OK = 0,
	CA_ERR_NOMEM,
	CA_ERR_IO,
	CA_ERR_PARSE,
	CA_ERR_CRYPTO,
	CA_ERR_ARG,
} ca_rc;

typedef enum { CA_KEY_EC_P256, CA_KEY_RSA_2048 } ca_key_type;

typedef enum {
	CA_PROFILE_ROOT,   /* self-signed CA */
	CA_PROFILE_SERVER, /* TLS server for localhost */
	CA_PROFILE_CLIENT, /* respondent/admin: TLS client auth and signing */
	CA_PROFILE_TSA,    /* the instance's receipt (RFC 3161) signer */
} ca_profile;

typedef struct ca_subject {
	const char *cn;
	const char *org;    /* may be NULL */
	const char *serial; /* serialNumber attribute (organisation id); may be NULL */
} ca_subject;

/* *out is the caller's: EVP_PKEY_free(). */
ca_rc ca_keygen(ca_key_type type, EVP_PKEY **out);

/* Issues a certificate for subject_key. With issuer == NULL the certificate
 * is self-signed by issuer_key (== subject_key). not_before_offset shifts the
 * start of validity (seconds, may be negative); days is the lifetime.
 * *out is the caller's: X509_free(). */
ca_rc ca_issue(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *subject_key, const ca_subject *subject,
               ca_profile profile, long not_before_offset, int days, X509 **out);

/* Private keys are written PKCS#8 PEM, mode 0600; certificates PEM. Both
 * create the file (O_EXCL, no symbolic link followed): an existing path is
 * CA_ERR_IO, nothing is ever overwritten. */
ca_rc ca_write_key(const char *path, EVP_PKEY *key);
ca_rc ca_write_cert(const char *path, X509 *x);
/* A PKCS#12 file for a browser or a mail client: key, certificate and the
 * CA (may be NULL), protected by passphrase with OpenSSL 3's defaults
 * (AES-256-CBC, PBKDF2, SHA-256 MAC), which browsers and the portal read.
 * Created new (O_EXCL), mode 0600: an existing file is CA_ERR_IO. */
ca_rc ca_write_p12(const char *path, EVP_PKEY *key, X509 *cert, X509 *ca, const char *passphrase,
                   const char *name);

/* Caller owns the results. */
ca_rc ca_read_key(const char *path, EVP_PKEY **out);
ca_rc ca_read_cert(const char *path, X509 **out);
/* Reads every certificate of a PEM file (intermediates, or a full chain)
 * but leaf (may be NULL); CA_ERR_PARSE when it holds none. *out is the
 * caller's: sk_X509_pop_free(.., X509_free). */
ca_rc ca_read_chain(const char *path, const X509 *leaf, STACK_OF(X509) * *out);

const char *ca_rc_str(ca_rc rc);

/* The PEM text of a certificate (malloc'd, the caller's), NULL when out
 * of memory. */
char *ca_cert_pem(X509 *x);

#endif
