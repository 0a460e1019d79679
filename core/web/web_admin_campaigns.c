/* web_admin_campaigns.c — the entrusting company's campaigns in the
 * dashboard: GET /admin/campaigns (every campaign with its progress bar
 * and due date, the actions, the form for a new one), the assign page
 * (search organisations, tick several, a variant each), and the actions
 * behind them: create, assign, change the due date, close. Each action is
 * a form POST with its CSRF token (ORIGIN_FORM), shown once more to be
 * confirmed, then done by the same domain function as its API twin
 * (camp_create, camp_assign_tx, camp_set_due, camp_close), which audits
 * it; a refusal is the error page with the same code as the API's, and
 * changes nothing. Also the form helpers every dashboard page shares. */
#include "core/aggregate.h"
#include "core/campaigns.h"
#include "core/db/aggregate.h"
#include "core/db/questionnaires.h"
#include "core/errors.h"
#include "core/http/csrf.h"
#include "core/http/form.h"
#include "core/registry.h"
#include "core/web/chart.h"
#include "core/web/web.h"
#include "forms/number.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSIGN_PAGE 50
#define ASSIGN_MAX  500 /* organisations in one assign form */

/* ---- what every dashboard form does ---- */

view_node *web_form_post(view_node *parent, const http_req *req, const char *action)
{
	char token[CSRF_TOKEN_SIZE] = "", what[256];
	view_node *f;
	if (parent == NULL || req->who == NULL || action == NULL)
		return NULL;
	snprintf(what, sizeof(what), "POST %s", action);
	if (csrf_token(req->db, req->who->fingerprint, what, token) != 0)
		return NULL;
	f = view_el(parent, "form", NULL);
	view_attr(f, "method", "post");
	view_attr(f, "action", action);
	web_hidden(f, "csrf", token);
	return f;
}

void web_hidden(view_node *form, const char *name, const char *value)
{
	view_node *in = view_el(form, "input", NULL);
	view_attr(in, "type", "hidden");
	view_attr(in, "name", name);
	view_attr(in, "value", value != NULL ? value : "");
}

int web_form_only(const http_req *req, const char *const *names, size_t n)
{
	size_t count = http_form_count(req->form);
	for (size_t i = 0; i < count; i++) {
		const char *f = http_form_name(req->form, i);
		int known = strcmp(f, "csrf") == 0 || strcmp(f, "confirm") == 0;
		for (size_t k = 0; !known && k < n; k++)
			known = strcmp(f, names[k]) == 0;
		if (!known)
			return 0;
	}
	const char *c = http_form_get(req->form, "confirm");
	return c == NULL || strcmp(c, "1") == 0;
}

int web_confirmed(const http_req *req, http_res *res, const char *title_key,
                  const char *const *summary, size_t n, const char *back)
{
	i18n_lang lang = web_lang(req, res);
	const char *c = http_form_get(req->form, "confirm");
	view *v;
	view_node *dl, *f;
	size_t count = http_form_count(req->form);

	if (c != NULL && strcmp(c, "1") == 0)
		return 1;
	if ((v = web_view(req, lang, title_key)) == NULL) {
		web_send(res, 500, NULL);
		return 0;
	}
	view_t(view_main(v), "p", v, "dash.confirm_intro");
	dl = view_el(view_main(v), "dl", NULL);
	for (size_t i = 0; i + 1 < n; i += 2) {
		view_el(dl, "dt", summary[i]);
		view_el(dl, "dd", summary[i + 1]);
	}
	/* the same fields once more, with a token made now */
	f = web_form_post(view_main(v), req, req->path);
	for (size_t i = 0; i < count; i++) {
		const char *name = http_form_name(req->form, i);
		if (strcmp(name, "csrf") != 0 && strcmp(name, "confirm") != 0)
			web_hidden(f, name, http_form_value(req->form, i));
	}
	web_hidden(f, "confirm", "1");
	view_attr(view_t(f, "button", v, "dash.confirm_do"), "type", "submit");
	view_link(view_el(view_main(v), "p", NULL), back, i18n_text(lang, "dash.confirm_cancel"));
	web_send(res, 200, v);
	return 0;
}

char *web_query_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = s != NULL ? strlen(s) : 0, k = 0;
	char *out = malloc(3 * n + 1);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			out[k++] = (char)c;
		} else {
			out[k++] = '%';
			out[k++] = hex[c >> 4];
			out[k++] = hex[c & 15];
		}
	}
	out[k] = '\0';
	return out;
}

/* ---- the list ---- */

/* The progress bar of a campaign from the aggregate's "progress":
 * accepted, refused (submitted, none accepted), overdue, not started. */
void web_progress_bar(view_node *parent, const view *v, const char *id, void *progress)
{
	json_t *p = progress;
	i18n_lang lang = view_lang(v);
	chart_part parts[] = {
	        {i18n_text(lang, "status.accepted"), web_jint(p, "answered"), CHART_GREEN},
	        {i18n_text(lang, "dash.refused"), web_jint(p, "submitted"), CHART_VERMILLION},
	        {i18n_text(lang, "status.overdue"), web_jint(p, "overdue"), CHART_ORANGE},
	        {i18n_text(lang, "status.not_started"), web_jint(p, "not_started"), CHART_GREY},
	};
	char title[200];
	i18n_format(lang, "dash.progress_of", web_jint(p, "assigned"), title, sizeof(title));
	chart_stacked(parent, id, title, parts, 4, web_jint(p, "assigned"));
}

typedef struct list_ctx {
	const http_req *req;
	view *v;
	view_node *tbody;
	int failed;
} list_ctx;

static void due_form(view_node *td, const list_ctx *c, long long id, const char *due)
{
	char action[64], fid[32];
	view_node *f, *in, *l;
	snprintf(action, sizeof(action), "/admin/campaigns/%lld/due", id);
	f = web_form_post(td, c->req, action);
	snprintf(fid, sizeof(fid), "due-%lld", id);
	l = view_t(f, "label", c->v, "dash.due_new");
	view_attr(l, "for", fid);
	in = view_el(f, "input", NULL);
	view_attr(in, "type", "date");
	view_attr(in, "name", "due");
	view_attr(in, "id", fid);
	view_attr(in, "value", due);
	view_attr(in, "required", "required");
	snprintf(fid, sizeof(fid), "force-%lld", id);
	in = view_el(f, "input", NULL);
	view_attr(in, "type", "checkbox");
	view_attr(in, "name", "force");
	view_attr(in, "value", "1");
	view_attr(in, "id", fid);
	view_attr(view_t(f, "label", c->v, "dash.due_force"), "for", fid);
	view_attr(view_t(f, "button", c->v, "dash.due_change"), "type", "submit");
}

static int campaign_row(void *ctx, const campdb_row *r)
{
	list_ctx *c = ctx;
	i18n_lang lang = view_lang(c->v);
	view_node *tr = view_el(c->tbody, "tr", NULL), *td, *ul;
	char href[96], id[32];
	json_t *p = NULL;

	snprintf(href, sizeof(href), "/admin/campaigns/%lld", r->id);
	view_link(view_el(tr, "th", NULL), href, r->name);
	view_el(tr, "td", r->questionnaire);
	view_attr(view_el(view_el(tr, "td", NULL), "time", r->due), "datetime", r->due);
	view_t(tr, "td", c->v, strcmp(r->status, "open") == 0 ? "dash.open" : "dash.closed");
	td = view_el(tr, "td", NULL);
	if (agg_progress(c->req->db, r->id, NULL, &p) != AGG_OK) {
		c->failed = 1;
		return 1;
	}
	snprintf(id, sizeof(id), "prog-%lld", r->id);
	web_progress_bar(td, c->v, id, p);
	{
		char line[200], n[64];
		i18n_format(lang, "dash.accepted_of", web_jint(p, "answered"), line, sizeof(line));
		snprintf(n, sizeof(n), " / %lld", web_jint(p, "assigned"));
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s", n);
		view_attr(view_el(td, "p", line), "class", "progress-text");
	}
	json_decref(p);
	td = view_el(tr, "td", NULL);
	view_attr(td, "class", "actions");
	ul = view_el(td, "ul", NULL);
	view_link(view_el(ul, "li", NULL), href, i18n_text(lang, "dash.overview"));
	snprintf(href, sizeof(href), "/admin/campaigns/%lld/heatmap", r->id);
	view_link(view_el(ul, "li", NULL), href, i18n_text(lang, "dash.heatmap"));
	if (strcmp(r->status, "open") == 0) {
		snprintf(href, sizeof(href), "/admin/campaigns/%lld/assign", r->id);
		view_link(view_el(ul, "li", NULL), href, i18n_text(lang, "dash.assign"));
		due_form(td, c, r->id, r->due);
		snprintf(href, sizeof(href), "/admin/campaigns/%lld/close", r->id);
		view_attr(view_t(web_form_post(td, c->req, href), "button", c->v, "dash.close"),
		          "type", "submit");
	}
	return 0;
}

static void create_form(view_node *m, const http_req *req, view *v)
{
	qstore_entry *qs = NULL;
	size_t nq = 0;
	view_node *f, *p, *in, *sel;

	view_t(m, "h2", v, "dash.create");
	f = web_form_post(m, req, "/admin/campaigns");
	view_attr(f, "class", "stack");
	p = view_el(f, "p", NULL);
	view_attr(view_t(p, "label", v, "dash.name"), "for", "c-name");
	in = view_el(p, "input", NULL);
	view_attr(in, "type", "text");
	view_attr(in, "name", "name");
	view_attr(in, "id", "c-name");
	view_attr(in, "required", "required");
	view_attr(in, "maxlength", "200");
	p = view_el(f, "p", NULL);
	view_attr(view_t(p, "label", v, "col.questionnaire"), "for", "c-q");
	sel = view_el(p, "select", NULL);
	view_attr(sel, "name", "questionnaire");
	view_attr(sel, "id", "c-q");
	if (qstore_list(req->db, &qs, &nq) == QSTORE_OK)
		for (size_t i = 0; i < nq; i++) {
			char ref[140], label[400];
			snprintf(ref, sizeof(ref), "%s@%s", qs[i].id, qs[i].version);
			snprintf(label, sizeof(label), "%s — %s", ref,
			         view_lang(v) == LANG_EN ? qs[i].title_en : qs[i].title_ja);
			view_attr(view_el(sel, "option", label), "value", ref);
		}
	qstore_list_free(qs, nq);
	p = view_el(f, "p", NULL);
	view_attr(view_t(p, "label", v, "col.due"), "for", "c-due");
	in = view_el(p, "input", NULL);
	view_attr(in, "type", "date");
	view_attr(in, "name", "due");
	view_attr(in, "id", "c-due");
	view_attr(in, "required", "required");
	p = view_el(f, "p", NULL);
	in = view_el(p, "input", NULL);
	view_attr(in, "type", "checkbox");
	view_attr(in, "name", "vendor_invites");
	view_attr(in, "value", "1");
	view_attr(in, "id", "c-inv");
	view_attr(view_t(p, "label", v, "dash.vendor_invites"), "for", "c-inv");
	view_t(f, "p", v, "dash.variant_note");
	view_attr(view_t(f, "button", v, "dash.create_do"), "type", "submit");
}

void web_admin_campaigns(const http_req *req, http_res *res)
{
	static const char *const cols[] = {"col.campaign", "col.questionnaire", "col.due",
	                                   "dash.state",   "dash.progress",     "col.actions"};
	i18n_lang lang = web_lang(req, res);
	view *v = web_view(req, lang, "dash.campaigns");
	list_ctx c = {req, v, NULL, 0};
	view_node *m, *t, *tr;

	if (v == NULL) {
		web_send(res, 500, NULL);
		return;
	}
	m = view_main(v);
	view_t(m, "p", v, "dash.campaigns_intro");
	t = view_el(m, "table", NULL);
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	c.tbody = view_el(t, "tbody", NULL);
	if (camp_list(req->db, campaign_row, &c) != CAMP_OK || c.failed) {
		view_free(v);
		http_res_fail(res, ERR_INTERNAL, "the campaigns could not be read");
		return;
	}
	create_form(m, req, v);
	web_send(res, 200, v);
}

/* ---- the actions ---- */

static void camp_refused(http_res *res, camp_rc rc, const char *detail)
{
	http_res_fail(res, camp_rc_code(rc), "%s%s%s", camp_rc_str(rc), detail[0] ? ": " : "",
	              detail);
}

static const char *field(const http_req *req, const char *name)
{
	const char *s = http_form_get(req->form, name);
	return s != NULL ? s : "";
}

static int flag_field(const http_req *req, const char *name, int *out)
{
	const char *s = http_form_get(req->form, name);
	*out = s != NULL && strcmp(s, "1") == 0;
	return s == NULL || strcmp(s, "1") == 0;
}

void web_admin_campaign_create(const http_req *req, http_res *res)
{
	static const char *const names[] = {"name", "questionnaire", "due", "vendor_invites"};
	i18n_lang lang = web_lang(req, res);
	char detail[256] = "", to[64];
	long long id = 0;
	int invites = 0;
	camp_rc rc;

	if (!web_form_only(req, names, 4) || !flag_field(req, "vendor_invites", &invites) ||
	    http_form_get(req->form, "name") == NULL ||
	    http_form_get(req->form, "questionnaire") == NULL ||
	    http_form_get(req->form, "due") == NULL) {
		http_res_fail(
		        res, "form_invalid",
		        "the form needs name, questionnaire, due and may have vendor_invites=1");
		return;
	}
	{
		const char *summary[] = {i18n_text(lang, "dash.name"),
		                         field(req, "name"),
		                         i18n_text(lang, "col.questionnaire"),
		                         field(req, "questionnaire"),
		                         i18n_text(lang, "col.due"),
		                         field(req, "due"),
		                         i18n_text(lang, "dash.vendor_invites"),
		                         i18n_text(lang, invites ? "subs.yes" : "subs.no")};
		if (!web_confirmed(req, res, "dash.create", summary, 8, "/admin/campaigns"))
			return;
	}
	rc = camp_create_checked(req->db, field(req, "name"), field(req, "questionnaire"),
	                         field(req, "due"), invites, 0, NULL, req->who->org_id, &id, detail,
	                         sizeof(detail));
	if (rc != CAMP_OK) {
		camp_refused(res, rc, detail);
		return;
	}
	snprintf(to, sizeof(to), "/admin/campaigns/%lld", id);
	http_res_see_other(res, to);
}

static long long campaign_id(const http_req *req, http_res *res)
{
	long long id = http_path_id(req);
	if (id == 0)
		http_res_fail(res, "not_found", "no such campaign");
	else
		snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", id);
	return id;
}

void web_admin_due(const http_req *req, http_res *res)
{
	static const char *const names[] = {"due", "force"};
	i18n_lang lang = web_lang(req, res);
	long long id = campaign_id(req, res);
	char detail[256] = "", old[11] = "";
	int force = 0;
	camp_rc rc;

	if (id == 0)
		return;
	if (!web_form_only(req, names, 2) || !flag_field(req, "force", &force) ||
	    http_form_get(req->form, "due") == NULL) {
		http_res_fail(res, "form_invalid", "the form needs due and may have force=1");
		return;
	}
	{
		const char *summary[] = {i18n_text(lang, "dash.due_new"), field(req, "due"),
		                         i18n_text(lang, "dash.due_force"),
		                         i18n_text(lang, force ? "subs.yes" : "subs.no")};
		if (!web_confirmed(req, res, "dash.due_change", summary, 4, "/admin/campaigns"))
			return;
	}
	rc = camp_set_due(req->db, id, field(req, "due"), force, NULL, req->who->org_id, old,
	                  detail, sizeof(detail));
	if (rc != CAMP_OK) {
		camp_refused(res, rc, detail);
		return;
	}
	http_res_see_other(res, "/admin/campaigns");
}

void web_admin_close(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	long long id = campaign_id(req, res);
	char cid[32];
	camp_rc rc;

	if (id == 0)
		return;
	if (!web_form_only(req, NULL, 0)) {
		http_res_fail(res, "form_invalid", "the form has no fields but its token");
		return;
	}
	snprintf(cid, sizeof(cid), "%lld", id);
	{
		const char *summary[] = {i18n_text(lang, "col.campaign"), cid};
		if (!web_confirmed(req, res, "dash.close", summary, 2, "/admin/campaigns"))
			return;
	}
	rc = camp_close(req->db, id, req->who->org_id);
	if (rc != CAMP_OK) {
		camp_refused(res, rc, "");
		return;
	}
	http_res_see_other(res, "/admin/campaigns");
}

/* ---- assigning ---- */

/* The variants of the campaign's questionnaire, "" (the base) first. */
typedef struct variants {
	questionnaire *q;
} variants;

static void variant_select(view_node *parent, const variants *vs, const view *v, const char *name,
                           const char *label_id)
{
	view_node *sel = view_el(parent, "select", NULL);
	view_attr(sel, "name", name);
	view_attr(sel, "aria-labelledby", label_id);
	view_attr(view_t(sel, "option", v, "dash.variant_base"), "value", "");
	for (size_t i = 0; vs->q != NULL && i < vs->q->nvariants; i++) {
		const qn_variant *var = &vs->q->variants[i];
		char label[300];
		snprintf(label, sizeof(label), "%s — %s", var->id,
		         view_lang(v) == LANG_EN ? var->title.en : var->title.ja);
		view_attr(view_el(sel, "option", label), "value", var->id);
	}
}

/* A labelled input of a form: one <p>. */
static view_node *labelled_input(view_node *f, const view *v, const char *label, const char *id,
                                 const char *type)
{
	view_node *p = view_el(f, "p", NULL), *in;
	view_attr(view_t(p, "label", v, label), "for", id);
	in = view_el(p, "input", NULL);
	view_attr(in, "id", id);
	view_attr(in, "name", id);
	view_attr(in, "type", type);
	view_attr(in, "required", "required");
	return in;
}

/* The invitation of a vendor nobody registered yet (enrol_invite() with a
 * name): posted to the invitations path, which shows it to confirm first.
 * Only an open campaign takes one. */
static void direct_invite_form(view_node *m, const http_req *req, const view *v, const variants *vs,
                               long long id)
{
	char action[64], days[8];
	view_node *sec = view_el(m, "section", NULL), *f, *in, *p;
	view_attr(sec, "aria-labelledby", "direct-invite");
	view_attr(view_t(sec, "h2", v, "chains.direct_title"), "id", "direct-invite");
	view_t(sec, "p", v, "chains.direct_intro");
	snprintf(action, sizeof(action), "/admin/campaigns/%lld/invitations", id);
	f = web_form_post(sec, req, action);
	in = labelled_input(f, v, "chains.direct_id", "organisation", "text");
	view_attr(in, "maxlength", "32");
	view_attr(in, "autocomplete", "off");
	in = labelled_input(f, v, "chains.direct_name", "organisation_name", "text");
	view_attr(in, "maxlength", "200");
	p = view_el(f, "p", NULL);
	view_attr(view_t(p, "label", v, "chains.variant"), "id", "direct-variant");
	variant_select(p, vs, v, "variant", "direct-variant");
	in = labelled_input(f, v, "chains.days", "days", "number");
	snprintf(days, sizeof(days), "%d", req->srv->cfg.invitation_days);
	view_attr(in, "min", "1");
	view_attr(in, "max", "90");
	view_attr(in, "value", days);
	view_attr(view_t(f, "button", v, "chains.direct_next"), "type", "submit");
}

void web_admin_assign_form(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	long long id = campaign_id(req, res);
	const char *text = http_query(req, "q");
	long long offset = http_query_int(req, "offset", 0, 1000000000), total = 0;
	char detail[256] = "", action[64], buf[128], cid[24];
	reg_org *list = NULL;
	size_t n = 0;
	aggdb_campaign cv;
	variants vs = {NULL};
	view *v;
	view_node *m, *f, *p, *in, *t, *tr, *tbody;

	if (id == 0)
		return;
	if (offset < 0) {
		http_res_fail(res, "query_invalid", "offset must be a whole number from 0");
		return;
	}
	if (aggdb_campaign_get(req->db, id, &cv) != DB_OK) {
		http_res_fail(res, "not_found", "no such campaign");
		return;
	}
	switch (registry_search(req->db, text, ROLE_RESPONDENT, offset, ASSIGN_PAGE, &list, &n,
	                        &total, detail, sizeof(detail))) {
	case REGISTRY_OK: break;
	case REGISTRY_ERR_INVALID: http_res_fail(res, "query_invalid", "%s", detail); return;
	default: http_res_fail(res, ERR_INTERNAL, "the registry could not be read"); return;
	}
	qstore_get(req->db, cv.qid, cv.version, &vs.q);
	if ((v = web_view(req, lang, "dash.assign")) == NULL) {
		qn_free(vs.q);
		free(list);
		web_send(res, 500, NULL);
		return;
	}
	m = view_main(v);
	view_el(m, "p", cv.name);
	/* the search: a GET form, so the results can be bookmarked */
	snprintf(action, sizeof(action), "/admin/campaigns/%lld/assign", id);
	f = view_el(m, "form", NULL);
	view_attr(f, "method", "get");
	view_attr(f, "action", action);
	view_attr(f, "role", "search");
	p = view_el(f, "p", NULL);
	view_attr(view_t(p, "label", v, "dash.search"), "for", "q");
	in = view_el(p, "input", NULL);
	view_attr(in, "type", "search");
	view_attr(in, "name", "q");
	view_attr(in, "id", "q");
	view_attr(in, "value", text);
	view_attr(view_t(p, "button", v, "dash.search_do"), "type", "submit");
	i18n_format(lang, "dash.found", total, buf, sizeof(buf));
	view_attr(view_el(m, "p", buf), "role", "status");
	if (n > 0) {
		snprintf(action, sizeof(action), "/admin/campaigns/%lld/assignments", id);
		f = web_form_post(m, req, action);
		t = view_el(f, "table", NULL);
		tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
		view_attr(view_t(tr, "th", v, "dash.pick"), "scope", "col");
		view_attr(view_t(tr, "th", v, "subs.id"), "scope", "col");
		view_attr(view_t(tr, "th", v, "subs.name"), "scope", "col");
		view_attr(view_t(tr, "th", v, "dash.variant"), "scope", "col");
		tbody = view_el(t, "tbody", NULL);
		for (size_t i = 0; i < n; i++) {
			char name[96], lid[96];
			tr = view_el(tbody, "tr", NULL);
			snprintf(name, sizeof(name), "org.%s", list[i].id);
			snprintf(lid, sizeof(lid), "n-%s", list[i].id);
			in = view_el(view_el(tr, "td", NULL), "input", NULL);
			view_attr(in, "type", "checkbox");
			view_attr(in, "name", name);
			view_attr(in, "value", "1");
			view_attr(in, "aria-labelledby", lid);
			view_el(tr, "td", list[i].id);
			view_attr(view_el(tr, "td", list[i].name), "id", lid);
			snprintf(name, sizeof(name), "variant.%s", list[i].id);
			variant_select(view_el(tr, "td", NULL), &vs, v, name, lid);
		}
		view_attr(view_t(f, "button", v, "dash.assign_do"), "type", "submit");
	}
	/* the pages of the search */
	p = view_el(m, "p", NULL);
	view_attr(p, "class", "pager");
	snprintf(cid, sizeof(cid), "%lld", id);
	for (int k = 0; k < 2; k++) {
		long long to = k ? offset + ASSIGN_PAGE : offset - ASSIGN_PAGE;
		char *q, href[700];
		if (to < 0 || to >= total)
			continue;
		q = web_query_escape(text);
		snprintf(href, sizeof(href), "/admin/campaigns/%s/assign?offset=%lld&q=%s", cid, to,
		         q != NULL ? q : "");
		view_link(p, href, i18n_text(lang, k ? "dash.next" : "dash.prev"));
		free(q);
	}
	if (strcmp(cv.status, "open") == 0)
		direct_invite_form(m, req, v, &vs, id);
	snprintf(action, sizeof(action), "/admin/campaigns/%lld", id);
	view_link(view_el(m, "p", NULL), action, i18n_text(lang, "dash.overview"));
	qn_free(vs.q);
	free(list);
	web_send(res, 200, v);
}

/* The ticked organisations of an assign form: "org.<id>" = "1" with
 * "variant.<id>" its variant ("" the base). */
typedef struct pick {
	const char *org, *variant;
} pick;

static int picks_read(const http_req *req, pick *out, size_t max, size_t *n)
{
	size_t count = http_form_count(req->form);
	*n = 0;
	for (size_t i = 0; i < count; i++) {
		const char *name = http_form_name(req->form, i),
		           *val = http_form_value(req->form, i);
		if (strcmp(name, "csrf") == 0 || strcmp(name, "confirm") == 0) {
			if (strcmp(name, "confirm") == 0 && strcmp(val, "1") != 0)
				return 0;
			continue;
		}
		if (strncmp(name, "variant.", 8) == 0)
			continue; /* read with its org. field; one not ticked is not used */
		if (strncmp(name, "org.", 4) != 0 || name[4] == '\0' || strcmp(val, "1") != 0 ||
		    *n == max)
			return 0;
		{
			char vname[HTTP_FORM_NAME_MAX + 8];
			snprintf(vname, sizeof(vname), "variant.%s", name + 4);
			out[*n].org = name + 4;
			out[*n].variant = http_form_get(req->form, vname);
			if (out[*n].variant == NULL)
				out[*n].variant = "";
			(*n)++;
		}
	}
	return *n > 0;
}

void web_admin_assign(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	long long id = campaign_id(req, res);
	pick *picks = NULL;
	const char **summary = NULL;
	size_t n = 0;
	char detail[256] = "", to[64];
	camp_assignment as;
	camp_rc rc = CAMP_OK;

	if (id == 0)
		return;
	picks = calloc(ASSIGN_MAX, sizeof(*picks));
	summary = calloc((size_t)2 * ASSIGN_MAX, sizeof(*summary));
	if (picks == NULL || summary == NULL) {
		http_res_fail(res, ERR_INTERNAL, "out of memory");
		goto out;
	}
	if (!picks_read(req, picks, ASSIGN_MAX, &n)) {
		http_res_fail(res, "form_invalid",
		              "tick at least one organisation (org.<id>=1, at most %d, each with "
		              "variant.<id>)",
		              ASSIGN_MAX);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		summary[2 * i] = picks[i].org;
		summary[2 * i + 1] = picks[i].variant[0] ? picks[i].variant
		                                         : i18n_text(lang, "dash.variant_base");
	}
	if (!web_confirmed(req, res, "dash.assign", summary, 2 * n, "/admin/campaigns"))
		goto out;
	/* all or none: one transaction, each assignment audited in it */
	if (db_begin(req->db) != DB_OK) {
		http_res_fail(res, ERR_INTERNAL, "the database is busy");
		goto out;
	}
	for (size_t i = 0; i < n && rc == CAMP_OK; i++)
		rc = camp_assign_tx(req->db, id, picks[i].org, picks[i].variant, NULL,
		                    req->who->org_id, &as, detail, sizeof(detail));
	if (rc == CAMP_OK && db_commit(req->db) != DB_OK)
		rc = CAMP_ERR_DB;
	if (rc != CAMP_OK) {
		db_rollback(req->db);
		camp_refused(res, rc, detail);
		goto out;
	}
	snprintf(to, sizeof(to), "/admin/campaigns/%lld", id);
	http_res_see_other(res, to);
out:
	free(picks);
	free(summary);
}
