/* db/submissions.c — queries for submissions and their answers. Rows are only ever
 * inserted: a resubmission is a new version, history is never rewritten. */
#include "core/db/submissions.h"
#include "core/db/stmt.h"
#include "core/util/clock.h"
#include "forms/number.h"

#include <limits.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static db_rc next_version(db_conn *db, const sub_new *s, int *version)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "SELECT coalesce(max(version), 0) + 1 FROM"
	                                    " submissions WHERE org_id = ? AND questionnaire"
	                                    " = ? AND questionnaire_version = ?",
	                                    &st));
	if (rc != DB_OK)
		return rc;
	db_bind_text(st, 1, s->org_id, -1, DB_STATIC);
	db_bind_text(st, 2, s->answers->questionnaire, -1, DB_STATIC);
	db_bind_text(st, 3, s->answers->version, -1, DB_STATIC);
	int r = db_step(st);
	if (r == DB_ROW)
		*version = db_col_int(st, 0);
	else
		rc = db_result(db, r);
	db_done(st);
	return rc;
}

/* The answers go in a few multi-row INSERTs, of 32, 16, 8, 4, 2 and 1
 * rows (27 items: 16 + 8 + 2 + 1): on PostgreSQL every statement is a
 * round trip inside the writers' lock, which one row a statement held
 * for 27 of them. Six texts at most, each kept by the statement cache. */
#define ANSWERS_BATCH 32

/* "INSERT INTO answers … VALUES (?1, ?2, ?3, ?4), (?1, ?5, ?6, ?7), …" for
 * rows rows (≤ ANSWERS_BATCH) into buf */
static void answers_sql(char *buf, size_t len, size_t rows)
{
	size_t used = (size_t)snprintf(buf, len,
	                               "INSERT INTO answers (submission_id, item_id,"
	                               " level, comment) VALUES ");
	for (size_t r = 0; r < rows && used < len; r++)
		used += (size_t)snprintf(buf + used, len - used, "%s(?1, ?%zu, ?%zu, ?%zu)",
		                         r ? ", " : "", 2 + 3 * r, 3 + 3 * r, 4 + 3 * r);
}

static db_rc insert_answers(db_conn *db, long long id, const answers *a)
{
	char sql[80 + ANSWERS_BATCH * 40];
	db_rc rc = DB_OK;

	for (size_t i = 0; rc == DB_OK && i < a->nitems;) {
		size_t rows = ANSWERS_BATCH;
		db_st *st = NULL;
		while (rows > a->nitems - i)
			rows /= 2;
		answers_sql(sql, sizeof(sql), rows);
		if ((rc = db_result(db, db_stmt_rc(db, sql, &st))) != DB_OK)
			break;
		db_bind_int64(st, 1, id);
		for (size_t r = 0; r < rows; r++, i++) {
			int k = 2 + 3 * (int)r;
			db_bind_text(st, k, a->items[i].id, -1, DB_STATIC);
			db_bind_int(st, k + 1, a->items[i].level);
			if (a->items[i].comment != NULL)
				db_bind_text(st, k + 2, a->items[i].comment, -1, DB_STATIC);
			else
				db_bind_null(st, k + 2);
		}
		rc = db_result(db, db_step(st));
		db_done(st);
	}
	return rc;
}

db_rc subs_insert(db_conn *db, const sub_new *s, sub_saved *out)
{
	db_st *st = NULL;
	char *details = json_dumps(s->details, JSON_COMPACT);
	db_rc rc = DB_ERR_NOMEM;

	if (details == NULL)
		goto out;
	if ((rc = next_version(db, s, &out->version)) != DB_OK)
		goto out;
	clock_now(out->received_at);
	rc = db_result(
	        db,
	        db_stmt_rc(db,
	                   "INSERT INTO submissions (org_id, questionnaire, questionnaire_version,"
	                   " version, sha256, size, signer_fingerprint, uploader_fingerprint,"
	                   " status, received_at, details, campaign_id, nonce)"
	                   " VALUES (?,?,?,?,?,?,?,?,'accepted',?,?,?,?)",
	                   &st));
	if (rc != DB_OK)
		goto out;
	db_bind_text(st, 1, s->org_id, -1, DB_STATIC);
	db_bind_text(st, 2, s->answers->questionnaire, -1, DB_STATIC);
	db_bind_text(st, 3, s->answers->version, -1, DB_STATIC);
	db_bind_int(st, 4, out->version);
	db_bind_text(st, 5, s->sha256, -1, DB_STATIC);
	db_bind_int64(st, 6, (long long)s->size);
	db_bind_text(st, 7, s->signer_fp, -1, DB_STATIC);
	db_bind_text(st, 8, s->uploader_fp, -1, DB_STATIC);
	db_bind_text(st, 9, out->received_at, -1, DB_STATIC);
	db_bind_text(st, 10, details, -1, DB_STATIC);
	/* answers naming a campaign were bound to it by bind_check() */
	if (s->answers->campaign != NULL) {
		long long campaign;
		if (num_parse(s->answers->campaign, 1, LLONG_MAX, &campaign) != 0) {
			rc = DB_ERR;
			goto out;
		}
		db_bind_int64(st, 11, campaign);
	} else {
		db_bind_null(st, 11);
	}
	if (s->answers->nonce != NULL)
		db_bind_text(st, 12, s->answers->nonce, -1, DB_STATIC);
	else
		db_bind_null(st, 12);
	if ((rc = db_result(db, db_step(st))) != DB_OK)
		goto out;
	out->id = db_last_id(db);
	rc = insert_answers(db, out->id, s->answers);
out:
	db_done(st);
	free(details);
	return rc;
}

static char *dup_col(db_st *st, int i)
{
	const unsigned char *t = db_col_text(st, i);
	return strdup(t ? (const char *)t : "");
}

db_rc subs_set_audit_head(db_conn *db, long long id, long long seq, const char *hash)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "UPDATE submissions SET audit_seq = ?2,"
	                                    " audit_hash = ?3 WHERE id = ?1",
	                                    &st));
	if (rc != DB_OK)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, seq);
	db_bind_text(st, 3, hash, -1, DB_STATIC);
	return db_run(db, st);
}

db_rc subs_get(db_conn *db, long long id, sub_row *out)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "SELECT org_id, questionnaire,"
	                                    " questionnaire_version, version, sha256, size,"
	                                    " status, received_at, details, audit_seq,"
	                                    " audit_hash FROM submissions WHERE id = ?",
	                                    &st));
	int r;

	memset(out, 0, sizeof(*out));
	if (rc != DB_OK)
		return rc;
	db_bind_int64(st, 1, id);
	r = db_step(st);
	if (r != DB_ROW) {
		rc = db_found(db, r);
		goto out;
	}
	out->id = id;
	snprintf(out->org_id, sizeof(out->org_id), "%s", db_col_text(st, 0));
	out->questionnaire = dup_col(st, 1);
	out->questionnaire_version = dup_col(st, 2);
	out->version = db_col_int(st, 3);
	snprintf(out->sha256, sizeof(out->sha256), "%s", db_col_text(st, 4));
	out->size = db_col_int64(st, 5);
	snprintf(out->status, sizeof(out->status), "%s", db_col_text(st, 6));
	snprintf(out->received_at, sizeof(out->received_at), "%s", db_col_text(st, 7));
	out->details = dup_col(st, 8);
	out->audit_seq = db_col_int64(st, 9);
	if (db_col_type(st, 10) == DB_TEXT)
		snprintf(out->audit_hash, sizeof(out->audit_hash), "%s", db_col_text(st, 10));
	rc = DB_OK;
	if (out->questionnaire == NULL || out->questionnaire_version == NULL ||
	    out->details == NULL) {
		subs_row_free(out);
		rc = DB_ERR_NOMEM;
	}
out:
	db_done(st);
	return rc;
}

void subs_row_free(sub_row *r)
{
	free(r->questionnaire);
	free(r->questionnaire_version);
	free(r->details);
	r->questionnaire = r->questionnaire_version = r->details = NULL;
}

db_rc subs_receipt_put(db_conn *db, long long id, const unsigned char *tsr, size_t len,
                       const char *gen_time)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "INSERT INTO receipts (submission_id, gen_time,"
	                                    " tsr) VALUES (?,?,?)",
	                                    &st));
	if (rc != DB_OK)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, gen_time, -1, DB_STATIC);
	db_bind_blob(st, 3, tsr, (int)len, DB_STATIC);
	return db_run(db, st);
}

db_rc subs_receipt_get(db_conn *db, long long id, unsigned char **tsr, size_t *len, char org_id[64])
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "SELECT s.org_id, r.tsr FROM submissions s JOIN"
	                                    " receipts r ON r.submission_id = s.id"
	                                    " WHERE s.id = ?",
	                                    &st));
	int r;
	if (rc != DB_OK)
		return rc;
	db_bind_int64(st, 1, id);
	r = db_step(st);
	if (r == DB_ROW) {
		snprintf(org_id, 64, "%s", db_col_text(st, 0));
		*len = (size_t)db_col_bytes(st, 1);
		if ((*tsr = malloc(*len ? *len : 1)) == NULL)
			rc = DB_ERR_NOMEM;
		else
			memcpy(*tsr, db_col_blob(st, 1), *len);
	} else {
		rc = db_found(db, r);
	}
	db_done(st);
	return rc;
}

db_rc subs_receipt_time(db_conn *db, long long id, char gen_time[32])
{
	db_st *st = db_stmt(db, "SELECT gen_time FROM receipts WHERE submission_id = ?");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, id);
	r = db_step(st);
	if (r == DB_ROW)
		snprintf(gen_time, 32, "%s", db_col_text(st, 0));
	db_done(st);
	return db_found(db, r);
}

db_rc subs_packages_each(db_conn *db, int (*fn)(const subs_package *p, void *arg), void *arg)
{
	db_st *st = db_stmt(db, "SELECT id, sha256, size FROM submissions ORDER BY id");
	db_rc rc;
	int r;

	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		subs_package p = {db_col_int64(st, 0), (const char *)db_col_text(st, 1),
		                  db_col_int64(st, 2)};
		if (fn(&p, arg) != 0) {
			r = DB_DONE;
			break;
		}
	}
	rc = db_result(db, r);
	db_done(st);
	return rc;
}

db_rc subs_package_known(db_conn *db, const char *sha256)
{
	db_st *st = db_stmt(db, "SELECT 1 FROM submissions WHERE sha256 = ? LIMIT 1");
	db_rc rc;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, sha256, -1, DB_STATIC);
	r = db_step(st);
	rc = db_found(db, r);
	db_done(st);
	return rc;
}

db_rc subs_of_org_each(db_conn *db, const char *org, int (*fn)(const sub_brief *b, void *arg),
                       void *arg)
{
	db_st *st = db_stmt(db, "SELECT s.id, s.questionnaire, s.questionnaire_version,"
	                        " s.version, s.sha256, s.received_at,"
	                        " coalesce(s.campaign_id, 0), coalesce(c.name, ''),"
	                        " r.submission_id IS NOT NULL"
	                        " FROM submissions s"
	                        " LEFT JOIN campaigns c ON c.id = s.campaign_id"
	                        " LEFT JOIN receipts r ON r.submission_id = s.id"
	                        " WHERE s.org_id = ? ORDER BY s.id DESC");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, org, -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW) {
		sub_brief b = {db_col_int64(st, 0),
		               (const char *)db_col_text(st, 1),
		               (const char *)db_col_text(st, 2),
		               db_col_int(st, 3),
		               (const char *)db_col_text(st, 4),
		               (const char *)db_col_text(st, 5),
		               db_col_int64(st, 6),
		               (const char *)db_col_text(st, 7),
		               db_col_int(st, 8)};
		if (fn(&b, arg) != 0) {
			r = DB_DONE;
			break;
		}
	}
	db_done(st);
	return db_result(db, r);
}

/* the WHERE clause of a filter; its parameters are bound by bind_filter() */
#define FILTER_SQL                              \
	" WHERE (?1 = 0 OR s.campaign_id = ?1)" \
	" AND (CAST(?2 AS TEXT) IS NULL OR s.org_id = ?2)"

static void bind_filter(db_st *st, const sub_filter *f)
{
	db_bind_int64(st, 1, f->campaign);
	if (f->org != NULL)
		db_bind_text(st, 2, f->org, -1, DB_STATIC);
	else
		db_bind_null(st, 2);
}

static db_rc count_filtered(db_conn *db, const sub_filter *f, long long *total)
{
	db_st *st = db_stmt(db, "SELECT count(*) FROM submissions s" FILTER_SQL);
	int r;
	if (st == NULL)
		return DB_ERR;
	bind_filter(st, f);
	r = db_step(st);
	if (r == DB_ROW)
		*total = db_col_int64(st, 0);
	db_done(st);
	return r == DB_ROW ? DB_OK : db_result(db, r);
}

db_rc subs_list(db_conn *db, const sub_filter *f, long long offset, long long limit,
                int (*fn)(const sub_listed *s, void *arg), void *arg, long long *total)
{
	db_st *st;
	db_rc rc = count_filtered(db, f, total);
	int r;

	if (rc != DB_OK)
		return rc;
	st = db_stmt(db, "SELECT s.id, s.org_id, coalesce(o.name, ''),"
	                 " coalesce(s.campaign_id, 0), s.questionnaire,"
	                 " s.questionnaire_version, s.version, s.sha256, s.size, s.status,"
	                 " s.received_at, r.submission_id IS NOT NULL"
	                 " FROM submissions s"
	                 " LEFT JOIN organisations o ON o.id = s.org_id"
	                 " LEFT JOIN receipts r ON r.submission_id = s.id" FILTER_SQL
	                 " ORDER BY s.id DESC LIMIT ?3 OFFSET ?4");
	if (st == NULL)
		return DB_ERR;
	bind_filter(st, f);
	db_bind_int64(st, 3, limit);
	db_bind_int64(st, 4, offset);
	while ((r = db_step(st)) == DB_ROW) {
		sub_listed l = {db_col_int64(st, 0),
		                (const char *)db_col_text(st, 1),
		                (const char *)db_col_text(st, 2),
		                db_col_int64(st, 3),
		                (const char *)db_col_text(st, 4),
		                (const char *)db_col_text(st, 5),
		                db_col_int(st, 6),
		                (const char *)db_col_text(st, 7),
		                db_col_int64(st, 8),
		                (const char *)db_col_text(st, 9),
		                (const char *)db_col_text(st, 10),
		                db_col_int(st, 11)};
		if (fn(&l, arg) != 0) {
			r = DB_DONE;
			break;
		}
	}
	db_done(st);
	return db_result(db, r);
}

db_rc subs_previous(db_conn *db, long long id, long long *prev)
{
	db_st *st = db_stmt(db, "SELECT coalesce(p.id, 0) FROM submissions s"
	                        " LEFT JOIN submissions p ON p.org_id = s.org_id"
	                        " AND p.questionnaire = s.questionnaire"
	                        " AND p.questionnaire_version = s.questionnaire_version"
	                        " AND p.version = s.version - 1"
	                        " WHERE s.id = ?");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, id);
	r = db_step(st);
	if (r == DB_ROW)
		*prev = db_col_int64(st, 0);
	db_done(st);
	return db_found(db, r);
}
