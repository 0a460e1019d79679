/* web_admin_desirable.c — the dashboard's page of a campaign's desirable
 * levels (GET /admin/campaigns/{id}/desirable): per item the default, the
 * level in force for the campaign and for each group, each with where it
 * comes from (default, campaign, group; set on the item or its section),
 * and the two forms behind it: set a level (POST …/desirable) and put an
 * organisation into a group (POST …/groups). Each form carries the CSRF
 * token and asks for confirmation first, like the dashboard's other
 * forms; every rule and the audit entry are core/desirable.c's, as for
 * the API and the CLI. Must not: decide a level itself. */
#include "core/desirable.h"
#include "core/errors.h"
#include "core/http/form.h"
#include "core/web/i18n.h"
#include "core/web/view.h"
#include "core/web/web.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* "5 (campaign, section)" */
static void level_cell(view_node *tr, const view *v, json_t *o)
{
	i18n_lang lang = view_lang(v);
	const char *origin = web_jstr(o, "origin"), *on = web_jstr(o, "set_on");
	char b[128], key[32];
	view_node *td;
	snprintf(key, sizeof(key), "des.origin_%s", origin);
	snprintf(b, sizeof(b), "%lld", web_jint(o, "desirable"));
	td = view_el(tr, "td", NULL);
	view_el(td, "strong", b);
	snprintf(b, sizeof(b), " (%s%s%s)", i18n_text(lang, key), on[0] ? " / " : "",
	         on[0] ? i18n_text(lang, strcmp(on, "item") == 0 ? "des.on_item" : "des.on_section")
	               : "");
	td = view_el(td, "span", b);
	if (strcmp(origin, "default") != 0)
		view_attr(td, "class", "set"); /* set for this campaign: marked */
}

static void levels_table(view_node *m, const view *v, json_t *d)
{
	json_t *groups = json_object_get(d, "groups"), *it, *g;
	view_node *t = view_el(m, "table", NULL), *tr, *tbody;
	size_t i, k;
	char b[96];

	view_attr(t, "class", "desirable");
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	view_attr(view_t(tr, "th", v, "col.item"), "scope", "col");
	view_attr(view_t(tr, "th", v, "des.default"), "scope", "col");
	view_attr(view_t(tr, "th", v, "des.campaign"), "scope", "col");
	json_array_foreach(groups, k, g)
	{
		snprintf(b, sizeof(b), "%s %s (%lld)", i18n_text(view_lang(v), "des.group"),
		         web_jstr(g, "name"), web_jint(g, "organisations"));
		view_attr(view_el(tr, "th", b), "scope", "col");
	}
	tbody = view_el(t, "tbody", NULL);
	json_array_foreach(json_object_get(d, "items"), i, it)
	{
		tr = view_el(tbody, "tr", NULL);
		view_attr(view_el(tr, "th", web_jstr(it, "id")), "scope", "row");
		snprintf(b, sizeof(b), "%lld", web_jint(it, "default"));
		view_el(tr, "td", b);
		level_cell(tr, v, it);
		json_array_foreach(groups, k, g)
		{
			json_t *gl =
			        json_object_get(json_object_get(it, "groups"), web_jstr(g, "name"));
			level_cell(tr, v, gl);
		}
	}
}

static view_node *labelled_input(view_node *f, const view *v, const char *key, const char *name,
                                 const char *id)
{
	view_node *p = view_el(f, "p", NULL), *in;
	view_attr(view_t(p, "label", v, key), "for", id);
	in = view_el(p, "input", NULL);
	view_attr(in, "type", "text");
	view_attr(in, "name", name);
	view_attr(in, "id", id);
	return in;
}

static void set_form(view_node *m, const http_req *req, const view *v, long long id)
{
	char action[96];
	view_node *f, *p, *sel;
	static const char *const levels[] = {"1", "2", "3", "4", "5", "default"};

	view_t(m, "h2", v, "des.set");
	snprintf(action, sizeof(action), "/admin/campaigns/%lld/desirable", id);
	if ((f = web_form_post(m, req, action)) == NULL)
		return;
	view_attr(f, "class", "desirable-set");
	labelled_input(f, v, "des.field_group", "group", "d-group");
	labelled_input(f, v, "des.field_item", "item", "d-item");
	labelled_input(f, v, "des.field_section", "section", "d-section");
	p = view_el(f, "p", NULL);
	view_attr(view_t(p, "label", v, "des.field_level"), "for", "d-level");
	sel = view_el(p, "select", NULL);
	view_attr(sel, "name", "level");
	view_attr(sel, "id", "d-level");
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		view_attr(i < 5 ? view_el(sel, "option", levels[i])
		                : view_t(sel, "option", v, "des.level_default"),
		          "value", levels[i]);
	view_attr(view_t(f, "button", v, "des.set_do"), "type", "submit");
}

static void group_form(view_node *m, const http_req *req, const view *v, long long id)
{
	char action[96];
	view_node *f;
	view_t(m, "h2", v, "des.group_set");
	view_t(m, "p", v, "des.group_intro");
	snprintf(action, sizeof(action), "/admin/campaigns/%lld/groups", id);
	if ((f = web_form_post(m, req, action)) == NULL)
		return;
	view_attr(f, "class", "desirable-group");
	labelled_input(f, v, "des.field_org", "organisation", "g-org");
	labelled_input(f, v, "des.field_group", "group", "g-group");
	view_attr(view_t(f, "button", v, "des.group_do"), "type", "submit");
}

void web_admin_desirable(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	long long id = http_path_id(req);
	json_t *d = NULL;
	des_rc rc = id ? des_json(req->db, id, &d) : DES_ERR_NO_CAMPAIGN;
	view *v;
	view_node *m;
	char href[96];

	if (rc == DES_ERR_NO_CAMPAIGN) {
		http_res_fail(res, "not_found", "no such campaign");
		return;
	}
	if (rc != DES_OK) {
		http_res_fail(res, ERR_INTERNAL, "the desirable levels could not be read");
		return;
	}
	if ((v = web_view(req, lang, "des.title")) == NULL) {
		web_send(res, 500, NULL);
		json_decref(d);
		return;
	}
	m = view_main(v);
	snprintf(href, sizeof(href), "/admin/campaigns/%lld", id);
	view_link(view_el(m, "p", NULL), href, i18n_text(lang, "des.back"));
	view_t(m, "p", v, "des.intro");
	levels_table(m, v, d);
	if (strcmp(web_jstr(d, "status"), "open") == 0) {
		set_form(m, req, v, id);
		group_form(m, req, v, id);
	} else {
		view_t(m, "p", v, "des.closed");
	}
	json_decref(d);
	web_send(res, 200, v);
}

/* ---- the actions ---- */

static const char *field(const http_req *req, const char *name)
{
	const char *s = http_form_get(req->form, name);
	return s != NULL && s[0] != '\0' ? s : NULL;
}

static long long campaign_of(const http_req *req, http_res *res)
{
	long long id = http_path_id(req);
	if (id == 0)
		http_res_fail(res, "not_found", "no such campaign");
	else
		snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", id);
	return id;
}

static void refused(http_res *res, des_rc rc, const char *detail)
{
	http_res_fail(res, des_rc_code(rc), "%s%s%s", des_rc_str(rc), detail[0] ? ": " : "",
	              detail);
}

void web_admin_desirable_set(const http_req *req, http_res *res)
{
	static const char *const names[] = {"group", "item", "section", "level"};
	i18n_lang lang = web_lang(req, res);
	long long id = campaign_of(req, res);
	char detail[256] = "", back[96];
	des_rc rc;

	if (id == 0)
		return;
	if (!web_form_only(req, names, 4) || http_form_get(req->form, "level") == NULL) {
		http_res_fail(res, "form_invalid",
		              "the form needs level, item or section, and may have group");
		return;
	}
	snprintf(back, sizeof(back), "/admin/campaigns/%lld/desirable", id);
	{
		const char *g = field(req, "group"), *it = field(req, "item"),
		           *sec = field(req, "section");
		const char *summary[] = {
		        i18n_text(lang, "des.field_group"),
		        g ? g : i18n_text(lang, "des.campaign"),
		        i18n_text(lang, it ? "des.field_item" : "des.field_section"),
		        it    ? it
		        : sec ? sec
		              : "",
		        i18n_text(lang, "des.field_level"),
		        field(req, "level") ? field(req, "level") : ""};
		if (!web_confirmed(req, res, "des.set", summary, 6, back))
			return;
	}
	rc = des_set(req->db, id, field(req, "group"), field(req, "item"), field(req, "section"),
	             http_form_get(req->form, "level"), req->who->org_id, detail, sizeof(detail));
	if (rc != DES_OK) {
		refused(res, rc, detail);
		return;
	}
	http_res_see_other(res, back);
}

void web_admin_group_set(const http_req *req, http_res *res)
{
	static const char *const names[] = {"organisation", "group"};
	i18n_lang lang = web_lang(req, res);
	long long id = campaign_of(req, res);
	char detail[256] = "", back[96];
	const char *org, *g;
	des_rc rc;

	if (id == 0)
		return;
	org = http_form_get(req->form, "organisation");
	g = http_form_get(req->form, "group");
	if (!web_form_only(req, names, 2) || org == NULL || g == NULL) {
		http_res_fail(res, "form_invalid", "the form needs organisation and group");
		return;
	}
	snprintf(back, sizeof(back), "/admin/campaigns/%lld/desirable", id);
	{
		const char *summary[] = {i18n_text(lang, "des.field_org"), org,
		                         i18n_text(lang, "des.field_group"),
		                         g[0] ? g : i18n_text(lang, "des.no_group")};
		if (!web_confirmed(req, res, "des.group_set", summary, 4, back))
			return;
	}
	rc = des_group_set(req->db, id, org, g, req->who->org_id, detail, sizeof(detail));
	if (rc != DES_OK) {
		refused(res, rc, detail);
		return;
	}
	http_res_see_other(res, back);
}
