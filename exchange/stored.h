/* stored.h — reading back a package the server accepted: its signed
 * manifest, answers.xml and one listed file at a time, from the stored
 * bytes (a mapping of the store's file, never copied). The package passed
 * pkg_verify() when it was accepted and its bytes were checked against the
 * submission's SHA-256 by the caller, so the signature is not verified
 * again; every file handed out is still compared with its digest in the
 * manifest, so what leaves is exactly what was signed. Also the rule of
 * which names are evidence. Never writes. */
#ifndef ITAKU_EXCHANGE_STORED_H
#define ITAKU_EXCHANGE_STORED_H

#include "exchange/manifest.h"
#include "forms/answers.h"

#include <stddef.h>

typedef enum {
	STORED_OK = 0,
	STORED_ERR_NOMEM,
	STORED_ERR_CORRUPT,    /* not a package whose files match its manifest */
	STORED_ERR_NOT_LISTED, /* the manifest lists no such file (exact name) */
	STORED_ERR_TOO_LARGE,  /* the file inflates to more than the caller's limit */
} stored_rc;

typedef struct pkg_stored pkg_stored;

/* Opens buf (len bytes, borrowed: it must outlive *out) and parses its
 * manifest. *out is the caller's: pkg_stored_free(). */
stored_rc pkg_stored_open(const unsigned char *buf, size_t len, pkg_stored **out);
void pkg_stored_free(pkg_stored *s);

/* The signed manifest: the files and their SHA-256 (borrowed from s). */
const manifest *pkg_stored_manifest(const pkg_stored *s);

/* The file the manifest lists as exactly name (bytes compared: a name
 * differing in case is another name), inflated into *data (malloc'd, the
 * caller's; NUL-terminated one past *len) and checked against its digest:
 * STORED_ERR_CORRUPT when it does not match. At most max bytes. */
stored_rc pkg_stored_read(const pkg_stored *s, const char *name, size_t max, unsigned char **data,
                          size_t *len);

/* answers.xml parsed as it was accepted. *out is the caller's:
 * answers_free(). */
stored_rc pkg_stored_answers(const pkg_stored *s, size_t max, answers **out);

/* Whether name may be asked for as evidence: */
typedef enum {
	EVIDENCE_NAME_OK = 0,
	EVIDENCE_NAME_INVALID, /* not a safe package path (pkg_name_safe): "..",
	                          "//", "\\", ":", control bytes, a leading or
	                          trailing "/", over 255 bytes */
	EVIDENCE_NAME_OUTSIDE, /* safe, but not under "evidence/": answers.xml,
	                          mimetype, META-INF/… are never evidence */
} evidence_name_rc;

/* The rule for a name asked for as evidence; EVIDENCE_NAME_OK says only
 * that it may be one: the manifest must still list it (pkg_stored_read). */
evidence_name_rc pkg_evidence_name(const char *name);

const char *stored_rc_str(stored_rc rc);

#endif
