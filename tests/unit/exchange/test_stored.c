/* test_stored.c — reading back an accepted package: files by their exact
 * manifest name and checked against the signed digest, the answers as
 * signed, and which names may be asked for as evidence. */
#include "../testutil.h"

#include "core/util/file.h"
#include "exchange/package.h"
#include "exchange/stored.h"

#include <zip.h>

static test_pki pki;
static X509 *cert;
static EVP_PKEY *key;
static char out_path[400];

#define ANSWERS                                                                                 \
	"<answers xmlns=\"urn:itaku:answers:1\" questionnaire=\"ipa-benchmark\" version=\"1\" " \
	"organisation=\"7999900000002\"><item id=\"1.1\" level=\"2\"><comment>c &amp; "         \
	"d</comment><evidence ref=\"evidence/policy.txt\"/><evidence "                          \
	"ref=\"evidence/Report.bin\"/></item><item id=\"1.2\" level=\"4\"/></answers>"

static int setup(void **state)
{
	char ans[400], ev1[400], ev2[400], detail[256];
	const char *ev[] = {ev1, ev2};
	(void)state;
	tu_pki_init(&pki);
	cert = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &key);
	snprintf(ans, sizeof(ans), "%s/answers.xml", pki.dir);
	snprintf(ev1, sizeof(ev1), "%s/policy.txt", pki.dir);
	snprintf(ev2, sizeof(ev2), "%s/Report.bin", pki.dir);
	snprintf(out_path, sizeof(out_path), "%s/out.asice", pki.dir);
	tu_write(ans, ANSWERS, strlen(ANSWERS));
	tu_write(ev1, "our policy", 10);
	tu_write(ev2, "\0\1\2\3binary", 10);
	return pkg_write(out_path, ans, ev, 2, cert, key, NULL, detail, sizeof(detail)) == PKG_OK
	               ? 0
	               : -1;
}

static int teardown(void **state)
{
	(void)state;
	X509_free(cert);
	EVP_PKEY_free(key);
	tu_pki_free(&pki);
	return 0;
}

static void read_listed_files(void **state)
{
	const unsigned char *buf;
	size_t len, n;
	unsigned char *data;
	pkg_stored *s = NULL;
	answers *a = NULL;
	(void)state;
	assert_int_equal(file_map(out_path, &buf, &len), FILE_OK);
	assert_int_equal(pkg_stored_open(buf, len, &s), STORED_OK);
	assert_int_equal(pkg_stored_manifest(s)->nrefs, 3);
	assert_int_equal(pkg_stored_read(s, "evidence/policy.txt", 1 << 20, &data, &n), STORED_OK);
	assert_int_equal(n, 10);
	assert_memory_equal(data, "our policy", 10);
	assert_int_equal(data[n], '\0');
	free(data);
	assert_int_equal(pkg_stored_read(s, "evidence/Report.bin", 1 << 20, &data, &n), STORED_OK);
	assert_memory_equal(data, "\0\1\2\3binary", 10);
	free(data);
	/* exact names only: the ZIP's names are unique ignoring case, but
	 * the manifest signs one spelling */
	assert_int_equal(pkg_stored_read(s, "evidence/Policy.txt", 1 << 20, &data, &n),
	                 STORED_ERR_NOT_LISTED);
	assert_null(data);
	assert_int_equal(pkg_stored_read(s, "evidence/report.bin", 1 << 20, &data, &n),
	                 STORED_ERR_NOT_LISTED);
	assert_int_equal(pkg_stored_read(s, "evidence/policy.txt ", 1 << 20, &data, &n),
	                 STORED_ERR_NOT_LISTED);
	/* in the ZIP but not listed: the manifest and the signature */
	assert_int_equal(pkg_stored_read(s, PKG_MANIFEST, 1 << 20, &data, &n),
	                 STORED_ERR_NOT_LISTED);
	assert_int_equal(pkg_stored_read(s, PKG_SIGNATURE, 1 << 20, &data, &n),
	                 STORED_ERR_NOT_LISTED);
	assert_int_equal(pkg_stored_read(s, "mimetype", 1 << 20, &data, &n), STORED_ERR_NOT_LISTED);
	/* the caller's limit */
	assert_int_equal(pkg_stored_read(s, "evidence/policy.txt", 9, &data, &n),
	                 STORED_ERR_TOO_LARGE);
	assert_null(data);
	assert_int_equal(pkg_stored_read(s, "evidence/policy.txt", 10, &data, &n), STORED_OK);
	free(data);
	assert_int_equal(pkg_stored_answers(s, 1 << 20, &a), STORED_OK);
	assert_int_equal(a->nitems, 2);
	assert_string_equal(a->items[0].comment, "c & d");
	assert_int_equal(a->items[0].nevidence, 2);
	assert_string_equal(a->items[0].evidence[1], "evidence/Report.bin");
	answers_free(a);
	pkg_stored_free(s);
	file_unmap(buf, len);
}

/* A copy of the package with entry name's bytes replaced (the manifest
 * left as signed): what the store would hold if a file were altered. */
static void altered_copy(const char *name, const char *bytes, const char *path)
{
	unsigned char *orig;
	size_t len;
	zip_t *za;
	zip_source_t *src;
	int err;
	assert_int_equal(file_read(out_path, 1 << 20, &orig, &len), FILE_OK);
	tu_write(path, orig, len);
	free(orig);
	assert_non_null(za = zip_open(path, 0, &err));
	assert_non_null(src = zip_source_buffer(za, bytes, strlen(bytes), 0));
	assert_int_equal(zip_file_replace(za, (zip_uint64_t)zip_name_locate(za, name, 0), src, 0),
	                 0);
	assert_int_equal(zip_close(za), 0);
}

static stored_rc read_from(const char *path, const char *name)
{
	const unsigned char *buf;
	size_t len, n = 0;
	unsigned char *data = NULL;
	pkg_stored *s = NULL;
	stored_rc rc;
	assert_int_equal(file_map(path, &buf, &len), FILE_OK);
	rc = pkg_stored_open(buf, len, &s);
	if (rc == STORED_OK)
		rc = pkg_stored_read(s, name, 1 << 20, &data, &n);
	if (rc != STORED_OK)
		assert_null(data);
	free(data);
	pkg_stored_free(s);
	file_unmap(buf, len);
	return rc;
}

static void altered_files_refused(void **state)
{
	char path[420];
	answers *a = NULL;
	(void)state;
	snprintf(path, sizeof(path), "%s/altered.asice", pki.dir);
	/* the same length, other bytes */
	altered_copy("evidence/policy.txt", "our POLICY", path);
	assert_int_equal(read_from(path, "evidence/policy.txt"), STORED_ERR_CORRUPT);
	assert_int_equal(read_from(path, "evidence/Report.bin"), STORED_OK);
	altered_copy("answers.xml", ANSWERS, path); /* the same text, so the same digest */
	assert_int_equal(read_from(path, "answers.xml"), STORED_OK);
	altered_copy("answers.xml", ANSWERS " ", path);
	assert_int_equal(read_from(path, "answers.xml"), STORED_ERR_CORRUPT);
	{
		const unsigned char *buf;
		size_t len;
		pkg_stored *s = NULL;
		assert_int_equal(file_map(path, &buf, &len), FILE_OK);
		assert_int_equal(pkg_stored_open(buf, len, &s), STORED_OK);
		assert_int_equal(pkg_stored_answers(s, 1 << 20, &a), STORED_ERR_CORRUPT);
		assert_null(a);
		pkg_stored_free(s);
		file_unmap(buf, len);
	}
	/* a manifest that no longer parses, and bytes that are no ZIP */
	altered_copy(PKG_MANIFEST, "<not a manifest", path);
	assert_int_equal(read_from(path, "evidence/policy.txt"), STORED_ERR_CORRUPT);
	tu_write(path, "PK\3\4 not really", 15);
	assert_int_equal(read_from(path, "evidence/policy.txt"), STORED_ERR_CORRUPT);
}

static void evidence_names(void **state)
{
	static const struct {
		const char *name;
		evidence_name_rc want;
	} cases[] = {
	        {"evidence/policy.txt", EVIDENCE_NAME_OK},
	        {"evidence/証跡 <script>&\"q\".pdf", EVIDENCE_NAME_OK},
	        {"evidence/a%00b", EVIDENCE_NAME_OK}, /* "%00" is text: never a NUL */
	        {"evidence/sub/x", EVIDENCE_NAME_OK},
	        {"evidence/..x", EVIDENCE_NAME_OK},
	        {"answers.xml", EVIDENCE_NAME_OUTSIDE},
	        {"mimetype", EVIDENCE_NAME_OUTSIDE},
	        {"META-INF/signature.p7s", EVIDENCE_NAME_OUTSIDE},
	        {"META-INF/ASiCManifest.xml", EVIDENCE_NAME_OUTSIDE},
	        {"Evidence/policy.txt", EVIDENCE_NAME_OUTSIDE},
	        {"EVIDENCE/policy.txt", EVIDENCE_NAME_OUTSIDE},
	        {"evidencepolicy.txt", EVIDENCE_NAME_OUTSIDE},
	        {"other/policy.txt", EVIDENCE_NAME_OUTSIDE},
	        {"", EVIDENCE_NAME_INVALID},
	        {"evidence/", EVIDENCE_NAME_INVALID},
	        {"evidence/x/", EVIDENCE_NAME_INVALID},
	        {"/evidence/x", EVIDENCE_NAME_INVALID},
	        {"evidence//x", EVIDENCE_NAME_INVALID},
	        {"evidence/../answers.xml", EVIDENCE_NAME_INVALID},
	        {"evidence/./x", EVIDENCE_NAME_INVALID},
	        {"evidence/..", EVIDENCE_NAME_INVALID},
	        {"../evidence/x", EVIDENCE_NAME_INVALID},
	        {"evidence\\x", EVIDENCE_NAME_INVALID},
	        {"evidence/c:x", EVIDENCE_NAME_INVALID},
	        {"evidence/x\ny", EVIDENCE_NAME_INVALID},
	        {"evidence/x\x7f", EVIDENCE_NAME_INVALID},
	        {"evidence/\x01", EVIDENCE_NAME_INVALID},
	};
	char longname[300];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (pkg_evidence_name(cases[i].name) != cases[i].want)
			fail_msg("\"%s\": got %d, want %d", cases[i].name,
			         pkg_evidence_name(cases[i].name), cases[i].want);
	}
	/* at most 255 bytes, as every ZIP name of an accepted package */
	memset(longname, 'a', sizeof(longname));
	memcpy(longname, "evidence/", 9);
	longname[255] = '\0';
	assert_int_equal(pkg_evidence_name(longname), EVIDENCE_NAME_OK);
	longname[255] = 'a';
	longname[256] = '\0';
	assert_int_equal(pkg_evidence_name(longname), EVIDENCE_NAME_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(read_listed_files),
	        cmocka_unit_test(altered_files_refused),
	        cmocka_unit_test(evidence_names),
	};
	return cmocka_run_group_tests_name("stored", tests, setup, teardown);
}
