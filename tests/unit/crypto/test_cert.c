/* test_cert.c — certificate policy: chain, dates, usage, CRL, the key rule
 * and CA certificates as clients or signers. Keys of every kind are made
 * here with OpenSSL at test time. */
#include "../testutil.h"

#include "crypto/cert.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
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

/* A CRL of the test CA revoking revoked, issued days_ago, signed with key
 * (NULL: the CA's own). */
static void write_crl_as(const char *path, X509 *revoked, int days_ago, EVP_PKEY *key)
{
	X509_CRL *crl = X509_CRL_new();
	X509_REVOKED *r = X509_REVOKED_new();
	ASN1_TIME *now = ASN1_TIME_adj(NULL, time(NULL), -days_ago, -60);
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
	assert_true(X509_CRL_sign(crl, key != NULL ? key : pki.ca_key, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_X509_CRL(f, crl), 1);
	fclose(f);
	X509_CRL_free(crl);
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
}

static void write_crl(const char *path, X509 *revoked)
{
	write_crl_as(path, revoked, 0, NULL);
}

/* A CRL no CA of the file signed is refused (it must not count when a
 * reload compares dates); a reload compares per CA. */
static void crl_issuer_and_age(void **state)
{
	EVP_PKEY *k1, *other = NULL;
	cert_trust *now = NULL, *before = NULL, *t = NULL;
	char old[400], fresh[400];
	long long was, is;
	(void)state;
	X509 *bad = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k1);
	assert_int_equal(ca_keygen(CA_KEY_EC_P256, &other), CA_OK);
	snprintf(old, sizeof(old), "%s/old.crl", pki.dir);
	snprintf(fresh, sizeof(fresh), "%s/fresh.crl", pki.dir);
	write_crl_as(old, bad, 3, other); /* the CA's name, another key */
	assert_int_equal(cert_trust_load(pki.ca_path, old, &t), CERT_ERR_CRL_ISSUER);
	assert_null(t);
	write_crl_as(old, bad, 3, NULL);
	write_crl_as(fresh, bad, 1, NULL);
	assert_int_equal(cert_trust_load(pki.ca_path, old, &before), CERT_OK);
	assert_int_equal(cert_trust_load(pki.ca_path, fresh, &now), CERT_OK);
	assert_int_equal(cert_trust_crl_older(now, before, &was, &is), 0);
	assert_int_equal(cert_trust_crl_older(before, now, &was, &is), 1);
	assert_true(was > is && is > 0);
	cert_trust_free(now);
	now = NULL;
	/* the CA stays, its list goes: refused as well */
	assert_int_equal(cert_trust_load(pki.ca_path, NULL, &now), CERT_OK);
	assert_int_equal(cert_trust_crl_older(now, before, &was, &is), 1);
	assert_int_equal(is, 0);
	cert_trust_free(now);
	cert_trust_free(before);
	X509_free(bad);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(other);
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

/* cert_key_check(key) with the detail it must give ("" for CERT_OK). */
static void expect_key(EVP_PKEY *key, cert_rc want, const char *words)
{
	char detail[128] = "";
	assert_non_null(key);
	assert_int_equal(cert_key_check(key, detail, sizeof(detail)), want);
	if (strstr(detail, words) == NULL)
		fail_msg("detail \"%s\" lacks \"%s\"", detail, words);
	EVP_PKEY_free(key);
}

/* An RSA public key with any modulus and exponent (no private half: the
 * rule looks at public keys only). */
static EVP_PKEY *rsa_public(int nbits, const char *e_hex)
{
	BIGNUM *n = BN_new(), *e = NULL;
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *k = NULL;
	OSSL_PARAM *params;

	assert_int_equal(BN_rand(n, nbits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD), 1);
	assert_true(BN_hex2bn(&e, e_hex) > 0);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, n), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, e), 1);
	params = OSSL_PARAM_BLD_to_param(b);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params), 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(ctx);
	BN_free(n);
	BN_free(e);
	return k;
}

/* A P-256 key whose SubjectPublicKeyInfo spells the curve out (explicit
 * parameters), decoded back as a verifier would see it. */
static EVP_PKEY *p256_explicit(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), *back;
	unsigned char *der = NULL;
	const unsigned char *p;
	int n;

	assert_int_equal(EVP_PKEY_set_utf8_string_param(k, OSSL_PKEY_PARAM_EC_ENCODING,
	                                                OSSL_PKEY_EC_ENCODING_EXPLICIT),
	                 1);
	n = i2d_PUBKEY(k, &der);
	assert_true(n > 0);
	p = der;
	back = d2i_PUBKEY(NULL, &p, n);
	assert_non_null(back);
	OPENSSL_free(der);
	EVP_PKEY_free(k);
	return back;
}

static EVP_PKEY *dsa_key(void)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);
	EVP_PKEY *params = NULL, *k = NULL;
	EVP_PKEY_CTX *kc;
	assert_int_equal(EVP_PKEY_paramgen_init(pc), 1);
	assert_int_equal(EVP_PKEY_CTX_set_dsa_paramgen_bits(pc, 1024), 1);
	assert_int_equal(EVP_PKEY_paramgen(pc, &params), 1);
	kc = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
	assert_int_equal(EVP_PKEY_keygen_init(kc), 1);
	assert_int_equal(EVP_PKEY_keygen(kc, &k), 1);
	EVP_PKEY_CTX_free(kc);
	EVP_PKEY_CTX_free(pc);
	EVP_PKEY_free(params);
	return k;
}

static EVP_PKEY *rsa_pss_key(void)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
	EVP_PKEY *k = NULL;
	assert_int_equal(EVP_PKEY_keygen_init(c), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(c, 2048), 1);
	assert_int_equal(EVP_PKEY_keygen(c, &k), 1);
	EVP_PKEY_CTX_free(c);
	return k;
}

static void key_rule(void **state)
{
	(void)state;
	expect_key(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), CERT_OK, "");
	expect_key(EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048), CERT_OK, "");
	expect_key(EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024), CERT_ERR_WEAK_KEY,
	           "RSA-1024");
	expect_key(EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2047), CERT_ERR_WEAK_KEY,
	           "RSA-2047");
	/* the rule says P-256: P-384 and P-521 are not it */
	expect_key(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"), CERT_ERR_WEAK_KEY, "secp384r1");
	expect_key(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521"), CERT_ERR_WEAK_KEY, "secp521r1");
	expect_key(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1"), CERT_ERR_WEAK_KEY,
	           "secp256k1");
	expect_key(p256_explicit(), CERT_ERR_WEAK_KEY, "explicit curve parameters");
	expect_key(EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), CERT_ERR_WEAK_KEY, "ED25519");
	expect_key(EVP_PKEY_Q_keygen(NULL, NULL, "ED448"), CERT_ERR_WEAK_KEY, "ED448");
	expect_key(dsa_key(), CERT_ERR_WEAK_KEY, "DSA");
	expect_key(rsa_pss_key(), CERT_ERR_WEAK_KEY, "RSA-PSS");
	/* RSA exponents: 65537 and up to 2^256, odd */
	expect_key(rsa_public(2048, "10001"), CERT_OK, "");
	expect_key(rsa_public(4096,
	                      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"),
	           CERT_OK, "");
	expect_key(rsa_public(2048, "3"), CERT_ERR_WEAK_KEY, "exponent of 2 bits");
	expect_key(rsa_public(2048, "10000"), CERT_ERR_WEAK_KEY, "exponent of 17 bits");
	expect_key(rsa_public(2048, "10002"), CERT_ERR_WEAK_KEY, "exponent");
	expect_key(rsa_public(2048,
	                      "1"
	                      "0000000000000000000000000000000000000000000000000000000000000001"),
	           CERT_ERR_WEAK_KEY, "exponent of 257 bits");
	/* above OpenSSL's verification limit: no signature of it could ever
	 * be checked, and checking would be slow */
	expect_key(rsa_public(16384, "10001"), CERT_OK, "");
	expect_key(rsa_public(16392, "10001"), CERT_ERR_WEAK_KEY, "RSA-16392");
	{
		char detail[64] = "";
		assert_int_equal(cert_key_check(NULL, detail, sizeof(detail)), CERT_ERR_WEAK_KEY);
		assert_non_null(strstr(detail, "no decodable public key"));
		assert_int_equal(cert_key_check(NULL, NULL, 0), CERT_ERR_WEAK_KEY);
	}
}

/* cert_verify for both uses, after a DER round trip (what a peer sends). */
static void expect_both(X509 *x, cert_rc want)
{
	unsigned char *der = NULL;
	X509 *back = NULL;
	int n = i2d_X509(x, &der);
	assert_true(n > 0);
	assert_int_equal(cert_from_der(der, (size_t)n, &back), CERT_OK);
	assert_int_equal(cert_verify(trust, back, NULL, CERT_USE_TLS_CLIENT), want);
	assert_int_equal(cert_verify(trust, back, NULL, CERT_USE_SIGNING), want);
	OPENSSL_free(der);
	X509_free(back);
	X509_free(x);
}

static void weak_keys_refused_for_both_uses(void **state)
{
	EVP_PKEY *rsa1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	EVP_PKEY *expl = p256_explicit();
	EVP_PKEY *rsa2048 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	(void)state;
	/* the same chain, dates and usage as a good client: only the key differs */
	expect_both(tu_issue_key(&pki, rsa1024), CERT_ERR_WEAK_KEY);
	expect_both(tu_issue_key(&pki, p384), CERT_ERR_WEAK_KEY);
	expect_both(tu_issue_key(&pki, ed), CERT_ERR_WEAK_KEY);
	expect_both(tu_issue_key(&pki, expl), CERT_ERR_WEAK_KEY);
	expect_both(tu_issue_key(&pki, rsa2048), CERT_OK);
	EVP_PKEY_free(rsa1024);
	EVP_PKEY_free(p384);
	EVP_PKEY_free(ed);
	EVP_PKEY_free(expl);
	EVP_PKEY_free(rsa2048);
}

static void ca_certificates_refused(void **state)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	const char *ku = "critical,digitalSignature,nonRepudiation";
	const char *eku = "clientAuth,emailProtection";
	(void)state;
	/* CA:TRUE, and everything a client or signer needs besides */
	expect_both(tu_issue_ext(&pki, k, "critical,CA:TRUE", ku, eku), CERT_ERR_USAGE);
	expect_both(tu_issue_ext(&pki, k, "critical,CA:TRUE,pathlen:0", ku, eku), CERT_ERR_USAGE);
	/* no basicConstraints, but it may sign certificates */
	expect_both(tu_issue_ext(&pki, k, NULL, "critical,digitalSignature,keyCertSign", eku),
	            CERT_ERR_USAGE);
	/* the controls: CA:FALSE, and no basicConstraints at all */
	expect_both(tu_issue_ext(&pki, k, "critical,CA:FALSE", ku, eku), CERT_OK);
	expect_both(tu_issue_ext(&pki, k, NULL, ku, eku), CERT_OK);
	/* the trust anchor itself presented as a client */
	assert_int_equal(cert_verify(trust, pki.ca, NULL, CERT_USE_SIGNING), CERT_ERR_USAGE);
	EVP_PKEY_free(k);
}

static void leaf_check_alone(void **state)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	X509 *weak = tu_issue_key(&pki, k);
	char detail[128] = "";
	(void)state;
	assert_int_equal(cert_leaf_check(weak, detail, sizeof(detail)), CERT_ERR_WEAK_KEY);
	assert_string_equal(detail, "RSA-1024");
	assert_int_equal(cert_leaf_check(pki.ca, detail, sizeof(detail)), CERT_ERR_USAGE);
	assert_non_null(strstr(detail, "CA certificate"));
	assert_non_null(strstr(cert_rc_str(CERT_ERR_WEAK_KEY), "P-256"));
	X509_free(weak);
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
	        cmocka_unit_test(crl_issuer_and_age),
	        cmocka_unit_test(load_errors),
	        cmocka_unit_test(der_and_fingerprint),
	        cmocka_unit_test(key_rule),
	        cmocka_unit_test(weak_keys_refused_for_both_uses),
	        cmocka_unit_test(ca_certificates_refused),
	        cmocka_unit_test(leaf_check_alone),
	};
	return cmocka_run_group_tests_name("cert", tests, setup, teardown);
}
