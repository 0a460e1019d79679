/* test_cms.c — detached CMS: sign/verify both key types, tampering,
 * garbage, weak keys. */
#include "testutil.h"

#include "../../crypto/cms.h"

static test_pki pki;

static int setup(void **state)
{
	(void)state;
	tu_pki_init(&pki);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_pki_free(&pki);
	return 0;
}

static void roundtrip(ca_key_type type)
{
	EVP_PKEY *k;
	X509 *x = tu_issue(&pki, type, CA_PROFILE_CLIENT, -60, 10, &k), *signer = NULL;
	STACK_OF(X509) *certs = NULL;
	unsigned char data[] = "<manifest/>", *sig = NULL;
	size_t len = 0;

	assert_int_equal(cms_sign_detached(data, sizeof(data), x, k, NULL, &sig, &len), CMS_RC_OK);
	assert_int_equal(cms_verify_detached(sig, len, data, sizeof(data), &signer, &certs),
	                 CMS_RC_OK);
	assert_int_equal(X509_cmp(signer, x), 0);
	X509_free(signer);
	sk_X509_pop_free(certs, X509_free);
	/* one byte of the signed content changed */
	data[1] ^= 1;
	assert_int_equal(cms_verify_detached(sig, len, data, sizeof(data), &signer, &certs),
	                 CMS_RC_BAD_SIGNATURE);
	assert_null(signer);
	/* truncated signature */
	assert_int_equal(cms_verify_detached(sig, len - 1, data, sizeof(data), &signer, &certs),
	                 CMS_RC_PARSE);
	OPENSSL_free(sig);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void ec_roundtrip(void **state)
{
	(void)state;
	roundtrip(CA_KEY_EC_P256);
}

static void rsa_roundtrip(void **state)
{
	(void)state;
	roundtrip(CA_KEY_RSA_2048);
}

static void garbage(void **state)
{
	unsigned char junk[64] = {0x30, 0x03, 0x02, 0x01, 0x01};
	X509 *signer = NULL;
	STACK_OF(X509) *certs = NULL;
	(void)state;
	assert_int_equal(cms_verify_detached(junk, sizeof(junk), junk, 1, &signer, &certs),
	                 CMS_RC_PARSE);
	assert_int_equal(cms_verify_detached(junk, 0, junk, 1, &signer, &certs), CMS_RC_PARSE);
}

/* The SignedData's digestAlgorithms names a digest OpenSSL does not know:
 * refused, and (LeakSanitizer checks at exit) nothing leaks. OpenSSL 3.0's
 * CMS_verify() leaked a BIO here; found by tests/fuzz/fuzz_package. */
static void unknown_digest_algorithm(void **state)
{
	static const unsigned char sha256_oid[] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
	                                           0x65, 0x03, 0x04, 0x02, 0x01};
	EVP_PKEY *k;
	X509 *x = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k), *signer = NULL;
	STACK_OF(X509) *certs = NULL;
	unsigned char data[] = "<manifest/>", *sig = NULL, *oid;
	size_t len = 0;
	(void)state;

	assert_int_equal(cms_sign_detached(data, sizeof(data), x, k, NULL, &sig, &len), CMS_RC_OK);
	/* the first SHA-256 OID is the digestAlgorithms set's */
	for (oid = sig; oid + sizeof(sha256_oid) <= sig + len; oid++)
		if (memcmp(oid, sha256_oid, sizeof(sha256_oid)) == 0)
			break;
	assert_true(oid + sizeof(sha256_oid) <= sig + len);
	oid[sizeof(sha256_oid) - 1] = 0x7f;
	for (int i = 0; i < 100; i++)
		assert_int_equal(cms_verify_detached(sig, len, data, sizeof(data), &signer, &certs),
		                 CMS_RC_BAD_SIGNATURE);
	assert_null(signer);
	assert_null(certs);
	OPENSSL_free(sig);
	EVP_PKEY_free(k);
	X509_free(x);
}

static void weak_keys_refused(void **state)
{
	EVP_PKEY *rsa1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	EVP_PKEY *k;
	X509 *x = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k);
	unsigned char *sig = NULL;
	size_t len;
	(void)state;
	assert_false(cms_key_acceptable(rsa1024));
	assert_false(cms_key_acceptable(p384));
	assert_true(cms_key_acceptable(k));
	assert_int_equal(
	        cms_sign_detached((const unsigned char *)"x", 1, x, rsa1024, NULL, &sig, &len),
	        CMS_RC_ALGORITHM);
	EVP_PKEY_free(rsa1024);
	EVP_PKEY_free(p384);
	EVP_PKEY_free(k);
	X509_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ec_roundtrip),      cmocka_unit_test(rsa_roundtrip),
	        cmocka_unit_test(garbage),           cmocka_unit_test(unknown_digest_algorithm),
	        cmocka_unit_test(weak_keys_refused),
	};
	return cmocka_run_group_tests_name("cms", tests, setup, teardown);
}
