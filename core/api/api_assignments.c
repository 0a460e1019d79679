/* api_assignments.c — GET /api/v1/assignments: what is asked of the
 * caller's organisation, by when, and how far it got; the blank answers
 * template of one assignment. */
#include "core/api/api.h"
#include "core/campaigns.h"
#include "core/prefill.h"

#include <stdlib.h>
#include <string.h>

void api_assignments_mine(const http_req *req, http_res *res)
{
	json_t *list = NULL;
	if (camp_assignments_of(req->db, req->who->org_id, &list) != CAMP_OK) {
		http_res_fail(res, ERR_INTERNAL, "the assignments could not be read");
		return;
	}
	http_res_json(
	        res, 200,
	        json_pack("{s:s, s:o}", "organisation", req->who->org_id, "assignments", list));
}

void api_assignment_template(const http_req *req, http_res *res)
{
	char *xml = NULL;
	size_t len = 0;
	camp_assignment as;
	long long id = http_path_id(req);
	camp_rc rc = id > 0 ? camp_assignment_by_id(req->db, id, &as) : CAMP_ERR_NO_CAMPAIGN;

	/* another organisation's assignment is reported as absent */
	if (rc == CAMP_OK && req->who->role != ROLE_ADMIN &&
	    strcmp(as.org_id, req->who->org_id) != 0)
		rc = CAMP_ERR_NO_CAMPAIGN;
	const char *prefill = http_query(req, "prefill");
	if (prefill != NULL && strcmp(prefill, "accepted") != 0) {
		http_res_fail(res, "query_invalid", "prefill takes \"accepted\" or nothing");
		return;
	}
	/* prefill=accepted: the last accepted answers and subcontractors, so
	 * that a new version does not drop what was declared */
	if (rc == CAMP_OK && prefill != NULL)
		rc = prefill_accepted(req->db, &as, &xml, &len) == 0 ? CAMP_OK : CAMP_ERR_DB;
	else if (rc == CAMP_OK)
		rc = camp_template(req->db, &as, &xml, &len);
	if (rc == CAMP_ERR_NO_CAMPAIGN) {
		http_res_fail(res, "not_found", "no such assignment");
		return;
	}
	if (rc != CAMP_OK) {
		http_res_fail(res, ERR_INTERNAL, "the template could not be built");
		return;
	}
	snprintf(res->filename, sizeof(res->filename), "answers.xml");
	http_res_raw(res, 200, "application/xml; charset=utf-8", (unsigned char *)xml, len);
}
