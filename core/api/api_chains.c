/* api_chains.c — re-entrustment chains over HTTP: the entrusting
 * company's view of a campaign's graph and its approvals, and a
 * respondent's view of its direct subcontractors. Invitations and
 * enrolment are api_enrol.c's. */
#include "core/api/api.h"
#include "core/chains.h"

#include <stdlib.h>
#include <string.h>

void api_campaign_chains(const http_req *req, http_res *res)
{
	long long id = http_path_id(req);
	chains_opts o;
	json_t *out = NULL;
	chains_rc rc;

	chains_opts_default(&o);
	o.max_depth = req->srv->cfg.max_depth;
	o.offset = http_query_int(req, "offset", o.offset, 1000000000);
	o.limit = http_query_int(req, "limit", o.limit, 100000);
	long long paths = http_query_int(req, "paths", o.paths, 10000);
	o.status = http_query(req, "status");
	if (o.offset < 0 || o.limit < 0 || paths < 0) {
		http_res_fail(res, "query_invalid",
		              "offset, limit (≤ 100000) and paths (≤ 10000) must be integers");
		return;
	}
	if (o.status != NULL && !chains_status_valid(o.status)) {
		http_res_fail(
		        res, "query_invalid",
		        "status is pending, invited, assigned, answered, overdue or unapproved");
		return;
	}
	o.paths = (int)paths;
	rc = id ? chains_campaign_json(req->db, id, &o, &out) : CHAINS_ERR_NOT_FOUND;
	if (rc == CHAINS_ERR_NOT_FOUND)
		http_res_fail(res, "not_found", "no such campaign");
	else if (rc != CHAINS_OK)
		http_res_fail(res, ERR_INTERNAL, "the chains could not be read: %s",
		              chains_rc_str(rc));
	else
		http_res_json(res, 200, out);
}

void api_chains_mine(const http_req *req, http_res *res)
{
	json_t *out = NULL;
	if (chains_mine_json(req->db, req->who->org_id, &out) != CHAINS_OK) {
		http_res_fail(res, ERR_INTERNAL, "the chains could not be read");
		return;
	}
	http_res_json(res, 200, out);
}

void api_chain_approve(const http_req *req, http_res *res)
{
	http_field f[] = {{"parent", 1, 0, NULL, 0},
	                  {"child", 1, 0, NULL, 0},
	                  {"personal", 0, 1, NULL, 0},
	                  {"confidential", 0, 1, NULL, 0}};
	long long id = http_path_id(req);
	char detail[256] = "";
	json_t *doc = NULL;
	chains_flags seen;
	chains_rc rc;

	if (id == 0) {
		http_res_fail(res, "not_found", "no such campaign");
		return;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", id);
	if (!http_json_body(req, res, f, 4, &doc))
		goto out;
	/* the data flags, when given, are what the approver saw: the approval
	 * is refused if the edge passes on other data by now */
	seen = (chains_flags){f[2].flag, f[3].flag};
	rc = chains_approve(req->db, id, f[0].str, f[1].str,
	                    json_object_get(doc, "personal") != NULL ||
	                                    json_object_get(doc, "confidential") != NULL
	                            ? &seen
	                            : NULL,
	                    req->who->org_id, detail, sizeof(detail));
	if (rc == CHAINS_ERR_NOT_FOUND)
		http_res_fail(res, "edge_not_found", "no such re-entrustment: %s", detail);
	else if (rc == CHAINS_ERR_NOT_REQUIRED)
		http_res_fail(res, "approval_not_required", "%s: %s", chains_rc_str(rc), detail);
	else if (rc == CHAINS_ERR_CHANGED)
		http_res_fail(res, "approval_changed", "%s: %s", chains_rc_str(rc), detail);
	else if (rc != CHAINS_OK)
		http_res_fail(res, ERR_INTERNAL, "the approval could not be recorded");
	else
		http_res_json(res, 201,
		              json_pack("{s:I, s:s, s:s, s:s}", "campaign", (json_int_t)id,
		                        "parent", f[0].str, "child", f[1].str, "approved_by",
		                        req->who->org_id));
out:
	json_decref(doc);
}
