/* cert.h — certificate policy: the one place that decides whether a
 * certificate is trusted (chain to a configured CA, validity dates, key
 * usage for the job at hand, CRL) and whether its key is one itaku accepts
 * (the key rule). The TLS handshake is never trusted; every peer, signer,
 * bound and enrolled certificate or key comes through here. */
#ifndef ITAKU_CRYPTO_CERT_H
#define ITAKU_CRYPTO_CERT_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

typedef enum {
	CERT_OK = 0,
	CERT_ERR_NOMEM,
	CERT_ERR_IO,        /* a CA or CRL file could not be read */
	CERT_ERR_PARSE,     /* not a certificate */
	CERT_ERR_UNTRUSTED, /* does not chain to a configured CA */
	CERT_ERR_EXPIRED,
	CERT_ERR_NOT_YET_VALID,
	CERT_ERR_REVOKED,
	CERT_ERR_USAGE,      /* key usage / extended key usage does not allow it, or CA:TRUE */
	CERT_ERR_CRL,        /* CRL checking is on and no valid CRL covers it */
	CERT_ERR_WEAK_KEY,   /* the key fails the key rule (cert_key_check) */
	CERT_ERR_CRL_STALE,  /* the issuer's CRL is past its nextUpdate: the server's to renew */
	CERT_ERR_CRL_ISSUER, /* a CRL of the file is not signed by a CA of the CA file */
} cert_rc;

typedef enum {
	CERT_USE_TLS_CLIENT, /* TLS client authentication (clientAuth) */
	CERT_USE_SIGNING,    /* signing packages; same policy as `openssl cms -verify` */
} cert_use;

typedef struct cert_trust cert_trust;

/* Loads every certificate in ca_file as a trust anchor and, when crl_file is
 * not NULL or empty, every CRL in it (CRL checking is then required for the
 * leaf). *out is owned by the caller: cert_trust_free(). */
cert_rc cert_trust_load(const char *ca_file, const char *crl_file, cert_trust **out);
void cert_trust_free(cert_trust *t);

/* The earliest nextUpdate of the CRLs t holds (seconds since the epoch),
 * or 0 when it holds none: after that moment every certificate of that
 * issuer is CERT_ERR_CRL_STALE until a fresh CRL is loaded. */
long long cert_trust_crl_next_update(const cert_trust *t);

/* The latest thisUpdate of the CRLs t holds, 0 when it holds none. */
long long cert_trust_crl_this_update(const cert_trust *t);

/* 1 when now would go back on before for some CA: its CRL is older
 * (*was and *is: the two thisUpdates), or gone while the CA stays (*is
 * 0). Every CRL loaded was signed by a CA of its file (CERT_ERR_CRL_ISSUER
 * otherwise), so a list of an unknown issuer cannot mask another's. */
int cert_trust_crl_older(const cert_trust *now, const cert_trust *before, long long *was,
                         long long *is);

/* Verifies leaf for the given use. untrusted may hold intermediates (or be
 * NULL). After the chain, dates, purpose and CRL it applies
 * cert_leaf_check() for both uses. Thread-safe: a cert_trust may be shared
 * by all threads. */
cert_rc cert_verify(const cert_trust *t, X509 *leaf, STACK_OF(X509) * untrusted, cert_use use);

/* The key rule, written once for every path (TLS clients, package signers,
 * `itaku cert bind`, enrolment CSRs, signing): ECDSA on the named curve
 * P-256, or RSA with a 2048..16384-bit modulus (16384 is OpenSSL's limit)
 * and an odd public exponent 2^16 < e < 2^256 (FIPS 186-4). Anything else
 * (other curves, explicit curve parameters, DSA, EdDSA, RSA-PSS-only keys,
 * an undecodable key) is CERT_ERR_WEAK_KEY, and detail (may be NULL) says
 * what was found, e.g. "RSA-1024". */
cert_rc cert_key_check(EVP_PKEY *key, char *detail, size_t detail_len);

/* The rules on the certificate itself that need no trust store: not a CA
 * (basicConstraints CA:TRUE, keyCertSign, a v1 root: CERT_ERR_USAGE), then
 * the key rule. cert_verify() applies it; `itaku pack` too, before signing. */
cert_rc cert_leaf_check(X509 *leaf, char *detail, size_t detail_len);

/* Parses DER bytes into *out (caller frees with X509_free). */
cert_rc cert_from_der(const unsigned char *der, size_t len, X509 **out);

/* SHA-256 over the DER encoding, lower-case hex. */
void cert_fingerprint(X509 *x, char hex[65]);

/* SHA-256 over the DER SubjectPublicKeyInfo of key, lower-case hex: the
 * same for every certificate (and request) of one key. 0 when key cannot
 * be encoded. */
int cert_key_fingerprint(EVP_PKEY *key, char hex[65]);

/* RFC 2253 subject / issuer as a malloc'd string the caller frees; NULL on
 * failure. */
char *cert_subject(X509 *x);
char *cert_issuer(X509 *x);

/* notAfter as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void cert_not_after(X509 *x, char *buf, size_t len);

/* notAfter as seconds since the epoch; 0 when it cannot be read. */
long long cert_not_after_epoch(X509 *x);

const char *cert_rc_str(cert_rc rc);

#endif
