/* campaigns.c — the SQL of the campaigns table. No rules and no audit
 * here (core/campaigns.c), no JSON (the API and the CLI format rows). */
#include "core/db/campaigns.h"
#include "core/db/stmt.h"

#include <stdio.h>

db_rc campdb_insert(db_conn *db, const char *name, const char *questionnaire, const char *version,
                    const char *due, int vendor_invites, const char *created_at, long long *id)
{
	db_st *st = db_stmt(db, "INSERT INTO campaigns (name, questionnaire,"
	                        " questionnaire_version, due, status, created_at,"
	                        " vendor_invites) VALUES (?,?,?,?,'open',?,?)");
	db_rc rc = DB_ERR;

	*id = 0;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, name, -1, DB_STATIC);
	db_bind_text(st, 2, questionnaire, -1, DB_STATIC);
	db_bind_text(st, 3, version, -1, DB_STATIC);
	db_bind_text(st, 4, due, -1, DB_STATIC);
	db_bind_text(st, 5, created_at, -1, DB_STATIC);
	db_bind_int(st, 6, vendor_invites != 0);
	rc = db_run(db, st);
	if (rc == DB_OK)
		*id = db_last_id(db);
	return rc;
}

db_rc campdb_pin_get(db_conn *db, long long campaign, campdb_pin *out)
{
	db_st *st = db_stmt(db, "SELECT questionnaire, questionnaire_version,"
	                        " status = 'open' FROM campaigns WHERE id = ?");
	db_rc rc = DB_ERR_NOTFOUND;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	if ((r = db_step(st)) == DB_ROW) {
		snprintf(out->questionnaire, sizeof(out->questionnaire), "%s", db_col_text(st, 0));
		snprintf(out->version, sizeof(out->version), "%s", db_col_text(st, 1));
		out->open = db_col_int(st, 2);
		rc = DB_OK;
	} else if (r != DB_DONE) {
		rc = db_result(db, r);
	}
	db_done(st);
	return rc;
}

db_rc campdb_close(db_conn *db, long long campaign)
{
	/* "AND status = 'open'": a close that raced another one changes nothing */
	db_st *st = db_stmt(db, "UPDATE campaigns SET status = 'closed'"
	                        " WHERE id = ? AND status = 'open'");
	db_rc rc;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	rc = db_run(db, st);
	if (rc == DB_OK && db_changes(db) != 1)
		rc = DB_ERR_NOTFOUND;
	return rc;
}

db_rc campdb_set_due(db_conn *db, long long campaign, const char *due, char *old)
{
	db_st *st = db_stmt(db, "SELECT due FROM campaigns WHERE id = ? AND status = 'open'");
	db_rc rc = DB_ERR_NOTFOUND;
	int r;

	old[0] = '\0';
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	if ((r = db_step(st)) == DB_ROW)
		snprintf(old, 11, "%s", db_col_text(st, 0));
	else
		rc = db_found(db, r);
	db_done(st);
	if (r != DB_ROW)
		return rc;
	st = db_stmt(db, "UPDATE campaigns SET due = ? WHERE id = ? AND status = 'open'");
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, due, -1, DB_STATIC);
	db_bind_int64(st, 2, campaign);
	rc = db_run(db, st);
	if (rc == DB_OK && db_changes(db) != 1)
		rc = DB_ERR_NOTFOUND;
	return rc;
}

db_rc campdb_list(db_conn *db, campdb_row_fn fn, void *ctx)
{
	db_st *st = db_stmt(db, "SELECT c.id, c.name, c.questionnaire || '@' ||"
	                        " c.questionnaire_version, c.due, c.status,"
	                        " (SELECT count(*) FROM assignments a"
	                        "  WHERE a.campaign_id = c.id)"
	                        " FROM campaigns c ORDER BY c.id");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		campdb_row row = {db_col_int64(st, 0),
		                  (const char *)db_col_text(st, 1),
		                  (const char *)db_col_text(st, 2),
		                  (const char *)db_col_text(st, 3),
		                  (const char *)db_col_text(st, 4),
		                  db_col_int(st, 5)};
		if (fn(ctx, &row) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	}
	return db_end(db, st, rc, r);
}
