/* api_submissions.c — POST /api/v1/submissions (upload → verify → accept
 * → 201), GET /api/v1/submissions/{id}, and reading back what was sent:
 * the list (admins), the stored package and one evidence file
 * (core/readback.h decides who sees what). The package is untrusted until
 * pkg_verify() has passed; core/accept.c binds, stores and commits it, and
 * 201 is sent only after the commit. This file maps results to HTTP (the
 * status of each code is the error table's). */
#include "core/api/api.h"

#include "core/accept.h"
#include "core/db/submissions.h"
#include "core/errors.h"
#include "core/readback.h"
#include "core/scores.h"
#include "crypto/digest.h"
#include "forms/orgid.h"
#include "forms/utf8.h"

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

/* The audit entry of an acceptance, as `itaku audit verify --expect-head`
 * takes it: "SEQ:HASH" for the entrusting company, "HASH" alone for a
 * respondent — the sequence number counts every organisation's entries,
 * and how busy the instance is between two of its uploads is not a
 * vendor's to know. NULL for none (an acceptance from before schema 13). */
static json_t *audit_head_json(const http_req *req, long long seq, const char *hash)
{
	char head[96];
	if (seq <= 0 || hash[0] == '\0')
		return NULL;
	if (req->who->role != ROLE_ADMIN)
		return json_string(hash);
	snprintf(head, sizeof(head), "%lld:%s", seq, hash);
	return json_string(head);
}

static json_t *accepted_json(const http_req *req, const pkg *p, const accept_result *r, char *b64)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:i, s:o?, s:o?}", "id", (json_int_t)r->id, "status",
	                 "accepted", "sha256", pkg_sha256(p), "received_at", r->received_at,
	                 "version", r->version, "audit_head",
	                 audit_head_json(req, r->audit_seq, r->audit_hash), "receipt",
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
	/* received into a spool (http.c): verified from its mapping with the
	 * digest taken on the way, renamed into the store when accepted */
	accept_bytes bytes = {NULL, 0, req->package};

	memset(&r, 0, sizeof(r));
	if (!http_package(req, res, &bytes.buf, &bytes.len))
		return;
	if (!is_package_type(req->content_type)) {
		http_res_fail(res, "unsupported_media_type", "Content-Type must be %s",
		              PKG_MIMETYPE);
		return;
	}
	prc = server_verify_hashed(req->srv, bytes.buf, bytes.len, store_spool_sha256(req->package),
	                           &p, detail, sizeof(detail));
	if (prc != PKG_OK) {
		http_res_fail(res, pkg_rc_code(prc), "%s: %s", pkg_rc_message(prc), detail);
		return;
	}
	/* refusals from here on are about the campaign the answers name
	 * (the schema restricts it to [A-Za-z0-9._-]) */
	if (pkg_answers(p)->campaign != NULL)
		snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%s sha256:%s",
		         pkg_answers(p)->campaign, pkg_sha256(p));
	accept_ctx ctx = {req->db, req->srv->cfg.store, req->srv->tsa};
	accept_uploader who = {req->who->org_id, req->who->fingerprint};
	if ((arc = accept_submission(&ctx, p, &bytes, &who, &r)) != ACCEPT_OK) {
		http_res_fail(res, accept_rc_code(arc, r.bind), "%s", r.message);
		goto out;
	}
	if (r.receipt.tsr != NULL &&
	    (b64 = dgst_b64_encode(r.receipt.tsr, r.receipt.len)) == NULL) {
		http_res_fail(res, ERR_INTERNAL, "out of memory");
		goto out;
	}
	http_res_json(res, 201, accepted_json(req, p, &r, b64));
out:
	free(b64);
	accept_result_fini(&r);
	pkg_free(p);
}

static json_t *submission_json(const http_req *req, const sub_row *r)
{
	return json_pack("{s:I, s:s, s:{s:s, s:s}, s:i, s:s, s:I, s:s, s:s, s:o?, s:o?}", "id",
	                 (json_int_t)r->id, "organisation", r->org_id, "questionnaire", "id",
	                 r->questionnaire, "version", r->questionnaire_version, "version",
	                 r->version, "sha256", r->sha256, "size", (json_int_t)r->size, "status",
	                 r->status, "received_at", r->received_at, "audit_head",
	                 audit_head_json(req, r->audit_seq, r->audit_hash), "verification",
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
		j = submission_json(req, &row);
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

/* ---- reading back ---- */

#define LIST_DEFAULT 100
#define LIST_MAX     1000

static int listed_row(const sub_listed *l, void *arg)
{
	json_t *a = arg;
	json_t *j = json_pack(
	        "{s:I, s:s, s:s, s:o, s:{s:s, s:s}, s:i, s:s, s:I, s:s, s:s, s:b}", "id",
	        (json_int_t)l->id, "organisation", l->org_id, "organisation_name", l->org_name,
	        "campaign", l->campaign_id ? json_integer(l->campaign_id) : json_null(),
	        "questionnaire", "id", l->questionnaire, "version", l->questionnaire_version,
	        "version", l->version, "sha256", l->sha256, "size", (json_int_t)l->size, "status",
	        l->status, "received_at", l->received_at, "receipt", l->has_receipt);
	return j == NULL || json_array_append_new(a, j) != 0;
}

void api_submissions_list(const http_req *req, http_res *res)
{
	static const char *const keys[] = {"campaign", "organisation", "offset", "limit"};
	const char *camp = http_query(req, "campaign"), *org = http_query(req, "organisation");
	long long offset = http_query_int(req, "offset", 0, 1000000000);
	long long limit = http_query_int(req, "limit", LIST_DEFAULT, LIST_MAX);
	sub_filter f = {0, NULL};
	long long total = 0;
	char bad[64];
	json_t *list = json_array();

	if (!http_query_only(req, keys, sizeof(keys) / sizeof(keys[0]), bad, sizeof(bad))) {
		http_res_fail(res, "query_invalid",
		              "\"%s\" is not a parameter of this list, or given twice (campaign, "
		              "organisation, offset, limit)",
		              bad);
		goto out;
	}
	if (camp != NULL && (f.campaign = http_id_parse(camp)) == 0) {
		http_res_fail(res, "query_invalid", "campaign must be a campaign id");
		goto out;
	}
	if (org != NULL && orgid_check(org) != ORGID_OK) {
		http_res_fail(res, "query_invalid", "organisation must be an organisation id");
		goto out;
	}
	f.org = org;
	if (offset < 0 || limit < 1) {
		http_res_fail(res, "query_invalid",
		              "offset must be an integer ≥ 0, limit one of 1..%d", LIST_MAX);
		goto out;
	}
	if (list == NULL ||
	    subs_list(req->db, &f, offset, limit, listed_row, list, &total) != DB_OK ||
	    json_array_size(list) > (size_t)limit) {
		http_res_fail(res, ERR_INTERNAL, "the submissions could not be read");
		goto out;
	}
	http_res_json(res, 200,
	              json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "offset",
	                        (json_int_t)offset, "limit", (json_int_t)limit, "submissions",
	                        list));
	list = NULL;
out:
	json_decref(list);
}

static rb_ctx readback_of(const http_req *req)
{
	rb_ctx c = {req->db, req->srv->cfg.store, (size_t)req->srv->cfg.limits.max_entry};
	return c;
}

static rb_viewer viewer_of(const http_req *req)
{
	rb_viewer v = {req->who->org_id, req->who->role == ROLE_ADMIN};
	return v;
}

static void readback_fail(http_res *res, rb_rc rc, const char *name)
{
	switch (rc) {
	case RB_ERR_NOT_FOUND: http_res_fail(res, "not_found", "no such submission"); break;
	case RB_ERR_PATH_INVALID:
		http_res_fail(res, rb_rc_code(rc),
		              "\"%.100s\" is not a package path (no \"..\", \"//\", \"\\\", "
		              "\":\", control characters or leading \"/\"; at most 255 bytes)",
		              name);
		break;
	case RB_ERR_EVIDENCE_NOT_FOUND:
		http_res_fail(res, rb_rc_code(rc),
		              "the signed manifest lists no evidence file \"%.100s\" (evidence "
		              "names start with evidence/ and match exactly, case included)",
		              name);
		break;
	case RB_ERR_STORE:
		http_res_fail(res, rb_rc_code(rc),
		              "the stored package is missing or does not match its SHA-256");
		break;
	default: http_res_fail(res, ERR_INTERNAL, "the submission could not be read"); break;
	}
}

void api_submission_package(const http_req *req, http_res *res)
{
	rb_ctx c = readback_of(req);
	rb_viewer who = viewer_of(req);
	sub_row row;
	int fd = -1;
	size_t len = 0;
	rb_rc rc = rb_package(&c, &who, http_path_id(req), &row, &fd, &len);

	if (rc != RB_OK) {
		readback_fail(res, rc, NULL);
		return;
	}
	snprintf(res->filename, sizeof(res->filename), "submission-%lld-v%d.asice", row.id,
	         row.version);
	http_res_file(res, 200, PKG_MIMETYPE, fd, len);
	subs_row_free(&row);
}

/* name's last segment as a file name a browser saves safely: only
 * [A-Za-z0-9._-], no leading dot; the name itself goes in filename*,
 * without the characters that would make it read as another */
static void evidence_filename(http_res *res, const char *name)
{
	const char *base = strrchr(name, '/');
	size_t n = 0;
	base = base != NULL ? base + 1 : name;
	for (const char *p = base; *p != '\0' && n + 1 < sizeof(res->filename); p++) {
		char ch = *p;
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || (ch == '.' && n > 0)))
			ch = '_';
		res->filename[n++] = ch;
	}
	res->filename[n] = '\0';
	if (n == 0)
		snprintf(res->filename, sizeof(res->filename), "evidence");
	snprintf(res->filename_utf8, sizeof(res->filename_utf8), "%s", base);
	/* saved as "\u202efdp.exe", a file would show as "exe.pdf" */
	utf8_replace_bidi_controls(res->filename_utf8, '_');
}

void api_submission_evidence(const http_req *req, http_res *res)
{
	rb_ctx c = readback_of(req);
	rb_viewer who = viewer_of(req);
	const char *name = http_path_rest(req);
	unsigned char *data = NULL;
	size_t len = 0;
	rb_rc rc = rb_evidence(&c, &who, http_path_id(req), name, &data, &len);

	if (rc != RB_OK) {
		readback_fail(res, rc, name);
		return;
	}
	/* evidence is whatever a vendor attached: never a page of ours
	 * (octet-stream, nosniff, attachment), whatever its name says */
	evidence_filename(res, name);
	http_res_raw(res, 200, "application/octet-stream", data, len);
}
