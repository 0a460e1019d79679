/* test_tsa.c — RFC 3161 receipts: stamp and verify, wrong data, wrong CA,
 * a signer without the timeStamping usage, garbage. */
#include "../testutil.h"

#include "crypto/digest.h"
#include "crypto/tsa.h"

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

static void stamp_and_verify(void **state)
{
	EVP_PKEY *k;
	X509 *tsa = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_TSA, -60, 10, &k);
	const unsigned char data[] = "package bytes";
	unsigned char md[32], *der = NULL;
	size_t len = 0;
	char when[32], detail[512];
	test_pki other;
	(void)state;
	dgst_sha256(data, sizeof(data), md);
	assert_int_equal(tsa_stamp(tsa, k, NULL, md, &der, &len, when, sizeof(when)), TSA_OK);
	assert_int_equal(strlen(when), 20);
	assert_int_equal(
	        tsa_verify(der, len, data, sizeof(data), pki.ca_path, detail, sizeof(detail)),
	        TSA_OK);
	/* other bytes */
	assert_int_equal(
	        tsa_verify(der, len, data, sizeof(data) - 1, pki.ca_path, detail, sizeof(detail)),
	        TSA_ERR_VERIFY);
	assert_non_null(strstr(detail, "imprint"));
	/* another CA */
	tu_pki_init(&other);
	assert_int_equal(
	        tsa_verify(der, len, data, sizeof(data), other.ca_path, detail, sizeof(detail)),
	        TSA_ERR_VERIFY);
	tu_pki_free(&other);
	/* truncated */
	assert_int_equal(
	        tsa_verify(der, len - 1, data, sizeof(data), pki.ca_path, detail, sizeof(detail)),
	        TSA_ERR_PARSE);
	OPENSSL_free(der);
	X509_free(tsa);
	EVP_PKEY_free(k);
}

static void signer_needs_timestamping(void **state)
{
	EVP_PKEY *k;
	X509 *client = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k);
	unsigned char md[32] = {1}, *der = NULL;
	size_t len = 0;
	char when[32];
	(void)state;
	/* OpenSSL refuses to act as TSA with a certificate lacking the EKU */
	assert_int_equal(tsa_stamp(client, k, NULL, md, &der, &len, when, sizeof(when)),
	                 TSA_ERR_SIGN);
	assert_null(der);
	X509_free(client);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(stamp_and_verify),
	        cmocka_unit_test(signer_needs_timestamping),
	};
	return cmocka_run_group_tests_name("tsa", tests, setup, teardown);
}
