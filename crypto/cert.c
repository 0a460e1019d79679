/* cert.c — certificate path validation with OpenSSL: trust anchors, CRLs,
 * validity and purpose, and the key rule. Nothing else in itaku decides
 * trust or which keys are good enough. */
#include "crypto/cert.h"

#include "crypto/digest.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CRL_ISSUERS 16 /* CAs with a CRL in one file */

struct cert_trust {
	X509_STORE *store;
	STACK_OF(X509) * cas; /* the CA file's certificates: who may sign a CRL */
	int crl_check;
	long long crl_next; /* earliest nextUpdate of the CRLs, 0: none */
	long long crl_this; /* latest thisUpdate of the CRLs, 0: none */
	/* per issuer (SHA-256 of its DER name), the latest thisUpdate */
	struct {
		unsigned char name[32];
		long long issued;
	} issuers[CRL_ISSUERS];
	int nissuers;
};

static void name_digest(const X509_NAME *n, unsigned char out[32])
{
	unsigned int len = 0;
	if (X509_NAME_digest(n, EVP_sha256(), out, &len) != 1 || len != 32)
		memset(out, 0, 32);
}

/* The CA of t that signed crl; NULL when none did. */
static X509 *crl_signer(const cert_trust *t, X509_CRL *crl)
{
	for (int i = 0; i < sk_X509_num(t->cas); i++) {
		X509 *ca = sk_X509_value(t->cas, i);
		if (X509_NAME_cmp(X509_get_subject_name(ca), X509_CRL_get_issuer(crl)) == 0 &&
		    X509_CRL_verify(crl, X509_get0_pubkey(ca)) == 1)
			return ca;
	}
	return NULL;
}

/* Records crl's issuer and thisUpdate; 0 when there are too many issuers. */
static int note_issuer(cert_trust *t, X509_CRL *crl, long long issued)
{
	unsigned char name[32];
	name_digest(X509_CRL_get_issuer(crl), name);
	for (int i = 0; i < t->nissuers; i++)
		if (memcmp(t->issuers[i].name, name, 32) == 0) {
			if (issued > t->issuers[i].issued)
				t->issuers[i].issued = issued;
			return 1;
		}
	if (t->nissuers == CRL_ISSUERS)
		return 0;
	memcpy(t->issuers[t->nissuers].name, name, 32);
	t->issuers[t->nissuers++].issued = issued;
	return 1;
}

/* t as seconds since the epoch; 0 when there is none. */
static long long epoch_of(const ASN1_TIME *t)
{
	struct tm tm;
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return (long long)timegm(&tm);
}

static cert_rc load_pem_objects(cert_trust *t, const char *path, int want_crl, int *count)
{
	X509_STORE *store = t->store;
	cert_rc rc = CERT_ERR_IO;
	STACK_OF(X509_INFO) *infos = NULL;
	BIO *in = BIO_new_file(path, "r");

	*count = 0;
	if (in == NULL)
		goto out;
	infos = PEM_X509_INFO_read_bio(in, NULL, NULL, NULL);
	if (infos == NULL) {
		rc = CERT_ERR_PARSE;
		goto out;
	}
	for (int i = 0; i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *info = sk_X509_INFO_value(infos, i);
		if (!want_crl && info->x509 != NULL) {
			if (X509_STORE_add_cert(store, info->x509) != 1 ||
			    !sk_X509_push(t->cas, info->x509))
				goto out;
			X509_up_ref(info->x509);
			(*count)++;
		}
		if (want_crl && info->crl != NULL) {
			long long next = epoch_of(X509_CRL_get0_nextUpdate(info->crl));
			long long issued = epoch_of(X509_CRL_get0_lastUpdate(info->crl));
			/* a list nobody we trust signed says nothing, and must not
			 * count when a reload compares dates (cert_trust_crl_older) */
			if (crl_signer(t, info->crl) == NULL ||
			    !note_issuer(t, info->crl, issued)) {
				rc = CERT_ERR_CRL_ISSUER;
				goto out;
			}
			if (X509_STORE_add_crl(store, info->crl) != 1)
				goto out;
			if (next > 0 && (t->crl_next == 0 || next < t->crl_next))
				t->crl_next = next;
			if (issued > t->crl_this)
				t->crl_this = issued;
			(*count)++;
		}
	}
	rc = *count > 0 ? CERT_OK : CERT_ERR_PARSE;
out:
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	BIO_free(in);
	ERR_clear_error();
	return rc;
}

cert_rc cert_trust_load(const char *ca_file, const char *crl_file, cert_trust **out)
{
	cert_rc rc = CERT_ERR_NOMEM;
	int n = 0;
	cert_trust *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->store = X509_STORE_new()) == NULL ||
	    (t->cas = sk_X509_new_null()) == NULL)
		goto fail;
	if ((rc = load_pem_objects(t, ca_file, 0, &n)) != CERT_OK)
		goto fail;
	if (crl_file != NULL && crl_file[0] != '\0') {
		if ((rc = load_pem_objects(t, crl_file, 1, &n)) != CERT_OK)
			goto fail;
		t->crl_check = 1;
	}
	*out = t;
	return CERT_OK;
fail:
	cert_trust_free(t);
	return rc;
}

long long cert_trust_crl_next_update(const cert_trust *t)
{
	return t != NULL ? t->crl_next : 0;
}

long long cert_trust_crl_this_update(const cert_trust *t)
{
	return t != NULL ? t->crl_this : 0;
}

/* Whether t still has a CA whose subject digests to name. */
static int has_ca_named(const cert_trust *t, const unsigned char name[32])
{
	unsigned char n[32];
	for (int i = 0; i < sk_X509_num(t->cas); i++) {
		name_digest(X509_get_subject_name(sk_X509_value(t->cas, i)), n);
		if (memcmp(n, name, 32) == 0)
			return 1;
	}
	return 0;
}

int cert_trust_crl_older(const cert_trust *now, const cert_trust *before, long long *was,
                         long long *is)
{
	*was = *is = 0;
	for (int i = 0; before != NULL && i < before->nissuers; i++) {
		int found = 0;
		for (int j = 0; j < now->nissuers; j++) {
			if (memcmp(now->issuers[j].name, before->issuers[i].name, 32) != 0)
				continue;
			found = 1;
			if (now->issuers[j].issued < before->issuers[i].issued) {
				*was = before->issuers[i].issued;
				*is = now->issuers[j].issued;
				return 1;
			}
		}
		/* a CA's list may go only with the CA itself */
		if (!found && has_ca_named(now, before->issuers[i].name)) {
			*was = before->issuers[i].issued;
			return 1;
		}
	}
	return 0;
}

void cert_trust_free(cert_trust *t)
{
	if (t == NULL)
		return;
	X509_STORE_free(t->store);
	sk_X509_pop_free(t->cas, X509_free);
	free(t);
}

static cert_rc map_verify_error(int err)
{
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED: return CERT_ERR_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID: return CERT_ERR_NOT_YET_VALID;
	case X509_V_ERR_CERT_REVOKED: return CERT_ERR_REVOKED;
	case X509_V_ERR_INVALID_PURPOSE:
	case X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE: return CERT_ERR_USAGE;
	/* OpenSSL 3 refuses explicit curve parameters in the chain itself */
	case X509_V_ERR_EC_KEY_EXPLICIT_PARAMS:
	case X509_V_ERR_EE_KEY_TOO_SMALL: return CERT_ERR_WEAK_KEY;
	/* the server's own list is out of date: not the client's fault, and
	 * not a verdict on its certificate (fail closed all the same) */
	case X509_V_ERR_CRL_HAS_EXPIRED: return CERT_ERR_CRL_STALE;
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_CRL_NOT_YET_VALID:
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER: return CERT_ERR_CRL;
	default: return CERT_ERR_UNTRUSTED;
	}
}

#define DETAIL(...)                                                \
	do {                                                       \
		if (detail != NULL && detail_len > 0)              \
			snprintf(detail, detail_len, __VA_ARGS__); \
	} while (0)

static cert_rc rsa_key_check(EVP_PKEY *key, char *detail, size_t detail_len)
{
	BIGNUM *e = NULL;
	int bits = EVP_PKEY_get_bits(key);
	cert_rc rc = CERT_ERR_WEAK_KEY;

	if (bits < 2048 || bits > 16384) {
		DETAIL("RSA-%d", bits);
		goto out;
	}
	/* e > 2^16 is e >= 65537 for an odd e: at least 17 bits, not 2^16 */
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) != 1 || !BN_is_odd(e) ||
	    BN_num_bits(e) < 17 || BN_num_bits(e) > 256) {
		DETAIL("RSA-%d with public exponent of %d bits", bits, e ? BN_num_bits(e) : 0);
		goto out;
	}
	rc = CERT_OK;
out:
	BN_free(e);
	return rc;
}

static cert_rc ec_key_check(EVP_PKEY *key, char *detail, size_t detail_len)
{
	char group[64] = "", enc[32] = "";
	size_t n = 0;

	/* OpenSSL names explicit parameters that happen to match P-256
	 * "prime256v1" too: the encoding tells them apart (RFC 5480 wants
	 * namedCurve) */
	if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, enc, sizeof(enc),
	                                   &n) != 1 ||
	    strcmp(enc, OSSL_PKEY_EC_ENCODING_GROUP) != 0) {
		DETAIL("EC key with explicit curve parameters");
		return CERT_ERR_WEAK_KEY;
	}
	if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
	                                   &n) != 1 ||
	    strcmp(group, "prime256v1") != 0) {
		DETAIL("EC %s", group[0] ? group : "(unnamed curve)");
		return CERT_ERR_WEAK_KEY;
	}
	return CERT_OK;
}

cert_rc cert_key_check(EVP_PKEY *key, char *detail, size_t detail_len)
{
	cert_rc rc = CERT_ERR_WEAK_KEY;

	if (key == NULL)
		DETAIL("no decodable public key");
	else if (EVP_PKEY_is_a(key, "RSA"))
		rc = rsa_key_check(key, detail, detail_len);
	else if (EVP_PKEY_is_a(key, "EC"))
		rc = ec_key_check(key, detail, detail_len);
	else
		DETAIL("%s key",
		       EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "unknown");
	ERR_clear_error();
	return rc;
}

cert_rc cert_leaf_check(X509 *leaf, char *detail, size_t detail_len)
{
	/* A CA certificate as a client or signer could also issue certificates
	 * under the configured CA. X509_check_ca() will not do: it answers
	 * "can it issue", and says no for CA:TRUE without keyCertSign. */
	uint32_t flags = X509_get_extension_flags(leaf);
	if ((flags & EXFLAG_CA) != 0 || (X509_get_key_usage(leaf) & KU_KEY_CERT_SIGN) != 0) {
		DETAIL("the certificate is a CA certificate (CA:TRUE or keyCertSign)");
		ERR_clear_error();
		return CERT_ERR_USAGE;
	}
	return cert_key_check(X509_get0_pubkey(leaf), detail, detail_len);
}

cert_rc cert_verify(const cert_trust *t, X509 *leaf, STACK_OF(X509) * untrusted, cert_use use)
{
	cert_rc rc = CERT_ERR_NOMEM;
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();

	if (ctx == NULL)
		goto out;
	if (X509_STORE_CTX_init(ctx, t->store, leaf, untrusted) != 1)
		goto out;
	/* smime_sign for signers is what `openssl cms -verify` applies, so a
	 * package the server accepts also verifies with the stock tool. */
	X509_STORE_CTX_set_purpose(ctx, use == CERT_USE_TLS_CLIENT ? X509_PURPOSE_SSL_CLIENT
	                                                           : X509_PURPOSE_SMIME_SIGN);
	if (t->crl_check)
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_CRL_CHECK);
	if (X509_verify_cert(ctx) != 1) {
		rc = map_verify_error(X509_STORE_CTX_get_error(ctx));
		goto out;
	}
	/* A certificate that claims no usage at all is refused for TLS too:
	 * clientAuth must be stated, not implied. */
	if (use == CERT_USE_TLS_CLIENT && (X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) == 0)
		rc = CERT_ERR_USAGE;
	else
		rc = cert_leaf_check(leaf, NULL, 0);
out:
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

cert_rc cert_from_der(const unsigned char *der, size_t len, X509 **out)
{
	const unsigned char *p = der;
	if (len > 65536)
		return CERT_ERR_PARSE;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (x == NULL || p != der + len) {
		X509_free(x);
		ERR_clear_error();
		return CERT_ERR_PARSE;
	}
	*out = x;
	return CERT_OK;
}

void cert_fingerprint(X509 *x, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (X509_digest(x, EVP_sha256(), md, &n) != 1 || n != 32) {
		memset(hex, '0', 64);
		hex[64] = '\0';
		return;
	}
	dgst_hex(md, n, hex);
}

int cert_key_fingerprint(EVP_PKEY *key, char hex[65])
{
	unsigned char *der = NULL;
	int n = key != NULL ? i2d_PUBKEY(key, &der) : -1;
	hex[0] = '\0';
	if (n <= 0)
		return 0;
	dgst_sha256_hex(der, (size_t)n, hex);
	OPENSSL_free(der);
	return 1;
}

long long cert_not_after_epoch(X509 *x)
{
	return epoch_of(X509_get0_notAfter(x));
}

static char *name_string(const X509_NAME *name)
{
	char *s = NULL;
	BIO *b = BIO_new(BIO_s_mem());
	if (b == NULL)
		return NULL;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		char *data = NULL;
		long n = BIO_get_mem_data(b, &data);
		s = malloc((size_t)n + 1);
		if (s != NULL) {
			memcpy(s, data, (size_t)n);
			s[n] = '\0';
		}
	}
	BIO_free(b);
	return s;
}

char *cert_subject(X509 *x)
{
	return name_string(X509_get_subject_name(x));
}

char *cert_issuer(X509 *x)
{
	return name_string(X509_get_issuer_name(x));
}

void cert_not_after(X509 *x, char *buf, size_t len)
{
	struct tm tm;
	if (len == 0)
		return;
	buf[0] = '\0';
	if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) == 1)
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *cert_rc_str(cert_rc rc)
{
	switch (rc) {
	case CERT_OK: return "ok";
	case CERT_ERR_NOMEM: return "out of memory";
	case CERT_ERR_IO: return "cannot read certificate file";
	case CERT_ERR_PARSE: return "not a certificate";
	case CERT_ERR_UNTRUSTED: return "certificate does not chain to a trusted CA";
	case CERT_ERR_EXPIRED: return "certificate has expired";
	case CERT_ERR_NOT_YET_VALID: return "certificate is not yet valid";
	case CERT_ERR_REVOKED: return "certificate has been revoked";
	case CERT_ERR_USAGE: return "certificate is not allowed for this use (or is a CA)";
	case CERT_ERR_CRL: return "no valid CRL for the certificate";
	case CERT_ERR_CRL_STALE: return "the server's certificate revocation list has expired";
	case CERT_ERR_CRL_ISSUER:
		return "a CRL of the file is not signed by a CA of the CA file (or one CA has more "
		       "CRLs than it can hold)";
	case CERT_ERR_WEAK_KEY: return "certificate key is not ECDSA P-256 or RSA 2048..16384 bits";
	}
	return "unknown certificate error";
}
