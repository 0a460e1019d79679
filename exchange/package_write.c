/* package_write.c — building an answer package: validate the answers, write
 * the manifest over answers.xml and evidence, sign it (CAdES, detached) and
 * lay the ZIP out as ASiC-E wants (mimetype first and stored). */
#include "exchange/package.h"

#include "core/util/file.h"
#include "crypto/cms.h"
#include "crypto/digest.h"
#include "exchange/manifest.h"
#include "exchange/package_internal.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

typedef struct blob {
	char *name; /* name inside the package */
	unsigned char *data;
	size_t len;
} blob;

/* An input file whole. Larger than one entry may be inflated to
 * (pkg_limits_default) it could never be accepted, so it is not read on. */
static int read_input(const char *path, blob *b, char *detail, size_t detail_len)
{
	pkg_limits l;
	file_rc rc;

	pkg_limits_default(&l);
	if ((rc = file_read(path, (size_t)l.max_entry, &b->data, &b->len)) == FILE_OK)
		return 1;
	if (rc == FILE_ERR_TOO_BIG)
		snprintf(detail, detail_len,
		         "%s: larger than %llu MiB, the most one package entry may hold", path,
		         (unsigned long long)(l.max_entry >> 20));
	else
		snprintf(detail, detail_len, "cannot read %s: %s", path,
		         rc == FILE_ERR_NOMEM ? file_rc_message(rc) : strerror(errno));
	return 0;
}

static void blobs_free(blob *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(b[i].name);
		free(b[i].data);
	}
	free(b);
}

#define FAIL(code, ...)                                    \
	do {                                               \
		snprintf(detail, detail_len, __VA_ARGS__); \
		rc = (code);                               \
		goto out;                                  \
	} while (0)

static pkg_rc load_inputs(const char *answers_path, const char *const *evidence, size_t nev,
                          blob *files, char *detail, size_t detail_len)
{
	pkg_rc rc = PKG_OK;
	if ((files[0].name = strdup(PKG_ANSWERS)) == NULL)
		return PKG_ERR_NOMEM;
	if (!read_input(answers_path, &files[0], detail, detail_len))
		return PKG_ERR_IO;
	for (size_t i = 0; i < nev; i++) {
		char *copy = strdup(evidence[i]);
		char name[300];
		if (copy == NULL)
			return PKG_ERR_NOMEM;
		snprintf(name, sizeof(name), "evidence/%s", basename(copy));
		free(copy);
		if (!pkg_name_safe(name))
			FAIL(PKG_ERR_IO, "evidence file name %s cannot be stored", evidence[i]);
		for (size_t j = 1; j <= i; j++)
			if (strcmp(files[j].name, name) == 0)
				FAIL(PKG_ERR_IO, "two evidence files are named %s", name);
		if ((files[i + 1].name = strdup(name)) == NULL)
			return PKG_ERR_NOMEM;
		if (!read_input(evidence[i], &files[i + 1], detail, detail_len))
			return PKG_ERR_IO;
	}
out:
	return rc;
}

/* The answers must be what the server will accept, and every evidence
 * reference must be one of the files given. */
static pkg_rc check_inputs(const blob *files, size_t n, char *detail, size_t detail_len)
{
	answers *a = NULL;
	pkg_rc rc = PKG_OK;

	if ((rc = pkg_rc_from_answers(
	             answers_parse(files[0].data, files[0].len, &a, detail, detail_len))) != PKG_OK)
		return rc;
	for (size_t i = 0; i < a->nitems; i++) {
		for (size_t j = 0; j < a->items[i].nevidence; j++) {
			size_t k = 1;
			while (k < n && strcmp(files[k].name, a->items[i].evidence[j]) != 0)
				k++;
			if (k == n)
				FAIL(PKG_ERR_EVIDENCE_MISSING,
				     "item %s references %s; pass it with --evidence",
				     a->items[i].id, a->items[i].evidence[j]);
		}
	}
out:
	answers_free(a);
	return rc;
}

static pkg_rc build_manifest(const blob *files, size_t n, unsigned char **xml, size_t *len)
{
	/* the manifest's strings are its own when parsed (char *); here they
	 * are these, which outlive the call */
	char sig[] = PKG_SIGNATURE, xml_type[] = "text/xml",
	     bin_type[] = "application/octet-stream";
	manifest m = {.sig_uri = sig, .nrefs = n};
	manifest_rc mrc;

	if ((m.refs = calloc(n, sizeof(*m.refs))) == NULL)
		return PKG_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		m.refs[i].uri = files[i].name;
		m.refs[i].mime = i == 0 ? xml_type : bin_type;
		dgst_sha256(files[i].data, files[i].len, m.refs[i].sha256);
	}
	mrc = manifest_write(&m, xml, len);
	free(m.refs);
	return mrc == MANIFEST_OK ? PKG_OK : PKG_ERR_NOMEM;
}

static int add_entry(zip_t *za, const char *name, const void *data, size_t len, int store)
{
	zip_source_t *src = zip_source_buffer(za, data, len, 0);
	zip_int64_t idx;
	if (src == NULL)
		return 0;
	if ((idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(src);
		return 0;
	}
	return zip_set_file_compression(za, (zip_uint64_t)idx,
	                                store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) == 0;
}

static pkg_rc write_zip(const char *out_path, const blob *files, size_t n, const unsigned char *mf,
                        size_t mf_len, const unsigned char *sig, size_t sig_len, char *detail,
                        size_t detail_len)
{
	pkg_rc rc = PKG_ERR_IO;
	int err = 0;
	/* libzip writes to a temporary file and renames it on zip_close */
	zip_t *za = zip_open(out_path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	if (za == NULL)
		FAIL(PKG_ERR_IO, "cannot create %s", out_path);
	if (!add_entry(za, "mimetype", PKG_MIMETYPE, strlen(PKG_MIMETYPE), 1))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (!add_entry(za, files[i].name, files[i].data, files[i].len, 0))
			goto fail;
	if (!add_entry(za, PKG_MANIFEST, mf, mf_len, 0) ||
	    !add_entry(za, PKG_SIGNATURE, sig, sig_len, 0))
		goto fail;
	if (zip_close(za) != 0)
		goto fail;
	return PKG_OK;
fail:
	snprintf(detail, detail_len, "writing %s: %s", out_path, zip_strerror(za));
	zip_discard(za);
out:
	return rc;
}

pkg_rc pkg_write(const char *out_path, const char *answers_path, const char *const *evidence,
                 size_t nevidence, X509 *cert, EVP_PKEY *key, STACK_OF(X509) * chain, char *detail,
                 size_t detail_len)
{
	pkg_rc rc;
	size_t n = nevidence + 1, mf_len = 0, sig_len = 0;
	unsigned char *mf = NULL, *sig = NULL;
	blob *files = calloc(n, sizeof(*files));
	cms_rc crc;
	cert_rc lrc;
	char why[128] = "";

	if (detail_len > 0)
		detail[0] = '\0';
	if (files == NULL)
		return PKG_ERR_NOMEM;
	if ((rc = load_inputs(answers_path, evidence, nevidence, files, detail, detail_len)) !=
	    PKG_OK)
		goto out;
	if ((rc = check_inputs(files, n, detail, detail_len)) != PKG_OK)
		goto out;
	if ((rc = build_manifest(files, n, &mf, &mf_len)) != PKG_OK)
		goto out;
	/* the server's rules on the signer certificate itself (not a CA, the
	 * key rule): a package it would refuse is not signed */
	if ((lrc = cert_leaf_check(cert, why, sizeof(why))) != CERT_OK)
		FAIL(lrc == CERT_ERR_USAGE ? PKG_ERR_SIGNER_USAGE : PKG_ERR_SIGNER_WEAK_KEY,
		     "the signer certificate: %s (%s)", cert_rc_str(lrc), why);
	if (X509_check_private_key(cert, key) != 1)
		FAIL(PKG_ERR_SIGN, "the key does not belong to the certificate");
	crc = cms_sign_detached(mf, mf_len, cert, key, chain, &sig, &sig_len);
	if (crc != CMS_RC_OK)
		FAIL(PKG_ERR_SIGN, "%s", cms_rc_str(crc));
	rc = write_zip(out_path, files, n, mf, mf_len, sig, sig_len, detail, detail_len);
out:
	if (rc != PKG_OK && detail_len > 0 && detail[0] == '\0')
		snprintf(detail, detail_len, "%s", pkg_rc_message(rc));
	blobs_free(files, n);
	free(mf);
	OPENSSL_free(sig);
	return rc;
}
