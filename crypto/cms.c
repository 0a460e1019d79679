/* cms.c — detached CMS SignedData with OpenSSL's CMS API, restricted to the
 * algorithms DESIGN.md allows (SHA-256; ECDSA P-256 or RSA >= 2048). */
#include "cms.h"

#include <limits.h>
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <string.h>

int cms_key_acceptable(EVP_PKEY *key)
{
	if (key == NULL)
		return 0;
	if (EVP_PKEY_is_a(key, "RSA"))
		return EVP_PKEY_get_bits(key) >= 2048;
	if (EVP_PKEY_is_a(key, "EC")) {
		char curve[64] = "";
		size_t n = 0;
		if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve,
		                                   sizeof(curve), &n) != 1)
			return 0;
		return strcmp(curve, "prime256v1") == 0 || strcmp(curve, "P-256") == 0;
	}
	return 0;
}

cms_rc cms_sign_detached(const unsigned char *data, size_t len, X509 *signer, EVP_PKEY *key,
                         STACK_OF(X509) * chain, unsigned char **der, size_t *der_len)
{
	cms_rc rc = CMS_RC_SIGN_FAILED;
	CMS_ContentInfo *cms = NULL;
	unsigned char *buf = NULL;
	BIO *in = NULL;
	int n;

	if (!cms_key_acceptable(key)) {
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
	/* CMS_CADES adds signing-certificate-v2, which CAdES-BES requires. */
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

static cms_rc check_algorithms(CMS_SignerInfo *si, X509 *signer)
{
	X509_ALGOR *dig = NULL, *sig = NULL;
	EVP_PKEY *pk = NULL;
	X509 *unused = NULL;

	CMS_SignerInfo_get0_algs(si, &pk, &unused, &dig, &sig);
	if (dig == NULL || OBJ_obj2nid(dig->algorithm) != NID_sha256)
		return CMS_RC_ALGORITHM;
	if (!cms_key_acceptable(X509_get0_pubkey(signer)))
		return CMS_RC_ALGORITHM;
	return CMS_RC_OK;
}

cms_rc cms_verify_detached(const unsigned char *sig, size_t sig_len, const unsigned char *data,
                           size_t len, X509 **signer, STACK_OF(X509) * *certs)
{
	cms_rc rc = CMS_RC_PARSE;
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = NULL;
	STACK_OF(X509) *signers = NULL;
	BIO *mem = NULL, *content = NULL;

	*signer = NULL;
	*certs = NULL;
	if (sig_len > LONG_MAX)
		goto out;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
	if (cms == NULL || p != sig + sig_len)
		goto out;
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed)
		goto out;
	if (CMS_is_detached(cms) != 1) {
		rc = CMS_RC_NOT_DETACHED;
		goto out;
	}
	if (sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)) != 1) {
		rc = CMS_RC_SIGNERS;
		goto out;
	}
	/* the content behind a buffering filter: given a plain memory BIO,
	 * CMS_verify() copies it into a BIO of its own that OpenSSL 3.0 leaks
	 * when digestAlgorithms names an unknown digest (found by
	 * tests/fuzz/fuzz_package) */
	if (len > INT_MAX || (mem = BIO_new_mem_buf(data, (int)len)) == NULL ||
	    (content = BIO_new(BIO_f_buffer())) == NULL) {
		rc = CMS_RC_NOMEM;
		goto out;
	}
	BIO_push(content, mem);
	mem = NULL; /* freed with content */
	/* Trust is decided by cert_verify() afterwards, with itaku's policy;
	 * here only the signature value is checked. */
	if (CMS_verify(cms, NULL, NULL, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) !=
	    1) {
		unsigned long e = ERR_peek_last_error();
		rc = ERR_GET_REASON(e) == CMS_R_SIGNER_CERTIFICATE_NOT_FOUND ? CMS_RC_NO_CERT
		                                                             : CMS_RC_BAD_SIGNATURE;
		goto out;
	}
	signers = CMS_get0_signers(cms);
	if (signers == NULL || sk_X509_num(signers) != 1) {
		rc = CMS_RC_NO_CERT;
		goto out;
	}
	rc = check_algorithms(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0),
	                      sk_X509_value(signers, 0));
	if (rc != CMS_RC_OK)
		goto out;
	*signer = sk_X509_value(signers, 0);
	X509_up_ref(*signer);
	*certs = CMS_get1_certs(cms);
	if (*certs == NULL && (*certs = sk_X509_new_null()) == NULL) {
		X509_free(*signer);
		*signer = NULL;
		rc = CMS_RC_NOMEM;
	}
out:
	sk_X509_free(signers);
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
	case CMS_RC_SIGNERS: return "signature must have exactly one signer";
	case CMS_RC_NO_CERT: return "signer certificate is not included in the signature";
	case CMS_RC_ALGORITHM:
		return "signature algorithm not allowed (SHA-256 with ECDSA P-256 or RSA >= 2048)";
	case CMS_RC_BAD_SIGNATURE: return "signature does not verify";
	case CMS_RC_SIGN_FAILED: return "signing failed";
	}
	return "unknown signature error";
}
