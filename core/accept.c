/* accept.c — the acceptance of a verified package. Order matters: the
 * package is bound before anything is written; its bytes reach the store
 * before the database row that points at them is committed (sqlite: the
 * file placed durably before the transaction; PostgreSQL: the objects row
 * in the same transaction, core/db/objects.h); the receipt is signed
 * before the transaction so that a failure to sign stores nothing; and the
 * transaction is the only place the nonce is consumed (camp_accepted()
 * fails when another upload quoting it committed first). */
#include "core/accept.h"

#include "core/audit.h"
#include "core/campaigns.h"
#include "core/chains.h"
#include "core/db/audit.h"
#include "core/db/objects.h"
#include "core/db/questionnaires.h"
#include "core/db/refusals.h"
#include "core/db/registry.h"
#include "core/errors.h"
#include "core/scores.h"
#include "core/util/log.h"
#include "crypto/digest.h"
#include "crypto/tsa_signer.h"
#include "forms/number.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *accept_rc_code(accept_rc rc, bind_rc bind)
{
	switch (rc) {
	case ACCEPT_OK: return "ok";
	case ACCEPT_ERR_BIND: return bind_rc_code(bind);
	case ACCEPT_ERR_NONCE_REUSED: return bind_rc_code(BIND_ERR_NONCE_REUSED);
	case ACCEPT_ERR_STORE_FULL: return "storage_full";
	case ACCEPT_ERR_STORE: return "storage_error";
	case ACCEPT_ERR_RECEIPT: return "receipt_failed";
	case ACCEPT_ERR_DB: break;
	}
	return ERR_INTERNAL;
}

void accept_result_fini(accept_result *r)
{
	tsa_signer_der_free(r->receipt.tsr);
	r->receipt.tsr = NULL;
}

/* The campaign id the answers name, 0 when they name none or not one. */
static long long campaign_of(const answers *a)
{
	long long id = 0;
	if (a->campaign == NULL || num_parse(a->campaign, 1, LLONG_MAX, &id) != 0)
		return 0;
	return id;
}

/* ---- binding ---- */

/* The context of bind_check()'s lookups: the database, the item ids of
 * the assignment's variant and their "na" flags (owned here until the
 * check is done), and the assignment found, for the commit. */
typedef struct bind_ctx {
	db_conn *db;
	questionnaire *q;
	const char **ids;
	unsigned char *na;
	long long assignment;
} bind_ctx;

static void bind_ctx_fini(bind_ctx *bc)
{
	free(bc->ids);
	free(bc->na);
	qn_free(bc->q);
}

static int lookup_signer(void *ctx, const char *fp, char *org, size_t org_len)
{
	reg_binding b;
	if (reg_cert_lookup(((const bind_ctx *)ctx)->db, fp, &b) != DB_OK || b.revoked)
		return 0;
	snprintf(org, org_len, "%s", b.org_id);
	return 1;
}

static int lookup_assignment(void *ctx, const char *campaign, const char *org, const char *nonce,
                             bind_assignment *out)
{
	bind_ctx *bc = ctx;
	camp_assignment as;
	long long id = 0;

	if (num_parse(campaign, 1, LLONG_MAX, &id) != 0 ||
	    camp_assignment_get(bc->db, id, org, &as) != CAMP_OK)
		return 0;
	if (qstore_get(bc->db, as.questionnaire, as.version, &bc->q) != QSTORE_OK ||
	    !bind_expect(bc->q, as.variant, out, &bc->ids, &bc->na))
		return -1;
	out->nonce_used = nonce != NULL ? camp_nonce_used(bc->db, id, org, nonce) : 0;
	if (out->nonce_used < 0)
		return -1;
	bc->assignment = as.id;
	out->open = as.open;
	snprintf(out->nonce, sizeof(out->nonce), "%s", as.nonce);
	return 1;
}

/* ---- the transaction ---- */

/* The transaction (the package's bytes, if any, were stored before it:
 * store()). */
static accept_rc record(db_conn *db, long long assignment, const sub_new *s,
                        const accept_receipt *r, accept_result *out)
{
	const answers *a = s->answers;
	sub_saved saved;
	char object[64], detail[160];
	accept_rc rc = ACCEPT_ERR_DB;
	camp_rc crc;

	if (db_begin(db) != DB_OK)
		goto out;
	if (subs_insert(db, s, &saved) != DB_OK || scores_compute(db, saved.id) != DB_OK)
		goto out;
	if ((crc = camp_accepted(db, assignment, a->nonce, saved.id)) != CAMP_OK) {
		if (crc == CAMP_ERR_NONCE_USED)
			rc = ACCEPT_ERR_NONCE_REUSED;
		goto out;
	}
	if (chains_accepted(db, campaign_of(a), s->org_id, saved.id, a) != CHAINS_OK)
		goto out;
	if (r != NULL && r->tsr != NULL &&
	    subs_receipt_put(db, saved.id, r->tsr, r->len, r->gen_time) != DB_OK)
		goto out;
	snprintf(object, sizeof(object), "submission/%lld", saved.id);
	snprintf(detail, sizeof(detail), "sha256:%s version %d", s->sha256, saved.version);
	audit_event ev = {s->org_id, "submission.create", object, "accepted", "ok", detail};
	/* the head after this acceptance's own entry goes back with the
	 * receipt: whoever holds it can show later how far the log went */
	if (audit_append(db, &ev) != DB_OK ||
	    audit_log_last(db, &out->audit_seq, out->audit_hash, sizeof(out->audit_hash)) !=
	            DB_OK ||
	    subs_set_audit_head(db, saved.id, out->audit_seq, out->audit_hash) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto out;
	out->id = saved.id;
	out->version = saved.version;
	snprintf(out->received_at, sizeof(out->received_at), "%s", saved.received_at);
	rc = ACCEPT_OK;
out:
	db_rollback(db);
	if (rc == ACCEPT_ERR_NONCE_REUSED)
		/* bind_check() saw the nonce current; an upload quoting the same
		 * nonce committed in between */
		snprintf(out->message, sizeof(out->message), "%s",
		         bind_rc_message(BIND_ERR_NONCE_REUSED));
	else if (rc == ACCEPT_ERR_STORE)
		snprintf(out->message, sizeof(out->message), "the package could not be stored");
	else if (rc != ACCEPT_OK)
		snprintf(out->message, sizeof(out->message),
		         "the submission could not be recorded");
	return rc;
}

accept_rc accept_answers(db_conn *db, long long assignment, const sub_new *s,
                         const accept_receipt *r, accept_result *out)
{
	return record(db, assignment, s, r, out);
}

/* ---- the whole acceptance ---- */

static accept_rc bind(db_conn *db, const pkg *p, const accept_uploader *who, long long *assignment,
                      accept_result *out)
{
	char detail[512];
	bind_ctx bc = {db, NULL, NULL, NULL, 0};
	out->bind = bind_check(p, who->org, lookup_signer, lookup_assignment, &bc, detail,
	                       sizeof(detail));
	bind_ctx_fini(&bc);
	if (out->bind != BIND_OK) {
		snprintf(out->message, sizeof(out->message), "%s: %s", bind_rc_message(out->bind),
		         detail);
		return ACCEPT_ERR_BIND;
	}
	*assignment = bc.assignment;
	return ACCEPT_OK;
}

/* Before the transaction, outside the writers' lock (objects.h): on sqlite
 * spooled bytes are renamed into place (receiving was storing) and bytes
 * in memory written; on PostgreSQL they are inserted as a row of their
 * own, committed at once. */
static accept_rc store(db_conn *db, const char *dir, const obj_src *obj, accept_result *out)
{
	obj_rc orc = obj_place(db, dir, obj);
	if (orc == OBJ_OK)
		return ACCEPT_OK;
	log_error("store %s: %s", obj->sha256, obj_rc_str(orc));
	snprintf(out->message, sizeof(out->message), "the package could not be stored: %s",
	         obj_rc_str(orc));
	if (orc == OBJ_ERR_DB || orc == OBJ_ERR_NOMEM) /* PostgreSQL's row */
		return ACCEPT_ERR_DB;
	return orc == OBJ_ERR_FULL ? ACCEPT_ERR_STORE_FULL : ACCEPT_ERR_STORE;
}

/* The receipt is over the digest verification took (the one hash of the
 * package). */
static accept_rc stamp(const accept_ctx *ctx, const pkg *p, accept_result *out)
{
	accept_receipt *r = &out->receipt;
	if (ctx->tsa == NULL)
		return ACCEPT_OK;
	if (tsa_signer_stamp(ctx->tsa, pkg_sha256_raw(p), &r->tsr, &r->len, r->gen_time,
	                     sizeof(r->gen_time)) == TSA_OK)
		return ACCEPT_OK;
	snprintf(out->message, sizeof(out->message), "the receipt could not be signed");
	return ACCEPT_ERR_RECEIPT;
}

accept_rc accept_submission(const accept_ctx *ctx, const pkg *p, const accept_bytes *bytes,
                            const accept_uploader *who, accept_result *out)
{
	json_t *details = NULL;
	long long assignment = 0, campaign = campaign_of(pkg_answers(p));
	obj_src obj = {bytes->buf, bytes->len, bytes->spool, pkg_sha256(p)};
	accept_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = bind(ctx->db, p, who, &assignment, out)) != ACCEPT_OK ||
	    (rc = store(ctx->db, ctx->store, &obj, out)) != ACCEPT_OK ||
	    (rc = stamp(ctx, p, out)) != ACCEPT_OK)
		goto out;
	if ((details = pkg_details(p)) == NULL) {
		rc = ACCEPT_ERR_DB;
		snprintf(out->message, sizeof(out->message),
		         "the submission could not be recorded");
		goto out;
	}
	sub_new s = {who->org,         pkg_sha256(p), bytes->len,    pkg_signer_fingerprint(p),
	             who->fingerprint, details,       pkg_answers(p)};
	rc = record(ctx->db, assignment, &s, &out->receipt, out);
out:
	if (rc != ACCEPT_OK && campaign != 0 &&
	    refusal_record(ctx->db, campaign, who->org, accept_rc_code(rc, out->bind)) != DB_OK)
		log_error("refusal of %s in campaign %lld not recorded", who->org, campaign);
	json_decref(details);
	return rc;
}
