/* readback.h — what a vendor sent, read back: a submission as the one
 * asking may see it (its own organisation's, any for an admin; another
 * organisation's is absent, so an id reveals nothing about who else
 * submitted), the stored package's exact bytes, one evidence file from it
 * by the exact name its signed manifest lists, and the answers as signed.
 * The stored bytes are checked against the submission's SHA-256 before
 * anything is read from them, and each file against its manifest digest
 * (exchange/stored.h). The one way the API and the dashboard read stored
 * packages; knows nothing of HTTP (the codes are the error table's). */
#ifndef ITAKU_CORE_READBACK_H
#define ITAKU_CORE_READBACK_H

#include "core/db/submissions.h"
#include "forms/answers.h"

#include <stddef.h>

typedef enum {
	RB_OK = 0,
	RB_ERR_NOT_FOUND,          /* no such submission, or not the viewer's */
	RB_ERR_PATH_INVALID,       /* the evidence name is no safe package path */
	RB_ERR_EVIDENCE_NOT_FOUND, /* safe, but no evidence file the manifest lists */
	RB_ERR_STORE,              /* the stored package is missing or not the bytes accepted */
	RB_ERR_DB,
	RB_ERR_NOMEM,
} rb_rc;

/* Where packages are read from. */
typedef struct rb_ctx {
	db_conn *db;
	const char *store; /* the package store's directory */
	size_t max_entry;  /* the largest file handed out ([limits]) */
} rb_ctx;

/* Who asks: an organisation, and whether it is an admin (sees every
 * organisation's submissions). */
typedef struct rb_viewer {
	const char *org;
	int admin;
} rb_viewer;

/* Submission id into *row (subs_row_free() it after RB_OK). */
rb_rc rb_submission(const rb_ctx *c, const rb_viewer *who, long long id, sub_row *row);

/* The stored package of submission id, checked against its SHA-256: an
 * open descriptor of the store's file (the caller's: close()) holding
 * exactly *len bytes, and the submission in *row (subs_row_free()). */
rb_rc rb_package(const rb_ctx *c, const rb_viewer *who, long long id, sub_row *row, int *fd,
                 size_t *len);

/* Evidence file name (exactly as the manifest lists it, "evidence/…") of
 * submission id into *data (malloc'd, the caller's) and *len: the signed
 * bytes. RB_ERR_PATH_INVALID for a name that is no safe package path,
 * RB_ERR_EVIDENCE_NOT_FOUND for one outside evidence/ (answers.xml,
 * META-INF/…) or not listed — names are compared byte for byte (the ZIP
 * names are unique even ignoring case, but the manifest signs the exact
 * one). */
rb_rc rb_evidence(const rb_ctx *c, const rb_viewer *who, long long id, const char *name,
                  unsigned char **data, size_t *len);

/* The answers of submission id as its package signed them (with each
 * item's evidence names and the subcontractors). *out is the caller's:
 * answers_free(). */
rb_rc rb_answers(const rb_ctx *c, const rb_viewer *who, long long id, answers **out);

/* The error table's code of a refusal, ERR_INTERNAL's for the server's own
 * failures. */
const char *rb_rc_code(rb_rc rc);

#endif
