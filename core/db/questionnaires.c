/* qstore.c — storing and loading questionnaire definitions. */
#include "core/db/questionnaires.h"
#include "core/db/stmt.h"

#include "core/audit.h"
#include "core/util/clock.h"
#include "crypto/digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* generated from the files in forms/questionnaires/ by the Makefile (xxd -i) */
extern unsigned char ipa_benchmark_xml[];
extern unsigned int ipa_benchmark_xml_len;
extern unsigned char csmg_checklist_xml[];
extern unsigned int csmg_checklist_xml_len;

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
	sqlite3_stmt *st = NULL;
	int r, out = -2;
	if (sqlite3_prepare_v2(db, "SELECT sha256 FROM questionnaires WHERE id = ? AND version = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return -2;
	sqlite3_bind_text(st, 1, q->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->version, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		out = 1;
	else if (r == SQLITE_ROW)
		out = strcmp((const char *)sqlite3_column_text(st, 0), sha) == 0 ? 0 : -1;
	sqlite3_finalize(st);
	return out;
}

/* Sections and items as rows: scoring and the aggregate join on them. */
static db_rc index_rows(db_conn *db, const questionnaire *q)
{
	sqlite3_stmt *st = NULL;
	db_rc rc = db_result(db, sqlite3_prepare_v2(db,
	                                            "INSERT INTO questionnaire_sections VALUES"
	                                            " (?,?,?,?,?,?)",
	                                            -1, &st, NULL));
	for (size_t i = 0; rc == DB_OK && i < q->nsections; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, q->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, q->version, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, q->sections[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
		sqlite3_bind_text(st, 5, q->sections[i].title.ja, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, q->sections[i].title.en, -1, SQLITE_STATIC);
		rc = db_result(db, sqlite3_step(st));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == DB_OK)
		rc = db_result(db, sqlite3_prepare_v2(db,
		                                      "INSERT INTO questionnaire_items VALUES"
		                                      " (?,?,?,?,?,?,?,?,?,?)",
		                                      -1, &st, NULL));
	for (size_t i = 0; rc == DB_OK && i < q->nitems; i++) {
		const qn_item *it = &q->items[i];
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, q->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, q->version, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, it->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, q->sections[it->section].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)i);
		sqlite3_bind_int(st, 6, it->desirable);
		sqlite3_bind_int(st, 7, it->na_allowed);
		sqlite3_bind_int(st, 8, it->optional);
		sqlite3_bind_text(st, 9, it->text.ja, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, it->text.en, -1, SQLITE_STATIC);
		rc = db_result(db, sqlite3_step(st));
	}
	sqlite3_finalize(st);
	return rc;
}

static db_rc insert(db_conn *db, const questionnaire *q, const void *xml, size_t len,
                    const char *sha)
{
	sqlite3_stmt *st = NULL;
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
	rc = db_result(db, sqlite3_prepare_v2(db,
	                                      "INSERT INTO questionnaires (id, version, title_ja,"
	                                      " title_en, items, variants, sha256, definition,"
	                                      " imported_at) VALUES (?,?,?,?,?,?,?,?,?)",
	                                      -1, &st, NULL));
	if (rc != DB_OK)
		goto out;
	sqlite3_bind_text(st, 1, q->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, q->title.ja, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, q->title.en, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)n);
	sqlite3_bind_text(st, 6, variants, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, sha, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, xml, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
	if ((rc = db_result(db, sqlite3_step(st))) == DB_OK)
		rc = index_rows(db, q);
out:
	sqlite3_finalize(st);
	free(variants);
	free(items);
	return rc;
}

qstore_rc qstore_import(db_conn *db, const void *xml, size_t len, const char *actor, char *id_out,
                        size_t id_len, char *detail, size_t detail_len)
{
	questionnaire *q = NULL;
	char sha[DGST_SHA256_HEX], object[160];
	qstore_rc rc = QSTORE_ERR_DB;
	qn_rc qrc = qn_parse(xml, len, &q, detail, detail_len);
	int ex;

	if (qrc != QN_OK) {
		if (detail_len > 0 && detail[0] == '\0')
			snprintf(detail, detail_len, "%s", qn_rc_str(qrc));
		return qrc == QN_ERR_NOMEM ? QSTORE_ERR_DB : QSTORE_ERR_INVALID;
	}
	snprintf(id_out, id_len, "%s@%s", q->id, q->version);
	dgst_sha256_hex(xml, len, sha);
	if (db_begin(db) != DB_OK)
		goto out;
	ex = existing(db, q, sha);
	if (ex != 1) {
		rc = ex == 0    ? QSTORE_UNCHANGED
		     : ex == -1 ? QSTORE_ERR_VERSION_EXISTS
		                : QSTORE_ERR_DB;
		if (ex == -1)
			snprintf(detail, detail_len,
			         "%s exists with other content; publish changes as a new version",
			         id_out);
		goto out;
	}
	snprintf(object, sizeof(object), "questionnaire/%s", id_out);
	audit_event ev = {actor, "questionnaire.import", object, "ok", "ok", sha};
	if (insert(db, q, xml, len, sha) != DB_OK || audit_append(db, &ev) != DB_OK)
		goto out;
	if (db_commit(db) == DB_OK)
		rc = QSTORE_OK;
out:
	db_rollback(db);
	qn_free(q);
	return rc;
}

static json_t *questionnaire_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:i, s:o?, s:s, s:s}", "id",
	                 sqlite3_column_text(st, 0), "version", sqlite3_column_text(st, 1), "title",
	                 "ja", sqlite3_column_text(st, 2), "en", sqlite3_column_text(st, 3),
	                 "items", sqlite3_column_int(st, 4), "variants",
	                 json_loads((const char *)sqlite3_column_text(st, 5), 0, NULL), "sha256",
	                 sqlite3_column_text(st, 6), "imported_at", sqlite3_column_text(st, 7));
}

qstore_rc qstore_list(db_conn *db, json_t **out)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT id, version, title_ja, title_en, items, variants, sha256,"
	                       " imported_at FROM questionnaires ORDER BY id, imported_at",
	                       -1, &st, NULL) != SQLITE_OK)
		return QSTORE_ERR_DB;
	return db_rows_json(db, st, questionnaire_row, out) == DB_OK ? QSTORE_OK : QSTORE_ERR_DB;
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

static const struct {
	const unsigned char *xml;
	const unsigned int *len;
} shipped[] = {{ipa_benchmark_xml, &ipa_benchmark_xml_len},
               {csmg_checklist_xml, &csmg_checklist_xml_len}};

qstore_rc qstore_import_shipped(db_conn *db, char *detail, size_t detail_len)
{
	char id[160];
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		qstore_rc rc = qstore_import(db, shipped[i].xml, *shipped[i].len, "cli", id,
		                             sizeof(id), detail, detail_len);
		if (rc != QSTORE_OK && rc != QSTORE_UNCHANGED)
			return rc;
	}
	return QSTORE_OK;
}

qstore_rc qstore_shipped(const char *id, const char *version, questionnaire **out)
{
	char detail[256];
	*out = NULL;
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		questionnaire *q = NULL;
		if (qn_parse(shipped[i].xml, *shipped[i].len, &q, detail, sizeof(detail)) != QN_OK)
			return QSTORE_ERR_INVALID;
		if (strcmp(q->id, id) == 0 && strcmp(q->version, version) == 0) {
			*out = q;
			return QSTORE_OK;
		}
		qn_free(q);
	}
	return QSTORE_ERR_NOTFOUND;
}

qstore_rc qstore_reindex(db_conn *db)
{
	sqlite3_stmt *st = NULL;
	qstore_rc rc = QSTORE_ERR_DB;
	int r;

	if (db_begin(db) != DB_OK)
		return QSTORE_ERR_DB;
	if (sqlite3_prepare_v2(db,
	                       "SELECT id, version FROM questionnaires q WHERE NOT EXISTS"
	                       " (SELECT 1 FROM questionnaire_items i WHERE i.questionnaire = q.id"
	                       " AND i.version = q.version)",
	                       -1, &st, NULL) != SQLITE_OK)
		goto out;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		questionnaire *q = NULL;
		if (qstore_get(db, (const char *)sqlite3_column_text(st, 0),
		               (const char *)sqlite3_column_text(st, 1), &q) != QSTORE_OK)
			goto out;
		db_rc drc = index_rows(db, q);
		qn_free(q);
		if (drc != DB_OK)
			goto out;
	}
	if (r == SQLITE_DONE) {
		sqlite3_finalize(st);
		st = NULL;
		if (db_commit(db) == DB_OK)
			rc = QSTORE_OK;
	}
out:
	sqlite3_finalize(st);
	db_rollback(db);
	return rc;
}

qstore_rc qstore_definition(db_conn *db, const char *id, const char *version, unsigned char **xml,
                            size_t *len)
{
	sqlite3_stmt *st = NULL;
	qstore_rc rc = QSTORE_ERR_DB;
	int r;

	if (sqlite3_prepare_v2(db,
	                       "SELECT definition FROM questionnaires WHERE id = ? AND version = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return QSTORE_ERR_DB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE) {
		rc = QSTORE_ERR_NOTFOUND;
	} else if (r == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		if ((*xml = malloc(*len + 1)) != NULL) {
			memcpy(*xml, sqlite3_column_blob(st, 0), *len);
			rc = QSTORE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}
