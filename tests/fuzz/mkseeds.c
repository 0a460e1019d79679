/* mkseeds.c — the fuzzers' seed generator (run by seeds.sh), built from
 * the same instrumented library as the targets:
 *   mkseeds pki DIR                 the test CA and signer (tests/fuzz/pki)
 *   mkseeds demo DIR                an `itaku init --demo` instance
 *   mkseeds pack OUT ANSWERS [EV..] a package signed by the test signer
 *   mkseeds csr DIR                 certificate requests, good and bad
 * It makes inputs only; what is checked is the targets' business. */
#include "core/instance.h"
#include "crypto/ca.h"
#include "exchange/package.h"
#include "fuzz_util.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

/* ~100 years: committed fixtures must not expire under the fuzzers */
#define PKI_DAYS 36500

static int pki(const char *dir)
{
	ca_subject cs = {"itaku fuzz test CA (not for real use)", "itaku tests", NULL};
	ca_subject ss = {"itaku fuzz signer", "itaku tests", "7999900000002"};
	EVP_PKEY *ca_key = NULL, *key = NULL;
	X509 *ca = NULL, *signer = NULL;
	char path[4096];
	int ok = 0;

	if (ca_keygen(CA_KEY_EC_P256, &ca_key) != CA_OK ||
	    ca_keygen(CA_KEY_EC_P256, &key) != CA_OK ||
	    ca_issue(NULL, ca_key, ca_key, &cs, CA_PROFILE_ROOT, -60, PKI_DAYS, &ca) != CA_OK ||
	    ca_issue(ca, ca_key, key, &ss, CA_PROFILE_CLIENT, -60, PKI_DAYS, &signer) != CA_OK)
		goto out;
	snprintf(path, sizeof(path), "%s/ca.crt", dir);
	if (ca_write_cert(path, ca) != CA_OK)
		goto out;
	snprintf(path, sizeof(path), "%s/signer.crt", dir);
	if (ca_write_cert(path, signer) != CA_OK)
		goto out;
	snprintf(path, sizeof(path), "%s/signer.key", dir);
	ok = ca_write_key(path, key) == CA_OK;
out:
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
	X509_free(ca);
	X509_free(signer);
	return ok;
}

static int pack(const char *out, const char *answers, const char *const *ev, size_t nev)
{
	const fz_pki *p = fz_pki_get();
	char detail[256] = "";
	pkg_rc rc =
	        pkg_write(out, answers, ev, nev, p->signer, p->key, NULL, detail, sizeof(detail));
	if (rc != PKG_OK)
		fprintf(stderr, "mkseeds pack %s: %s: %s\n", out, pkg_rc_code(rc), detail);
	return rc == PKG_OK;
}

/* One request: key type, subject serialNumber (NULL: none), and whether
 * to spoil the signature after signing. PEM, or DER when der is set. */
static int csr_one(const char *dir, const char *name, int nid, int bits, const char *serial,
                   int spoil, int der)
{
	EVP_PKEY *k = nid == EVP_PKEY_RSA ? EVP_RSA_gen((unsigned)bits)
	                                  : EVP_EC_gen(bits == 384 ? "secp384r1" : "prime256v1");
	X509_REQ *req = X509_REQ_new();
	X509_NAME *n = X509_NAME_new();
	char path[4096];
	FILE *f = NULL;
	int ok = 0;

	if (k == NULL || req == NULL || n == NULL ||
	    !X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)"fuzz", -1,
	                                -1, 0) ||
	    (serial != NULL &&
	     !X509_NAME_add_entry_by_txt(n, "serialNumber", MBSTRING_UTF8,
	                                 (const unsigned char *)serial, -1, -1, 0)) ||
	    !X509_REQ_set_subject_name(req, n) || !X509_REQ_set_pubkey(req, k) ||
	    X509_REQ_sign(req, k, EVP_sha256()) <= 0)
		goto out;
	if (spoil) {
		/* changes the subject after signing: the signature no longer verifies */
		X509_NAME_ENTRY *e = X509_NAME_get_entry(X509_REQ_get_subject_name(req), 0);
		ASN1_STRING_set(X509_NAME_ENTRY_get_data(e), "fuzy", 4);
		X509_REQ_set_subject_name(req, X509_REQ_get_subject_name(req));
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		goto out;
	ok = der ? i2d_X509_REQ_fp(f, req) == 1 : PEM_write_X509_REQ(f, req) == 1;
	ok = fclose(f) == 0 && ok;
out:
	X509_NAME_free(n);
	X509_REQ_free(req);
	EVP_PKEY_free(k);
	return ok;
}

static int csrs(const char *dir)
{
	return csr_one(dir, "ec.pem", EVP_PKEY_EC, 256, "7999900000002", 0, 0) &&
	       csr_one(dir, "ec.der", EVP_PKEY_EC, 256, "7999900000002", 0, 1) &&
	       csr_one(dir, "rsa.pem", EVP_PKEY_RSA, 2048, "7999900000002", 0, 0) &&
	       csr_one(dir, "rsa1024.der", EVP_PKEY_RSA, 1024, "7999900000002", 0, 1) &&
	       csr_one(dir, "p384.der", EVP_PKEY_EC, 384, "7999900000002", 0, 1) &&
	       csr_one(dir, "other-org.der", EVP_PKEY_EC, 256, "6999900000003", 0, 1) &&
	       csr_one(dir, "no-serial.der", EVP_PKEY_EC, 256, NULL, 0, 1) &&
	       csr_one(dir, "spoiled.der", EVP_PKEY_EC, 256, "7999900000002", 1, 1);
}

int main(int argc, char **argv)
{
	int ok = 0;

	if (argc >= 3 && strcmp(argv[1], "pki") == 0)
		ok = pki(argv[2]);
	else if (argc >= 3 && strcmp(argv[1], "demo") == 0) {
		FILE *devnull = fopen("/dev/null", "w");
		ok = devnull != NULL &&
		     instance_create(argv[2], "ipa-benchmark@1", NULL, NULL, devnull) == INST_OK;
		if (devnull != NULL)
			fclose(devnull);
	} else if (argc >= 4 && strcmp(argv[1], "pack") == 0)
		ok = pack(argv[2], argv[3], (const char *const *)argv + 4, (size_t)argc - 4);
	else if (argc >= 3 && strcmp(argv[1], "csr") == 0)
		ok = csrs(argv[2]);
	else
		fprintf(stderr,
		        "usage: mkseeds pki|demo|csr DIR, mkseeds pack OUT ANSWERS [EV..]\n");
	if (!ok)
		fprintf(stderr, "mkseeds %s failed\n", argc > 1 ? argv[1] : "");
	return ok ? 0 : 1;
}
