/* accept.h — accepting an answer package, the one use case every way in
 * calls (the upload API, the portal's form, tests, benchmarks): binding to
 * the uploader's assignment, the bytes into the package store (objects.h:
 * files on sqlite, placed before the transaction; the objects table on
 * PostgreSQL, inside it), the receipt,
 * then one transaction over submission, scores, the assignment's running
 * sums and single-use nonce, the re-entrustment chains and the audit log.
 * A refusal of an upload naming an assignment is recorded for it
 * (core/db/refusals.h). Knows nothing of HTTP: statuses are the caller's. */
#ifndef ITAKU_CORE_ACCEPT_H
#define ITAKU_CORE_ACCEPT_H

#include "core/db/db.h"
#include "core/db/spool.h"
#include "core/db/submissions.h"
#include "exchange/bind.h"
#include "exchange/package.h"

#include <stddef.h>

typedef enum {
	ACCEPT_OK = 0,
	ACCEPT_ERR_BIND,         /* bind_check() refused: result.bind says why */
	ACCEPT_ERR_NONCE_REUSED, /* an upload quoting the same nonce committed first */
	ACCEPT_ERR_STORE_FULL,   /* the package store's disk is full */
	ACCEPT_ERR_STORE,        /* the package could not be stored */
	ACCEPT_ERR_RECEIPT,      /* the receipt could not be signed */
	ACCEPT_ERR_DB,           /* the submission could not be recorded */
} accept_rc;

/* Where an acceptance writes. */
typedef struct accept_ctx {
	db_conn *db;
	const char *store;            /* the package store's directory */
	const struct tsa_signer *tsa; /* receipt signer; NULL: no receipts */
} accept_ctx;

/* Who uploads: the authenticated organisation and the fingerprint of the
 * certificate it authenticated with (recorded with the submission). */
typedef struct accept_uploader {
	const char *org;
	const char *fingerprint;
} accept_uploader;

/* An RFC 3161 receipt over the package (tsa.h). */
typedef struct accept_receipt {
	unsigned char *tsr; /* DER; NULL: no receipt */
	size_t len;
	char gen_time[32];
} accept_receipt;

typedef struct accept_result {
	long long id; /* the submission */
	int version;
	char received_at[32];
	long long audit_seq; /* the audit head at acceptance: the entry that records it */
	char audit_hash[65];
	accept_receipt receipt; /* owned by the result: accept_result_fini() */
	bind_rc bind;           /* ACCEPT_ERR_BIND: which binding rule */
	char message[600];      /* on refusal: for people, with the detail */
} accept_result;

/* The bytes p was verified from: in memory (the CLI, tests), or spooled
 * as they arrived (spool.h, borrowed), in which case acceptance renames
 * the spool into the store rather than writing the bytes again (sqlite),
 * or inserts them from the spool's mapping (PostgreSQL). */
typedef struct accept_bytes {
	const unsigned char *buf;
	size_t len;
	store_spool *spool; /* NULL: buf is written to the store */
} accept_bytes;

/* Accepts p, verified by pkg_verify() from bytes, uploaded by who. On
 * ACCEPT_OK the submission is committed and *out filled; otherwise nothing
 * is stored but the refusal (for who's assignment in the campaign the
 * answers name, if any). Release *out with accept_result_fini() either way. */
accept_rc accept_submission(const accept_ctx *ctx, const pkg *p, const accept_bytes *bytes,
                            const accept_uploader *who, accept_result *out);

/* The transaction alone, for answers already bound to assignment (in the
 * answers' campaign, decimal): what accept_submission() runs after binding,
 * storing and stamping; tests, benchmarks and generators, which hold no
 * signed package, enter here. r (borrowed) may be NULL. The audit actor is
 * s->org_id. ACCEPT_ERR_NONCE_REUSED when the assignment's nonce is no
 * longer the answers' nonce. Opens and ends its own transaction. Sets
 * out's id, version and received_at, or its message; leaves the rest. */
accept_rc accept_answers(db_conn *db, long long assignment, const sub_new *s,
                         const accept_receipt *r, accept_result *out);

void accept_result_fini(accept_result *r);

/* The stable error code of a refusal ("nonce_reused", "storage_full", …). */
const char *accept_rc_code(accept_rc rc, bind_rc bind);

#endif
