/* scores.c — per-submission scoring in SQL. A level of 0 is "not
 * applicable": it counts in na, not in totals, means or gaps. The mean of a
 * section whose items are all "na" is NULL. */
#include "core/scores.h"
#include "core/db/stmt.h"

#include <stdio.h>

#define SCORED_ANSWERS                                                     \
	" FROM submissions s JOIN answers a ON a.submission_id = s.id"     \
	" JOIN questionnaire_items i ON i.questionnaire = s.questionnaire" \
	" AND i.version = s.questionnaire_version AND i.item_id = a.item_id WHERE s.id = ?1"

static db_rc exec_id(db_conn *db, const char *sql, long long id)
{
	sqlite3_stmt *st = NULL;
	db_rc rc = db_result(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL));
	if (rc == DB_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = db_result(db, sqlite3_step(st));
	}
	sqlite3_finalize(st);
	return rc;
}

db_rc scores_compute(db_conn *db, long long id)
{
	db_rc rc =
	        exec_id(db,
	                "INSERT INTO scores (submission_id, answered, na, total, mean, below)"
	                " SELECT ?1, coalesce(sum(a.level > 0), 0), coalesce(sum(a.level = 0), 0),"
	                " coalesce(sum(a.level), 0), avg(nullif(a.level, 0)),"
	                " coalesce(sum(a.level > 0 AND a.level < i.desirable), 0)" SCORED_ANSWERS,
	                id);
	if (rc != DB_OK)
		return rc;
	return exec_id(
	        db,
	        "INSERT INTO section_scores (submission_id, section_id, answered, total, mean)"
	        " SELECT ?1, i.section_id, sum(a.level > 0), sum(a.level),"
	        " avg(nullif(a.level, 0))" SCORED_ANSWERS " GROUP BY i.section_id",
	        id);
}

static json_t *real_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL
	               ? json_null()
	               : json_real(sqlite3_column_double(st, col));
}

static json_t *section_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:i, s:i, s:o}", "id", sqlite3_column_text(st, 0), "answered",
	                 sqlite3_column_int(st, 1), "total", sqlite3_column_int(st, 2), "mean",
	                 real_or_null(st, 3));
}

static json_t *item_row(sqlite3_stmt *st)
{
	int level = sqlite3_column_int(st, 2), desirable = sqlite3_column_int(st, 3);
	return json_pack("{s:s, s:s, s:o, s:i, s:o}", "id", sqlite3_column_text(st, 0), "section",
	                 sqlite3_column_text(st, 1), "level",
	                 level > 0 ? json_integer(level) : json_null(), "desirable", desirable,
	                 "gap", level > 0 ? json_integer(level - desirable) : json_null());
}

static db_rc rows(db_conn *db, const char *sql, long long id, json_t *(*row)(sqlite3_stmt *),
                  json_t **out)
{
	sqlite3_stmt *st = NULL;
	db_rc rc = db_result(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL));
	if (rc != DB_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	return db_rows_json(db, st, row, out);
}

db_rc scores_get(db_conn *db, long long id, json_t **out)
{
	sqlite3_stmt *st = NULL;
	json_t *sections = NULL, *items = NULL;
	db_rc rc = db_result(db, sqlite3_prepare_v2(db,
	                                            "SELECT total, answered, na, mean, below FROM"
	                                            " scores WHERE submission_id = ?",
	                                            -1, &st, NULL));
	int r;

	*out = NULL;
	if (rc != DB_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((r = sqlite3_step(st)) != SQLITE_ROW) {
		rc = r == SQLITE_DONE ? DB_ERR_NOTFOUND : db_result(db, r);
		goto out;
	}
	if ((rc = rows(db,
	               "SELECT ss.section_id, ss.answered, ss.total, ss.mean FROM section_scores ss"
	               " JOIN submissions s ON s.id = ss.submission_id"
	               " JOIN questionnaire_sections q ON q.questionnaire = s.questionnaire"
	               " AND q.version = s.questionnaire_version AND q.section_id = ss.section_id"
	               " WHERE ss.submission_id = ?1 ORDER BY q.position",
	               id, section_row, &sections)) != DB_OK ||
	    (rc = rows(db,
	               "SELECT a.item_id, i.section_id, a.level, i.desirable" SCORED_ANSWERS
	               " ORDER BY i.position",
	               id, item_row, &items)) != DB_OK)
		goto out;
	*out = json_pack("{s:i, s:i, s:i, s:o, s:i, s:o, s:o}", "total", sqlite3_column_int(st, 0),
	                 "answered", sqlite3_column_int(st, 1), "na", sqlite3_column_int(st, 2),
	                 "mean", real_or_null(st, 3), "below_desirable", sqlite3_column_int(st, 4),
	                 "sections", sections, "items", items);
	sections = items = NULL;
	rc = *out != NULL ? DB_OK : DB_ERR_NOMEM;
out:
	json_decref(sections);
	json_decref(items);
	sqlite3_finalize(st);
	return rc;
}
