/* api_submissions.c — POST /api/v1/submissions (upload → verify → bind →
 * store → commit → 201) and GET /api/v1/submissions/{id}. The package is
 * untrusted until pkg_verify() and bind_check() have passed; bytes reach the
 * store before the database row that points at them, and 201 is sent only
 * after the commit. */
#include "core/api/api.h"

#include "core/audit.h"
#include "core/campaigns.h"
#include "core/chains.h"
#include "core/db/packages.h"
#include "core/db/questionnaires.h"
#include "core/db/submissions.h"
#include "core/scores.h"
#include "core/util/log.h"
#include "crypto/digest.h"
#include "crypto/tsa_signer.h"
#include "exchange/bind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	char *end = NULL;
	long long id = strtoll(campaign, &end, 10);

	if (id <= 0 || *end != '\0' || camp_assignment_get(bc->db, id, org, &as) != CAMP_OK)
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

static unsigned bind_status(bind_rc rc)
{
	switch (rc) {
	case BIND_ERR_SIGNER_UNREGISTERED:
	case BIND_ERR_SIGNER_ORG:
	case BIND_ERR_ANSWERS_ORG:
	case BIND_ERR_NOT_ASSIGNED: return 403;
	case BIND_ERR_CAMPAIGN_CLOSED:
	case BIND_ERR_NONCE_REUSED: return 409;
	case BIND_ERR_INTERNAL: return 500;
	default: return 422;
	}
}

static int is_package_type(const char *ct)
{
	size_t n = strlen(PKG_MIMETYPE);
	return ct != NULL && strncasecmp(ct, PKG_MIMETYPE, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static unsigned pkg_status(pkg_rc rc)
{
	switch (rc) {
	case PKG_ERR_TOO_LARGE: return 413;
	case PKG_ERR_NOMEM: return 500;
	default: return 422;
	}
}

/* The receipt being issued with an acceptance (absent when the instance
 * has no receipt signer). */
typedef struct receipt {
	unsigned char *tsr;
	size_t len;
	char gen_time[32];
} receipt;

static int stamp(const http_req *req, receipt *r)
{
	unsigned char md[DGST_SHA256_LEN];
	if (req->srv->tsa == NULL)
		return 1;
	dgst_sha256(req->body, req->body_len, md);
	return tsa_signer_stamp(req->srv->tsa, md, &r->tsr, &r->len, r->gen_time,
	                        sizeof(r->gen_time)) == TSA_OK;
}

static int commit(const http_req *req, pkg *p, long long assignment, const receipt *r,
                  sub_saved *saved, http_res *res)
{
	json_t *details = pkg_details(p);
	sub_new s = {req->who->org_id,      pkg_sha256(p), req->body_len, pkg_signer_fingerprint(p),
	             req->who->fingerprint, details,       pkg_answers(p)};
	char object[64], detail[160];
	db_rc rc = DB_ERR_NOMEM;
	camp_rc crc = CAMP_OK;

	if (details == NULL || (rc = db_begin(req->db)) != DB_OK)
		goto out;
	if ((rc = subs_insert(req->db, &s, saved)) != DB_OK ||
	    (rc = scores_compute(req->db, saved->id)) != DB_OK)
		goto out;
	if ((crc = camp_accepted(req->db, assignment, pkg_answers(p)->nonce, saved->id)) !=
	    CAMP_OK) {
		rc = DB_ERR;
		goto out;
	}
	/* bind_check() matched the campaign to an assignment: it is a number */
	if (chains_accepted(req->db, strtoll(pkg_answers(p)->campaign, NULL, 10), req->who->org_id,
	                    saved->id, pkg_answers(p)) != CHAINS_OK) {
		rc = DB_ERR;
		goto out;
	}
	if (r->tsr != NULL &&
	    (rc = subs_receipt_put(req->db, saved->id, r->tsr, r->len, r->gen_time)) != DB_OK)
		goto out;
	snprintf(object, sizeof(object), "submission/%lld", saved->id);
	snprintf(detail, sizeof(detail), "sha256:%s version %d", pkg_sha256(p), saved->version);
	audit_event ev = {req->who->org_id, "submission.create", object, "accepted", "ok", detail};
	if ((rc = audit_append(req->db, &ev)) != DB_OK)
		goto out;
	rc = db_commit(req->db);
out:
	if (crc == CAMP_ERR_NONCE_USED) {
		/* bind_check() saw the nonce current; an upload quoting the same
		 * nonce committed in between */
		db_rollback(req->db);
		http_res_error(res, 409, bind_rc_code(BIND_ERR_NONCE_REUSED), "%s",
		               bind_rc_message(BIND_ERR_NONCE_REUSED));
	} else if (rc != DB_OK) {
		db_rollback(req->db);
		http_res_error(res, 500, "internal_error", "the submission could not be recorded");
	}
	json_decref(details);
	return rc == DB_OK;
}

void api_submission_create(const http_req *req, http_res *res)
{
	char detail[512];
	pkg *p = NULL;
	pkg_rc prc;
	bind_rc brc;
	store_rc src;
	sub_saved saved;
	receipt r = {NULL, 0, ""};
	char *b64 = NULL;

	dgst_sha256_hex(req->body, req->body_len, detail);
	snprintf(res->audit_object, sizeof(res->audit_object), "sha256:%.64s", detail);
	if (!is_package_type(req->content_type)) {
		http_res_error(res, 415, "unsupported_media_type", "Content-Type must be %s",
		               PKG_MIMETYPE);
		return;
	}
	prc = pkg_verify(req->body, req->body_len, &req->srv->cfg.limits, req->srv->trust, &p,
	                 detail, sizeof(detail));
	if (prc != PKG_OK) {
		http_res_error(res, pkg_status(prc), pkg_rc_code(prc), "%s: %s",
		               pkg_rc_message(prc), detail);
		return;
	}
	/* refusals from here on are about the campaign the answers name
	 * (the schema restricts it to [A-Za-z0-9._-]) */
	if (pkg_answers(p)->campaign != NULL) {
		char sha[DGST_SHA256_HEX];
		snprintf(sha, sizeof(sha), "%s", pkg_sha256(p));
		snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%s sha256:%s",
		         pkg_answers(p)->campaign, sha);
	}
	bind_ctx bc = {req->db, NULL, NULL, NULL, 0};
	brc = bind_check(p, req->who->org_id, lookup_signer, lookup_assignment, &bc, detail,
	                 sizeof(detail));
	bind_ctx_fini(&bc);
	if (brc != BIND_OK) {
		http_res_error(res, bind_status(brc), bind_rc_code(brc), "%s: %s",
		               bind_rc_message(brc), detail);
		goto out;
	}
	src = store_put(req->srv->cfg.store, req->body, req->body_len, pkg_sha256(p));
	if (src != STORE_OK) {
		log_error("store %s: %s", pkg_sha256(p), store_rc_str(src));
		http_res_error(res, src == STORE_ERR_FULL ? 507 : 500,
		               src == STORE_ERR_FULL ? "storage_full" : "storage_error",
		               "the package could not be stored: %s", store_rc_str(src));
		goto out;
	}
	if (!stamp(req, &r)) {
		http_res_error(res, 500, "receipt_failed", "the receipt could not be signed");
		goto out;
	}
	if (!commit(req, p, bc.assignment, &r, &saved, res))
		goto out;
	if (r.tsr != NULL && (b64 = dgst_b64_encode(r.tsr, r.len)) == NULL) {
		http_res_error(res, 500, "internal_error", "out of memory");
		goto out;
	}
	http_res_json(res, 201,
	              json_pack("{s:I, s:s, s:s, s:s, s:i, s:o?}", "id", (json_int_t)saved.id,
	                        "status", "accepted", "sha256", pkg_sha256(p), "received_at",
	                        saved.received_at, "version", saved.version, "receipt",
	                        b64 == NULL ? NULL
	                                    : json_pack("{s:s, s:s, s:s}", "format",
	                                                "RFC 3161 TimeStampResp, DER, base64",
	                                                "gen_time", r.gen_time, "tsr", b64)));
out:
	free(b64);
	OPENSSL_free(r.tsr);
	pkg_free(p);
}

/* The submission as the API shows it; NULL when out of memory. */
static json_t *submission_json(const sub_row *r)
{
	return json_pack("{s:I, s:s, s:{s:s, s:s}, s:i, s:s, s:I, s:s, s:s, s:o?}", "id",
	                 (json_int_t)r->id, "organisation", r->org_id, "questionnaire", "id",
	                 r->questionnaire, "version", r->questionnaire_version, "version",
	                 r->version, "sha256", r->sha256, "size", (json_int_t)r->size, "status",
	                 r->status, "received_at", r->received_at, "verification",
	                 json_loads(r->details, 0, NULL));
}

void api_submission_get(const http_req *req, http_res *res)
{
	long long id;
	sub_row row;
	json_t *j = NULL;
	db_rc rc;

	if ((id = http_path_id(req)) == 0) {
		http_res_error(res, 404, "not_found", "no such submission");
		return;
	}
	rc = subs_get(req->db, id, &row);
	/* another organisation's submission is reported as absent, so ids
	 * reveal nothing about who else submitted */
	if (rc == DB_OK && req->who->role != ROLE_ADMIN &&
	    strcmp(row.org_id, req->who->org_id) != 0) {
		subs_row_free(&row);
		rc = DB_ERR_NOTFOUND;
	}
	if (rc == DB_ERR_NOTFOUND) {
		http_res_error(res, 404, "not_found", "no such submission");
		return;
	}
	if (rc == DB_OK) {
		json_t *score = NULL;
		j = submission_json(&row);
		subs_row_free(&row);
		rc = j != NULL ? scores_get(req->db, id, &score) : DB_ERR_NOMEM;
		if (rc == DB_OK)
			json_object_set_new(j, "score", score);
		else if (rc == DB_ERR_NOTFOUND) /* a free submission from before schema 6 */
			rc = DB_OK;
	}
	if (rc != DB_OK) {
		json_decref(j);
		http_res_error(res, 500, "internal_error", "the submission could not be read");
		return;
	}
	http_res_json(res, 200, j);
}

void api_submission_receipt(const http_req *req, http_res *res)
{
	long long id;
	char org[64];
	unsigned char *tsr = NULL;
	size_t len = 0;
	db_rc rc = DB_ERR_NOTFOUND;

	if ((id = http_path_id(req)) != 0)
		rc = subs_receipt_get(req->db, id, &tsr, &len, org);
	if (rc == DB_OK && req->who->role != ROLE_ADMIN && strcmp(org, req->who->org_id) != 0) {
		free(tsr);
		rc = DB_ERR_NOTFOUND;
	}
	if (rc == DB_ERR_NOTFOUND) {
		http_res_error(res, 404, "not_found", "no such submission or no receipt for it");
		return;
	}
	if (rc != DB_OK) {
		http_res_error(res, 500, "internal_error", "the receipt could not be read");
		return;
	}
	http_res_raw(res, 200, "application/timestamp-reply", tsr, len);
}
