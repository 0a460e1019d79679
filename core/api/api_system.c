/* api_system.c — health check and "who am I" (what the server made of the
 * caller's certificate). */
#include "core/api/api.h"

void api_health(const http_req *req, http_res *res)
{
	(void)req;
	http_res_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

void api_whoami(const http_req *req, http_res *res)
{
	http_res_json(res, 200,
	              json_pack("{s:s, s:s, s:s, s:s}", "organisation", req->who->org_id, "name",
	                        req->who->org_name, "role", reg_role_name(req->who->role),
	                        "fingerprint", req->who->fingerprint));
}
