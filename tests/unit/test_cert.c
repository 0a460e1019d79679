/* test_cert.c — certificate policy: chain, dates, usage, CRL. */
#include "testutil.h"

#include "../../crypto/cert.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

static test_pki pki;
static cert_trust *trust;

static int setup(void **state)
{
	(void)state;
	tu_pki_init(&pki);
	return cert_trust_load(pki.ca_path, NULL, &trust) == CERT_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cert_trust_free(trust);
	tu_pki_free(&pki);
	return 0;
}

static void client_ok_for_tls_and_signing(void **state)
{
	EVP_PKEY *k;
	(void)state;
	X509 *x = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k);
	assert_int_equal(cert_verify(trust, x, NULL, CERT_USE_TLS_CLIENT), CERT_OK);
	assert_int_equal(cert_verify(trust, x, NULL, CERT_USE_SIGNING), CERT_OK);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void expired_and_future(void **state)
{
	EVP_PKEY *k1, *k2;
	(void)state;
	X509 *old = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -10 * 86400, 2, &k1);
	X509 *future = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, 5 * 86400, 2, &k2);
	assert_int_equal(cert_verify(trust, old, NULL, CERT_USE_TLS_CLIENT), CERT_ERR_EXPIRED);
	assert_int_equal(cert_verify(trust, old, NULL, CERT_USE_SIGNING), CERT_ERR_EXPIRED);
	assert_int_equal(cert_verify(trust, future, NULL, CERT_USE_TLS_CLIENT),
	                 CERT_ERR_NOT_YET_VALID);
	X509_free(old);
	X509_free(future);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
}

static void other_ca_untrusted(void **state)
{
	test_pki other;
	EVP_PKEY *k;
	(void)state;
	tu_pki_init(&other);
	X509 *x = tu_issue(&other, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k);
	assert_int_equal(cert_verify(trust, x, NULL, CERT_USE_TLS_CLIENT), CERT_ERR_UNTRUSTED);
	assert_int_equal(cert_verify(trust, x, NULL, CERT_USE_SIGNING), CERT_ERR_UNTRUSTED);
	X509_free(x);
	EVP_PKEY_free(k);
	tu_pki_free(&other);
}

static void server_cert_not_a_client(void **state)
{
	EVP_PKEY *k;
	(void)state;
	X509 *x = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_SERVER, -60, 10, &k);
	assert_int_equal(cert_verify(trust, x, NULL, CERT_USE_TLS_CLIENT), CERT_ERR_USAGE);
	assert_int_equal(cert_verify(trust, x, NULL, CERT_USE_SIGNING), CERT_ERR_USAGE);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void write_crl(const char *path, X509 *revoked)
{
	X509_CRL *crl = X509_CRL_new();
	X509_REVOKED *r = X509_REVOKED_new();
	ASN1_TIME *now = ASN1_TIME_adj(NULL, time(NULL), 0, -60);
	ASN1_TIME *next = ASN1_TIME_adj(NULL, time(NULL), 7, 0);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(pki.ca));
	X509_CRL_set1_lastUpdate(crl, now);
	X509_CRL_set1_nextUpdate(crl, next);
	X509_REVOKED_set_serialNumber(r, X509_get_serialNumber(revoked));
	X509_REVOKED_set_revocationDate(r, now);
	X509_CRL_add0_revoked(crl, r);
	X509_CRL_sort(crl);
	assert_true(X509_CRL_sign(crl, pki.ca_key, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_X509_CRL(f, crl), 1);
	fclose(f);
	X509_CRL_free(crl);
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
}

static void crl_revocation(void **state)
{
	EVP_PKEY *k1, *k2;
	cert_trust *t = NULL;
	char crl[400];
	(void)state;
	X509 *bad = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k1);
	X509 *good = tu_issue(&pki, CA_KEY_RSA_2048, CA_PROFILE_CLIENT, -60, 10, &k2);
	snprintf(crl, sizeof(crl), "%s/ca.crl", pki.dir);
	write_crl(crl, bad);
	assert_int_equal(cert_trust_load(pki.ca_path, crl, &t), CERT_OK);
	assert_int_equal(cert_verify(t, bad, NULL, CERT_USE_TLS_CLIENT), CERT_ERR_REVOKED);
	assert_int_equal(cert_verify(t, bad, NULL, CERT_USE_SIGNING), CERT_ERR_REVOKED);
	assert_int_equal(cert_verify(t, good, NULL, CERT_USE_TLS_CLIENT), CERT_OK);
	cert_trust_free(t);
	X509_free(bad);
	X509_free(good);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
}

static void load_errors(void **state)
{
	cert_trust *t = NULL;
	char path[400];
	(void)state;
	assert_int_equal(cert_trust_load("/nonexistent/ca.pem", NULL, &t), CERT_ERR_IO);
	snprintf(path, sizeof(path), "%s/empty.pem", pki.dir);
	tu_write(path, "not pem\n", 8);
	assert_int_equal(cert_trust_load(path, NULL, &t), CERT_ERR_PARSE);
	assert_int_equal(cert_trust_load(pki.ca_path, path, &t), CERT_ERR_PARSE);
}

static void der_and_fingerprint(void **state)
{
	EVP_PKEY *k;
	unsigned char *der = NULL, junk[3] = {1, 2, 3};
	X509 *back = NULL;
	char fp1[65], fp2[65];
	(void)state;
	X509 *x = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k);
	int n = i2d_X509(x, &der);
	assert_true(n > 0);
	assert_int_equal(cert_from_der(der, (size_t)n, &back), CERT_OK);
	cert_fingerprint(x, fp1);
	cert_fingerprint(back, fp2);
	assert_string_equal(fp1, fp2);
	assert_int_equal(strlen(fp1), 64);
	X509_free(back);
	back = NULL;
	assert_int_equal(cert_from_der(junk, sizeof(junk), &back), CERT_ERR_PARSE);
	OPENSSL_free(der);
	X509_free(back);
	X509_free(x);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(client_ok_for_tls_and_signing),
	        cmocka_unit_test(expired_and_future),
	        cmocka_unit_test(other_ca_untrusted),
	        cmocka_unit_test(server_cert_not_a_client),
	        cmocka_unit_test(crl_revocation),
	        cmocka_unit_test(load_errors),
	        cmocka_unit_test(der_and_fingerprint),
	};
	return cmocka_run_group_tests_name("cert", tests, setup, teardown);
}
