/* csr.c — checking certificate signing requests with OpenSSL. The request
 * is untrusted until all three checks pass; only its public key is used
 * afterwards (the issued subject is the server's, not the request's). */
#include "crypto/csr.h"

#include "crypto/cert.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <string.h>

const char *csr_rc_str(csr_rc rc)
{
	switch (rc) {
	case CSR_OK: return "ok";
	case CSR_ERR_PARSE: return "not a PEM certificate request";
	case CSR_ERR_SIGNATURE: return "the request's signature does not verify";
	case CSR_ERR_KEY: return "the request's key is not ECDSA P-256 or RSA 2048..16384 bits";
	case CSR_ERR_SUBJECT: return "the request's subject does not name the invited organisation";
	case CSR_ERR_NOMEM: return "out of memory";
	}
	return "unknown CSR error";
}

/* The subject's serialNumber, "" when it has none (or more than one). */
static void subject_serial(X509_REQ *req, char *buf, size_t len)
{
	X509_NAME *name = X509_REQ_get_subject_name(req);
	int i = X509_NAME_get_index_by_NID(name, NID_serialNumber, -1);
	unsigned char *utf8 = NULL;
	buf[0] = '\0';
	if (i < 0 || X509_NAME_get_index_by_NID(name, NID_serialNumber, i) >= 0)
		return;
	int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	if (n > 0 && (size_t)n < len && memchr(utf8, '\0', (size_t)n) == NULL)
		snprintf(buf, len, "%.*s", n, utf8);
	OPENSSL_free(utf8);
}

csr_rc csr_check(const char *pem, size_t len, const char *org, X509_REQ **out, char *detail,
                 size_t detail_len)
{
	BIO *b = NULL;
	X509_REQ *req = NULL;
	EVP_PKEY *k;
	char serial[128];
	csr_rc rc = CSR_ERR_PARSE;

	*out = NULL;
	if (len == 0 || len > CSR_MAX || strstr(pem, "-----BEGIN CERTIFICATE REQUEST-----") == NULL)
		return CSR_ERR_PARSE;
	if ((b = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return CSR_ERR_NOMEM;
	if ((req = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL)) == NULL ||
	    (k = X509_REQ_get0_pubkey(req)) == NULL)
		goto out;
	rc = CSR_ERR_SIGNATURE;
	if (X509_REQ_verify(req, k) != 1)
		goto out;
	rc = CSR_ERR_KEY;
	/* the same key rule as every bound certificate and package signer */
	if (cert_key_check(k, detail, detail_len) != CERT_OK)
		goto out;
	subject_serial(req, serial, sizeof(serial));
	rc = CSR_ERR_SUBJECT;
	if (strcmp(serial, org) != 0) {
		snprintf(detail, detail_len, "subject serialNumber \"%s\" is not %s", serial, org);
		goto out;
	}
	*out = req;
	req = NULL;
	rc = CSR_OK;
out:
	X509_REQ_free(req);
	BIO_free(b);
	return rc;
}
