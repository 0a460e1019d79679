/* package.c — verifying an answer package. The steps run in DESIGN.md's
 * order and each fails closed with its own pkg_rc: size → ZIP layout
 * (ziplayout.c, on the raw bytes) → ZIP entries (names, limits, then each
 * entry's data read once by zipread.c) → mimetype → manifest → CMS
 * signature and signer chain → digests and completeness → answers.xml.
 * Everything read here is untrusted. */
#include "exchange/package.h"

#include "crypto/cms.h"
#include "crypto/digest.h"
#include "exchange/manifest.h"
#include "exchange/package_internal.h"
#include "exchange/ziplayout.h"
#include "exchange/zipread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

typedef struct pkg_entry {
	char *name;
	/* only while verifying, and only of the entries parsed: in the
	 * package's buffer (stored) or owned (inflated) */
	const unsigned char *data;
	unsigned char *owned;
	size_t len; /* inflated size */
	unsigned char sha256[DGST_SHA256_LEN];
	int is_dir;
	int listed;
} pkg_entry;

struct pkg {
	pkg_entry *entries;
	size_t nentries;
	manifest *mf;
	X509 *signer;
	char signer_fp[65];
	answers *answers;
	char sha256[DGST_SHA256_HEX];
	unsigned char sha256_raw[DGST_SHA256_LEN];
	size_t size;
};

static const struct {
	const char *code;
	const char *message;
} pkg_errors[PKG_RC_COUNT] = {
        [PKG_OK] = {"ok", "package verified"},
        [PKG_ERR_NOMEM] = {"internal_error", "the server ran out of memory"},
        [PKG_ERR_TOO_LARGE] = {"package_too_large", "the package exceeds the size limit"},
        [PKG_ERR_NOT_ZIP] = {"package_not_zip", "the package is not a ZIP container"},
        [PKG_ERR_ZIP_CORRUPT] = {"zip_corrupt", "the ZIP container is damaged or inconsistent"},
        [PKG_ERR_ZIP_AMBIGUOUS] = {"zip_ambiguous",
                                   "the ZIP container is not laid out the one way every ZIP "
                                   "reader reads alike"},
        [PKG_ERR_ZIP_NAME] =
                {"zip_unsafe_name",
                 "a ZIP entry name is absolute, escapes the container or is malformed"},
        [PKG_ERR_ZIP_DUPLICATE] = {"zip_duplicate_name", "two ZIP entries have the same name"},
        [PKG_ERR_ZIP_SYMLINK] = {"zip_symlink", "the ZIP container holds a symbolic link"},
        [PKG_ERR_ZIP_ENCRYPTED] = {"zip_encrypted", "a ZIP entry is encrypted"},
        [PKG_ERR_ZIP_ENTRIES] = {"zip_too_many_entries", "the ZIP container has too many entries"},
        [PKG_ERR_ZIP_INFLATED] = {"zip_too_large_inflated",
                                  "the ZIP contents exceed the inflated size limit"},
        [PKG_ERR_ZIP_RATIO] = {"zip_ratio_exceeded",
                               "a ZIP entry exceeds the compression ratio limit"},
        [PKG_ERR_MIMETYPE_MISSING] = {"mimetype_missing", "the mimetype entry is missing"},
        [PKG_ERR_MIMETYPE_NOT_FIRST] = {"mimetype_not_first",
                                        "the mimetype entry is not the first entry"},
        [PKG_ERR_MIMETYPE_COMPRESSED] = {"mimetype_compressed",
                                         "the mimetype entry must be stored uncompressed"},
        [PKG_ERR_MIMETYPE_WRONG] = {"mimetype_wrong", "the mimetype entry is not " PKG_MIMETYPE},
        [PKG_ERR_MANIFEST_MISSING] = {"manifest_missing", PKG_MANIFEST " is missing"},
        [PKG_ERR_MANIFEST_INVALID] = {"manifest_invalid", PKG_MANIFEST " is not a valid manifest"},
        [PKG_ERR_SIGNATURE_MISSING] = {"signature_missing", PKG_SIGNATURE " is missing"},
        [PKG_ERR_SIGNATURE_INVALID] = {"signature_invalid",
                                       "the signature over the manifest does not verify"},
        [PKG_ERR_SIGNATURE_ALGORITHM] = {"signature_algorithm",
                                         "the signature uses an algorithm that is not allowed"},
        [PKG_ERR_SIGNATURE_NOT_CADES] = {"signature_not_cades",
                                         "the signature is not a CAdES-BES signature"},
        [PKG_ERR_SIGNER_UNTRUSTED] = {"signer_untrusted",
                                      "the signer certificate does not chain to a trusted CA"},
        [PKG_ERR_SIGNER_EXPIRED] = {"signer_expired",
                                    "the signer certificate has expired or is not yet valid"},
        [PKG_ERR_SIGNER_REVOKED] = {"signer_revoked", "the signer certificate has been revoked"},
        [PKG_ERR_SIGNER_USAGE] = {"signer_usage",
                                  "the signer certificate is not allowed to sign packages"},
        [PKG_ERR_CRL_STALE] = {"crl_stale", "the certificate revocation list has expired"},
        [PKG_ERR_SIGNER_WEAK_KEY] = {"signer_weak_key",
                                     "the signer key is not ECDSA P-256 or RSA 2048..16384 bits"},
        [PKG_ERR_FILE_MISSING] = {"manifest_file_missing",
                                  "the manifest lists a file the package does not contain"},
        [PKG_ERR_FILE_UNLISTED] = {"file_unlisted",
                                   "the package contains a file the manifest does not list"},
        [PKG_ERR_DIGEST_MISMATCH] = {"digest_mismatch",
                                     "a file does not match its digest in the manifest"},
        [PKG_ERR_ANSWERS_MISSING] = {"answers_missing", "answers.xml is missing or not signed"},
        [PKG_ERR_ANSWERS_MALFORMED] = {"answers_malformed", "answers.xml is not well-formed XML"},
        [PKG_ERR_ANSWERS_DTD] = {"answers_dtd_forbidden",
                                 "answers.xml must not contain a DOCTYPE or entities"},
        [PKG_ERR_ANSWERS_SCHEMA] = {"answers_schema_invalid",
                                    "answers.xml does not conform to the answers schema"},
        [PKG_ERR_ANSWERS_DUPLICATE_ITEM] = {"answers_duplicate_item",
                                            "answers.xml answers the same item twice"},
        [PKG_ERR_ANSWERS_ORGANISATION] = {"answers_organisation_invalid",
                                          "answers.xml names an invalid organisation id"},
        [PKG_ERR_SUB_SELF] = {"answers_subcontractor_self",
                              "answers.xml declares the respondent as its own subcontractor"},
        [PKG_ERR_SUB_ID] = {"answers_subcontractor_invalid",
                            "a subcontractor's Corporate Number or id is invalid"},
        [PKG_ERR_SUB_DUPLICATE] = {"answers_subcontractor_duplicate",
                                   "answers.xml declares the same subcontractor twice"},
        [PKG_ERR_EVIDENCE_MISSING] = {"evidence_missing",
                                      "answers.xml references evidence the package does not hold"},
        [PKG_ERR_IO] = {"io_error", "a file could not be read or written"},
        [PKG_ERR_SIGN] = {"sign_failed", "the package could not be signed"},
};

const char *pkg_rc_code(pkg_rc rc)
{
	/* out of range: what the server's own failures are (core/errors.h) */
	return (unsigned)rc < PKG_RC_COUNT ? pkg_errors[rc].code : pkg_errors[PKG_ERR_NOMEM].code;
}

const char *pkg_rc_message(pkg_rc rc)
{
	return (unsigned)rc < PKG_RC_COUNT ? pkg_errors[rc].message : "internal error";
}

void pkg_limits_default(pkg_limits *l)
{
	l->max_bytes = 20u << 20;
	l->max_entries = 256;
	l->max_entry = 64u << 20;
	l->max_total = 128u << 20;
	l->max_ratio = 100;
	l->ratio_floor = 256u << 10;
}

void pkg_free(pkg *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nentries; i++) {
		free(p->entries[i].name);
		free(p->entries[i].owned);
	}
	free(p->entries);
	manifest_free(p->mf);
	X509_free(p->signer);
	answers_free(p->answers);
	free(p);
}

const answers *pkg_answers(const pkg *p)
{
	return p->answers;
}

X509 *pkg_signer(const pkg *p)
{
	return p->signer;
}

const char *pkg_signer_fingerprint(const pkg *p)
{
	return p->signer_fp;
}

const char *pkg_sha256(const pkg *p)
{
	return p->sha256;
}

const unsigned char *pkg_sha256_raw(const pkg *p)
{
	return p->sha256_raw;
}

int pkg_name_safe(const char *name)
{
	size_t len = strlen(name);
	const char *seg = name;

	if (len == 0 || len > 255 || name[0] == '/')
		return 0;
	for (const char *p = name; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f || c == '\\' || c == ':')
			return 0;
	}
	/* every segment non-empty (except a trailing "/" for directories),
	 * and never "." or ".." */
	for (;;) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n == 0 && !(slash == NULL && seg != name))
			return 0;
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		if (slash == NULL)
			break;
		seg = slash + 1;
	}
	return 1;
}

static pkg_entry *find_entry(const pkg *p, const char *name)
{
	for (size_t i = 0; i < p->nentries; i++)
		if (strcmp(p->entries[i].name, name) == 0)
			return &p->entries[i];
	return NULL;
}

#define FAIL(code, ...)                                    \
	do {                                               \
		snprintf(detail, detail_len, __VA_ARGS__); \
		return (code);                             \
	} while (0)

/* A symbolic link as Info-ZIP and libzip record one: made on Unix (3),
 * S_IFLNK in the mode in the high half of the external attributes. */
static int is_symlink(const zl_entry *z)
{
	return (z->made_by >> 8) == 3 && ((z->ext_attr >> 16) & S_IFMT) == S_IFLNK;
}

/* Encrypted: flag bit 0 (traditional PKWARE, and WinZip AES with it), bit
 * 6 (strong encryption) or the WinZip AES method (99). */
static int is_encrypted(const zl_entry *z)
{
	return (z->flags & 0x0041u) != 0 || z->method == 99;
}

static pkg_rc check_entry(const zl_entry *z, const char *name, const pkg_limits *l, char *detail,
                          size_t detail_len)
{
	uint64_t ratio = z->usize / (z->csize ? z->csize : 1);

	if (!pkg_name_safe(name))
		FAIL(PKG_ERR_ZIP_NAME, "unsafe entry name \"%.100s\"", name);
	if (is_encrypted(z))
		FAIL(PKG_ERR_ZIP_ENCRYPTED, "%s is encrypted", name);
	if (is_symlink(z))
		FAIL(PKG_ERR_ZIP_SYMLINK, "%s is a symbolic link", name);
	if (z->method != 0 && z->method != 8)
		FAIL(PKG_ERR_ZIP_CORRUPT, "%s: compression method %u not supported", name,
		     (unsigned)z->method);
	if (z->usize > l->max_entry)
		FAIL(PKG_ERR_ZIP_INFLATED, "%s inflates to %llu bytes (limit %llu)", name,
		     (unsigned long long)z->usize, (unsigned long long)l->max_entry);
	if (z->usize > l->ratio_floor && ratio > l->max_ratio)
		FAIL(PKG_ERR_ZIP_RATIO, "%s: compression ratio %llu:1 (limit %llu:1)", name,
		     (unsigned long long)ratio, (unsigned long long)l->max_ratio);
	return PKG_OK;
}

/* The bytes of these are parsed; every other entry is only hashed. */
static int parsed(const char *name)
{
	return strcmp(name, "mimetype") == 0 || strcmp(name, PKG_MANIFEST) == 0 ||
	       strcmp(name, PKG_SIGNATURE) == 0 || strcmp(name, PKG_ANSWERS) == 0;
}

static pkg_rc from_zipread(zr_rc rc)
{
	switch (rc) {
	case ZR_OK: return PKG_OK;
	case ZR_NOMEM: return PKG_ERR_NOMEM;
	case ZR_AMBIGUOUS: return PKG_ERR_ZIP_AMBIGUOUS;
	case ZR_CORRUPT: break;
	}
	return PKG_ERR_ZIP_CORRUPT;
}

/* Second pass: each entry's data read once, in place or inflated,
 * CRC-checked and hashed; a directory's too (it must have none). */
static pkg_rc read_data(pkg *p, const unsigned char *buf, const zl_entry *zl, int keep_all,
                        char *detail, size_t detail_len)
{
	zipread *r = zipread_new();
	pkg_rc rc = r == NULL ? PKG_ERR_NOMEM : PKG_OK;

	for (size_t i = 0; rc == PKG_OK && i < p->nentries; i++) {
		pkg_entry *e = &p->entries[i];
		e->is_dir = e->name[strlen(e->name) - 1] == '/';
		e->len = (size_t)zl[i].usize;
		if (e->is_dir && e->len != 0) {
			snprintf(detail, detail_len, "directory %s has data", e->name);
			rc = PKG_ERR_ZIP_CORRUPT;
			break;
		}
		rc = from_zipread(zipread_entry(
		        r, buf, &zl[i], e->name, !e->is_dir && (keep_all || parsed(e->name)),
		        e->sha256, &e->data, &e->owned, detail, detail_len));
	}
	zipread_free(r);
	return rc;
}

/* The entries as the layout walk read them (zl, n of them); keep_all:
 * every entry's bytes kept (pkg_read_container), else only the parsed
 * ones'. */
static pkg_rc read_zip(pkg *p, const unsigned char *buf, const zl_entry *zl, size_t n,
                       const pkg_limits *l, int keep_all, char *detail, size_t detail_len)
{
	uint64_t total = 0;
	pkg_rc rc;

	if (n > l->max_entries)
		FAIL(PKG_ERR_ZIP_ENTRIES, "%zu entries (limit %zu)", n, l->max_entries);
	if ((p->entries = calloc(n + 1, sizeof(*p->entries))) == NULL)
		return PKG_ERR_NOMEM;
	/* first pass: directory records only, so a bomb is refused before
	 * a single byte is inflated */
	for (size_t i = 0; i < n; i++) {
		/* the walk let no NUL into a name */
		char *name = strndup((const char *)zl[i].name, zl[i].name_len);
		if (name == NULL)
			return PKG_ERR_NOMEM;
		p->entries[i].name = name;
		p->nentries = i + 1;
		if ((rc = check_entry(&zl[i], name, l, detail, detail_len)) != PKG_OK)
			return rc;
		total += zl[i].usize;
		if (total > l->max_total)
			FAIL(PKG_ERR_ZIP_INFLATED, "contents inflate to more than %llu bytes",
			     (unsigned long long)l->max_total);
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(p->entries[j].name, name) == 0)
				FAIL(PKG_ERR_ZIP_DUPLICATE, "\"%.100s\" appears twice", name);
	}
	return read_data(p, buf, zl, keep_all, detail, detail_len);
}

static pkg_rc open_zip(pkg *p, const unsigned char *buf, size_t len, const zl_scan *scan,
                       const pkg_limits *l, int keep_all, char *detail, size_t detail_len)
{
	/* a package has a handful of entries: room for them here, and an
	 * array of the count only for more (walked again, the same way) */
	zl_entry few[16], *zl = few;
	size_t nzl = 0;
	zl_rc zrc;
	pkg_rc rc;

	/* a container that another reader (unzip, Python, a streaming
	 * reader) would read as other entries is refused here; this also
	 * puts entry 0's local header at offset 0, as ASiC wants */
	zrc = ziplayout_read(buf, len, scan, few, 16, &nzl, detail, detail_len);
	if (zrc == ZL_OK && nzl > 16 && nzl <= l->max_entries) {
		if ((zl = calloc(nzl, sizeof(*zl))) == NULL)
			return PKG_ERR_NOMEM;
		zrc = ziplayout_read(buf, len, scan, zl, nzl, &nzl, detail, detail_len);
	}
	switch (zrc) {
	case ZL_OK:
		/* over the limit, zl is not looked at: the count is refused */
		rc = read_zip(p, buf, zl, nzl, l, keep_all, detail, detail_len);
		break;
	case ZL_NOT_ZIP: rc = PKG_ERR_NOT_ZIP; break;
	default: rc = PKG_ERR_ZIP_AMBIGUOUS; break;
	}
	if (zl != few)
		free(zl);
	return rc;
}

static pkg_rc check_mimetype(pkg *p, char *detail, size_t detail_len, const unsigned char *buf)
{
	pkg_entry *m = find_entry(p, "mimetype");
	const size_t want = strlen(PKG_MIMETYPE);

	if (m == NULL)
		FAIL(PKG_ERR_MIMETYPE_MISSING, "no entry named mimetype");
	if (m != &p->entries[0])
		FAIL(PKG_ERR_MIMETYPE_NOT_FIRST, "mimetype is entry %zu", (size_t)(m - p->entries));
	/* ASiC: the local header at offset 0 is mimetype's (name length at
	 * 26, name at 30) and its compression method (offset 8) is "stored";
	 * ziplayout_check() put entry 0's local header there, so the 38
	 * bytes read are in buf */
	if (buf[26] != 8 || buf[27] != 0 || memcmp(buf + 30, "mimetype", 8) != 0)
		FAIL(PKG_ERR_MIMETYPE_NOT_FIRST, "the first local header is not mimetype");
	if (buf[8] != 0 || buf[9] != 0)
		FAIL(PKG_ERR_MIMETYPE_COMPRESSED, "mimetype is compressed");
	if (m->len != want || memcmp(m->data, PKG_MIMETYPE, want) != 0)
		FAIL(PKG_ERR_MIMETYPE_WRONG, "mimetype is \"%.*s\"",
		     (int)(m->len > 60 ? 60 : m->len), (const char *)m->data);
	m->listed = 1;
	return PKG_OK;
}

static pkg_rc from_cert(cert_rc rc)
{
	switch (rc) {
	case CERT_OK: return PKG_OK;
	case CERT_ERR_NOMEM: return PKG_ERR_NOMEM;
	case CERT_ERR_EXPIRED:
	case CERT_ERR_NOT_YET_VALID: return PKG_ERR_SIGNER_EXPIRED;
	case CERT_ERR_REVOKED: return PKG_ERR_SIGNER_REVOKED;
	case CERT_ERR_USAGE: return PKG_ERR_SIGNER_USAGE;
	case CERT_ERR_WEAK_KEY: return PKG_ERR_SIGNER_WEAK_KEY;
	case CERT_ERR_CRL_STALE: return PKG_ERR_CRL_STALE;
	default: return PKG_ERR_SIGNER_UNTRUSTED;
	}
}

static pkg_rc check_signature(pkg *p, const cert_trust *trust, char *detail, size_t detail_len)
{
	pkg_entry *mf = find_entry(p, PKG_MANIFEST);
	pkg_entry *sig = find_entry(p, PKG_SIGNATURE);
	STACK_OF(X509) *certs = NULL;
	cms_rc crc;
	cert_rc vrc;

	if (strcmp(p->mf->sig_uri, PKG_SIGNATURE) != 0)
		FAIL(PKG_ERR_MANIFEST_INVALID, "SigReference must be %s, not %.100s", PKG_SIGNATURE,
		     p->mf->sig_uri);
	if (sig == NULL)
		FAIL(PKG_ERR_SIGNATURE_MISSING, "no %s", PKG_SIGNATURE);
	sig->listed = 1;
	crc = cms_verify_detached(sig->data, sig->len, mf->data, mf->len, &p->signer, &certs,
	                          detail, detail_len);
	if (crc == CMS_RC_NOMEM)
		return PKG_ERR_NOMEM;
	if (crc == CMS_RC_ALGORITHM)
		return PKG_ERR_SIGNATURE_ALGORITHM;
	if (crc == CMS_RC_NOT_CADES)
		return PKG_ERR_SIGNATURE_NOT_CADES;
	if (crc != CMS_RC_OK)
		return PKG_ERR_SIGNATURE_INVALID;
	cert_fingerprint(p->signer, p->signer_fp);
	vrc = cert_verify(trust, p->signer, certs, CERT_USE_SIGNING);
	sk_X509_pop_free(certs, X509_free);
	if (vrc != CERT_OK)
		FAIL(from_cert(vrc), "signer %s: %s", p->signer_fp, cert_rc_str(vrc));
	return PKG_OK;
}

static pkg_rc check_digests(pkg *p, char *detail, size_t detail_len)
{
	for (size_t i = 0; i < p->mf->nrefs; i++) {
		const manifest_ref *ref = &p->mf->refs[i];
		pkg_entry *e;

		if (!pkg_name_safe(ref->uri) || strcmp(ref->uri, "mimetype") == 0 ||
		    strncmp(ref->uri, "META-INF/", 9) == 0)
			FAIL(PKG_ERR_MANIFEST_INVALID, "manifest may not list \"%.100s\"",
			     ref->uri);
		if ((e = find_entry(p, ref->uri)) == NULL || e->is_dir)
			FAIL(PKG_ERR_FILE_MISSING,
			     "manifest lists %.100s, which is not in the package", ref->uri);
		if (memcmp(e->sha256, ref->sha256, sizeof(e->sha256)) != 0)
			FAIL(PKG_ERR_DIGEST_MISMATCH, "%.100s does not match its manifest digest",
			     ref->uri);
		e->listed = 1;
	}
	for (size_t i = 0; i < p->nentries; i++)
		if (!p->entries[i].listed && !p->entries[i].is_dir)
			FAIL(PKG_ERR_FILE_UNLISTED, "%.100s is not listed in the manifest",
			     p->entries[i].name);
	return PKG_OK;
}

pkg_rc pkg_rc_from_answers(answers_rc rc)
{
	switch (rc) {
	case ANSWERS_OK: return PKG_OK;
	case ANSWERS_ERR_NOMEM: return PKG_ERR_NOMEM;
	case ANSWERS_ERR_MALFORMED: return PKG_ERR_ANSWERS_MALFORMED;
	case ANSWERS_ERR_DTD: return PKG_ERR_ANSWERS_DTD;
	case ANSWERS_ERR_SCHEMA: return PKG_ERR_ANSWERS_SCHEMA;
	case ANSWERS_ERR_DUPLICATE_ITEM: return PKG_ERR_ANSWERS_DUPLICATE_ITEM;
	case ANSWERS_ERR_ORGANISATION: return PKG_ERR_ANSWERS_ORGANISATION;
	case ANSWERS_ERR_SUB_SELF: return PKG_ERR_SUB_SELF;
	case ANSWERS_ERR_SUB_ID: return PKG_ERR_SUB_ID;
	case ANSWERS_ERR_SUB_DUPLICATE: return PKG_ERR_SUB_DUPLICATE;
	}
	return PKG_ERR_ANSWERS_MALFORMED;
}

static pkg_rc check_answers(pkg *p, char *detail, size_t detail_len)
{
	pkg_entry *e = find_entry(p, PKG_ANSWERS);
	pkg_rc rc;

	if (e == NULL)
		FAIL(PKG_ERR_ANSWERS_MISSING, "no %s in the package", PKG_ANSWERS);
	rc = pkg_rc_from_answers(answers_parse(e->data, e->len, &p->answers, detail, detail_len));
	if (rc != PKG_OK)
		return rc;
	for (size_t i = 0; i < p->answers->nitems; i++) {
		const answers_item *it = &p->answers->items[i];
		for (size_t j = 0; j < it->nevidence; j++) {
			pkg_entry *ev = find_entry(p, it->evidence[j]);
			if (ev == NULL || ev->is_dir)
				FAIL(PKG_ERR_EVIDENCE_MISSING, "item %s references %.100s", it->id,
				     it->evidence[j]);
		}
	}
	return PKG_OK;
}

static pkg_rc verify_steps(pkg *p, const unsigned char *buf, size_t len, const zl_scan *scan,
                           const pkg_limits *l, const cert_trust *trust, char *detail,
                           size_t detail_len)
{
	pkg_rc rc;
	pkg_entry *mf;

	if (len > l->max_bytes)
		FAIL(PKG_ERR_TOO_LARGE, "%zu bytes (limit %zu)", len, l->max_bytes);
	p->size = len;
	if ((rc = open_zip(p, buf, len, scan, l, 0, detail, detail_len)) != PKG_OK)
		return rc;
	if ((rc = check_mimetype(p, detail, detail_len, buf)) != PKG_OK)
		return rc;
	if ((mf = find_entry(p, PKG_MANIFEST)) == NULL)
		FAIL(PKG_ERR_MANIFEST_MISSING, "no %s", PKG_MANIFEST);
	mf->listed = 1;
	switch (manifest_parse(mf->data, mf->len, &p->mf, detail, detail_len)) {
	case MANIFEST_OK: break;
	case MANIFEST_ERR_NOMEM: return PKG_ERR_NOMEM;
	default: return PKG_ERR_MANIFEST_INVALID;
	}
	if ((rc = check_signature(p, trust, detail, detail_len)) != PKG_OK)
		return rc;
	if ((rc = check_digests(p, detail, detail_len)) != PKG_OK)
		return rc;
	return check_answers(p, detail, detail_len);
}

static pkg_rc verify(const unsigned char *buf, size_t len, const unsigned char sha256[32],
                     const zl_scan *scan, const pkg_limits *limits, const cert_trust *trust,
                     pkg **out, char *detail, size_t detail_len)
{
	pkg *p = calloc(1, sizeof(*p));
	pkg_rc rc;

	*out = NULL;
	if (detail_len > 0)
		detail[0] = '\0';
	if (p == NULL)
		return PKG_ERR_NOMEM;
	memcpy(p->sha256_raw, sha256, DGST_SHA256_LEN);
	dgst_hex(p->sha256_raw, DGST_SHA256_LEN, p->sha256);
	rc = verify_steps(p, buf, len, scan, limits, trust, detail, detail_len);
	if (rc != PKG_OK) {
		if (detail_len > 0 && detail[0] == '\0')
			snprintf(detail, detail_len, "%s", pkg_rc_message(rc));
		pkg_free(p);
		return rc;
	}
	/* the bytes parsed lie in buf, which the caller may free now, or
	 * are copies nothing needs any more */
	for (size_t i = 0; i < p->nentries; i++) {
		free(p->entries[i].owned);
		p->entries[i].owned = NULL;
		p->entries[i].data = NULL;
	}
	*out = p;
	return PKG_OK;
}

pkg_rc pkg_verify_hashed(const unsigned char *buf, size_t len, const unsigned char sha256[32],
                         const pkg_limits *limits, const cert_trust *trust, pkg **out, char *detail,
                         size_t detail_len)
{
	return verify(buf, len, sha256, NULL, limits, trust, out, detail, detail_len);
}

/* the piece hashed at a time, then looked at for end records while it is
 * still in the cache: one pass over the package from memory, not two */
#define HASH_PIECE (64u << 10)

pkg_rc pkg_verify(const unsigned char *buf, size_t len, const pkg_limits *limits,
                  const cert_trust *trust, pkg **out, char *detail, size_t detail_len)
{
	unsigned char md[DGST_SHA256_LEN];
	dgst_sha256_ctx *c;
	zl_scan scan;

	*out = NULL;
	/* over-long input is refused before it is hashed */
	if (len > limits->max_bytes) {
		snprintf(detail, detail_len, "%zu bytes (limit %zu)", len, limits->max_bytes);
		return PKG_ERR_TOO_LARGE;
	}
	if ((c = dgst_sha256_new()) == NULL)
		return PKG_ERR_NOMEM;
	ziplayout_scan_init(&scan);
	for (size_t at = 0; at < len; at += HASH_PIECE) {
		size_t n = len - at < HASH_PIECE ? len - at : HASH_PIECE;
		if (dgst_sha256_update(c, buf + at, n) != 0) {
			dgst_sha256_free(c);
			return PKG_ERR_NOMEM;
		}
		ziplayout_scan(&scan, buf + at, n);
	}
	if (dgst_sha256_final(c, md) != 0)
		return PKG_ERR_NOMEM;
	return verify(buf, len, md, &scan, limits, trust, out, detail, detail_len);
}

static json_t *signer_json(const pkg *p)
{
	char *subject = cert_subject(p->signer);
	char *issuer = cert_issuer(p->signer);
	char not_after[32];
	json_t *j;

	cert_not_after(p->signer, not_after, sizeof(not_after));
	j = json_pack("{s:s?, s:s?, s:s, s:s}", "subject", subject, "issuer", issuer, "fingerprint",
	              p->signer_fp, "not_after", not_after);
	free(subject);
	free(issuer);
	return j;
}

json_t *pkg_details(const pkg *p)
{
	json_t *files = json_array();
	json_t *j = NULL;

	if (files == NULL)
		return NULL;
	for (size_t i = 0; i < p->mf->nrefs; i++) {
		char hex[DGST_SHA256_HEX];
		const pkg_entry *e = find_entry(p, p->mf->refs[i].uri);
		dgst_hex(p->mf->refs[i].sha256, DGST_SHA256_LEN, hex);
		if (json_array_append_new(files,
		                          json_pack("{s:s, s:I, s:s}", "name", e->name, "size",
		                                    (json_int_t)e->len, "sha256", hex)) != 0)
			goto out;
	}
	j = json_pack("{s:s, s:I, s:o, s:{s:s, s:s}, s:o, s:{s:s, s:s, s:s?, s:I}}", "sha256",
	              p->sha256, "size", (json_int_t)p->size, "signer", signer_json(p), "signature",
	              "format", "CAdES detached over " PKG_MANIFEST, "digest", "sha256", "files",
	              files, "answers", "questionnaire", p->answers->questionnaire, "version",
	              p->answers->version, "organisation", p->answers->organisation, "items",
	              (json_int_t)p->answers->nitems);
	files = NULL; /* "o" stole it, on success and on failure */
out:
	json_decref(files);
	return j;
}

pkg_rc pkg_read_container(const unsigned char *buf, size_t len, const pkg_limits *limits, pkg **out,
                          char *detail, size_t detail_len)
{
	pkg *p = calloc(1, sizeof(*p));
	pkg_rc rc = PKG_ERR_NOMEM;

	*out = NULL;
	if (detail_len > 0)
		detail[0] = '\0';
	if (p == NULL)
		return rc;
	if (len > limits->max_bytes) {
		snprintf(detail, detail_len, "%zu bytes (limit %zu)", len, limits->max_bytes);
		rc = PKG_ERR_TOO_LARGE;
	} else {
		rc = open_zip(p, buf, len, NULL, limits, 1, detail, detail_len);
	}
	if (rc != PKG_OK) {
		pkg_free(p);
		return rc;
	}
	*out = p;
	return PKG_OK;
}

size_t pkg_entry_count(const pkg *p)
{
	return p->nentries;
}

const char *pkg_entry_at(const pkg *p, size_t i, const unsigned char **data, size_t *len)
{
	*data = p->entries[i].data;
	*len = p->entries[i].len;
	return p->entries[i].name;
}
