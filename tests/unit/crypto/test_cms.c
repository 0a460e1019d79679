/* test_cms.c — detached CMS: sign/verify both key types, tampering,
 * garbage, weak keys, and the CAdES-BES profile: every variant is built
 * here with OpenSSL's CMS API (no signed attributes, another eContentType,
 * no signing-time, a signing-certificate-v2 for another certificate, …). */
#include "../testutil.h"

#include "crypto/cert.h"
#include "crypto/cms.h"

#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/pkcs7.h>

static test_pki pki;
static X509 *cert;
static EVP_PKEY *key;

static const unsigned char DATA[] = "<asic:ASiCManifest/>";

static int setup(void **state)
{
	(void)state;
	tu_pki_init(&pki);
	cert = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &key);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	X509_free(cert);
	EVP_PKEY_free(key);
	tu_pki_free(&pki);
	return 0;
}

static cms_rc verify(const unsigned char *sig, size_t len, char *detail)
{
	X509 *signer = NULL;
	STACK_OF(X509) *certs = NULL;
	cms_rc rc = cms_verify_detached(sig, len, DATA, sizeof(DATA), &signer, &certs, detail, 256);
	assert_true((rc == CMS_RC_OK) == (signer != NULL));
	X509_free(signer);
	sk_X509_pop_free(certs, X509_free);
	return rc;
}

static void roundtrip(ca_key_type type)
{
	EVP_PKEY *k;
	X509 *x = tu_issue(&pki, type, CA_PROFILE_CLIENT, -60, 10, &k), *signer = NULL;
	STACK_OF(X509) *certs = NULL;
	unsigned char data[] = "<manifest/>", *sig = NULL;
	size_t len = 0;
	char detail[256];

	assert_int_equal(cms_sign_detached(data, sizeof(data), x, k, NULL, &sig, &len), CMS_RC_OK);
	assert_int_equal(cms_verify_detached(sig, len, data, sizeof(data), &signer, &certs, detail,
	                                     sizeof(detail)),
	                 CMS_RC_OK);
	assert_int_equal(X509_cmp(signer, x), 0);
	X509_free(signer);
	sk_X509_pop_free(certs, X509_free);
	/* one byte of the signed content changed */
	data[1] ^= 1;
	assert_int_equal(cms_verify_detached(sig, len, data, sizeof(data), &signer, &certs, detail,
	                                     sizeof(detail)),
	                 CMS_RC_BAD_SIGNATURE);
	assert_null(signer);
	/* truncated signature */
	assert_int_equal(cms_verify_detached(sig, len - 1, data, sizeof(data), &signer, &certs,
	                                     detail, sizeof(detail)),
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
	char detail[256];
	(void)state;
	assert_int_equal(cms_verify_detached(junk, sizeof(junk), junk, 1, &signer, &certs, detail,
	                                     sizeof(detail)),
	                 CMS_RC_PARSE);
	assert_int_equal(
	        cms_verify_detached(junk, 0, junk, 1, &signer, &certs, detail, sizeof(detail)),
	        CMS_RC_PARSE);
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
	char detail[256];
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
		assert_int_equal(cms_verify_detached(sig, len, data, sizeof(data), &signer, &certs,
		                                     detail, sizeof(detail)),
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
	unsigned char *sig = NULL;
	size_t len;
	(void)state;
	/* signing applies the key rule of cert.c */
	assert_int_equal(
	        cms_sign_detached((const unsigned char *)"x", 1, cert, rsa1024, NULL, &sig, &len),
	        CMS_RC_ALGORITHM);
	assert_int_equal(
	        cms_sign_detached((const unsigned char *)"x", 1, cert, p384, NULL, &sig, &len),
	        CMS_RC_ALGORITHM);
	assert_null(sig);
	EVP_PKEY_free(rsa1024);
	EVP_PKEY_free(p384);
}

/* How a test signature departs from what cms_sign_detached() makes. */
typedef struct variant {
	int flags;            /* CMS_add1_signer flags besides CMS_BINARY */
	const char *econtent; /* eContentType OID, NULL: id-data */
	X509 *ess_v2;         /* add signing-certificate-v2 naming this certificate */
	int ess_serial;       /* … with issuerSerial */
	const EVP_MD *ess_md; /* … hashed with this (NULL: SHA-256, hashAlgorithm absent) */
	X509 *ess_hash_of;    /* … but with the SHA-256 hash of this certificate */
	X509 *ess_v1;         /* add the SHA-1 signing-certificate (v1) naming this */
	int drop;             /* delete this signed attribute after signing, then re-sign */
	int second_signer;
	int bad_digest; /* replace messageDigest by another value, then re-sign */
	int resign;     /* re-sign as it is (resign() makes valid signatures) */
	int v2_garbage; /* a signing-certificate-v2 whose value is no SEQUENCE */
	int two_times;  /* a second signing-time attribute, then re-sign */
} variant;

static void add_seq_attr(CMS_SignerInfo *si, int nid, unsigned char *der, int n)
{
	ASN1_STRING *seq = ASN1_STRING_new();
	assert_true(n > 0);
	assert_int_equal(ASN1_STRING_set(seq, der, n), 1);
	assert_int_equal(CMS_signed_add1_attr_by_NID(si, nid, V_ASN1_SEQUENCE, seq, -1), 1);
	ASN1_STRING_free(seq);
	OPENSSL_free(der);
}

/* Replaces from's SHA-256 certificate hash in der by to's (same length). */
static void swap_hash(unsigned char *der, size_t n, X509 *from, X509 *to)
{
	unsigned char a[32], b[32];
	size_t i = 0;
	assert_int_equal(X509_digest(from, EVP_sha256(), a, NULL), 1);
	assert_int_equal(X509_digest(to, EVP_sha256(), b, NULL), 1);
	while (i + sizeof(a) <= n && memcmp(der + i, a, sizeof(a)) != 0)
		i++;
	assert_true(i + sizeof(a) <= n);
	memcpy(der + i, b, sizeof(b));
}

static void add_ess(CMS_SignerInfo *si, const variant *v)
{
	unsigned char *der = NULL;
	if (v->ess_v2 != NULL) {
		ESS_SIGNING_CERT_V2 *sc = OSSL_ESS_signing_cert_v2_new_init(
		        v->ess_md ? v->ess_md : EVP_sha256(), v->ess_v2, NULL, v->ess_serial);
		assert_non_null(sc);
		int n = i2d_ESS_SIGNING_CERT_V2(sc, &der);
		if (v->ess_hash_of != NULL)
			swap_hash(der, (size_t)n, v->ess_v2, v->ess_hash_of);
		add_seq_attr(si, NID_id_smime_aa_signingCertificateV2, der, n);
		ESS_SIGNING_CERT_V2_free(sc);
	}
	der = NULL;
	if (v->ess_v1 != NULL) {
		ESS_SIGNING_CERT *sc = OSSL_ESS_signing_cert_new_init(v->ess_v1, NULL, 0);
		assert_non_null(sc);
		add_seq_attr(si, NID_id_smime_aa_signingCertificate, der,
		             i2d_ESS_SIGNING_CERT(sc, &der));
		ESS_SIGNING_CERT_free(sc);
	}
}

/* Signs the signed attributes as they are now (DER SET OF order), the way
 * CMS_SignerInfo_sign() would but without adding signing-time back. */
static void resign(CMS_SignerInfo *si, EVP_PKEY *k)
{
	STACK_OF(X509_ATTRIBUTE) *sk = sk_X509_ATTRIBUTE_new_null();
	unsigned char *der = NULL, *sig;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t slen = 0;
	int n;

	for (int i = 0; i < CMS_signed_get_attr_count(si); i++)
		assert_true(sk_X509_ATTRIBUTE_push(sk, CMS_signed_get_attr(si, i)) > 0);
	n = ASN1_item_i2d((ASN1_VALUE *)sk, &der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
	assert_true(n > 0);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k), 1);
	assert_int_equal(EVP_DigestSign(md, NULL, &slen, der, (size_t)n), 1);
	sig = OPENSSL_malloc(slen);
	assert_int_equal(EVP_DigestSign(md, sig, &slen, der, (size_t)n), 1);
	assert_int_equal(ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)slen), 1);
	OPENSSL_free(sig);
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	sk_X509_ATTRIBUTE_free(sk);
}

static unsigned char *sign_variant(X509 *x, EVP_PKEY *k, const variant *v, size_t *len)
{
	BIO *in = BIO_new_mem_buf(DATA, sizeof(DATA));
	CMS_ContentInfo *cms =
	        CMS_sign(NULL, NULL, NULL, NULL, CMS_BINARY | CMS_DETACHED | CMS_PARTIAL);
	CMS_SignerInfo *si;
	unsigned char *der = NULL;
	EVP_PKEY *k2 = NULL;
	X509 *x2 = NULL;
	int n;

	assert_non_null(cms);
	if (v->econtent != NULL) {
		ASN1_OBJECT *o = OBJ_txt2obj(v->econtent, 1);
		assert_int_equal(CMS_set1_eContentType(cms, o), 1);
		ASN1_OBJECT_free(o);
	}
	si = CMS_add1_signer(cms, x, k, EVP_sha256(), CMS_BINARY | v->flags);
	assert_non_null(si);
	add_ess(si, v);
	if (v->v2_garbage)
		assert_int_equal(CMS_signed_add1_attr_by_NID(si,
		                                             NID_id_smime_aa_signingCertificateV2,
		                                             V_ASN1_OCTET_STRING, "x", 1),
		                 1);
	if (v->second_signer) {
		x2 = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k2);
		assert_non_null(CMS_add1_signer(cms, x2, k2, EVP_sha256(), CMS_BINARY | CMS_CADES));
	}
	assert_int_equal(CMS_final(cms, in, NULL, CMS_BINARY | CMS_DETACHED), 1);
	if (v->drop != NID_undef) {
		int i = CMS_signed_get_attr_by_NID(si, v->drop, -1);
		assert_true(i >= 0);
		X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, i));
		resign(si, k);
	}
	if (v->bad_digest) {
		unsigned char other[32] = {1};
		int i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1);
		X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, i));
		assert_int_equal(CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest,
		                                             V_ASN1_OCTET_STRING, other,
		                                             sizeof(other)),
		                 1);
		resign(si, k);
	}
	if (v->two_times) {
		ASN1_TIME *t = ASN1_TIME_set(NULL, 86400);
		assert_int_equal(
		        CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, t->type, t, -1), 1);
		ASN1_TIME_free(t);
		resign(si, k);
	}
	if (v->resign)
		resign(si, k);
	n = i2d_CMS_ContentInfo(cms, &der);
	assert_true(n > 0);
	*len = (size_t)n;
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	X509_free(x2);
	EVP_PKEY_free(k2);
	return der;
}

static cms_rc check_variant(const variant *v, char *detail)
{
	size_t len = 0;
	unsigned char *sig = sign_variant(cert, key, v, &len);
	cms_rc rc = verify(sig, len, detail);
	OPENSSL_free(sig);
	return rc;
}

#define EXPECT_NOT_CADES(v, words)                                           \
	do {                                                                 \
		char d_[256] = "";                                           \
		assert_int_equal(check_variant(&(v), d_), CMS_RC_NOT_CADES); \
		if (strstr(d_, (words)) == NULL)                             \
			fail_msg("detail \"%s\" lacks \"%s\"", d_, (words)); \
	} while (0)

/* What `openssl cms -sign -cades` and cms_sign_detached() produce. */
static void cades_accepted(void **state)
{
	char detail[256];
	variant v = {.flags = CMS_CADES};
	(void)state;
	assert_int_equal(check_variant(&v, detail), CMS_RC_OK);
}

/* The browser signer (portal.js): contentType, signingTime, messageDigest
 * and a signing-certificate-v2 with issuerSerial; no SMIMECapabilities. */
static void browser_shape_accepted(void **state)
{
	char detail[256];
	variant v = {.flags = CMS_NOSMIMECAP, .ess_v2 = cert, .ess_serial = 1};
	variant sha512 = {.flags = CMS_NOSMIMECAP, .ess_v2 = cert, .ess_md = EVP_sha512()};
	variant both = {.flags = CMS_CADES, .ess_v1 = cert};
	(void)state;
	assert_int_equal(check_variant(&v, detail), CMS_RC_OK);
	/* hashAlgorithm present and another hash */
	assert_int_equal(check_variant(&sha512, detail), CMS_RC_OK);
	/* a correct v1 next to the v2 does no harm */
	assert_int_equal(check_variant(&both, detail), CMS_RC_OK);
}

static void not_cades_refused(void **state)
{
	EVP_PKEY *k2;
	X509 *other = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k2);
	variant noattr = {.flags = CMS_NOATTR};
	variant econtent = {.flags = CMS_CADES, .econtent = "1.2.840.113549.1.9.16.1.4"};
	variant no_v2 = {.flags = 0};
	variant v1_only = {.flags = 0, .ess_v1 = cert};
	variant foreign = {.flags = 0, .ess_v2 = other};
	variant foreign_serial = {.flags = 0, .ess_v2 = other, .ess_serial = 1};
	variant no_time = {.flags = CMS_CADES, .drop = NID_pkcs9_signingTime};
	variant no_ctype = {.flags = CMS_CADES, .drop = NID_pkcs9_contentType};
	variant no_digest = {.flags = CMS_CADES, .drop = NID_pkcs9_messageDigest};
	variant two = {.flags = CMS_CADES, .second_signer = 1};
	variant garbage_v2 = {.flags = 0, .v2_garbage = 1};
	variant two_times = {.flags = CMS_CADES, .two_times = 1};
	(void)state;

	EXPECT_NOT_CADES(noattr, "no signed attributes");
	EXPECT_NOT_CADES(econtent, "eContentType is 1.2.840.113549.1.9.16.1.4, not id-data");
	EXPECT_NOT_CADES(no_v2, "no signing-certificate-v2");
	EXPECT_NOT_CADES(v1_only, "only the SHA-1 signing-certificate (v1)");
	EXPECT_NOT_CADES(foreign, "does not name the signer certificate");
	EXPECT_NOT_CADES(foreign_serial, "does not name the signer certificate");
	EXPECT_NOT_CADES(no_time, "signing-time attribute is missing");
	EXPECT_NOT_CADES(no_ctype, "content-type attribute is missing");
	EXPECT_NOT_CADES(no_digest, "message-digest attribute is missing");
	EXPECT_NOT_CADES(two, "2 SignerInfos");
	EXPECT_NOT_CADES(garbage_v2, "signing-certificate-v2 is repeated or cannot be decoded");
	EXPECT_NOT_CADES(two_times, "signing-time attribute is not exactly one valid time");
	X509_free(other);
	EVP_PKEY_free(k2);
}

/* The signer's certificate hash with another certificate's issuer and
 * serial number: issuerSerial, when present, must match too. */
static void issuer_serial_must_match(void **state)
{
	EVP_PKEY *k2;
	X509 *other = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k2);
	char detail[256];
	variant right = {.flags = 0, .ess_v2 = cert, .ess_serial = 1};
	variant wrong = {.flags = 0, .ess_v2 = other, .ess_serial = 1, .ess_hash_of = cert};
	variant hash_only = {.flags = 0, .ess_v2 = other, .ess_hash_of = cert};
	(void)state;
	assert_int_equal(check_variant(&right, detail), CMS_RC_OK);
	/* the hash alone (no issuerSerial) is enough: swap_hash works */
	assert_int_equal(check_variant(&hash_only, detail), CMS_RC_OK);
	assert_int_equal(check_variant(&wrong, detail), CMS_RC_NOT_CADES);
	X509_free(other);
	EVP_PKEY_free(k2);
}

/* OpenSSL checks the messageDigest value: a CAdES-shaped signature over
 * other content does not verify. */
static void message_digest_checked(void **state)
{
	char detail[256];
	variant v = {.flags = CMS_CADES, .bad_digest = 1};
	variant same = {.flags = CMS_CADES, .resign = 1};
	(void)state;
	assert_int_equal(check_variant(&same, detail), CMS_RC_OK);
	assert_int_equal(check_variant(&v, detail), CMS_RC_BAD_SIGNATURE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ec_roundtrip),
	        cmocka_unit_test(rsa_roundtrip),
	        cmocka_unit_test(garbage),
	        cmocka_unit_test(unknown_digest_algorithm),
	        cmocka_unit_test(weak_keys_refused),
	        cmocka_unit_test(cades_accepted),
	        cmocka_unit_test(browser_shape_accepted),
	        cmocka_unit_test(not_cades_refused),
	        cmocka_unit_test(issuer_serial_must_match),
	        cmocka_unit_test(message_digest_checked),
	};
	return cmocka_run_group_tests_name("cms", tests, setup, teardown);
}
