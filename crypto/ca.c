/* ca.c — key generation and certificate issuing for the instance CA. The
 * profiles are fixed here so that every certificate itaku issues passes its
 * own policy in cert.c and that of `openssl cms -verify`. */
#include "crypto/ca.h"

#include <fcntl.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <unistd.h>

ca_rc ca_keygen(ca_key_type type, EVP_PKEY **out)
{
	EVP_PKEY *k = NULL;
	if (type == CA_KEY_EC_P256)
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ERR_clear_error();
	if (k == NULL)
		return CA_ERR_CRYPTO;
	*out = k;
	return CA_OK;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (ext == NULL)
		return 0;
	int ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* X.509 bounds commonName and organizationName to 64 characters
 * (RFC 5280 ub-common-name, ub-organization-name); names people give are
 * longer (the answers schema allows 200). The certificate carries the first
 * 64 characters, cut between characters; the registry keeps the whole
 * name. -1 when s is not UTF-8. */
#define UB_NAME 64
static int utf8_prefix(const char *s, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, chars = 0;
	while (p[i] != '\0' && chars < max_chars) {
		size_t len = p[i] < 0x80             ? 1
		             : (p[i] & 0xe0) == 0xc0 ? 2
		             : (p[i] & 0xf0) == 0xe0 ? 3
		             : (p[i] & 0xf8) == 0xf0 ? 4
		                                     : 0;
		if (len == 0)
			return -1;
		for (size_t k = 1; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return -1;
		i += len;
		chars++;
	}
	return i > INT_MAX ? -1 : (int)i;
}

static int add_name(X509_NAME *name, const char *field, const char *value)
{
	int len = utf8_prefix(value, UB_NAME);
	return len > 0 && X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
	                                             (const unsigned char *)value, len, -1, 0) == 1;
}

static int set_subject(X509 *cert, const ca_subject *s)
{
	X509_NAME *name = X509_get_subject_name(cert);
	if (s->org != NULL && !add_name(name, "O", s->org))
		return 0;
	if (s->serial != NULL &&
	    X509_NAME_add_entry_by_NID(name, NID_serialNumber, MBSTRING_ASC,
	                               (const unsigned char *)s->serial, -1, -1, 0) != 1)
		return 0;
	return add_name(name, "CN", s->cn);
}

static int set_random_serial(X509 *cert)
{
	unsigned char raw[16];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return 0;
	raw[0] &= 0x7f; /* keep it positive */
	raw[0] |= 0x01; /* and of a fixed length */
	BIGNUM *bn = BN_bin2bn(raw, sizeof(raw), NULL);
	int ok = bn != NULL && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
	BN_free(bn);
	return ok;
}

static int add_profile(X509 *cert, X509 *issuer, ca_profile profile)
{
	switch (profile) {
	case CA_PROFILE_ROOT:
		return add_ext(cert, issuer, NID_basic_constraints, "critical,CA:TRUE") &&
		       add_ext(cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign") &&
		       add_ext(cert, issuer, NID_subject_key_identifier, "hash");
	case CA_PROFILE_SERVER:
		return add_ext(cert, issuer, NID_basic_constraints, "critical,CA:FALSE") &&
		       add_ext(cert, issuer, NID_key_usage,
		               "critical,digitalSignature,keyEncipherment") &&
		       add_ext(cert, issuer, NID_ext_key_usage, "serverAuth") &&
		       add_ext(cert, issuer, NID_subject_alt_name,
		               "DNS:localhost,IP:127.0.0.1,IP:::1") &&
		       add_ext(cert, issuer, NID_subject_key_identifier, "hash") &&
		       add_ext(cert, issuer, NID_authority_key_identifier, "keyid");
	case CA_PROFILE_CLIENT:
		/* emailProtection lets the same key sign packages that stock
		 * `openssl cms -verify` (purpose smime_sign) accepts. */
		return add_ext(cert, issuer, NID_basic_constraints, "critical,CA:FALSE") &&
		       add_ext(cert, issuer, NID_key_usage,
		               "critical,digitalSignature,nonRepudiation") &&
		       add_ext(cert, issuer, NID_ext_key_usage, "clientAuth,emailProtection") &&
		       add_ext(cert, issuer, NID_subject_key_identifier, "hash") &&
		       add_ext(cert, issuer, NID_authority_key_identifier, "keyid");
	case CA_PROFILE_TSA:
		/* RFC 3161 2.3: timeStamping must be the only, critical EKU */
		return add_ext(cert, issuer, NID_basic_constraints, "critical,CA:FALSE") &&
		       add_ext(cert, issuer, NID_key_usage,
		               "critical,digitalSignature,nonRepudiation") &&
		       add_ext(cert, issuer, NID_ext_key_usage, "critical,timeStamping") &&
		       add_ext(cert, issuer, NID_subject_key_identifier, "hash") &&
		       add_ext(cert, issuer, NID_authority_key_identifier, "keyid");
	}
	return 0;
}

ca_rc ca_issue(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *subject_key, const ca_subject *subject,
               ca_profile profile, long not_before_offset, int days, X509 **out)
{
	ca_rc rc = CA_ERR_CRYPTO;
	X509 *cert = X509_new();

	if (subject == NULL || subject->cn == NULL || days <= 0) {
		rc = CA_ERR_ARG;
		goto fail;
	}
	if (cert == NULL) {
		rc = CA_ERR_NOMEM;
		goto fail;
	}
	if (X509_set_version(cert, 2) != 1 || !set_random_serial(cert) ||
	    !set_subject(cert, subject))
		goto fail;
	if (X509_set_issuer_name(cert, X509_get_subject_name(issuer != NULL ? issuer : cert)) != 1)
		goto fail;
	if (X509_gmtime_adj(X509_getm_notBefore(cert), not_before_offset) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(cert), not_before_offset + (long)days * 86400) ==
	            NULL)
		goto fail;
	if (X509_set_pubkey(cert, subject_key) != 1)
		goto fail;
	if (!add_profile(cert, issuer != NULL ? issuer : cert, profile))
		goto fail;
	if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0)
		goto fail;
	*out = cert;
	ERR_clear_error();
	return CA_OK;
fail:
	X509_free(cert);
	ERR_clear_error();
	return rc;
}

ca_rc ca_write_key(const char *path, EVP_PKEY *key)
{
	ca_rc rc = CA_ERR_IO;
	FILE *f = NULL;
	/* never over an existing file, never through a symbolic link: a key
	 * must not land where someone else chose */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		goto out;
	fd = -1;
	if (PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) != 1)
		goto out;
	rc = CA_OK;
out:
	if (f != NULL && fclose(f) != 0)
		rc = CA_ERR_IO;
	if (fd >= 0)
		close(fd);
	ERR_clear_error();
	return rc;
}

ca_rc ca_write_p12(const char *path, EVP_PKEY *key, X509 *cert, X509 *ca, const char *passphrase,
                   const char *name)
{
	STACK_OF(X509) *cas = NULL;
	PKCS12 *p12 = NULL;
	ca_rc rc = CA_ERR_CRYPTO;
	FILE *f = NULL;
	int fd = -1;

	if (ca != NULL && ((cas = sk_X509_new_null()) == NULL || !sk_X509_push(cas, ca)))
		goto out;
	/* NID 0 / iterations 0: the library's current defaults */
	if ((p12 = PKCS12_create(passphrase, name, key, cert, cas, 0, 0, 0, 0, 0)) == NULL)
		goto out;
	rc = CA_ERR_IO;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    (f = fdopen(fd, "wb")) == NULL)
		goto out;
	fd = -1;
	if (i2d_PKCS12_fp(f, p12) != 1)
		goto out;
	rc = CA_OK;
out:
	if (f != NULL && fclose(f) != 0)
		rc = CA_ERR_IO;
	if (fd >= 0)
		close(fd);
	if (rc != CA_OK && (f != NULL || fd >= 0))
		unlink(path);
	sk_X509_free(cas); /* ca stays the caller's */
	PKCS12_free(p12);
	ERR_clear_error();
	return rc;
}

ca_rc ca_write_cert(const char *path, X509 *x)
{
	ca_rc rc = CA_ERR_IO;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		return CA_ERR_IO;
	}
	if (PEM_write_X509(f, x) == 1)
		rc = CA_OK;
	if (fclose(f) != 0)
		rc = CA_ERR_IO;
	ERR_clear_error();
	return rc;
}

ca_rc ca_read_key(const char *path, EVP_PKEY **out)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return CA_ERR_IO;
	*out = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	ERR_clear_error();
	return *out != NULL ? CA_OK : CA_ERR_PARSE;
}

ca_rc ca_read_cert(const char *path, X509 **out)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return CA_ERR_IO;
	*out = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ERR_clear_error();
	return *out != NULL ? CA_OK : CA_ERR_PARSE;
}

ca_rc ca_read_chain(const char *path, const X509 *leaf, STACK_OF(X509) * *out)
{
	ca_rc rc = CA_ERR_NOMEM;
	X509 *x = NULL;
	STACK_OF(X509) *sk = sk_X509_new_null();
	FILE *f = fopen(path, "r");
	int read = 0;

	if (f == NULL) {
		rc = CA_ERR_IO;
		goto fail;
	}
	if (sk == NULL)
		goto fail;
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		read++;
		/* the leaf itself, when the file is a full chain: it is the
		 * signer already, the rest are what the verifier lacks */
		if (leaf != NULL && X509_cmp(x, leaf) == 0) {
			X509_free(x);
			continue;
		}
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			goto fail;
		}
	}
	fclose(f);
	f = NULL;
	ERR_clear_error();
	if (read == 0) {
		rc = CA_ERR_PARSE;
		goto fail;
	}
	*out = sk;
	return CA_OK;
fail:
	if (f != NULL)
		fclose(f);
	sk_X509_pop_free(sk, X509_free);
	ERR_clear_error();
	return rc;
}

const char *ca_rc_str(ca_rc rc)
{
	switch (rc) {
	case CA_OK: return "ok";
	case CA_ERR_NOMEM: return "out of memory";
	case CA_ERR_IO: return "cannot read or write file";
	case CA_ERR_PARSE: return "not a PEM key or certificate";
	case CA_ERR_CRYPTO: return "cryptographic operation failed";
	case CA_ERR_ARG: return "invalid argument";
	}
	return "unknown CA error";
}

char *ca_cert_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL, *out = NULL;
	long n;
	if (b != NULL && PEM_write_bio_X509(b, x) == 1 && (n = BIO_get_mem_data(b, &data)) > 0 &&
	    (out = malloc((size_t)n + 1)) != NULL) {
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
	}
	BIO_free(b);
	return out;
}
