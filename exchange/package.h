/* package.h — the answer package: an ASiC-E container (ZIP) holding
 * mimetype, answers.xml, evidence/…, META-INF/ASiCManifest.xml and a
 * detached CAdES signature META-INF/signature.p7s over the manifest.
 * pkg_verify() runs DESIGN.md's verification order and fails closed with one
 * stable error code per step; pkg_write() builds a package the same code
 * accepts. Binding to an uploader is not done here (see bind.h). */
#ifndef ITAKU_EXCHANGE_PACKAGE_H
#define ITAKU_EXCHANGE_PACKAGE_H

#include "crypto/cert.h"
#include "forms/answers.h"

#include <jansson.h>
#include <stdint.h>

#define PKG_MIMETYPE  "application/vnd.etsi.asic-e+zip"
#define PKG_MANIFEST  "META-INF/ASiCManifest.xml"
#define PKG_SIGNATURE "META-INF/signature.p7s"
#define PKG_ANSWERS   "answers.xml"

typedef enum {
	PKG_OK = 0,
	PKG_ERR_NOMEM,
	PKG_ERR_TOO_LARGE,
	PKG_ERR_NOT_ZIP,
	PKG_ERR_ZIP_CORRUPT,
	PKG_ERR_ZIP_AMBIGUOUS,
	PKG_ERR_ZIP_NAME,
	PKG_ERR_ZIP_DUPLICATE,
	PKG_ERR_ZIP_SYMLINK,
	PKG_ERR_ZIP_ENCRYPTED,
	PKG_ERR_ZIP_ENTRIES,
	PKG_ERR_ZIP_INFLATED,
	PKG_ERR_ZIP_RATIO,
	PKG_ERR_MIMETYPE_MISSING,
	PKG_ERR_MIMETYPE_NOT_FIRST,
	PKG_ERR_MIMETYPE_COMPRESSED,
	PKG_ERR_MIMETYPE_WRONG,
	PKG_ERR_MANIFEST_MISSING,
	PKG_ERR_MANIFEST_INVALID,
	PKG_ERR_SIGNATURE_MISSING,
	PKG_ERR_SIGNATURE_INVALID,
	PKG_ERR_SIGNATURE_ALGORITHM,
	PKG_ERR_SIGNATURE_NOT_CADES,
	PKG_ERR_SIGNER_UNTRUSTED,
	PKG_ERR_SIGNER_EXPIRED,
	PKG_ERR_SIGNER_REVOKED,
	PKG_ERR_SIGNER_USAGE,
	PKG_ERR_SIGNER_WEAK_KEY,
	PKG_ERR_CRL_STALE, /* the CRL of the signer's issuer is past its nextUpdate */
	PKG_ERR_FILE_MISSING,
	PKG_ERR_FILE_UNLISTED,
	PKG_ERR_DIGEST_MISMATCH,
	PKG_ERR_ANSWERS_MISSING,
	PKG_ERR_ANSWERS_MALFORMED,
	PKG_ERR_ANSWERS_DTD,
	PKG_ERR_ANSWERS_SCHEMA,
	PKG_ERR_ANSWERS_DUPLICATE_ITEM,
	PKG_ERR_ANSWERS_ORGANISATION,
	PKG_ERR_SUB_SELF,
	PKG_ERR_SUB_ID,
	PKG_ERR_SUB_DUPLICATE,
	PKG_ERR_EVIDENCE_MISSING,
	PKG_ERR_IO,   /* pkg_write: a file could not be read or written */
	PKG_ERR_SIGN, /* pkg_write: signing failed (key type, mismatch) */
	PKG_RC_COUNT
} pkg_rc;

typedef struct pkg_limits {
	size_t max_bytes;   /* the package itself */
	size_t max_entries; /* ZIP entries */
	uint64_t max_entry; /* inflated size of one entry */
	uint64_t max_total; /* inflated size of all entries */
	uint64_t max_ratio; /* inflated / compressed, for entries over ratio_floor */
	uint64_t ratio_floor;
} pkg_limits;

void pkg_limits_default(pkg_limits *l);

typedef struct pkg pkg;

/* Verifies buf (untrusted) against trust. On success *out is the caller's:
 * pkg_free(); it keeps no pointer into buf. On failure detail says what
 * exactly was wrong. buf is only read, and only during the call (a mapping
 * of a file will do), but it must not change meanwhile: stored entries are
 * hashed and parsed where they lie, so a file another writer can change
 * would be parsed other than it was hashed. */
pkg_rc pkg_verify(const unsigned char *buf, size_t len, const pkg_limits *limits,
                  const cert_trust *trust, pkg **out, char *detail, size_t detail_len);

/* pkg_verify() for a caller that already hashed the package as it
 * received it: sha256 is the SHA-256 of exactly buf[0..len) (borrowed,
 * copied into *out). It is trusted as given, not recomputed: a wrong one
 * makes pkg_sha256() lie, so pass only a digest computed over these very
 * bytes. Otherwise identical, ownership included; pkg_verify() is this
 * after hashing buf. */
pkg_rc pkg_verify_hashed(const unsigned char *buf, size_t len, const unsigned char sha256[32],
                         const pkg_limits *limits, const cert_trust *trust, pkg **out, char *detail,
                         size_t detail_len);
void pkg_free(pkg *p);

const answers *pkg_answers(const pkg *p);
X509 *pkg_signer(const pkg *p); /* borrowed */
const char *pkg_signer_fingerprint(const pkg *p);
const char *pkg_sha256(const pkg *p);              /* of the whole package, hex */
const unsigned char *pkg_sha256_raw(const pkg *p); /* the same, 32 bytes, borrowed */

/* Verification details for people and the API; a new reference the caller
 * releases with json_decref(). NULL when out of memory. */
json_t *pkg_details(const pkg *p);

/* Builds a package at out_path from an answers file and evidence files
 * (stored as evidence/<basename>), signed with cert/key (chain may be NULL).
 * The answers are validated first and must reference only evidence given. */
pkg_rc pkg_write(const char *out_path, const char *answers_path, const char *const *evidence,
                 size_t nevidence, X509 *cert, EVP_PKEY *key, STACK_OF(X509) * chain, char *detail,
                 size_t detail_len);

/* Stable error code ("zip_symlink") and a one-line human message. */
const char *pkg_rc_code(pkg_rc rc);
const char *pkg_rc_message(pkg_rc rc);

/* True when name is a safe relative path inside a package. */
int pkg_name_safe(const char *name);

#endif
