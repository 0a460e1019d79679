/* test_identity.c — peer certificate chain → organisation and role. */
#include "../testutil.h"
#include "core/db/stmt.h"
#include "core/registry.h"

#include "core/errors.h"
#include "core/identity.h"

static test_pki pki;
static cert_trust *trust;
static db_conn *db;
static char dbpath[400];

static int setup(void **state)
{
	(void)state;
	tu_pki_init(&pki);
	snprintf(dbpath, sizeof(dbpath), "%s/t.db", pki.dir);
	if (db_open(dbpath, &db) != DB_OK)
		return -1;
	reg_org_add(db, "8999900000001", "Holdings", ROLE_ADMIN);
	return cert_trust_load(pki.ca_path, NULL, &trust) == CERT_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	cert_trust_free(trust);
	tu_pki_free(&pki);
	return 0;
}

static ident_rc resolve_cert(X509 *x, identity *who)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	ident_der chain = {der, (size_t)n};
	ident_rc rc = ident_resolve(trust, db, &chain, 1, who);
	OPENSSL_free(der);
	return rc;
}

static void outcomes(void **state)
{
	EVP_PKEY *k1, *k2, *k3;
	identity who;
	unsigned char junk[4] = {0x30, 0x82, 0xff, 0xff};
	ident_der bad = {junk, sizeof(junk)};
	(void)state;
	X509 *good = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k1);
	X509 *expired = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -10 * 86400, 1, &k2);
	X509 *server = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_SERVER, -60, 10, &k3);

	assert_int_equal(ident_resolve(trust, db, NULL, 0, &who), IDENT_ERR_NO_CERT);
	assert_int_equal(ident_resolve(trust, db, &bad, 1, &who), IDENT_ERR_BAD_CERT);
	assert_int_equal(resolve_cert(expired, &who), IDENT_ERR_EXPIRED);
	assert_int_equal(resolve_cert(server, &who), IDENT_ERR_USAGE);
	assert_int_equal(resolve_cert(good, &who), IDENT_ERR_UNREGISTERED);
	assert_int_equal(strlen(who.fingerprint), 64); /* named, for the audit log */
	assert_int_equal(registry_bind_cert(db, good, "8999900000001"), DB_OK);
	assert_int_equal(resolve_cert(good, &who), IDENT_OK);
	assert_string_equal(who.org_id, "8999900000001");
	assert_int_equal(who.role, ROLE_ADMIN);
	/* a binding from before keys were kept learns its key when seen,
	 * revoked or not: key_revoked covers it from then on */
	assert_int_equal(db_exec(db, "UPDATE certificates SET key_sha256 = NULL"), DB_R_OK);
	assert_int_equal(db_exec(db, "UPDATE certificates SET revoked_at='now'"), DB_R_OK);
	assert_int_equal(resolve_cert(good, &who), IDENT_ERR_REVOKED);
	{
		char kfp[65];
		reg_key_use use;
		assert_true(cert_key_fingerprint(X509_get0_pubkey(good), kfp));
		assert_int_equal(reg_key_use_get(db, kfp, "other-org", &use), DB_OK);
		assert_true(use.revoked);
		assert_string_equal(use.other_org, "8999900000001");
	}
	assert_int_equal(err_status(ident_rc_code(IDENT_ERR_UNREGISTERED)), 403);
	assert_int_equal(err_status(ident_rc_code(IDENT_ERR_NO_CERT)), 401);
	assert_string_equal(ident_rc_code(IDENT_ERR_EXPIRED), "cert_expired");
	X509_free(good);
	X509_free(expired);
	X509_free(server);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
	EVP_PKEY_free(k3);
}

/* Certificates bound before the key rule existed (straight into the
 * registry, as an old database holds them) are refused on every request. */
static void bound_before_the_rule(void **state)
{
	EVP_PKEY *rsa1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *weak = tu_issue_key(&pki, rsa1024);
	X509 *ca = tu_issue_ext(&pki, p256, "critical,CA:TRUE",
	                        "critical,digitalSignature,keyCertSign", "clientAuth");
	identity who;
	(void)state;
	assert_int_equal(registry_bind_cert(db, weak, "8999900000001"), DB_OK);
	assert_int_equal(registry_bind_cert(db, ca, "8999900000001"), DB_OK);
	assert_int_equal(resolve_cert(weak, &who), IDENT_ERR_WEAK_KEY);
	assert_string_equal(who.org_id, ""); /* never looked up */
	assert_int_equal(strlen(who.fingerprint), 64);
	assert_int_equal(resolve_cert(ca, &who), IDENT_ERR_USAGE);
	assert_string_equal(ident_rc_code(IDENT_ERR_WEAK_KEY), "cert_weak_key");
	assert_int_equal(err_status(ident_rc_code(IDENT_ERR_WEAK_KEY)), 401);
	assert_string_equal(ident_rc_code(ident_from_cert(CERT_ERR_USAGE)), "cert_usage");
	X509_free(weak);
	X509_free(ca);
	EVP_PKEY_free(rsa1024);
	EVP_PKEY_free(p256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(outcomes),
	        cmocka_unit_test(bound_before_the_rule),
	};
	return cmocka_run_group_tests_name("identity", tests, setup, teardown);
}
