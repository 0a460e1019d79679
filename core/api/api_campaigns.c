/* api_campaigns.c — the entrusting company's campaign API (admins only):
 * list and create campaigns, assign organisations, close, and read the
 * aggregate as JSON or CSV. Request bodies are small JSON objects checked
 * field by field before anything reaches campaigns.c. */
#include "core/aggregate.h"
#include "core/api/api.h"
#include "core/campaigns.h"

#include <stdlib.h>
#include <string.h>

static void not_found(http_res *res)
{
	http_res_fail(res, "not_found", "no such campaign");
}

/* A campaigns.c refusal: its code (camp_rc_code()) and what was wrong. */
static void camp_error(http_res *res, camp_rc rc, const char *detail)
{
	http_res_fail(res, camp_rc_code(rc), "%s%s%s", camp_rc_str(rc),
	              detail && detail[0] ? ": " : "", detail ? detail : "");
}

static int campaign_json(void *ctx, const campdb_row *c)
{
	return json_array_append_new(
	        ctx, json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "id", (json_int_t)c->id, "name",
	                       c->name, "questionnaire", c->questionnaire, "due", c->due, "status",
	                       c->status, "assignments", c->assignments));
}

void api_campaigns_list(const http_req *req, http_res *res)
{
	json_t *list = json_array();
	if (list == NULL || camp_list(req->db, campaign_json, list) != CAMP_OK) {
		json_decref(list);
		http_res_fail(res, ERR_INTERNAL, "the campaigns could not be read");
		return;
	}
	http_res_json(res, 200, json_pack("{s:o}", "campaigns", list));
}

void api_campaign_create(const http_req *req, http_res *res)
{
	http_field f[] = {{"name", 1, 0, NULL, 0},
	                  {"questionnaire", 1, 0, NULL, 0},
	                  {"due", 1, 0, NULL, 0},
	                  {"vendor_invites", 0, 1, NULL, 0},
	                  {"force", 0, 1, NULL, 0}};
	char detail[256] = "";
	json_t *doc = NULL;
	long long id = 0;
	camp_rc rc;

	if (!http_json_body(req, res, f, 5, &doc))
		goto out;
	rc = camp_create_checked(req->db, f[0].str, f[1].str, f[2].str, f[3].flag, f[4].flag, NULL,
	                         req->who->org_id, &id, detail, sizeof(detail));
	if (rc != CAMP_OK) {
		camp_error(res, rc, detail);
		goto out;
	}
	http_res_json(res, 201,
	              json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)id, "name",
	                        f[0].str, "questionnaire", f[1].str, "due", f[2].str, "status",
	                        "open", "vendor_invites", f[3].flag));
out:
	json_decref(doc);
}

void api_campaign_assign(const http_req *req, http_res *res)
{
	http_field f[] = {{"organisation", 1, 0, NULL, 0}, {"variant", 0, 0, NULL, 0}};
	char detail[256] = "";
	json_t *doc = NULL;
	camp_assignment as;
	long long id = http_path_id(req);
	camp_rc rc;

	if (id == 0) {
		not_found(res);
		return;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", id);
	if (!http_json_body(req, res, f, 2, &doc))
		goto out;
	rc = camp_assign(req->db, id, f[0].str, f[1].str, req->who->org_id, &as, detail,
	                 sizeof(detail));
	if (rc != CAMP_OK) {
		camp_error(res, rc, detail);
		goto out;
	}
	http_res_json(res, 201,
	              json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)as.id, "campaign",
	                        (json_int_t)id, "organisation", as.org_id, "variant", as.variant));
out:
	json_decref(doc);
}

void api_campaign_close(const http_req *req, http_res *res)
{
	long long id = http_path_id(req);
	camp_rc rc = id ? camp_close(req->db, id, req->who->org_id) : CAMP_ERR_NO_CAMPAIGN;
	if (rc != CAMP_OK) {
		camp_error(res, rc, NULL);
		return;
	}
	http_res_json(res, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "closed"));
}
void api_campaign_due(const http_req *req, http_res *res)
{
	http_field f[] = {{"due", 1, 0, NULL, 0}, {"force", 0, 1, NULL, 0}};
	char detail[256] = "", old[11] = "";
	json_t *doc = NULL;
	long long id = http_path_id(req);
	camp_rc rc;

	if (id == 0) {
		not_found(res);
		return;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", id);
	if (!http_json_body(req, res, f, 2, &doc))
		goto out;
	rc = camp_set_due(req->db, id, f[0].str, f[1].flag, NULL, req->who->org_id, old, detail,
	                  sizeof(detail));
	if (rc != CAMP_OK) {
		camp_error(res, rc, detail);
		goto out;
	}
	http_res_json(res, 200,
	              json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "due", f[0].str,
	                        "previous_due", old));
out:
	json_decref(doc);
}

static const char *query_get(const void *req, const char *key)
{
	return http_query(req, key);
}

void api_campaign_orgs(const http_req *req, http_res *res)
{
	long long id = http_path_id(req);
	char detail[256] = "";
	agg_org_query q;
	json_t *out = NULL;
	agg_rc rc = agg_org_query_parse(&q, query_get, req, detail, sizeof(detail));

	if (rc != AGG_OK) {
		http_res_fail(res, "query_invalid", "%s", detail);
		return;
	}
	rc = id ? agg_orgs(req->db, id, &q, &out, detail, sizeof(detail)) : AGG_ERR_NOT_FOUND;
	if (rc == AGG_ERR_NOT_FOUND)
		not_found(res);
	else if (rc == AGG_ERR_INVALID)
		http_res_fail(res, "query_invalid", "%s", detail);
	else if (rc != AGG_OK)
		http_res_fail(res, ERR_INTERNAL, "the organisations could not be read: %s",
		              agg_rc_str(rc));
	else
		http_res_json(res, 200, out);
}

void api_campaign_aggregate(const http_req *req, http_res *res)
{
	long long id = http_path_id(req);
	json_t *out = NULL;
	agg_opts o;
	agg_rc rc;

	agg_opts_default(&o);
	o.org_offset = http_query_int(req, "offset", o.org_offset, 1000000000);
	o.org_limit = http_query_int(req, "limit", o.org_limit, AGG_MAX_ORGS);
	long long below = http_query_int(req, "below_limit", o.below_limit, 10000);
	if (o.org_offset < 0 || o.org_limit < 0 || below < 0) {
		http_res_fail(res, "query_invalid",
		              "offset, limit (≤ %d) and below_limit (≤ 10000) must be integers",
		              AGG_MAX_ORGS);
		return;
	}
	o.below_limit = (int)below;
	rc = id ? agg_campaign(req->db, id, &o, &out) : AGG_ERR_NOT_FOUND;
	if (rc == AGG_ERR_NOT_FOUND)
		not_found(res);
	else if (rc != AGG_OK)
		http_res_fail(res, ERR_INTERNAL, "the aggregate could not be computed: %s",
		              agg_rc_str(rc));
	else
		http_res_json(res, 200, out);
}

void api_campaign_aggregate_csv(const http_req *req, http_res *res)
{
	long long id = http_path_id(req);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	agg_rc rc = f == NULL ? AGG_ERR_NOMEM
	            : id      ? agg_csv(req->db, id, NULL, f)
	                      : AGG_ERR_NOT_FOUND;

	if (f != NULL && fclose(f) != 0 && rc == AGG_OK)
		rc = AGG_ERR_NOMEM;
	if (rc == AGG_ERR_NOT_FOUND) {
		not_found(res);
	} else if (rc != AGG_OK) {
		http_res_fail(res, ERR_INTERNAL, "the CSV could not be written: %s",
		              agg_rc_str(rc));
	} else {
		snprintf(res->filename, sizeof(res->filename), "campaign-%lld-aggregate.csv", id);
		http_res_raw(res, 200, "text/csv; charset=utf-8", (unsigned char *)buf, len);
		buf = NULL;
	}
	free(buf);
}
