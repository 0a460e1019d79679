/* api_reminders.c — the reminder history of an assignment (the assigned
 * organisation, admins): which stage went to whom, when, and how it went.
 * The rows are core/db/reminders.c's; this file checks the caller and
 * builds the JSON. */
#include "core/api/api.h"
#include "core/campaigns.h"
#include "core/remind.h"

#include <string.h>

/* The caller may see the organisation's data: it is the organisation, or
 * an admin. Unknown and foreign ones answer alike (404). */
static int may_see(const http_req *req, const char *org)
{
	return req->who->role == ROLE_ADMIN || strcmp(req->who->org_id, org) == 0;
}

static int reminder_json(void *ctx, const remdb_row *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "stage", r->stage, "due", r->due,
	                      "recipient", r->recipient, "status", r->status, "attempts",
	                      r->attempts, "claimed_at", r->claimed_at);
	if (o != NULL && r->sent_at != NULL)
		json_object_set_new(o, "sent_at", json_string(r->sent_at));
	if (o != NULL && r->error != NULL)
		json_object_set_new(o, "error", json_string(r->error));
	return json_array_append_new(ctx, o);
}

void api_assignment_reminders(const http_req *req, http_res *res)
{
	camp_assignment as;
	json_t *list = NULL;
	long long id = http_path_id(req);

	if (id <= 0 || camp_assignment_by_id(req->db, id, &as) != CAMP_OK ||
	    !may_see(req, as.org_id)) {
		http_res_fail(res, "not_found", "no such assignment");
		return;
	}
	if ((list = json_array()) == NULL ||
	    remind_history(req->db, id, reminder_json, list) != REMIND_OK) {
		json_decref(list);
		http_res_fail(res, ERR_INTERNAL, "the reminders could not be read");
		return;
	}
	http_res_json(res, 200,
	              json_pack("{s:I, s:s, s:o}", "assignment", (json_int_t)id, "organisation",
	                        as.org_id, "reminders", list));
}
