/* reminders.c — the SQL of the reminders table and of the assignments the
 * reminder job reads. The last refusal comes from assignment_status.h, its
 * one definition. No policy, no mail, no JSON here. */
#include "core/db/reminders.h"
#include "core/db/assignment_status.h"
#include "core/db/stmt.h"

static const char *text_or_null(db_st *st, int col)
{
	return db_col_type(st, col) == DB_NULL ? NULL : (const char *)db_col_text(st, col);
}

static const char *text(db_st *st, int col)
{
	return (const char *)db_col_text(st, col);
}

db_rc remdb_history(db_conn *db, long long assignment, remdb_row_fn fn, void *ctx)
{
	db_st *st = db_stmt(db, "SELECT stage, recipient, due, status, attempts,"
	                        " claimed_at, sent_at, error FROM reminders"
	                        " WHERE assignment_id = ?"
	                        " ORDER BY claimed_at, stage");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, assignment);
	while ((r = db_step(st)) == DB_ROW) {
		remdb_row row = {text(st, 0),         text(st, 1),        text(st, 2),
		                 text(st, 3),         db_col_int(st, 4),  text(st, 5),
		                 text_or_null(st, 6), text_or_null(st, 7)};
		if (fn(ctx, &row) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	}
	return db_end(db, st, rc, r);
}

db_rc remdb_targets(db_conn *db, remdb_target_fn fn, void *ctx)
{
	db_st *st = db_stmt(
	        db, "SELECT a.id, a.org_id, o.name, c.id, c.name, c.due,"
	            " c.questionnaire, c.questionnaire_version, a.variant, r.code"
	            " FROM assignments a JOIN campaigns c ON c.id = a.campaign_id"
	            " JOIN organisations o ON o.id = a.org_id" ASG_LAST_REFUSAL_JOIN
	            " WHERE c.status = 'open' AND a.latest_submission_id IS NULL ORDER BY a.id");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		remdb_target t = {db_col_int64(st, 0), db_col_int64(st, 3), text(st, 1),
		                  text(st, 2),         text(st, 4),         text(st, 5),
		                  text(st, 6),         text(st, 7),         text(st, 8),
		                  text_or_null(st, 9)};
		if (fn(ctx, &t) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	}
	return db_end(db, st, rc, r);
}

db_rc remdb_mark_uncertain(db_conn *db, remdb_dead_fn dead, void *ctx, int *count)
{
	db_st *st = db_stmt(db, "SELECT assignment_id, stage, recipient, claimed_by,"
	                        " claimed_at, due FROM reminders WHERE status = 'claimed'");
	/* the row of that claim only: the same stage for another due date is
	 * another reminder */
	db_st *up = db_stmt(db, "UPDATE reminders SET status = 'uncertain', error = 'the"
	                        " job that claimed it ended before recording the"
	                        " outcome' WHERE assignment_id = ? AND stage = ?"
	                        " AND recipient = ? AND due = ? AND status = 'claimed'");
	db_rc rc = DB_ERR;
	int r;

	if (st == NULL || up == NULL)
		goto out;
	while ((r = db_step(st)) == DB_ROW) {
		if (!dead(ctx, text(st, 3), text(st, 4)))
			continue;
		db_reset(up);
		db_bind_int64(up, 1, db_col_int64(st, 0));
		db_bind_text(up, 2, text(st, 1), -1, DB_TRANSIENT);
		db_bind_text(up, 3, text(st, 2), -1, DB_TRANSIENT);
		db_bind_text(up, 4, text(st, 5), -1, DB_TRANSIENT);
		if ((rc = db_result(db, db_step(up))) != DB_OK)
			goto out;
		(*count)++;
	}
	rc = db_result(db, r);
out:
	db_done(st);
	db_done(up);
	return rc;
}

db_rc remdb_claim(db_conn *db, const remdb_key *k, const char *about, const char *status,
                  const char *claimed_by, const char *claimed_at, const char *message_id,
                  int *claimed)
{
	/* a new row, or a failed one taken again; anything else is left */
	db_st *st =
	        db_stmt(db, "INSERT INTO reminders (assignment_id, stage, recipient, about, status,"
	                    " claimed_by, claimed_at, attempts, message_id, due) VALUES "
	                    "(?1,?2,?3,?4,?5,?6,?7,1,?8,?9)"
	                    " ON CONFLICT (assignment_id, stage, recipient) DO UPDATE SET"
	                    " status = excluded.status, claimed_by = excluded.claimed_by,"
	                    " claimed_at = excluded.claimed_at, attempts = reminders.attempts + 1 "
	                    "WHERE reminders.status = 'failed'");
	db_rc rc;

	*claimed = 0;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, k->assignment);
	db_bind_text(st, 2, k->stage, -1, DB_STATIC);
	db_bind_text(st, 3, k->recipient, -1, DB_STATIC);
	db_bind_text(st, 4, about, -1, DB_STATIC);
	db_bind_text(st, 5, status, -1, DB_STATIC);
	db_bind_text(st, 6, claimed_by, -1, DB_STATIC);
	db_bind_text(st, 7, claimed_at, -1, DB_STATIC);
	db_bind_text(st, 8, message_id, -1, DB_STATIC);
	db_bind_text(st, 9, k->due, -1, DB_STATIC);
	rc = db_run(db, st);
	if (rc == DB_OK)
		*claimed = db_changes(db) > 0;
	return rc;
}

db_rc remdb_done(db_conn *db, const remdb_key *k, int *done)
{
	db_st *st = db_stmt(db, "SELECT status != 'failed' FROM reminders"
	                        " WHERE assignment_id = ? AND stage = ? AND recipient = ?"
	                        " AND due = ?");
	db_rc rc;
	int r;

	*done = 0;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, k->assignment);
	db_bind_text(st, 2, k->stage, -1, DB_STATIC);
	db_bind_text(st, 3, k->recipient, -1, DB_STATIC);
	db_bind_text(st, 4, k->due, -1, DB_STATIC);
	if ((r = db_step(st)) == DB_ROW)
		*done = db_col_int(st, 0);
	rc = db_result(db, r);
	db_done(st);
	return rc;
}

db_rc remdb_record(db_conn *db, const remdb_key *k, int ok, const char *sent_at, const char *error)
{
	db_st *st = db_stmt(db, "UPDATE reminders SET status = ?4, sent_at = ?5,"
	                        " error = ?6 WHERE assignment_id = ?1 AND stage = ?2"
	                        " AND recipient = ?3 AND due = ?7");

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, k->assignment);
	db_bind_text(st, 2, k->stage, -1, DB_STATIC);
	db_bind_text(st, 3, k->recipient, -1, DB_STATIC);
	db_bind_text(st, 4, ok ? "sent" : "failed", -1, DB_STATIC);
	db_bind_text(st, 5, ok ? sent_at : NULL, -1, DB_STATIC);
	db_bind_text(st, 6, ok ? NULL : error, -1, DB_STATIC);
	db_bind_text(st, 7, k->due, -1, DB_STATIC);
	return db_run(db, st);
}
