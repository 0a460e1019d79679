/* api_system.c — health check, "who am I" (what the server made of the
 * caller's certificate) and the explanation of an error code (the error
 * table's texts, for the portal's script, which shows refusals in the
 * page's language). */
#include "core/api/api.h"

#include "core/errors.h"

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

void api_error_get(const http_req *req, http_res *res)
{
	const err_def *e = err_find(req->params->v[0]);
	if (e == NULL) {
		http_res_fail(res, "not_found", "no such error code");
		return;
	}
	http_res_json(res, 200,
	              json_pack("{s:s, s:i, s:{s:s, s:s}}", "code", e->code, "status",
	                        (int)e->status, "message", "ja", err_text(e, "ja"), "en",
	                        err_text(e, "en")));
}
