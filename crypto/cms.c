/* cms.c — detached CMS SignedData with OpenSSL's CMS API, restricted to the
 * algorithms DESIGN.md allows (SHA-256; the key rule is cert.c's) and to the
 * CAdES-BES profile (ETSI EN 319 122-1). The profile is checked here and
 * nowhere else: CMS_verify() with CMS_CADES needs a trust store, and it
 * skips a SignerInfo without signed attributes altogether. */
#include "crypto/cms.h"

#include "crypto/cert.h"

#include <limits.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <stdio.h>
#include <string.h>

#define FAIL(code, ...)                                            \
	do {                                                       \
		if (detail_len > 0)                                \
			snprintf(detail, detail_len, __VA_ARGS__); \
		rc = (code);                                       \
		goto out;                                          \
	} while (0)

cms_rc cms_sign_detached(const unsigned char *data, size_t len, X509 *signer, EVP_PKEY *key,
                         STACK_OF(X509) * chain, unsigned char **der, size_t *der_len)
{
	cms_rc rc = CMS_RC_SIGN_FAILED;
	CMS_ContentInfo *cms = NULL;
	unsigned char *buf = NULL;
	BIO *in = NULL;
	int n;

	if (cert_key_check(key, NULL, 0) != CERT_OK) {
		rc = CMS_RC_ALGORITHM;
		goto out;
	}
	if (len > INT_MAX || (in = BIO_new_mem_buf(data, (int)len)) == NULL) {
		rc = CMS_RC_NOMEM;
		goto out;
	}
	cms = CMS_sign(NULL, NULL, chain, NULL, CMS_BINARY | CMS_DETACHED | CMS_PARTIAL);
	if (cms == NULL)
		goto out;
	/* The default signed attributes (contentType, signingTime,
	 * messageDigest) plus CMS_CADES's signing-certificate-v2: CAdES-BES,
	 * what cms_verify_detached() requires. */
	if (CMS_add1_signer(cms, signer, key, EVP_sha256(), CMS_BINARY | CMS_CADES) == NULL)
		goto out;
	if (CMS_final(cms, in, NULL, CMS_BINARY | CMS_DETACHED) != 1)
		goto out;
	if ((n = i2d_CMS_ContentInfo(cms, &buf)) <= 0)
		goto out;
	*der = buf;
	*der_len = (size_t)n;
	rc = CMS_RC_OK;
out:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	ERR_clear_error();
	return rc;
}

typedef enum { ATTR_ABSENT, ATTR_ONE, ATTR_MALFORMED } attr_state;

/* The value of the signed attribute nid when there is exactly one such
 * attribute with exactly one value. */
static ASN1_TYPE *signed_attr(CMS_SignerInfo *si, int nid, attr_state *state)
{
	const ASN1_OBJECT *obj = OBJ_nid2obj(nid);
	int i = CMS_signed_get_attr_by_OBJ(si, obj, -1);
	X509_ATTRIBUTE *a;

	*state = ATTR_ABSENT;
	if (i < 0)
		return NULL;
	*state = ATTR_MALFORMED;
	if (CMS_signed_get_attr_by_OBJ(si, obj, i) >= 0)
		return NULL;
	a = CMS_signed_get_attr(si, i);
	if (a == NULL || X509_ATTRIBUTE_count(a) != 1)
		return NULL;
	*state = ATTR_ONE;
	return X509_ATTRIBUTE_get0_type(a, 0);
}

/* The ESS attributes, decoded whole from one SEQUENCE value; NULL when
 * anything is off (wrong type, trailing bytes, not the structure). */
static ESS_SIGNING_CERT_V2 *decode_v2(const ASN1_TYPE *t)
{
	const unsigned char *p, *end;
	ESS_SIGNING_CERT_V2 *v;
	if (t == NULL || t->type != V_ASN1_SEQUENCE)
		return NULL;
	p = t->value.sequence->data;
	end = p + t->value.sequence->length;
	v = d2i_ESS_SIGNING_CERT_V2(NULL, &p, end - p);
	if (v != NULL && p != end) {
		ESS_SIGNING_CERT_V2_free(v);
		v = NULL;
	}
	return v;
}

static ESS_SIGNING_CERT *decode_v1(const ASN1_TYPE *t)
{
	const unsigned char *p, *end;
	ESS_SIGNING_CERT *v;
	if (t == NULL || t->type != V_ASN1_SEQUENCE)
		return NULL;
	p = t->value.sequence->data;
	end = p + t->value.sequence->length;
	v = d2i_ESS_SIGNING_CERT(NULL, &p, end - p);
	if (v != NULL && p != end) {
		ESS_SIGNING_CERT_free(v);
		v = NULL;
	}
	return v;
}

/* The signer first (the first ESSCertIDv2 must be it), then every other
 * certificate in the CMS for the IDs after it. Borrowed pointers. */
static STACK_OF(X509) * signer_first(CMS_ContentInfo *cms, X509 *signer, STACK_OF(X509) * *all)
{
	STACK_OF(X509) *chain = sk_X509_new_null();

	*all = CMS_get1_certs(cms);
	if (chain == NULL || sk_X509_push(chain, signer) <= 0)
		goto fail;
	for (int i = 0; i < sk_X509_num(*all); i++) {
		X509 *x = sk_X509_value(*all, i);
		if (X509_cmp(x, signer) != 0 && sk_X509_push(chain, x) <= 0)
			goto fail;
	}
	return chain;
fail:
	sk_X509_free(chain);
	return NULL;
}

/* ESS signing-certificate-v2 (RFC 5035) must be there and name the signer:
 * the signature then covers which certificate was meant, and a certificate
 * with the same key cannot be swapped in. */
static cms_rc check_signing_cert(CMS_ContentInfo *cms, CMS_SignerInfo *si, X509 *signer,
                                 char *detail, size_t detail_len)
{
	cms_rc rc = CMS_RC_NOT_CADES;
	attr_state s1, s2;
	ASN1_TYPE *v1 = signed_attr(si, NID_id_smime_aa_signingCertificate, &s1);
	ASN1_TYPE *v2 = signed_attr(si, NID_id_smime_aa_signingCertificateV2, &s2);
	ESS_SIGNING_CERT *ss = NULL;
	ESS_SIGNING_CERT_V2 *ssv2 = NULL;
	STACK_OF(X509) *chain = NULL, *all = NULL;

	if (s2 == ATTR_ABSENT && s1 != ATTR_ABSENT)
		FAIL(CMS_RC_NOT_CADES, "only the SHA-1 signing-certificate (v1) attribute, "
		                       "no signing-certificate-v2");
	if (s2 == ATTR_ABSENT)
		FAIL(CMS_RC_NOT_CADES, "no signing-certificate-v2 signed attribute");
	if ((ssv2 = decode_v2(v2)) == NULL)
		FAIL(CMS_RC_NOT_CADES, "signing-certificate-v2 is repeated or cannot be decoded");
	/* a v1 next to it must be right too */
	if (s1 != ATTR_ABSENT && (ss = decode_v1(v1)) == NULL)
		FAIL(CMS_RC_NOT_CADES, "signing-certificate is repeated or cannot be decoded");
	if ((chain = signer_first(cms, signer, &all)) == NULL)
		FAIL(CMS_RC_NOMEM, "out of memory");
	if (OSSL_ESS_check_signing_certs(ss, ssv2, chain, 1) <= 0)
		FAIL(CMS_RC_NOT_CADES,
		     "signing-certificate-v2 does not name the signer certificate");
	rc = CMS_RC_OK;
out:
	ESS_SIGNING_CERT_free(ss);
	ESS_SIGNING_CERT_V2_free(ssv2);
	sk_X509_free(chain);
	sk_X509_pop_free(all, X509_free);
	return rc;
}

/* The CAdES-BES shape of the one SignerInfo. The messageDigest value is
 * checked by CMS_verify() afterwards. */
static cms_rc check_cades(CMS_ContentInfo *cms, CMS_SignerInfo *si, X509 *signer, char *detail,
                          size_t detail_len)
{
	cms_rc rc = CMS_RC_NOT_CADES;
	char oid[80] = "";
	attr_state st;
	ASN1_TYPE *t;

	if (OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) {
		OBJ_obj2txt(oid, sizeof(oid), CMS_get0_eContentType(cms), 1);
		FAIL(CMS_RC_NOT_CADES, "eContentType is %s, not id-data", oid);
	}
	if (CMS_signed_get_attr_count(si) <= 0)
		FAIL(CMS_RC_NOT_CADES, "the signature has no signed attributes");
	t = signed_attr(si, NID_pkcs9_contentType, &st);
	if (t == NULL || t->type != V_ASN1_OBJECT || OBJ_obj2nid(t->value.object) != NID_pkcs7_data)
		FAIL(CMS_RC_NOT_CADES, "the content-type attribute is %s",
		     st == ATTR_ABSENT ? "missing" : "not exactly one id-data");
	t = signed_attr(si, NID_pkcs9_messageDigest, &st);
	if (t == NULL || t->type != V_ASN1_OCTET_STRING)
		FAIL(CMS_RC_NOT_CADES, "the message-digest attribute is %s",
		     st == ATTR_ABSENT ? "missing" : "not exactly one OCTET STRING");
	t = signed_attr(si, NID_pkcs9_signingTime, &st);
	if (t == NULL || (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME) ||
	    ASN1_TIME_check(t->value.utctime) != 1)
		FAIL(CMS_RC_NOT_CADES, "the signing-time attribute is %s",
		     st == ATTR_ABSENT ? "missing" : "not exactly one valid time");
	rc = check_signing_cert(cms, si, signer, detail, detail_len);
out:
	return rc;
}

static cms_rc check_algorithms(CMS_SignerInfo *si)
{
	X509_ALGOR *dig = NULL, *sig = NULL;
	EVP_PKEY *pk = NULL;
	X509 *unused = NULL;

	CMS_SignerInfo_get0_algs(si, &pk, &unused, &dig, &sig);
	if (dig == NULL || OBJ_obj2nid(dig->algorithm) != NID_sha256)
		return CMS_RC_ALGORITHM;
	return CMS_RC_OK;
}

/* The one SignerInfo's certificate, found among the CMS's own (borrowed);
 * NULL when it is not included. */
static X509 *find_signer(CMS_ContentInfo *cms, CMS_SignerInfo *si)
{
	X509 *signer = NULL;
	if (CMS_set1_signers_certs(cms, NULL, 0) < 0)
		return NULL;
	CMS_SignerInfo_get0_algs(si, NULL, &signer, NULL, NULL);
	return signer;
}

cms_rc cms_verify_detached(const unsigned char *sig, size_t sig_len, const unsigned char *data,
                           size_t len, X509 **signer, STACK_OF(X509) * *certs, char *detail,
                           size_t detail_len)
{
	cms_rc rc = CMS_RC_PARSE;
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = NULL;
	CMS_SignerInfo *si;
	X509 *x;
	BIO *content = NULL, *mem = NULL;
	int n;

	*signer = NULL;
	*certs = NULL;
	if (detail_len > 0)
		detail[0] = '\0';
	if (sig_len > LONG_MAX)
		goto out;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
	if (cms == NULL || p != sig + sig_len)
		goto out;
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed)
		goto out;
	if (CMS_is_detached(cms) != 1)
		FAIL(CMS_RC_NOT_DETACHED, "the signature embeds its content");
	if ((n = sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms))) != 1)
		FAIL(CMS_RC_NOT_CADES, "%d SignerInfos; exactly one is allowed", n < 0 ? 0 : n);
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	if ((x = find_signer(cms, si)) == NULL)
		FAIL(CMS_RC_NO_CERT, "%s", cms_rc_str(CMS_RC_NO_CERT));
	/* the profile first: its shape is refused whether or not it verifies */
	if ((rc = check_cades(cms, si, x, detail, detail_len)) != CMS_RC_OK)
		goto out;
	/* behind a buffer BIO: given a memory BIO itself, OpenSSL 3.0's
	 * CMS_verify() copies it into one of its own that it leaks when the
	 * signature does not verify (found by fuzz_package) */
	if (len > INT_MAX || (mem = BIO_new_mem_buf(data, (int)len)) == NULL ||
	    (content = BIO_new(BIO_f_buffer())) == NULL)
		FAIL(CMS_RC_NOMEM, "out of memory");
	content = BIO_push(content, mem);
	mem = NULL;
	/* Trust is decided by cert_verify() afterwards, with itaku's policy;
	 * here only the signature value and messageDigest are checked. */
	if (CMS_verify(cms, NULL, NULL, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1)
		FAIL(CMS_RC_BAD_SIGNATURE, "%s", cms_rc_str(CMS_RC_BAD_SIGNATURE));
	if ((rc = check_algorithms(si)) != CMS_RC_OK)
		FAIL(rc, "%s", cms_rc_str(rc));
	*signer = x;
	X509_up_ref(x);
	*certs = CMS_get1_certs(cms);
	if (*certs == NULL && (*certs = sk_X509_new_null()) == NULL) {
		X509_free(*signer);
		*signer = NULL;
		FAIL(CMS_RC_NOMEM, "out of memory");
	}
	rc = CMS_RC_OK;
out:
	if (rc != CMS_RC_OK && detail_len > 0 && detail[0] == '\0')
		snprintf(detail, detail_len, "%s", cms_rc_str(rc));
	CMS_ContentInfo_free(cms);
	BIO_free_all(content);
	BIO_free(mem);
	ERR_clear_error();
	return rc;
}

const char *cms_rc_str(cms_rc rc)
{
	switch (rc) {
	case CMS_RC_OK: return "ok";
	case CMS_RC_NOMEM: return "out of memory";
	case CMS_RC_PARSE: return "not a DER-encoded CMS SignedData";
	case CMS_RC_NOT_DETACHED: return "signature is not detached";
	case CMS_RC_NO_CERT: return "signer certificate is not included in the signature";
	case CMS_RC_NOT_CADES: return "signature is not CAdES-BES";
	case CMS_RC_ALGORITHM:
		return "algorithm not allowed (SHA-256 with ECDSA P-256 or RSA 2048..16384 bits)";
	case CMS_RC_BAD_SIGNATURE: return "signature does not verify";
	case CMS_RC_SIGN_FAILED: return "signing failed";
	}
	return "unknown signature error";
}
