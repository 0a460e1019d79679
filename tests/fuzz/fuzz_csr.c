/* fuzz_csr.c — the CSR checks of enrolment: csr_check() (one PEM
 * CERTIFICATE REQUEST, self-signature, key type and size, subject
 * serialNumber = the invited organisation). An input starting with '-' is
 * the PEM text as a subcontractor would send it; any other input is DER,
 * wrapped in PEM here, so that mutations reach OpenSSL's ASN.1 decoder
 * instead of dying in base64. Checks: an accepted request verifies, has
 * an acceptable key and names the organisation, exactly once. */
#include "crypto/cert.h"
#include "crypto/cms.h"
#include "crypto/csr.h"
#include "fuzz_util.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ORG "7999900000002"

/* DER → "-----BEGIN CERTIFICATE REQUEST-----\n<base64>\n-----END…": the
 * caller frees. */
static char *der_to_pem(const uint8_t *der, size_t len, size_t *out_len)
{
	static const char head[] = "-----BEGIN CERTIFICATE REQUEST-----\n";
	static const char tail[] = "\n-----END CERTIFICATE REQUEST-----\n";
	size_t b64 = 4 * ((len + 2) / 3);
	char *pem = malloc(sizeof(head) + b64 + sizeof(tail));
	size_t n = sizeof(head) - 1;

	if (pem == NULL)
		return NULL;
	memcpy(pem, head, n);
	n += (size_t)EVP_EncodeBlock((unsigned char *)pem + n, der, (int)len);
	memcpy(pem + n, tail, sizeof(tail));
	*out_len = n + sizeof(tail) - 1;
	return pem;
}

static void check_accepted(X509_REQ *req)
{
	X509_NAME *name = X509_REQ_get_subject_name(req);
	int i = X509_NAME_get_index_by_NID(name, NID_serialNumber, -1);
	EVP_PKEY *k = X509_REQ_get0_pubkey(req);
	unsigned char *utf8 = NULL;
	int n;

	char why[128];

	if (k == NULL || X509_REQ_verify(req, k) != 1 ||
	    cert_key_check(k, why, sizeof(why)) != CERT_OK)
		fz_fail("accepted a request whose key or signature is not acceptable");
	if (i < 0 || X509_NAME_get_index_by_NID(name, NID_serialNumber, i) >= 0)
		fz_fail("accepted a request without exactly one serialNumber");
	/* any string type, compared as UTF-8 (the issued subject is the
	 * server's own, so only the value matters) */
	n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	if (n != (int)strlen(ORG) || memcmp(utf8, ORG, strlen(ORG)) != 0)
		fz_fail("accepted a request for another organisation");
	OPENSSL_free(utf8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	X509_REQ *req = NULL;
	char detail[256] = "";
	char *pem;
	size_t len = size;
	csr_rc rc;

	if (size > CSR_MAX)
		return 0;
	if (size > 0 && data[0] == '-') {
		/* csr_check() takes a C string, as api_enrol hands it one */
		if ((pem = malloc(size + 1)) == NULL)
			return 0;
		memcpy(pem, data, size);
		pem[size] = '\0';
	} else if ((pem = der_to_pem(data, size, &len)) == NULL) {
		return 0;
	}
	rc = csr_check(pem, len, ORG, &req, detail, sizeof(detail));
	if (csr_rc_str(rc) == NULL)
		fz_fail("no message for %d", (int)rc);
	if (rc == CSR_OK)
		check_accepted(req);
	else if (req != NULL)
		fz_fail("refused request returned");
	X509_REQ_free(req);
	free(pem);
	return 0;
}
