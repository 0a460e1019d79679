/* testutil.h — fixtures shared by the unit tests: temporary directories and
 * a throw-away CA with client certificates, made with crypto/ca.c. */
#ifndef ITAKU_TESTUTIL_H
#define ITAKU_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
/* cmocka needs the three above first */
#include <cmocka.h>

#include "crypto/ca.h"

#include <openssl/x509v3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A writable copy of a string literal (a compound literal, no allocation),
 * for the char * fields of structs the parsers fill and free in real use. */
#define TU_S(lit) ((char[]){lit})

typedef struct test_pki {
	EVP_PKEY *ca_key;
	X509 *ca;
	char dir[256];
	char ca_path[300];
} test_pki;

static inline void tu_mkdtemp(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/itaku-unit.XXXXXX");
	assert_non_null(mkdtemp(buf));
}

static inline void tu_rmrf(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static inline void tu_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A fresh CA; its certificate is written to pki->ca_path. */
static inline void tu_pki_init(test_pki *pki)
{
	ca_subject s = {"unit test CA", "itaku tests", NULL};
	memset(pki, 0, sizeof(*pki));
	tu_mkdtemp(pki->dir, sizeof(pki->dir));
	snprintf(pki->ca_path, sizeof(pki->ca_path), "%s/ca.crt", pki->dir);
	assert_int_equal(ca_keygen(CA_KEY_EC_P256, &pki->ca_key), CA_OK);
	assert_int_equal(
	        ca_issue(NULL, pki->ca_key, pki->ca_key, &s, CA_PROFILE_ROOT, -60, 30, &pki->ca),
	        CA_OK);
	assert_int_equal(ca_write_cert(pki->ca_path, pki->ca), CA_OK);
}

static inline void tu_pki_free(test_pki *pki)
{
	X509_free(pki->ca);
	EVP_PKEY_free(pki->ca_key);
	tu_rmrf(pki->dir);
}

/* A certificate of the given profile issued by the test CA, valid from
 * offset seconds (negative: in the past) for days. */
static inline X509 *tu_issue(test_pki *pki, ca_key_type type, ca_profile profile, long offset,
                             int days, EVP_PKEY **key)
{
	X509 *x = NULL;
	ca_subject s = {"unit client", "itaku tests", "7999900000002"};
	assert_int_equal(ca_keygen(type, key), CA_OK);
	assert_int_equal(ca_issue(pki->ca, pki->ca_key, *key, &s, profile, offset, days, &x),
	                 CA_OK);
	return x;
}

/* A client-profile certificate from the test CA for a key the caller made
 * (any type: RSA-1024, P-384, Ed25519, …). */
static inline X509 *tu_issue_key(test_pki *pki, EVP_PKEY *key)
{
	X509 *x = NULL;
	ca_subject s = {"unit client", "itaku tests", "7999900000002"};
	assert_int_equal(ca_issue(pki->ca, pki->ca_key, key, &s, CA_PROFILE_CLIENT, -60, 10, &x),
	                 CA_OK);
	return x;
}

/* A certificate from the test CA with exactly these extensions (openssl
 * config syntax; NULL leaves one out), e.g. a CA:TRUE one with clientAuth. */
static inline X509 *tu_issue_ext(test_pki *pki, EVP_PKEY *key, const char *bc, const char *ku,
                                 const char *eku)
{
	const struct {
		int nid;
		const char *value;
	} ext[] = {{NID_basic_constraints, bc}, {NID_key_usage, ku}, {NID_ext_key_usage, eku}};
	X509 *x = X509_new();
	X509V3_CTX ctx;

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), (long)rand() + 2), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_UTF8,
	                                            (const unsigned char *)"ext client", -1, -1, 0),
	                 1);
	assert_int_equal(X509_set_issuer_name(x, X509_get_subject_name(pki->ca)), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), -60));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 86400));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	X509V3_set_ctx(&ctx, pki->ca, x, NULL, NULL, 0);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		if (ext[i].value == NULL)
			continue;
		X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, ext[i].nid, ext[i].value);
		assert_non_null(e);
		assert_int_equal(X509_add_ext(x, e, -1), 1);
		X509_EXTENSION_free(e);
	}
	assert_true(X509_sign(x, pki->ca_key, EVP_sha256()) > 0);
	return x;
}

/* A throwaway PostgreSQL cluster in a new directory (tests/pg/cluster.sh,
 * run from the source root as every unit binary is): its libpq URI in
 * uri, its directory in dir for tu_pg_stop(). */
static inline void tu_pg_start(char *dir, size_t dir_len, char *uri, size_t uri_len)
{
	char cmd[512];
	FILE *p;
	snprintf(dir, dir_len, "/tmp/itaku-pg.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "tests/pg/cluster.sh start '%s'", dir);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(uri, (int)uri_len, p));
	uri[strcspn(uri, "\n")] = '\0';
	assert_int_equal(pclose(p), 0);
}

static inline void tu_pg_stop(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "tests/pg/cluster.sh stop '%s' && rm -rf '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
}

#endif
