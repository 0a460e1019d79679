/* api_assignments.c — GET /api/v1/assignments: what is asked of the
 * caller's organisation, by when, and how far it got. */
#include "api.h"
#include "campaigns.h"

void api_assignments_mine(const http_req *req, http_res *res)
{
	json_t *list = NULL;
	if (camp_assignments_of(req->db, req->who->org_id, &list) != CAMP_OK) {
		http_res_error(res, 500, "internal_error", "the assignments could not be read");
		return;
	}
	http_res_json(
	        res, 200,
	        json_pack("{s:s, s:o}", "organisation", req->who->org_id, "assignments", list));
}
