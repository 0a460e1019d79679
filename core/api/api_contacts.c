/* api_contacts.c — the contact persons of an organisation, who receive
 * its reminders: listed and added by admins or by the organisation
 * itself. The rules are core/contacts.c's; this file checks the caller and
 * the body and builds the JSON. */
#include "core/api/api.h"
#include "core/contacts.h"

#include <string.h>

/* The caller may see the organisation's data: it is the organisation, or
 * an admin. Unknown and foreign ones answer alike (404). */
static int may_see(const http_req *req, const char *org)
{
	return req->who->role == ROLE_ADMIN || strcmp(req->who->org_id, org) == 0;
}

static int contact_json(void *ctx, const contactdb_row *c)
{
	return json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)c->id,
	                                            "name", c->name, "email", c->email, "lang",
	                                            c->lang));
}

void api_contacts_list(const http_req *req, http_res *res)
{
	const char *org = req->params->v[0];
	json_t *list = NULL;
	if (!may_see(req, org)) {
		http_res_fail(res, "not_found", "no such organisation");
		return;
	}
	if ((list = json_array()) == NULL ||
	    contact_list(req->db, org, contact_json, list) != CONTACT_OK) {
		json_decref(list);
		http_res_fail(res, ERR_INTERNAL, "the contacts could not be read");
		return;
	}
	http_res_json(res, 200, json_pack("{s:s, s:o}", "organisation", org, "contacts", list));
}

void api_contact_add(const http_req *req, http_res *res)
{
	http_field f[] = {
	        {"name", 1, 0, NULL, 0}, {"email", 1, 0, NULL, 0}, {"lang", 0, 0, NULL, 0}};
	const char *org = req->params->v[0];
	char detail[256] = "";
	json_t *doc = NULL;
	long long id = 0;
	contact_rc rc;

	if (!may_see(req, org)) {
		http_res_fail(res, "not_found", "no such organisation");
		return;
	}
	if (!http_json_body(req, res, f, 3, &doc))
		goto out;
	rc = contact_add(req->db, org, f[0].str, f[1].str, f[2].str, req->who->org_id, &id, detail,
	                 sizeof(detail));
	if (rc == CONTACT_OK)
		http_res_json(res, 201,
		              json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id,
		                        "organisation", org, "name", f[0].str, "email", f[1].str,
		                        "lang", f[2].str ? f[2].str : "ja"));
	else if (rc == CONTACT_ERR_INVALID)
		http_res_fail(res, "invalid_field", "%s", detail);
	else if (rc == CONTACT_ERR_NO_ORG)
		http_res_fail(res, "not_found", "no such organisation");
	else if (rc == CONTACT_ERR_DUPLICATE)
		http_res_fail(res, "contact_exists", "%s", detail);
	else
		http_res_fail(res, ERR_INTERNAL, "the contact could not be recorded");
out:
	json_decref(doc);
}
