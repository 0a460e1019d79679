/* tsa.c — RFC 3161 time stamps with OpenSSL's TS API. itaku is its own
 * TSA: the request is built in memory for the package digest, so the
 * response is a standard TimeStampResp any RFC 3161 tool can check. */
#include "crypto/tsa.h"

#include <limits.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <stdio.h>
#include <string.h>

static ASN1_INTEGER *random_serial(TS_RESP_CTX *ctx, void *data)
{
	unsigned char raw[16];
	ASN1_INTEGER *serial = NULL;
	BIGNUM *bn = NULL;
	(void)data;
	if (RAND_bytes(raw, sizeof(raw)) == 1) {
		raw[0] &= 0x7f;
		if ((bn = BN_bin2bn(raw, sizeof(raw), NULL)) != NULL)
			serial = BN_to_ASN1_INTEGER(bn, NULL);
	}
	BN_free(bn);
	if (serial == NULL)
		TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION, "no serial");
	return serial;
}

/* A DER TimeStampReq for the digest, asking for the TSA certificate. */
static BIO *make_request(const unsigned char sha256[32])
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *imprint = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	BIO *out = BIO_new(BIO_s_mem());
	unsigned char md[32];
	int ok;

	/* TS_MSG_IMPRINT_set_msg copies the digest, yet takes it non-const */
	memcpy(md, sha256, sizeof(md));
	ok = req && imprint && alg && out && TS_REQ_set_version(req, 1) &&
	     X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
	     TS_MSG_IMPRINT_set_algo(imprint, alg) &&
	     TS_MSG_IMPRINT_set_msg(imprint, md, sizeof(md)) &&
	     TS_REQ_set_msg_imprint(req, imprint) && TS_REQ_set_cert_req(req, 1) &&
	     i2d_TS_REQ_bio(out, req);
	TS_REQ_free(req);
	TS_MSG_IMPRINT_free(imprint);
	X509_ALGOR_free(alg);
	if (!ok) {
		BIO_free(out);
		return NULL;
	}
	return out;
}

tsa_rc tsa_stamp(X509 *cert, EVP_PKEY *key, STACK_OF(X509) * chain, const unsigned char sha256[32],
                 unsigned char **der, size_t *len, char *gen_time, size_t gen_time_len)
{
	tsa_rc rc = TSA_ERR_SIGN;
	TS_RESP_CTX *ctx = TS_RESP_CTX_new();
	ASN1_OBJECT *policy = OBJ_txt2obj(TSA_POLICY_OID, 1);
	BIO *req = make_request(sha256);
	TS_RESP *resp = NULL;
	unsigned char *buf = NULL;
	struct tm tm;
	int n;

	if (ctx == NULL || policy == NULL || req == NULL) {
		rc = TSA_ERR_NOMEM;
		goto out;
	}
	if (!TS_RESP_CTX_set_signer_cert(ctx, cert) || !TS_RESP_CTX_set_signer_key(ctx, key) ||
	    (chain != NULL && !TS_RESP_CTX_set_certs(ctx, chain)) ||
	    !TS_RESP_CTX_set_def_policy(ctx, policy) || !TS_RESP_CTX_add_md(ctx, EVP_sha256()) ||
	    !TS_RESP_CTX_set_signer_digest(ctx, EVP_sha256()) ||
	    !TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256()))
		goto out;
	TS_RESP_CTX_set_serial_cb(ctx, random_serial, NULL);
	TS_RESP_CTX_add_flags(ctx, TS_ESS_CERT_ID_CHAIN);
	if ((resp = TS_RESP_create_response(ctx, req)) == NULL ||
	    ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp))) !=
	            TS_STATUS_GRANTED)
		goto out;
	if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(TS_RESP_get_tst_info(resp)), &tm) != 1)
		goto out;
	strftime(gen_time, gen_time_len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((n = i2d_TS_RESP(resp, &buf)) <= 0)
		goto out;
	*der = buf;
	*len = (size_t)n;
	rc = TSA_OK;
out:
	TS_RESP_free(resp);
	TS_RESP_CTX_free(ctx);
	ASN1_OBJECT_free(policy);
	BIO_free(req);
	ERR_clear_error();
	return rc;
}

tsa_rc tsa_verify(const unsigned char *resp_der, size_t resp_len, const unsigned char *data,
                  size_t data_len, const char *ca_file, char *detail, size_t detail_len)
{
	tsa_rc rc = TSA_ERR_PARSE;
	const unsigned char *p = resp_der;
	TS_RESP *resp = NULL;
	TS_VERIFY_CTX *ctx = NULL;
	X509_STORE *store = NULL;
	BIO *bio = NULL;

	if (resp_len > 1 << 20 || (resp = d2i_TS_RESP(NULL, &p, (long)resp_len)) == NULL ||
	    p != resp_der + resp_len) {
		snprintf(detail, detail_len, "not a DER TimeStampResp");
		goto out;
	}
	rc = TSA_ERR_NOMEM;
	if ((ctx = TS_VERIFY_CTX_new()) == NULL || (store = X509_STORE_new()) == NULL ||
	    data_len > INT_MAX || (bio = BIO_new_mem_buf(data, (int)data_len)) == NULL)
		goto out;
	rc = TSA_ERR_IO;
	if (X509_STORE_load_file(store, ca_file) != 1) {
		snprintf(detail, detail_len, "cannot load %s", ca_file);
		goto out;
	}
	/* the context owns store and bio from here */
	TS_VERIFY_CTX_set_store(ctx, store);
	store = NULL;
	TS_VERIFY_CTX_set_data(ctx, bio);
	bio = NULL;
	TS_VERIFY_CTX_set_flags(ctx,
	                        TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA | TS_VFY_SIGNER);
	rc = TSA_ERR_VERIFY;
	if (TS_RESP_verify_response(ctx, resp) != 1) {
		char err[256];
		ERR_error_string_n(ERR_peek_last_error(), err, sizeof(err));
		snprintf(detail, detail_len, "receipt does not verify: %s", err);
		goto out;
	}
	rc = TSA_OK;
out:
	TS_RESP_free(resp);
	TS_VERIFY_CTX_free(ctx);
	X509_STORE_free(store);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}
