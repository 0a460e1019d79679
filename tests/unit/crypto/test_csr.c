/* test_csr.c — certificate signing requests from enrolling
 * subcontractors: accepted when signed, with a P-256 or RSA-2048 key and
 * the invited organisation as serialNumber; every other case refused with
 * its own code. Requests are built with OpenSSL here, byte by byte. */
#include "../testutil.h"

#include "crypto/csr.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>

/* A PEM request for key with subject serialNumber=serial, CN=cn. */
static char *make_csr(EVP_PKEY *key, const char *serial, const char *cn)
{
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = X509_REQ_get_subject_name(req);
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL, *out;
	long n;

	if (serial != NULL)
		assert_int_equal(X509_NAME_add_entry_by_NID(name, NID_serialNumber, MBSTRING_ASC,
		                                            (const unsigned char *)serial, -1, -1,
		                                            0),
		                 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	                                            (const unsigned char *)cn, -1, -1, 0),
	                 1);
	assert_int_equal(X509_REQ_set_pubkey(req, key), 1);
	assert_true(X509_REQ_sign(req, key, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_bio_X509_REQ(b, req), 1);
	n = BIO_get_mem_data(b, &data);
	out = calloc(1, (size_t)n + 1);
	memcpy(out, data, (size_t)n);
	BIO_free(b);
	X509_REQ_free(req);
	return out;
}

static csr_rc check(const char *pem, const char *org, char *detail)
{
	X509_REQ *req = NULL;
	csr_rc rc = csr_check(pem, strlen(pem), org, &req, detail, 256);
	assert_true((rc == CSR_OK) == (req != NULL));
	X509_REQ_free(req);
	return rc;
}

static void accepted_and_refused(void **state)
{
	EVP_PKEY *ec = NULL, *rsa = NULL, *small = NULL;
	char detail[256] = "", *pem;
	(void)state;
	assert_int_equal(ca_keygen(CA_KEY_EC_P256, &ec), CA_OK);
	assert_int_equal(ca_keygen(CA_KEY_RSA_2048, &rsa), CA_OK);
	small = EVP_RSA_gen(1024);
	assert_non_null(small);

	pem = make_csr(ec, "5500000000011", "Kaede");
	assert_int_equal(check(pem, "5500000000011", detail), CSR_OK);
	/* the subject names another organisation */
	assert_int_equal(check(pem, "2500000000022", detail), CSR_ERR_SUBJECT);
	assert_non_null(
	        strstr(detail, "subject serialNumber \"5500000000011\" is not 2500000000022"));
	/* altered after signing: the CN's last letter changes, the signature stays */
	{
		BIO *b = BIO_new_mem_buf(pem, -1);
		X509_REQ *req = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL);
		unsigned char *der = NULL, *p;
		int len = i2d_X509_REQ(req, &der);
		BIO *o = BIO_new(BIO_s_mem());
		char *data = NULL, *tampered;
		long n;
		assert_true(len > 0);
		p = NULL;
		for (int i = 0; i + 5 <= len && p == NULL; i++)
			if (memcmp(der + i, "Kaede", 5) == 0)
				p = der + i;
		assert_non_null(p);
		p[4] = 'f';
		const unsigned char *q = der;
		X509_REQ *bad = d2i_X509_REQ(NULL, &q, len);
		assert_non_null(bad);
		PEM_write_bio_X509_REQ(o, bad);
		n = BIO_get_mem_data(o, &data);
		tampered = strndup(data, (size_t)n);
		assert_int_equal(check(tampered, "5500000000011", detail), CSR_ERR_SIGNATURE);
		free(tampered);
		X509_REQ_free(bad);
		X509_REQ_free(req);
		OPENSSL_free(der);
		BIO_free(o);
		BIO_free(b);
	}
	free(pem);

	pem = make_csr(rsa, "5500000000011", "Kaede RSA");
	assert_int_equal(check(pem, "5500000000011", detail), CSR_OK);
	free(pem);
	pem = make_csr(small, "5500000000011", "Kaede weak");
	assert_int_equal(check(pem, "5500000000011", detail), CSR_ERR_KEY);
	assert_non_null(strstr(detail, "RSA-1024"));
	free(pem);
	/* the key rule is cert.c's: P-256 only, not P-384 */
	{
		EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
		pem = make_csr(p384, "5500000000011", "Kaede P-384");
		assert_int_equal(check(pem, "5500000000011", detail), CSR_ERR_KEY);
		assert_non_null(strstr(detail, "secp384r1"));
		free(pem);
		EVP_PKEY_free(p384);
	}
	/* no serialNumber at all */
	pem = make_csr(ec, NULL, "Kaede");
	assert_int_equal(check(pem, "5500000000011", detail), CSR_ERR_SUBJECT);
	free(pem);
	assert_int_equal(check("not a request", "5500000000011", detail), CSR_ERR_PARSE);
	assert_int_equal(check("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
	                       "-----END CERTIFICATE REQUEST-----\n",
	                       "5500000000011", detail),
	                 CSR_ERR_PARSE);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(accepted_and_refused),
	};
	return cmocka_run_group_tests_name("csr", tests, NULL, NULL);
}
