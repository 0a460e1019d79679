/* assignments.c — the SQL of assignments and of the running sums that
 * follow an assignment's latest accepted submission. The status of an
 * assignment comes from assignment_status.h, its one definition. No rules
 * and no audit here (core/campaigns.c), no JSON. */
#include "core/db/assignments.h"
#include "core/db/assignment_status.h"
#include "core/db/stmt.h"

#include <stdio.h>
#include <string.h>

db_rc asgdb_insert(db_conn *db, long long campaign, const char *org, const char *variant,
                   const char *nonce, const char *created_at, const char *invited_by, long long *id)
{
	db_st *st = db_stmt(db, "INSERT INTO assignments (campaign_id, org_id, variant,"
	                        " nonce, created_at, invited_by) VALUES (?,?,?,?,?,?)");
	db_rc rc;

	*id = 0;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, org, -1, DB_STATIC);
	db_bind_text(st, 3, variant, -1, DB_STATIC);
	db_bind_text(st, 4, nonce, -1, DB_STATIC);
	db_bind_text(st, 5, created_at, -1, DB_STATIC);
	db_bind_text(st, 6, invited_by, -1, DB_STATIC);
	rc = db_run(db, st);
	if (rc == DB_OK)
		*id = db_last_id(db);
	return rc;
}

#define ASSIGNMENT_SELECT                                                            \
	"SELECT a.id, a.campaign_id, a.org_id, a.variant, a.nonce, c.questionnaire," \
	" c.questionnaire_version, c.status = 'open', c.due, a.latest_submission_id" \
	" FROM assignments a JOIN campaigns c ON c.id = a.campaign_id"

/* Steps st (bound, finalized here) once into *out. */
static db_rc assignment_read(db_conn *db, db_st *st, camp_assignment *out)
{
	db_rc rc = DB_ERR_NOTFOUND;
	int r = db_step(st);
	if (r == DB_ROW) {
		out->id = db_col_int64(st, 0);
		out->campaign_id = db_col_int64(st, 1);
		snprintf(out->org_id, sizeof(out->org_id), "%s", db_col_text(st, 2));
		snprintf(out->variant, sizeof(out->variant), "%s", db_col_text(st, 3));
		snprintf(out->nonce, sizeof(out->nonce), "%s", db_col_text(st, 4));
		snprintf(out->questionnaire, sizeof(out->questionnaire), "%s", db_col_text(st, 5));
		snprintf(out->version, sizeof(out->version), "%s", db_col_text(st, 6));
		out->open = db_col_int(st, 7);
		snprintf(out->due, sizeof(out->due), "%s", db_col_text(st, 8));
		out->latest_submission = db_col_int64(st, 9);
		rc = DB_OK;
	} else if (r != DB_DONE) {
		rc = db_result(db, r);
	}
	db_done(st);
	return rc;
}

db_rc asgdb_get(db_conn *db, long long campaign, const char *org, camp_assignment *out)
{
	db_st *st = db_stmt(db, ASSIGNMENT_SELECT " WHERE a.campaign_id = ? AND a.org_id = ?");
	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, org, -1, DB_STATIC);
	return assignment_read(db, st, out);
}

db_rc asgdb_by_id(db_conn *db, long long id, camp_assignment *out)
{
	db_st *st = db_stmt(db, ASSIGNMENT_SELECT " WHERE a.id = ?");
	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, id);
	return assignment_read(db, st, out);
}

db_rc asgdb_nonce_version(db_conn *db, long long campaign, const char *org, const char *nonce,
                          int *version)
{
	db_st *st = db_stmt(db, "SELECT coalesce(max(version), 0) FROM submissions"
	                        " WHERE nonce = ? AND campaign_id = ? AND org_id = ?");
	db_rc rc = DB_ERR;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, nonce, -1, DB_STATIC);
	db_bind_int64(st, 2, campaign);
	db_bind_text(st, 3, org, -1, DB_STATIC);
	if ((r = db_step(st)) == DB_ROW) {
		*version = db_col_int(st, 0);
		rc = DB_OK;
	} else {
		rc = r == DB_DONE ? DB_ERR : db_result(db, r);
	}
	db_done(st);
	return rc;
}

/* Moves the campaign's running sums and latest_answers from the
 * assignment's previous latest submission (?3, 0 when none) to the new one
 * (?2). */
static db_rc latest_update(db_conn *db, long long assignment, long long submission,
                           long long previous)
{
#define CAMPAIGN_OF_1 "(SELECT campaign_id FROM assignments WHERE id = ?1)"
	static const char *const sql[] = {
	        "UPDATE campaign_item_levels SET n = n - 1 WHERE campaign_id = " CAMPAIGN_OF_1
	        " AND (item_id, level) IN (SELECT item_id, level FROM answers"
	        "  WHERE submission_id = ?3)",
	        "UPDATE campaign_section_sums SET orgs = orgs - 1,"
	        " answered = answered - (SELECT ss.answered FROM section_scores ss"
	        "  WHERE ss.submission_id = ?3 AND ss.section_id = "
	        "campaign_section_sums.section_id),"
	        " total = total - (SELECT ss.total FROM section_scores ss"
	        "  WHERE ss.submission_id = ?3 AND ss.section_id = "
	        "campaign_section_sums.section_id)"
	        " WHERE campaign_id = " CAMPAIGN_OF_1 " AND section_id IN"
	        " (SELECT section_id FROM section_scores WHERE submission_id = ?3)",
	        "INSERT INTO campaign_item_levels (campaign_id, item_id, level, n)"
	        " SELECT g.campaign_id, a.item_id, a.level, 1 FROM assignments g"
	        " JOIN answers a ON a.submission_id = ?2 WHERE g.id = ?1"
	        " ON CONFLICT (campaign_id, item_id, level) DO UPDATE SET n = "
	        "campaign_item_levels.n + 1",
	        "INSERT INTO campaign_section_sums (campaign_id, section_id, orgs, answered, total)"
	        " SELECT g.campaign_id, ss.section_id, 1, ss.answered, ss.total FROM assignments g"
	        " JOIN section_scores ss ON ss.submission_id = ?2 WHERE g.id = ?1"
	        " ON CONFLICT (campaign_id, section_id) DO UPDATE SET orgs = "
	        "campaign_section_sums.orgs + 1,"
	        " answered = campaign_section_sums.answered + excluded.answered,"
	        " total = campaign_section_sums.total + excluded.total",
	        "DELETE FROM latest_answers WHERE (campaign_id, org_id) ="
	        " (SELECT campaign_id, org_id FROM assignments WHERE id = ?1)",
	        "INSERT INTO latest_answers (campaign_id, item_id, level, org_id)"
	        " SELECT g.campaign_id, a.item_id, a.level, g.org_id FROM assignments g"
	        " JOIN answers a ON a.submission_id = ?2 WHERE g.id = ?1",
	};
#undef CAMPAIGN_OF_1
	db_rc rc = DB_OK;
	for (size_t i = 0; rc == DB_OK && i < sizeof(sql) / sizeof(sql[0]); i++) {
		db_st *st = db_stmt(db, sql[i]);
		if (st == NULL)
			return DB_ERR;
		/* statements use a subset of ?1..?3; binding an unused one is a
		 * harmless DB_R_RANGE */
		db_bind_int64(st, 1, assignment);
		db_bind_int64(st, 2, submission);
		db_bind_int64(st, 3, previous);
		rc = db_run(db, st);
	}
	return rc;
}

/* The assignment's latest submission (0: none); DB_ERR when there is no
 * such assignment. */
static db_rc latest_of(db_conn *db, long long assignment, long long *id)
{
	db_st *st = db_stmt(db, "SELECT coalesce(latest_submission_id, 0)"
	                        " FROM assignments WHERE id = ?");
	db_rc rc = DB_ERR;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, assignment);
	if (db_step(st) == DB_ROW) {
		*id = db_col_int64(st, 0);
		rc = DB_OK;
	}
	db_done(st);
	return rc;
}

db_rc asgdb_accept(db_conn *db, long long assignment, const char *quoted_nonce,
                   const char *next_nonce, long long submission)
{
	db_st *st = NULL;
	long long previous = 0;
	db_rc rc;

	if ((rc = latest_of(db, assignment, &previous)) != DB_OK)
		return rc;
	/* "AND nonce = ?": of two uploads quoting the same nonce at once, the
	 * second to reach this point changes nothing and is refused */
	st = db_stmt(db, "UPDATE assignments SET nonce = ?1,"
	                 " latest_submission_id = ?2,"
	                 " latest_total = (SELECT total FROM scores"
	                 "  WHERE submission_id = ?2),"
	                 " latest_mean = (SELECT mean FROM scores"
	                 "  WHERE submission_id = ?2)"
	                 " WHERE id = ?3 AND nonce = ?4");
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, next_nonce, -1, DB_STATIC);
	db_bind_int64(st, 2, submission);
	db_bind_int64(st, 3, assignment);
	db_bind_text(st, 4, quoted_nonce, -1, DB_STATIC);
	rc = db_run(db, st);
	if (rc != DB_OK)
		return rc;
	if (db_changes(db) != 1)
		return DB_ERR_NOTFOUND;
	return latest_update(db, assignment, submission, previous);
}

static const char *text_or_null(db_st *st, int col)
{
	return db_col_type(st, col) == DB_NULL ? NULL : (const char *)db_col_text(st, col);
}

db_rc asgdb_of_org(db_conn *db, const char *org, const char *today, asgdb_view_fn fn, void *ctx)
{
	db_st *st = db_stmt(
	        db, "SELECT a.id, c.id, c.name, c.questionnaire, c.questionnaire_version,"
	            " a.variant, c.due, c.status, a.nonce, a.latest_submission_id, " ASG_STATUS_SQL(
	                    "?2") ", r.at, r.code"
	                          " FROM assignments a JOIN campaigns c ON c.id = "
	                          "a.campaign_id" ASG_LAST_REFUSAL_JOIN
	                          " WHERE a.org_id = ?1 ORDER BY c.due, c.id");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, org, -1, DB_STATIC);
	db_bind_text(st, 2, today, -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW) {
		asgdb_view v = {
		        .id = db_col_int64(st, 0),
		        .campaign_id = db_col_int64(st, 1),
		        .campaign_name = (const char *)db_col_text(st, 2),
		        .questionnaire = (const char *)db_col_text(st, 3),
		        .version = (const char *)db_col_text(st, 4),
		        .variant = (const char *)db_col_text(st, 5),
		        .due = (const char *)db_col_text(st, 6),
		        .campaign_status = (const char *)db_col_text(st, 7),
		        .nonce = (const char *)db_col_text(st, 8),
		        .latest_submission = db_col_int64(st, 9),
		        .status = (const char *)db_col_text(st, 10),
		        .refusal_at = text_or_null(st, 11),
		        .refusal_code = text_or_null(st, 12),
		};
		if (fn(ctx, &v) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	}
	return db_end(db, st, rc, r);
}
