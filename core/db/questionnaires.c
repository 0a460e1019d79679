/* db/questionnaires.c — the SQL of questionnaire definitions and their
 * section and item rows. */
#include "core/db/questionnaires.h"
#include "core/db/stmt.h"

#include "core/util/clock.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *variant_ids(const questionnaire *q)
{
	json_t *a = json_array();
	for (size_t i = 0; a != NULL && i < q->nvariants; i++)
		json_array_append_new(a, json_string(q->variants[i].id));
	return a;
}

/* 1: stored, 0: same bytes there already, -1: other bytes there, -2: error */
static int existing(db_conn *db, const questionnaire *q, const char *sha)
{
	db_st *st = NULL;
	int r, out = -2;
	if (db_stmt_rc(db, "SELECT sha256 FROM questionnaires WHERE id = ? AND version = ?", &st) !=
	    DB_R_OK)
		return -2;
	db_bind_text(st, 1, q->id, -1, DB_STATIC);
	db_bind_text(st, 2, q->version, -1, DB_STATIC);
	r = db_step(st);
	if (r == DB_DONE)
		out = 1;
	else if (r == DB_ROW)
		out = strcmp((const char *)db_col_text(st, 0), sha) == 0 ? 0 : -1;
	db_done(st);
	return out;
}

/* Sections and items as rows: scoring and the aggregate join on them. */
static db_rc index_rows(db_conn *db, const questionnaire *q)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "INSERT INTO questionnaire_sections VALUES"
	                                    " (?,?,?,?,?,?)",
	                                    &st));
	for (size_t i = 0; rc == DB_OK && i < q->nsections; i++) {
		db_reset(st);
		db_bind_text(st, 1, q->id, -1, DB_STATIC);
		db_bind_text(st, 2, q->version, -1, DB_STATIC);
		db_bind_text(st, 3, q->sections[i].id, -1, DB_STATIC);
		db_bind_int64(st, 4, (long long)i);
		db_bind_text(st, 5, q->sections[i].title.ja, -1, DB_STATIC);
		db_bind_text(st, 6, q->sections[i].title.en, -1, DB_STATIC);
		rc = db_result(db, db_step(st));
	}
	db_done(st);
	st = NULL;
	if (rc == DB_OK)
		rc = db_result(db, db_stmt_rc(db,
		                              "INSERT INTO questionnaire_items VALUES"
		                              " (?,?,?,?,?,?,?,?,?,?)",
		                              &st));
	for (size_t i = 0; rc == DB_OK && i < q->nitems; i++) {
		const qn_item *it = &q->items[i];
		db_reset(st);
		db_bind_text(st, 1, q->id, -1, DB_STATIC);
		db_bind_text(st, 2, q->version, -1, DB_STATIC);
		db_bind_text(st, 3, it->id, -1, DB_STATIC);
		db_bind_text(st, 4, q->sections[it->section].id, -1, DB_STATIC);
		db_bind_int64(st, 5, (long long)i);
		db_bind_int(st, 6, it->desirable);
		db_bind_int(st, 7, it->na_allowed);
		db_bind_int(st, 8, it->optional);
		db_bind_text(st, 9, it->text.ja, -1, DB_STATIC);
		db_bind_text(st, 10, it->text.en, -1, DB_STATIC);
		rc = db_result(db, db_step(st));
	}
	db_done(st);
	return rc;
}

static db_rc insert(db_conn *db, const questionnaire *q, const void *xml, size_t len,
                    const char *sha)
{
	db_st *st = NULL;
	const qn_item **items = NULL;
	size_t n = 0;
	char now[32];
	json_t *vj = variant_ids(q);
	char *variants = vj ? json_dumps(vj, JSON_COMPACT) : NULL;
	db_rc rc = DB_ERR_NOMEM;

	json_decref(vj);
	if (variants == NULL || qn_variant_items(q, NULL, &items, &n) != QN_OK)
		goto out;
	clock_now(now);
	rc = db_result(db, db_stmt_rc(db,
	                              "INSERT INTO questionnaires (id, version, title_ja,"
	                              " title_en, items, variants, sha256, definition,"
	                              " imported_at) VALUES (?,?,?,?,?,?,?,?,?)",
	                              &st));
	if (rc != DB_OK)
		goto out;
	db_bind_text(st, 1, q->id, -1, DB_STATIC);
	db_bind_text(st, 2, q->version, -1, DB_STATIC);
	db_bind_text(st, 3, q->title.ja, -1, DB_STATIC);
	db_bind_text(st, 4, q->title.en, -1, DB_STATIC);
	db_bind_int64(st, 5, (long long)n);
	db_bind_text(st, 6, variants, -1, DB_STATIC);
	db_bind_text(st, 7, sha, -1, DB_STATIC);
	db_bind_blob(st, 8, xml, (int)len, DB_STATIC);
	db_bind_text(st, 9, now, -1, DB_STATIC);
	if ((rc = db_result(db, db_step(st))) == DB_OK)
		rc = index_rows(db, q);
out:
	db_done(st);
	free(variants);
	free(items);
	return rc;
}

qstore_rc qstore_put(db_conn *db, const questionnaire *q, const void *xml, size_t len,
                     const char *sha256)
{
	int ex = existing(db, q, sha256);
	if (ex != 1)
		return ex == 0    ? QSTORE_UNCHANGED
		       : ex == -1 ? QSTORE_ERR_VERSION_EXISTS
		                  : QSTORE_ERR_DB;
	return insert(db, q, xml, len, sha256) == DB_OK ? QSTORE_OK : QSTORE_ERR_DB;
}

static char *dup_col(db_st *st, int i)
{
	const unsigned char *t = db_col_text(st, i);
	return t ? strdup((const char *)t) : NULL;
}

/* the variant ids, stored as a JSON array of strings */
static int variants_of(const char *stored, qstore_entry *e)
{
	json_t *a = stored ? json_loads(stored, 0, NULL) : NULL;
	size_t i;
	json_t *v;
	int ok = json_is_array(a);

	if (ok && json_array_size(a) > 0 &&
	    (e->variants = calloc(json_array_size(a), sizeof(*e->variants))) == NULL)
		ok = 0;
	json_array_foreach(a, i, v)
	{
		if (!ok || !json_is_string(v) ||
		    (e->variants[e->nvariants] = strdup(json_string_value(v))) == NULL) {
			ok = 0;
			break;
		}
		e->nvariants++;
	}
	json_decref(a);
	return ok;
}

static void entry_free(qstore_entry *e)
{
	free(e->id);
	free(e->version);
	free(e->title_ja);
	free(e->title_en);
	for (size_t i = 0; i < e->nvariants; i++)
		free(e->variants[i]);
	free(e->variants);
	free(e->sha256);
	free(e->imported_at);
}

static int entry_row(db_st *st, qstore_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = dup_col(st, 0);
	e->version = dup_col(st, 1);
	e->title_ja = dup_col(st, 2);
	e->title_en = dup_col(st, 3);
	e->items = db_col_int(st, 4);
	e->sha256 = dup_col(st, 6);
	e->imported_at = dup_col(st, 7);
	if (e->id && e->version && e->title_ja && e->title_en && e->sha256 && e->imported_at &&
	    variants_of((const char *)db_col_text(st, 5), e))
		return 1;
	entry_free(e);
	return 0;
}

void qstore_list_free(qstore_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		entry_free(&list[i]);
	free(list);
}

qstore_rc qstore_list(db_conn *db, qstore_entry **out, size_t *n)
{
	db_st *st = NULL;
	qstore_entry *list = NULL;
	size_t len = 0, cap = 0;
	qstore_rc rc = QSTORE_ERR_DB;
	int r;

	*out = NULL;
	*n = 0;
	if (db_stmt_rc(db,
	               "SELECT id, version, title_ja, title_en, items, variants, sha256,"
	               " imported_at FROM questionnaires ORDER BY id, imported_at",
	               &st) != DB_R_OK)
		goto out;
	while ((r = db_step(st)) == DB_ROW) {
		if (len == cap) {
			size_t ncap = cap ? 2 * cap : 8;
			qstore_entry *grown = realloc(list, ncap * sizeof(*list));
			if (grown == NULL)
				goto out;
			list = grown;
			cap = ncap;
		}
		if (!entry_row(st, &list[len]))
			goto out;
		len++;
	}
	if (r == DB_DONE) {
		*out = list;
		*n = len;
		list = NULL;
		len = 0;
		rc = QSTORE_OK;
	} else {
		db_result(db, r); /* logs */
	}
out:
	qstore_list_free(list, len);
	db_done(st);
	return rc;
}

qstore_rc qstore_get(db_conn *db, const char *id, const char *version, questionnaire **out)
{
	unsigned char *xml = NULL;
	size_t len = 0;
	char detail[256];
	qstore_rc rc = qstore_definition(db, id, version, &xml, &len);

	/* stored definitions were validated on import: failing now is a
	 * database problem, not bad input */
	if (rc == QSTORE_OK && qn_parse(xml, len, out, detail, sizeof(detail)) != QN_OK)
		rc = QSTORE_ERR_DB;
	free(xml);
	return rc;
}

db_rc qstore_index_missing(db_conn *db)
{
	db_st *st = db_stmt(db, "SELECT id, version FROM questionnaires q WHERE NOT EXISTS"
	                        " (SELECT 1 FROM questionnaire_items i WHERE"
	                        " i.questionnaire = q.id AND i.version = q.version)");
	db_rc rc = DB_ERR;
	int r;

	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		questionnaire *q = NULL;
		if (qstore_get(db, (const char *)db_col_text(st, 0),
		               (const char *)db_col_text(st, 1), &q) != QSTORE_OK)
			goto out;
		db_rc drc = index_rows(db, q);
		qn_free(q);
		if (drc != DB_OK) {
			rc = drc;
			goto out;
		}
	}
	rc = db_result(db, r);
out:
	db_done(st);
	return rc;
}

qstore_rc qstore_definition(db_conn *db, const char *id, const char *version, unsigned char **xml,
                            size_t *len)
{
	db_st *st = NULL;
	qstore_rc rc = QSTORE_ERR_DB;
	int r;

	if (db_stmt_rc(db, "SELECT definition FROM questionnaires WHERE id = ? AND version = ?",
	               &st) != DB_R_OK)
		return QSTORE_ERR_DB;
	db_bind_text(st, 1, id, -1, DB_STATIC);
	db_bind_text(st, 2, version, -1, DB_STATIC);
	r = db_step(st);
	if (r == DB_DONE) {
		rc = QSTORE_ERR_NOTFOUND;
	} else if (r == DB_ROW) {
		*len = (size_t)db_col_bytes(st, 0);
		if ((*xml = malloc(*len + 1)) != NULL) {
			memcpy(*xml, db_col_blob(st, 0), *len);
			rc = QSTORE_OK;
		}
	}
	db_done(st);
	return rc;
}
