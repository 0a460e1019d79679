/* db/scores.c — the SQL of scores and section_scores. Gaps and below
 * counts are against the desirable level in force for the submission's
 * campaign and group (core/db/desirable.h), the definition's default for a
 * free submission. A level of 0 is "not
 * applicable": it counts in na, not in totals, means or gaps. The mean of
 * a section whose items are all "na" is NULL. */
#include "core/db/scores.h"
#include "core/db/desirable.h"
#include "core/db/stmt.h"

/* the answers of submission ?1 with their items and the assignment (none
 * for a free submission: the defaults count) */
#define SCORED_ANSWERS                                                       \
	" FROM submissions s JOIN answers a ON a.submission_id = s.id"       \
	" JOIN questionnaire_items i ON i.questionnaire = s.questionnaire"   \
	" AND i.version = s.questionnaire_version AND i.item_id = a.item_id" \
	" LEFT JOIN assignments asg ON asg.campaign_id = s.campaign_id"      \
	" AND asg.org_id = s.org_id WHERE s.id = ?1"
/* the desirable level in force for the campaign and group of the answer */
#define IN_FORCE                                                                             \
	DESIRABLE_SQL("s.campaign_id", "coalesce(asg.grp, '')", "a.item_id", "i.section_id", \
	              "i.desirable")

static db_st *prepare_id(db_conn *db, const char *sql, long long id)
{
	db_st *st = db_stmt(db, sql);
	if (st != NULL)
		db_bind_int64(st, 1, id);
	return st;
}

static db_rc exec_id(db_conn *db, const char *sql, long long id)
{
	db_st *st = prepare_id(db, sql, id);
	db_rc rc = st != NULL ? db_result(db, db_step(st)) : DB_ERR;
	db_done(st);
	return rc;
}

db_rc score_rows_write(db_conn *db, long long id)
{
	db_rc rc = exec_id(db,
	                   "INSERT INTO scores (submission_id, answered, na, total, mean, below)"
	                   " SELECT ?1, coalesce(sum(CAST(a.level > 0 AS INTEGER)), 0), "
	                   "coalesce(sum(CAST(a.level = 0 AS INTEGER)), 0),"
	                   " coalesce(sum(a.level), 0), avg(nullif(a.level, 0)),"
	                   " coalesce(sum(CAST(a.level > 0 AND a.level < " IN_FORCE
	                   " AS INTEGER)), 0)" SCORED_ANSWERS,
	                   id);
	if (rc != DB_OK)
		return rc;
	return exec_id(
	        db,
	        "INSERT INTO section_scores (submission_id, section_id, answered, total, mean)"
	        " SELECT ?1, i.section_id, sum(CAST(a.level > 0 AS INTEGER)), sum(a.level),"
	        " avg(nullif(a.level, 0))" SCORED_ANSWERS " GROUP BY i.section_id",
	        id);
}

db_rc score_total_get(db_conn *db, long long id, score_total *out)
{
	db_st *st = prepare_id(db,
	                       "SELECT total, answered, na, mean, below FROM"
	                       " scores WHERE submission_id = ?",
	                       id);
	db_rc rc = DB_ERR;
	int r;

	if (st == NULL)
		return DB_ERR;
	if ((r = db_step(st)) == DB_ROW) {
		out->total = db_col_int(st, 0);
		out->answered = db_col_int(st, 1);
		out->na = db_col_int(st, 2);
		out->has_mean = db_col_type(st, 3) != DB_NULL;
		out->mean = db_col_double(st, 3);
		out->below = db_col_int(st, 4);
		rc = DB_OK;
	} else {
		rc = db_found(db, r);
	}
	db_done(st);
	return rc;
}

db_rc score_sections_each(db_conn *db, long long id,
                          int (*fn)(const score_section_row *r, void *arg), void *arg)
{
	db_st *st = prepare_id(
	        db,
	        "SELECT ss.section_id, ss.answered, ss.total, ss.mean FROM section_scores ss"
	        " JOIN submissions s ON s.id = ss.submission_id"
	        " JOIN questionnaire_sections q ON q.questionnaire = s.questionnaire"
	        " AND q.version = s.questionnaire_version AND q.section_id = ss.section_id"
	        " WHERE ss.submission_id = ?1 ORDER BY q.position",
	        id);
	db_rc rc;
	int r;

	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		score_section_row row = {(const char *)db_col_text(st, 0), db_col_int(st, 1),
		                         db_col_int(st, 2), db_col_type(st, 3) != DB_NULL,
		                         db_col_double(st, 3)};
		if (fn(&row, arg) != 0) {
			r = DB_DONE;
			break;
		}
	}
	rc = db_result(db, r);
	db_done(st);
	return rc;
}

db_rc score_items_each(db_conn *db, long long id, int (*fn)(const score_item_row *r, void *arg),
                       void *arg)
{
	db_st *st = prepare_id(db,
	                       "SELECT a.item_id, i.section_id, a.level,"
	                       " " IN_FORCE SCORED_ANSWERS " ORDER BY i.position",
	                       id);
	db_rc rc;
	int r;

	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		score_item_row row = {(const char *)db_col_text(st, 0),
		                      (const char *)db_col_text(st, 1), db_col_int(st, 2),
		                      db_col_int(st, 3)};
		if (fn(&row, arg) != 0) {
			r = DB_DONE;
			break;
		}
	}
	rc = db_result(db, r);
	db_done(st);
	return rc;
}
