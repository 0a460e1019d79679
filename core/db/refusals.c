/* refusals.c — assignment_refusals: one row per assignment, the latest
 * refusal wins. Upserted, not INSERT OR REPLACE'd: a REPLACE fires no
 * delete trigger, and migration 21's counters need one. */
#include "core/db/refusals.h"
#include "core/db/stmt.h"

#include "core/util/clock.h"

db_rc refusal_record(db_conn *db, long long campaign, const char *org, const char *code)
{
	db_st *st = db_stmt(db, "INSERT INTO assignment_refusals"
	                        " (assignment_id, at, code) SELECT id, ?3, ?4"
	                        " FROM assignments WHERE campaign_id = ?1 AND org_id = ?2"
	                        " ON CONFLICT (assignment_id) DO UPDATE"
	                        " SET at = excluded.at, code = excluded.code");
	char now[32];
	int r;

	if (st == NULL)
		return DB_ERR;
	clock_now(now);
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, org, -1, DB_STATIC);
	db_bind_text(st, 3, now, -1, DB_STATIC);
	db_bind_text(st, 4, code, -1, DB_STATIC);
	r = db_step(st);
	db_done(st);
	return db_result(db, r);
}
