/* api_submissions.c — POST /api/v1/submissions (upload → verify → accept
 * → 201) and GET /api/v1/submissions/{id}. The package is untrusted until
 * pkg_verify() has passed; core/accept.c binds, stores and commits it, and
 * 201 is sent only after the commit. This file maps results to HTTP (the
 * status of each code is the error table's). */
#include "core/api/api.h"

#include "core/accept.h"
#include "core/db/submissions.h"
#include "core/errors.h"
#include "core/scores.h"
#include "crypto/digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_package_type(const char *ct)
{
	size_t n = strlen(PKG_MIMETYPE);
	return ct != NULL && strncasecmp(ct, PKG_MIMETYPE, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* "SEQ:HASH", as `itaku audit verify --expect-head` takes it; NULL for
 * none (an acceptance from before schema 13). */
static json_t *audit_head_json(long long seq, const char *hash)
{
	char head[96];
	if (seq <= 0 || hash[0] == '\0')
		return NULL;
	snprintf(head, sizeof(head), "%lld:%s", seq, hash);
	return json_string(head);
}

static json_t *accepted_json(const pkg *p, const accept_result *r, char *b64)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:i, s:o?, s:o?}", "id", (json_int_t)r->id, "status",
	                 "accepted", "sha256", pkg_sha256(p), "received_at", r->received_at,
	                 "version", r->version, "audit_head",
	                 audit_head_json(r->audit_seq, r->audit_hash), "receipt",
	                 b64 == NULL ? NULL
	                             : json_pack("{s:s, s:s, s:s}", "format",
	                                         "RFC 3161 TimeStampResp, DER, base64", "gen_time",
	                                         r->receipt.gen_time, "tsr", b64));
}

void api_submission_create(const http_req *req, http_res *res)
{
	char detail[512];
	pkg *p = NULL;
	pkg_rc prc;
	accept_rc arc;
	accept_result r;
	char *b64 = NULL;

	memset(&r, 0, sizeof(r));
	dgst_sha256_hex(req->body, req->body_len, detail);
	snprintf(res->audit_object, sizeof(res->audit_object), "sha256:%.64s", detail);
	if (!is_package_type(req->content_type)) {
		http_res_fail(res, "unsupported_media_type", "Content-Type must be %s",
		              PKG_MIMETYPE);
		return;
	}
	prc = server_verify(req->srv, req->body, req->body_len, &p, detail, sizeof(detail));
	if (prc != PKG_OK) {
		http_res_fail(res, pkg_rc_code(prc), "%s: %s", pkg_rc_message(prc), detail);
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
	accept_ctx ctx = {req->db, req->srv->cfg.store, req->srv->tsa};
	accept_uploader who = {req->who->org_id, req->who->fingerprint};
	if ((arc = accept_submission(&ctx, p, req->body, req->body_len, &who, &r)) != ACCEPT_OK) {
		http_res_fail(res, accept_rc_code(arc, r.bind), "%s", r.message);
		goto out;
	}
	if (r.receipt.tsr != NULL &&
	    (b64 = dgst_b64_encode(r.receipt.tsr, r.receipt.len)) == NULL) {
		http_res_fail(res, ERR_INTERNAL, "out of memory");
		goto out;
	}
	http_res_json(res, 201, accepted_json(p, &r, b64));
out:
	free(b64);
	accept_result_fini(&r);
	pkg_free(p);
}

static json_t *submission_json(const sub_row *r)
{
	return json_pack("{s:I, s:s, s:{s:s, s:s}, s:i, s:s, s:I, s:s, s:s, s:o?, s:o?}", "id",
	                 (json_int_t)r->id, "organisation", r->org_id, "questionnaire", "id",
	                 r->questionnaire, "version", r->questionnaire_version, "version",
	                 r->version, "sha256", r->sha256, "size", (json_int_t)r->size, "status",
	                 r->status, "received_at", r->received_at, "audit_head",
	                 audit_head_json(r->audit_seq, r->audit_hash), "verification",
	                 json_loads(r->details, 0, NULL));
}

void api_submission_get(const http_req *req, http_res *res)
{
	long long id;
	sub_row row;
	json_t *j = NULL;
	db_rc rc;

	if ((id = http_path_id(req)) == 0) {
		http_res_fail(res, "not_found", "no such submission");
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
		http_res_fail(res, "not_found", "no such submission");
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
		http_res_fail(res, ERR_INTERNAL, "the submission could not be read");
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
		http_res_fail(res, "not_found", "no such submission or no receipt for it");
		return;
	}
	if (rc != DB_OK) {
		http_res_fail(res, ERR_INTERNAL, "the receipt could not be read");
		return;
	}
	http_res_raw(res, 200, "application/timestamp-reply", tsr, len);
}
