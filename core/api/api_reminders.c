/* api_reminders.c — the reminder history of an assignment (the assigned
 * organisation, admins). */
#include "core/api/api.h"
#include "core/campaigns.h"
#include "core/db/stmt.h"

#include <stdlib.h>
#include <string.h>

/* The caller may see the organisation's data: it is the organisation, or
 * an admin. Unknown and foreign ones answer alike (404). */
static int may_see(const http_req *req, const char *org)
{
	return req->who->role == ROLE_ADMIN || strcmp(req->who->org_id, org) == 0;
}

static json_t *reminder_row(sqlite3_stmt *st)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s}", "stage", sqlite3_column_text(st, 0),
	                      "recipient", sqlite3_column_text(st, 1), "status",
	                      sqlite3_column_text(st, 2), "attempts", sqlite3_column_int(st, 3),
	                      "claimed_at", sqlite3_column_text(st, 4));
	if (sqlite3_column_type(st, 5) != SQLITE_NULL)
		json_object_set_new(o, "sent_at",
		                    json_string((const char *)sqlite3_column_text(st, 5)));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL)
		json_object_set_new(o, "error",
		                    json_string((const char *)sqlite3_column_text(st, 6)));
	return o;
}

void api_assignment_reminders(const http_req *req, http_res *res)
{
	camp_assignment as;
	sqlite3_stmt *st = NULL;
	json_t *list = NULL;
	long long id = http_path_id(req);

	if (id <= 0 || camp_assignment_by_id(req->db, id, &as) != CAMP_OK ||
	    !may_see(req, as.org_id)) {
		http_res_error(res, 404, "not_found", "no such assignment");
		return;
	}
	if (sqlite3_prepare_v2(
	            req->db,
	            "SELECT stage, recipient, status, attempts, claimed_at, sent_at, error"
	            " FROM reminders WHERE assignment_id = ? ORDER BY claimed_at, stage",
	            -1, &st, NULL) != SQLITE_OK ||
	    (sqlite3_bind_int64(st, 1, id), db_rows_json(req->db, st, reminder_row, &list)) !=
	            DB_OK) {
		http_res_error(res, 500, "internal_error", "the reminders could not be read");
		return;
	}
	http_res_json(res, 200,
	              json_pack("{s:I, s:s, s:o}", "assignment", (json_int_t)id, "organisation",
	                        as.org_id, "reminders", list));
}
