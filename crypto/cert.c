/* cert.c — certificate path validation with OpenSSL: trust anchors, CRLs,
 * validity and purpose. Nothing else in itaku decides trust. */
#include "cert.h"

#include "digest.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

struct cert_trust {
	X509_STORE *store;
	int crl_check;
};

static cert_rc load_pem_objects(X509_STORE *store, const char *path, int want_crl, int *count)
{
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
			if (X509_STORE_add_cert(store, info->x509) != 1)
				goto out;
			(*count)++;
		}
		if (want_crl && info->crl != NULL) {
			if (X509_STORE_add_crl(store, info->crl) != 1)
				goto out;
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

	if (t == NULL || (t->store = X509_STORE_new()) == NULL)
		goto fail;
	if ((rc = load_pem_objects(t->store, ca_file, 0, &n)) != CERT_OK)
		goto fail;
	if (crl_file != NULL && crl_file[0] != '\0') {
		if ((rc = load_pem_objects(t->store, crl_file, 1, &n)) != CERT_OK)
			goto fail;
		t->crl_check = 1;
	}
	*out = t;
	return CERT_OK;
fail:
	cert_trust_free(t);
	return rc;
}

void cert_trust_free(cert_trust *t)
{
	if (t == NULL)
		return;
	X509_STORE_free(t->store);
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
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER: return CERT_ERR_CRL;
	default: return CERT_ERR_UNTRUSTED;
	}
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
	if (X509_verify_cert(ctx) == 1) {
		rc = CERT_OK;
		goto out;
	}
	rc = map_verify_error(X509_STORE_CTX_get_error(ctx));
	/* A certificate that claims no usage at all is refused for TLS too:
	 * clientAuth must be stated, not implied. */
out:
	if (rc == CERT_OK && use == CERT_USE_TLS_CLIENT &&
	    (X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) == 0)
		rc = CERT_ERR_USAGE;
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
	case CERT_ERR_USAGE: return "certificate is not allowed for this use";
	case CERT_ERR_CRL: return "no valid CRL for the certificate";
	}
	return "unknown certificate error";
}
