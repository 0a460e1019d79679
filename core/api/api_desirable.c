/* api_desirable.c — a campaign's desirable levels and the groups of its
 * organisations (admins only, by the route table): read the levels in
 * force, set one per section or item (for the campaign or a group), put an
 * organisation into a group. The bodies are small JSON objects; every
 * rule is core/desirable.c's. */
#include "core/api/api.h"
#include "core/desirable.h"

static void des_error(http_res *res, des_rc rc, const char *detail)
{
	http_res_fail(res, des_rc_code(rc), "%s%s%s", des_rc_str(rc),
	              detail && detail[0] ? ": " : "", detail ? detail : "");
}

void api_campaign_desirable_get(const http_req *req, http_res *res)
{
	long long id = http_path_id(req);
	json_t *out = NULL;
	des_rc rc = id ? des_json(req->db, id, &out) : DES_ERR_NO_CAMPAIGN;
	if (rc != DES_OK)
		des_error(res, rc, NULL);
	else
		http_res_json(res, 200, out);
}

/* {"item" | "section", "level": 1-5 | "default", "group"?} */
void api_campaign_desirable_set(const http_req *req, http_res *res)
{
	http_field f[] = {{"item", 0, HTTP_FIELD_STRING, NULL, 0},
	                  {"section", 0, HTTP_FIELD_STRING, NULL, 0},
	                  {"level", 1, HTTP_FIELD_NUMBER, NULL, 0},
	                  {"group", 0, HTTP_FIELD_STRING, NULL, 0}};
	char detail[256] = "";
	json_t *doc = NULL, *out = NULL;
	long long id = http_path_id(req);
	des_rc rc;

	if (id == 0) {
		des_error(res, DES_ERR_NO_CAMPAIGN, NULL);
		return;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", id);
	if (!http_json_body(req, res, f, 4, &doc))
		goto out;
	rc = des_set(req->db, id, f[3].str, f[0].str, f[1].str, f[2].str, req->who->org_id, detail,
	             sizeof(detail));
	if (rc == DES_OK)
		rc = des_json(req->db, id, &out);
	if (rc != DES_OK)
		des_error(res, rc, detail);
	else
		http_res_json(res, 200, out);
out:
	json_decref(doc);
}

/* {"organisation", "group": NAME | ""} */
void api_campaign_group_set(const http_req *req, http_res *res)
{
	http_field f[] = {{"organisation", 1, HTTP_FIELD_STRING, NULL, 0},
	                  {"group", 1, HTTP_FIELD_STRING, NULL, 0}};
	char detail[256] = "";
	json_t *doc = NULL;
	long long id = http_path_id(req);
	des_rc rc;

	if (id == 0) {
		des_error(res, DES_ERR_NO_CAMPAIGN, NULL);
		return;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", id);
	if (!http_json_body(req, res, f, 2, &doc))
		goto out;
	rc = des_group_set(req->db, id, f[0].str, f[1].str, req->who->org_id, detail,
	                   sizeof(detail));
	if (rc != DES_OK)
		des_error(res, rc, detail);
	else
		http_res_json(res, 200,
		              json_pack("{s:I, s:s, s:o}", "campaign", (json_int_t)id,
		                        "organisation", f[0].str, "group",
		                        f[1].str[0] ? json_string(f[1].str) : json_null()));
out:
	json_decref(doc);
}
