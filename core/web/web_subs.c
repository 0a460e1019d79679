/* web_subs.c — GET /subcontractors: the subcontractors my organisation
 * declared, per campaign, with their status and the entrusting company's
 * approval (never their answers or scores: the same list as GET
 * /api/v1/chains/mine); POST /subcontractors/invite: inviting one that has
 * not joined yet, where the campaign lets vendors invite (enrol_invite()
 * decides), answered by a page with the enrolment link to send it. */
#include "core/chains.h"
#include "core/enrol.h"
#include "core/errors.h"
#include "core/http/csrf.h"
#include "core/http/form.h"
#include "core/web/web.h"
#include "forms/number.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define INVITE_FORM "POST /subcontractors/invite"

static void invite_form(view_node *td, view *v, const http_req *req, long long campaign,
                        const char *org)
{
	char token[CSRF_TOKEN_SIZE] = "", cid[24];
	view_node *f = view_el(td, "form", NULL), *in;
	static const char *const names[] = {"csrf", "campaign", "organisation"};
	const char *values[3];

	snprintf(cid, sizeof(cid), "%lld", campaign);
	csrf_token(req->db, req->who->fingerprint, INVITE_FORM, token);
	values[0] = token;
	values[1] = cid;
	values[2] = org;
	view_attr(f, "method", "post");
	view_attr(f, "action", "/subcontractors/invite");
	for (size_t i = 0; i < 3; i++) {
		in = view_el(f, "input", NULL);
		view_attr(in, "type", "hidden");
		view_attr(in, "name", names[i]);
		view_attr(in, "value", values[i]);
	}
	view_attr(view_t(f, "button", v, "subs.invite"), "type", "submit");
}

static void sub_row(view_node *tbody, view *v, const http_req *req, long long campaign, json_t *s)
{
	char key[64];
	view_node *tr = view_el(tbody, "tr", NULL), *td;
	const char *status = web_jstr(s, "status");
	view_attr(view_el(tr, "th", web_jstr(s, "organisation")), "scope", "row");
	view_el(tr, "td", web_jstr(s, "name"));
	view_el(tr, "td", web_jstr(s, "scope"));
	view_t(tr, "td", v, json_is_true(json_object_get(s, "personal")) ? "subs.yes" : "subs.no");
	view_t(tr, "td", v,
	       json_is_true(json_object_get(s, "confidential")) ? "subs.yes" : "subs.no");
	snprintf(key, sizeof(key), "chain.%s", status);
	view_t(tr, "td", v, key);
	snprintf(key, sizeof(key), "approval.%s", web_jstr(s, "approval"));
	view_t(tr, "td", v, key);
	td = view_el(tr, "td", NULL);
	/* not joined yet: "declared" is what a vendor sees of a subcontractor
	 * nobody invited (the API shows no more) */
	if (strcmp(status, "declared") == 0 || strcmp(status, "pending") == 0 ||
	    strcmp(status, "invited") == 0)
		invite_form(td, v, req, campaign, web_jstr(s, "organisation"));
}

static void campaign_block(view_node *m, view *v, const http_req *req, json_t *c)
{
	static const char *const cols[] = {"subs.id",       "subs.name",         "subs.scope",
	                                   "subs.personal", "subs.confidential", "subs.status",
	                                   "subs.approval", "col.actions"};
	json_t *camp = json_object_get(c, "campaign"), *subs = json_object_get(c, "subcontractors");
	long long id = (long long)json_integer_value(json_object_get(camp, "id"));
	view_node *t, *tr, *tbody;

	view_el(m, "h2", web_jstr(camp, "name"));
	t = view_el(m, "table", NULL);
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	tbody = view_el(t, "tbody", NULL);
	for (size_t i = 0; i < json_array_size(subs); i++)
		sub_row(tbody, v, req, id, json_array_get(subs, i));
}

void web_subcontractors(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	json_t *mine = NULL, *list;
	view *v;

	if (chains_mine_json(req->db, req->who->org_id, &mine) != CHAINS_OK) {
		http_res_fail(res, ERR_INTERNAL, "the subcontractors could not be read");
		return;
	}
	v = web_view(req, lang, "subs.title");
	list = json_object_get(mine, "campaigns");
	view_t(view_main(v), "p", v, "subs.intro");
	if (json_array_size(list) == 0)
		view_t(view_main(v), "p", v, "subs.none");
	for (size_t i = 0; i < json_array_size(list); i++)
		campaign_block(view_main(v), v, req, json_array_get(list, i));
	json_decref(mine);
	web_send(res, 200, v);
}

void web_subcontractor_invite(const http_req *req, http_res *res)
{
	const char *org = http_form_get(req->form, "organisation");
	long long campaign = 0;
	enrol_invitation inv;
	char detail[256] = "", link[400];
	enrol_rc rc;
	view *v;
	view_node *p;

	if (num_parse(http_form_get(req->form, "campaign"), 1, 999999999999999999LL, &campaign) !=
	            0 ||
	    org == NULL || http_form_count(req->form) != 3) {
		http_res_fail(res, "form_invalid", "the form needs campaign and organisation");
		return;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", campaign);
	enrol_ask ask = {campaign, org, NULL, NULL, req->who->org_id, req->who->role == ROLE_ADMIN,
	                 0};
	rc = enrol_invite(req->db, &req->srv->cfg, &ask, &inv, detail, sizeof(detail));
	if (rc != ENROL_OK) {
		http_res_fail(res, enrol_rc_code(rc), "%s%s%s", enrol_rc_message(rc),
		              detail[0] ? ": " : "", detail);
		return;
	}
	/* the token is shown once, here, in the fragment of the link */
	snprintf(link, sizeof(link), "https://%s/enrol#c=%lld&o=%s&t=%s", web_host(req), campaign,
	         org, inv.token);
	v = web_view(req, web_lang(req, res), "subs.invited");
	view_t(view_main(v), "p", v, "subs.invited_intro");
	p = view_el(view_main(v), "p", NULL);
	view_el(p, "code", link);
	view_t(view_main(v), "p", v, "subs.invited_expires");
	view_el(view_main(v), "p", inv.expires_at);
	view_link(view_el(view_main(v), "p", NULL), "/subcontractors",
	          i18n_text(web_lang(req, res), "subs.back"));
	web_send(res, 201, v);
}
