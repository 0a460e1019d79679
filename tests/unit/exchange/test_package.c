/* test_package.c — building and verifying answer packages, and the
 * structural refusals (built here with libzip, byte by byte). */
#include "../testutil.h"

#include "core/util/file.h"
#include "crypto/digest.h"
#include "exchange/package.h"
#include "forms/xmldoc.h"

#include <zip.h>

static test_pki pki;
static cert_trust *trust;
static X509 *cert;
static EVP_PKEY *key;
static char answers_path[400], evidence_path[400], out_path[400];

#define ANSWERS                                                                                 \
	"<answers xmlns=\"urn:itaku:answers:1\" questionnaire=\"ipa-benchmark\" version=\"1\" " \
	"organisation=\"7999900000002\"><item id=\"1.1\" level=\"2\"><evidence "                \
	"ref=\"evidence/policy.txt\"/></item><item id=\"1.2\" level=\"4\"/></answers>"

static int setup(void **state)
{
	(void)state;
	tu_pki_init(&pki);
	cert = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &key);
	snprintf(answers_path, sizeof(answers_path), "%s/answers.xml", pki.dir);
	snprintf(evidence_path, sizeof(evidence_path), "%s/policy.txt", pki.dir);
	snprintf(out_path, sizeof(out_path), "%s/out.asice", pki.dir);
	tu_write(answers_path, ANSWERS, strlen(ANSWERS));
	tu_write(evidence_path, "policy", 6);
	return cert_trust_load(pki.ca_path, NULL, &trust) == CERT_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cert_trust_free(trust);
	X509_free(cert);
	EVP_PKEY_free(key);
	tu_pki_free(&pki);
	return 0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	assert_int_equal(file_read(path, 1 << 20, &buf, len), FILE_OK);
	return buf;
}

static pkg_rc verify_file(const char *path, const pkg_limits *l, pkg **p, char *detail)
{
	size_t len;
	unsigned char *buf = slurp(path, &len);
	pkg_rc rc = pkg_verify(buf, len, l, trust, p, detail, 512);
	free(buf);
	return rc;
}

static void write_then_verify(void **state)
{
	const char *ev[] = {evidence_path};
	char detail[512];
	pkg_limits l;
	pkg *p = NULL;
	(void)state;
	pkg_limits_default(&l);
	assert_int_equal(pkg_write(out_path, answers_path, ev, 1, cert, key, NULL, detail, 512),
	                 PKG_OK);
	assert_int_equal(verify_file(out_path, &l, &p, detail), PKG_OK);
	assert_string_equal(pkg_answers(p)->organisation, "7999900000002");
	assert_int_equal(pkg_answers(p)->nitems, 2);
	json_t *d = pkg_details(p);
	assert_non_null(d);
	assert_int_equal(json_array_size(json_object_get(d, "files")), 2);
	json_decref(d);
	pkg_free(p);
	/* the same package against another CA */
	test_pki other;
	cert_trust *t2 = NULL;
	tu_pki_init(&other);
	assert_int_equal(cert_trust_load(other.ca_path, NULL, &t2), CERT_OK);
	size_t len;
	unsigned char *buf = slurp(out_path, &len);
	assert_int_equal(pkg_verify(buf, len, &l, t2, &p, detail, 512), PKG_ERR_SIGNER_UNTRUSTED);
	assert_null(p);
	/* the caller's digest is the one reported, raw and in hex */
	unsigned char md[32];
	char hex[65];
	dgst_sha256(buf, len, md);
	dgst_hex(md, sizeof(md), hex);
	assert_int_equal(pkg_verify_hashed(buf, len, md, &l, trust, &p, detail, 512), PKG_OK);
	assert_string_equal(pkg_sha256(p), hex);
	assert_memory_equal(pkg_sha256_raw(p), md, sizeof(md));
	pkg_free(p);
	assert_int_equal(pkg_verify(buf, len, &l, trust, &p, detail, 512), PKG_OK);
	assert_string_equal(pkg_sha256(p), hex);
	assert_memory_equal(pkg_sha256_raw(p), md, sizeof(md));
	pkg_free(p);
	assert_int_equal(pkg_verify_hashed(buf, len, md, &l, t2, &p, detail, 512),
	                 PKG_ERR_SIGNER_UNTRUSTED);
	assert_null(p);
	/* and with a limit below its size */
	l.max_bytes = len - 1;
	assert_int_equal(pkg_verify(buf, len, &l, trust, &p, detail, 512), PKG_ERR_TOO_LARGE);
	assert_null(p);
	assert_int_equal(pkg_verify_hashed(buf, len, md, &l, trust, &p, detail, 512),
	                 PKG_ERR_TOO_LARGE);
	assert_null(p);
	free(buf);
	cert_trust_free(t2);
	tu_pki_free(&other);
}

static void write_refuses_bad_input(void **state)
{
	char detail[512], bad[400];
	(void)state;
	/* evidence referenced but not given */
	assert_int_equal(pkg_write(out_path, answers_path, NULL, 0, cert, key, NULL, detail, 512),
	                 PKG_ERR_EVIDENCE_MISSING);
	snprintf(bad, sizeof(bad), "%s/bad.xml", pki.dir);
	tu_write(bad, "<answers", 8);
	assert_int_equal(pkg_write(out_path, bad, NULL, 0, cert, key, NULL, detail, 512),
	                 PKG_ERR_ANSWERS_MALFORMED);
	assert_int_equal(pkg_write(out_path, "/nonexistent", NULL, 0, cert, key, NULL, detail, 512),
	                 PKG_ERR_IO);
	assert_string_equal(detail, "cannot read /nonexistent: No such file or directory");
	/* evidence larger than one entry may ever be (a sparse file): refused
	 * by name, not read to the end */
	pkg_limits l;
	char big[400], want[600];
	const char *ev[] = {big};
	pkg_limits_default(&l);
	snprintf(big, sizeof(big), "%s/big.pdf", pki.dir);
	tu_write(big, "", 0);
	assert_int_equal(truncate(big, (off_t)l.max_entry + 1), 0);
	assert_int_equal(pkg_write(out_path, answers_path, ev, 1, cert, key, NULL, detail, 512),
	                 PKG_ERR_IO);
	snprintf(want, sizeof(want), "%s: larger than 64 MiB, the most one package entry may hold",
	         big);
	assert_string_equal(detail, want);
	unlink(big);
}

/* `itaku pack` applies the server's signer rules before signing: a
 * package the server would refuse is not written. */
static void write_refuses_weak_or_ca_signer(void **state)
{
	const char *ev[] = {evidence_path};
	EVP_PKEY *rsa1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *weak = tu_issue_key(&pki, rsa1024);
	X509 *ca = tu_issue_ext(&pki, p256, "critical,CA:TRUE", "critical,digitalSignature",
	                        "clientAuth,emailProtection");
	char detail[512], path[400];
	(void)state;
	snprintf(path, sizeof(path), "%s/refused.asice", pki.dir);
	assert_int_equal(pkg_write(path, answers_path, ev, 1, weak, rsa1024, NULL, detail, 512),
	                 PKG_ERR_SIGNER_WEAK_KEY);
	assert_non_null(strstr(detail, "RSA-1024"));
	assert_int_equal(pkg_write(path, answers_path, ev, 1, ca, p256, NULL, detail, 512),
	                 PKG_ERR_SIGNER_USAGE);
	assert_int_equal(access(path, F_OK), -1);
	assert_string_equal(pkg_rc_code(PKG_ERR_SIGNER_WEAK_KEY), "signer_weak_key");
	assert_string_equal(pkg_rc_code(PKG_ERR_SIGNATURE_NOT_CADES), "signature_not_cades");
	X509_free(weak);
	X509_free(ca);
	EVP_PKEY_free(rsa1024);
	EVP_PKEY_free(p256);
}

static void name_safety(void **state)
{
	static const struct {
		const char *name;
		int safe;
	} names[] = {
	        {"answers.xml", 1}, {"evidence/a.pdf", 1},
	        {"META-INF/", 1},   {"a/b/c.txt", 1},
	        {"../x", 0},        {"a/../../x", 0},
	        {"/etc/passwd", 0}, {"a//b", 0},
	        {"./a", 0},         {"a\\b", 0},
	        {"C:evil", 0},      {"", 0},
	        {"a/./b", 0},       {"..", 0},
	        {"tab\there", 0},   {"evidence/..", 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (pkg_name_safe(names[i].name) != names[i].safe)
			fail_msg("%s: expected %d", names[i].name, names[i].safe);
}

/* Builds a ZIP with libzip: entries as name/data/compression triples. */
static void make_zip(const char *path, const char *const *names, const char *const *data,
                     const int *stored, size_t n)
{
	int err;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, data[i], strlen(data[i]), 0);
		zip_int64_t idx = zip_file_add(z, names[i], s, 0);
		assert_true(idx >= 0);
		zip_set_file_compression(z, (zip_uint64_t)idx,
		                         stored[i] ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
	}
	assert_int_equal(zip_close(z), 0);
}

static void structure_refusals(void **state)
{
	static const char *mt = "application/vnd.etsi.asic-e+zip";
	char path[400], detail[512];
	pkg_limits l;
	pkg *p = NULL;
	(void)state;
	pkg_limits_default(&l);
	snprintf(path, sizeof(path), "%s/s.zip", pki.dir);
	{
		const char *n[] = {"answers.xml"}, *d[] = {ANSWERS};
		const int s[] = {0};
		make_zip(path, n, d, s, 1);
		assert_int_equal(verify_file(path, &l, &p, detail), PKG_ERR_MIMETYPE_MISSING);
	}
	{
		const char *n[] = {"answers.xml", "mimetype"}, *d[] = {ANSWERS, mt};
		const int s[] = {0, 1};
		make_zip(path, n, d, s, 2);
		assert_int_equal(verify_file(path, &l, &p, detail), PKG_ERR_MIMETYPE_NOT_FIRST);
	}
	{
		/* compressible content: libzip stores what deflate cannot shrink */
		const char
		        *n[] = {"mimetype"},
		        *d[] = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
		const int s[] = {0};
		make_zip(path, n, d, s, 1);
		assert_int_equal(verify_file(path, &l, &p, detail), PKG_ERR_MIMETYPE_COMPRESSED);
	}
	{
		const char *n[] = {"mimetype", "answers.xml"}, *d[] = {mt, ANSWERS};
		const int s[] = {1, 0};
		make_zip(path, n, d, s, 2);
		assert_int_equal(verify_file(path, &l, &p, detail), PKG_ERR_MANIFEST_MISSING);
	}
	{
		const char *n[] = {"mimetype", "a.txt"}, *d[] = {mt, "x"};
		const int s[] = {1, 0};
		make_zip(path, n, d, s, 2);
		l.max_entries = 1;
		assert_int_equal(verify_file(path, &l, &p, detail), PKG_ERR_ZIP_ENTRIES);
		pkg_limits_default(&l);
	}
	{
		const char *n[] = {"mimetype", "A.TXT", "a.txt"}, *d[] = {mt, "x", "y"};
		const int s[] = {1, 0, 0};
		make_zip(path, n, d, s, 3);
		assert_int_equal(verify_file(path, &l, &p, detail), PKG_ERR_ZIP_DUPLICATE);
	}
	assert_null(p);
	unsigned char junk[100] = "PK\x03\x04 and then nothing that makes sense";
	assert_int_equal(pkg_verify(junk, sizeof(junk), &l, trust, &p, detail, 512),
	                 PKG_ERR_NOT_ZIP);
	assert_int_equal(pkg_verify(junk, 3, &l, trust, &p, detail, 512), PKG_ERR_NOT_ZIP);
}

static void put_le(unsigned char *p, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_le(const unsigned char *p, int n)
{
	uint32_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* answers.xml as libzip reads it when it opens buf as the server did
 * before ziplayout.c (ZIP_CHECKCONS), or NULL */
static char *libzip_answers(const unsigned char *buf, size_t len)
{
	zip_error_t err;
	zip_source_t *src;
	zip_t *za;
	zip_file_t *f;
	char *text = calloc(1, 8192);

	zip_error_init(&err);
	src = zip_source_buffer_create(buf, len, 0, &err);
	assert_non_null(src);
	assert_non_null(za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err));
	assert_non_null(f = zip_fopen(za, "answers.xml", 0));
	assert_true(zip_fread(f, text, 8191) > 0);
	zip_fclose(f);
	zip_discard(za);
	zip_error_fini(&err);
	return text;
}

/* Issue 11: package B appended to package A, A's end record given a
 * comment that covers B. Readers that take the last end record (unzip,
 * Python) read B; libzip 1.7, which keeps the record whose entries span
 * most, reads A. Both are validly signed; the server must refuse. */
static void two_end_records(void **state)
{
	const char *ev[] = {evidence_path};
	unsigned char *a, *b, *both, big[3000];
	size_t alen, blen, n;
	char detail[512], *seen;
	pkg_limits l;
	pkg *p = NULL;
	(void)state;
	pkg_limits_default(&l);
	/* A: level 2, with incompressible evidence so that it spans most */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 7919u >> 3 ^ i * 31u);
	tu_write(evidence_path, big, sizeof(big));
	assert_int_equal(pkg_write(out_path, answers_path, ev, 1, cert, key, NULL, detail, 512),
	                 PKG_OK);
	a = slurp(out_path, &alen);
	/* B: level 5, small */
	{
		char answers5[sizeof(ANSWERS)], *lv;
		memcpy(answers5, ANSWERS, sizeof(ANSWERS));
		lv = strstr(answers5, "level=\"2\"");
		lv[7] = '5';
		tu_write(answers_path, answers5, strlen(answers5));
		tu_write(evidence_path, "policy", 6);
		assert_int_equal(
		        pkg_write(out_path, answers_path, ev, 1, cert, key, NULL, detail, 512),
		        PKG_OK);
		b = slurp(out_path, &blen);
		tu_write(answers_path, ANSWERS, strlen(ANSWERS));
	}
	assert_true(alen > blen);
	assert_int_equal(pkg_verify(a, alen, &l, trust, &p, detail, 512), PKG_OK);
	pkg_free(p);
	assert_int_equal(pkg_verify(b, blen, &l, trust, &p, detail, 512), PKG_OK);
	pkg_free(p);
	/* B's local-header offsets move by alen, A's comment is all of B */
	n = alen + blen;
	both = malloc(n);
	memcpy(both, a, alen);
	memcpy(both + alen, b, blen);
	put_le(both + alen - 2, (uint32_t)blen, 2);
	{
		unsigned char *e = both + n - 22;
		size_t c = alen + get_le(e + 16, 4);
		for (uint32_t i = 0; i < get_le(e + 10, 2); i++) {
			put_le(both + c + 42, get_le(both + c + 42, 4) + (uint32_t)alen, 4);
			c += 46 + get_le(both + c + 28, 2) + get_le(both + c + 30, 2) +
			     get_le(both + c + 32, 2);
		}
		put_le(e + 16, get_le(e + 16, 4) + (uint32_t)alen, 4);
	}
	/* what the server read before: A, although the last end record is B's
	 * (libzip 1.7 of Debian 12; later ones may search like unzip) */
	seen = libzip_answers(both, n);
#if LIBZIP_VERSION_MAJOR == 1 && LIBZIP_VERSION_MINOR <= 7
	assert_non_null(strstr(seen, "id=\"1.1\" level=\"2\""));
#endif
	free(seen);
	assert_int_equal(pkg_verify(both, n, &l, trust, &p, detail, 512), PKG_ERR_ZIP_AMBIGUOUS);
	assert_null(p);
	assert_non_null(strstr(detail, "a second end of central directory record"));
	free(a);
	free(b);
	free(both);
}

/* The offset and compressed size of name's data in a ZIP we wrote. */
static size_t data_of(const unsigned char *buf, size_t len, const char *name, size_t *csize)
{
	const unsigned char *e = buf + len - 22;
	size_t c = get_le(e + 16, 4);
	for (uint32_t i = 0; i < get_le(e + 10, 2); i++) {
		size_t nl = get_le(buf + c + 28, 2), lo = get_le(buf + c + 42, 4);
		if (nl == strlen(name) && memcmp(buf + c + 46, name, nl) == 0) {
			*csize = get_le(buf + c + 20, 4);
			return lo + 30 + get_le(buf + lo + 26, 2) + get_le(buf + lo + 28, 2);
		}
		c += 46 + nl + get_le(buf + c + 30, 2) + get_le(buf + c + 32, 2);
	}
	fail_msg("no %s", name);
	return 0;
}

/* `unzip -t`'s verdict on buf: 0 when it finds no error */
static int unzip_test(const unsigned char *buf, size_t len)
{
	char path[400], cmd[600];
	snprintf(path, sizeof(path), "%s/t.zip", pki.dir);
	tu_write(path, buf, len);
	snprintf(cmd, sizeof(cmd), "unzip -tqq '%s' >/dev/null 2>&1", path);
	return system(cmd);
}

/* A flipped byte in an entry's data, its CRC left: `unzip -t` refuses the
 * container, and so does pkg_verify(), in the ZIP step, whatever the
 * entry is (a stored one, hashed in place; a deflated one whose stream
 * still inflates, to other bytes). */
static void crc_checked(void **state)
{
	static const char *mt = "application/vnd.etsi.asic-e+zip";
	const char *ev[] = {evidence_path};
	unsigned char *buf, big[5000];
	char path[400], detail[512];
	size_t len, off, csize;
	pkg_limits l;
	pkg *p = NULL;
	(void)state;
	pkg_limits_default(&l);
	/* stored evidence: without its CRC checked the flip would reach the
	 * manifest step (missing here) */
	snprintf(path, sizeof(path), "%s/crc.zip", pki.dir);
	{
		const char *n[] = {"mimetype", "evidence/a.txt"}, *d[] = {mt, "stored evidence"};
		const int st[] = {1, 1};
		make_zip(path, n, d, st, 2);
	}
	buf = slurp(path, &len);
	assert_int_equal(unzip_test(buf, len), 0);
	assert_int_equal(pkg_verify(buf, len, &l, trust, &p, detail, 512),
	                 PKG_ERR_MANIFEST_MISSING);
	off = data_of(buf, len, "evidence/a.txt", &csize);
	assert_int_equal(csize, strlen("stored evidence"));
	buf[off + 3] ^= 1;
	assert_int_not_equal(unzip_test(buf, len), 0);
	assert_int_equal(pkg_verify(buf, len, &l, trust, &p, detail, 512), PKG_ERR_ZIP_CORRUPT);
	assert_non_null(strstr(detail, "evidence/a.txt: data is damaged (CRC"));
	assert_null(p);
	free(buf);
	/* deflated evidence of incompressible bytes in a signed package:
	 * stored blocks inside the deflate stream, so a flipped byte in the
	 * middle leaves it valid; without the CRC the digest would catch it,
	 * later and as another error */
	uint32_t x = 2463534242u; /* xorshift32 */
	for (size_t i = 0; i < sizeof(big); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		big[i] = (unsigned char)x;
	}
	tu_write(evidence_path, big, sizeof(big));
	assert_int_equal(pkg_write(out_path, answers_path, ev, 1, cert, key, NULL, detail, 512),
	                 PKG_OK);
	tu_write(evidence_path, "policy", 6);
	buf = slurp(out_path, &len);
	assert_int_equal(unzip_test(buf, len), 0);
	off = data_of(buf, len, "evidence/policy.txt", &csize);
	assert_int_equal(buf[off] & 6, 0); /* the first block is a stored one */
	assert_true(csize > sizeof(big));
	buf[off + csize / 2] ^= 0x20;
	assert_int_not_equal(unzip_test(buf, len), 0);
	assert_int_equal(pkg_verify(buf, len, &l, trust, &p, detail, 512), PKG_ERR_ZIP_CORRUPT);
	assert_non_null(strstr(detail, "evidence/policy.txt: data is damaged (CRC"));
	assert_null(p);
	/* and the same bytes verified whole give the digest its due */
	buf[off + csize / 2] ^= 0x20;
	assert_int_equal(pkg_verify(buf, len, &l, trust, &p, detail, 512), PKG_OK);
	pkg_free(p);
	free(buf);
}

static void error_codes_complete(void **state)
{
	(void)state;
	for (int rc = 0; rc < PKG_RC_COUNT; rc++) {
		assert_non_null(pkg_rc_code((pkg_rc)rc));
		assert_non_null(pkg_rc_message((pkg_rc)rc));
		for (int other = 0; other < rc; other++)
			if (strcmp(pkg_rc_code((pkg_rc)rc), pkg_rc_code((pkg_rc)other)) == 0)
				fail_msg("codes %d and %d share %s", rc, other,
				         pkg_rc_code((pkg_rc)rc));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(write_then_verify),
	        cmocka_unit_test(write_refuses_bad_input),
	        cmocka_unit_test(name_safety),
	        cmocka_unit_test(structure_refusals),
	        cmocka_unit_test(error_codes_complete),
	        cmocka_unit_test(write_refuses_weak_or_ca_signer),
	        cmocka_unit_test(two_end_records),
	        cmocka_unit_test(crc_checked),
	};
	xmldoc_init();
	return cmocka_run_group_tests_name("package", tests, setup, teardown);
}
