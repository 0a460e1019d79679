/* drafts.c — the SQL of drafts and draft_items, and reading a
 * submission's answers back as a draft. Owns no rule about what a draft
 * may hold: the answer page checks levels and items against the
 * questionnaire before it saves. */
#include "core/db/drafts.h"

#include "core/db/stmt.h"
#include "core/util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void draft_free(draft *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].item_id);
		free(d->items[i].comment);
	}
	for (size_t i = 0; i < d->nsubs; i++) {
		free(d->subs[i].id);
		free(d->subs[i].name);
		free(d->subs[i].scope);
	}
	free(d->subs);
	free(d->items);
	memset(d, 0, sizeof(*d));
}

static db_rc push(draft *d, const char *id, const char *level, const char *comment)
{
	draft_item *g = realloc(d->items, (d->n + 1) * sizeof(*g));
	if (g == NULL)
		return DB_ERR_NOMEM;
	d->items = g;
	g = &d->items[d->n];
	g->item_id = strdup(id ? id : "");
	g->comment = strdup(comment ? comment : "");
	snprintf(g->level, sizeof(g->level), "%s", level ? level : "");
	if (g->item_id == NULL || g->comment == NULL) {
		free(g->item_id);
		free(g->comment);
		return DB_ERR_NOMEM;
	}
	d->n++;
	return DB_OK;
}

db_rc draft_sub_add(draft *d, const char *id, const char *name, const char *scope, int personal,
                    int confidential)
{
	draft_sub *g = realloc(d->subs, (d->nsubs + 1) * sizeof(*g));
	if (g == NULL)
		return DB_ERR_NOMEM;
	d->subs = g;
	g = &d->subs[d->nsubs];
	g->id = strdup(id ? id : "");
	g->name = strdup(name ? name : "");
	g->scope = strdup(scope ? scope : "");
	g->personal = personal;
	g->confidential = confidential;
	if (g->id == NULL || g->name == NULL || g->scope == NULL) {
		free(g->id);
		free(g->name);
		free(g->scope);
		return DB_ERR_NOMEM;
	}
	d->nsubs++;
	return DB_OK;
}

/* Rows of (id, name, scope, personal, confidential) appended to d's
 * subcontractors. Always finalizes st. */
static db_rc read_subs(db_conn *db, db_st *st, draft *d)
{
	db_rc rc = DB_OK;
	int r;
	while (rc == DB_OK && (r = db_step(st)) == DB_ROW)
		rc = draft_sub_add(
		        d, (const char *)db_col_text(st, 0), (const char *)db_col_text(st, 1),
		        (const char *)db_col_text(st, 2), db_col_int(st, 3), db_col_int(st, 4));
	if (rc == DB_OK && r != DB_DONE)
		rc = db_result(db, r);
	db_done(st);
	return rc;
}

static db_rc subs_by_id(db_conn *db, const char *sql, long long id, draft *d)
{
	db_st *st = db_stmt(db, sql);
	db_rc rc;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, id);
	if ((rc = read_subs(db, st, d)) != DB_OK)
		draft_free(d);
	return rc;
}

/* Rows of (item_id, level text, comment) appended to d. */
static db_rc read_items(db_conn *db, db_st *st, draft *d)
{
	db_rc rc = DB_OK;
	int r;
	while (rc == DB_OK && (r = db_step(st)) == DB_ROW)
		rc = push(d, (const char *)db_col_text(st, 0), (const char *)db_col_text(st, 1),
		          (const char *)db_col_text(st, 2));
	if (rc == DB_OK && r != DB_DONE)
		rc = db_result(db, r);
	db_done(st);
	if (rc != DB_OK)
		draft_free(d);
	return rc;
}

db_rc drafts_get(db_conn *db, long long assignment, draft *out)
{
	db_st *st = db_stmt(db, "SELECT saved_at, saved_by FROM drafts WHERE assignment_id = ?");
	int r;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, assignment);
	r = db_step(st);
	if (r == DB_ROW) {
		snprintf(out->saved_at, sizeof(out->saved_at), "%s", db_col_text(st, 0));
		snprintf(out->saved_by, sizeof(out->saved_by), "%s", db_col_text(st, 1));
	}
	db_done(st);
	if (r != DB_ROW)
		return db_found(db, r);
	/* in the questionnaire's order (both backends: PostgreSQL has no
	 * insertion order to fall back on) */
	st = db_stmt(db, "SELECT d.item_id, d.level, d.comment FROM draft_items d"
	                 " JOIN assignments g ON g.id = d.assignment_id"
	                 " JOIN campaigns c ON c.id = g.campaign_id"
	                 " LEFT JOIN questionnaire_items i ON i.questionnaire = c.questionnaire"
	                 " AND i.version = c.questionnaire_version AND i.item_id = d.item_id"
	                 " WHERE d.assignment_id = ?1 ORDER BY i.position, d.item_id");
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, assignment);
	if (read_items(db, st, out) != DB_OK)
		return DB_ERR;
	return subs_by_id(db,
	                  "SELECT child_id, name, scope, personal, confidential FROM draft_subs"
	                  " WHERE assignment_id = ? ORDER BY position",
	                  assignment, out);
}

db_rc drafts_from_submission(db_conn *db, long long submission, draft *out)
{
	db_st *st =
	        db_stmt(db, "SELECT a.item_id,"
	                    " CASE a.level WHEN 0 THEN 'na' ELSE CAST(a.level AS TEXT) END,"
	                    " coalesce(a.comment, '')"
	                    " FROM answers a JOIN submissions s ON s.id = a.submission_id"
	                    " LEFT JOIN questionnaire_items i ON i.questionnaire = s.questionnaire"
	                    " AND i.version = s.questionnaire_version AND i.item_id = a.item_id"
	                    " WHERE a.submission_id = ?1 ORDER BY i.position, a.item_id");
	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, submission);
	if (read_items(db, st, out) != DB_OK)
		return DB_ERR;
	return subs_by_id(db,
	                  "SELECT child_id, name, scope, personal, confidential FROM declarations"
	                  " WHERE submission_id = ? ORDER BY child_id",
	                  submission, out);
}

static db_rc exec_id(db_conn *db, const char *sql, long long id)
{
	db_st *st = db_stmt(db, sql);
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, id);
	r = db_step(st);
	db_done(st);
	return db_result(db, r);
}

static db_rc put_subs(db_conn *db, long long assignment, const draft *d)
{
	db_st *st = db_stmt(db, "INSERT INTO draft_subs (assignment_id, position, child_id,"
	                        " name, scope, personal, confidential)"
	                        " VALUES (?, ?, ?, ?, ?, ?, ?)");
	db_rc rc = DB_OK;
	if (st == NULL)
		return DB_ERR;
	for (size_t i = 0; rc == DB_OK && i < d->nsubs; i++) {
		db_reset(st);
		db_bind_int64(st, 1, assignment);
		db_bind_int64(st, 2, (long long)i);
		db_bind_text(st, 3, d->subs[i].id, -1, DB_STATIC);
		db_bind_text(st, 4, d->subs[i].name, -1, DB_STATIC);
		db_bind_text(st, 5, d->subs[i].scope, -1, DB_STATIC);
		db_bind_int(st, 6, d->subs[i].personal != 0);
		db_bind_int(st, 7, d->subs[i].confidential != 0);
		rc = db_result(db, db_step(st));
	}
	db_done(st);
	return rc;
}

static db_rc put_items(db_conn *db, long long assignment, const draft *d)
{
	db_st *st = db_stmt(db, "INSERT INTO draft_items (assignment_id, item_id, level,"
	                        " comment) VALUES (?, ?, ?, ?)");
	db_rc rc = DB_OK;
	if (st == NULL)
		return DB_ERR;
	for (size_t i = 0; rc == DB_OK && i < d->n; i++) {
		db_reset(st);
		db_bind_int64(st, 1, assignment);
		db_bind_text(st, 2, d->items[i].item_id, -1, DB_STATIC);
		db_bind_text(st, 3, d->items[i].level, -1, DB_STATIC);
		db_bind_text(st, 4, d->items[i].comment, -1, DB_STATIC);
		rc = db_result(db, db_step(st));
	}
	db_done(st);
	return rc;
}

db_rc drafts_put(db_conn *db, long long assignment, const draft *d, const char *fp)
{
	db_st *st = NULL;
	char now[32];
	db_rc rc;

	clock_now(now);
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	if ((rc = exec_id(db, "DELETE FROM draft_items WHERE assignment_id = ?", assignment)) !=
	            DB_OK ||
	    (rc = exec_id(db, "DELETE FROM draft_subs WHERE assignment_id = ?", assignment)) !=
	            DB_OK)
		goto out;
	if ((st = db_stmt(db, "INSERT INTO drafts (assignment_id, saved_at, saved_by)"
	                      " VALUES (?, ?, ?) ON CONFLICT (assignment_id) DO UPDATE"
	                      " SET saved_at = excluded.saved_at,"
	                      " saved_by = excluded.saved_by")) == NULL) {
		rc = DB_ERR;
		goto out;
	}
	db_bind_int64(st, 1, assignment);
	db_bind_text(st, 2, now, -1, DB_STATIC);
	db_bind_text(st, 3, fp, -1, DB_STATIC);
	if ((rc = db_result(db, db_step(st))) != DB_OK)
		goto out;
	if ((rc = put_items(db, assignment, d)) == DB_OK)
		rc = put_subs(db, assignment, d);
out:
	db_done(st);
	if (rc == DB_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
