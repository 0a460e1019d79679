/* web_admin_chains.c — the entrusting company's view of a campaign's
 * re-entrustment chains, GET /admin/campaigns/{id}/chains: the summary,
 * the weakest paths, and the graph tier by tier a page at a time (an
 * organisation declared by several vendors is one row with all its
 * parents; cycles, too deep and the weakest links are marked), or one of
 * its lists (?status= pending, invited, unapproved, overdue). And its two
 * actions, each a form posted twice: first for a confirmation page that
 * changes nothing, then with confirm=yes — inviting a subcontractor
 * (enrol_invite(), as POST /api/v1/campaigns/{id}/invitations) and
 * approving a re-entrustment with the data it passes on (chains_approve()
 * with the flags shown, as POST /api/v1/campaigns/{id}/approvals). What
 * the graph is and who may do what are core/chains.c's and core/enrol.c's;
 * this file reads, shows and maps results to pages. */
#include "core/chains.h"
#include "core/db/campaigns.h"
#include "core/db/questionnaires.h"
#include "core/enrol.h"
#include "core/errors.h"
#include "core/http/csrf.h"
#include "core/http/form.h"
#include "core/web/web.h"
#include "forms/number.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define PAGE_DEFAULT 200
#define PAGE_MAX     500
#define PATHS_SHOWN  10

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static const char *text(const view *v, const char *key)
{
	return i18n_text(view_lang(v), key);
}

/* "label: value" as a <dt>/<dd> pair */
static view_node *pair(view_node *dl, const view *v, const char *key, const char *value)
{
	view_t(dl, "dt", v, key);
	return view_el(dl, "dd", value);
}

/* ---- forms ---- */

/* A form posting to action with the CSRF token made for it and hidden
 * fields; the caller adds what a person fills in and the button. */
static view_node *post_form(view_node *parent, const char *action, const char *token,
                            const char *const *names, const char *const *values, size_t n)
{
	view_node *f = view_el(parent, "form", NULL), *in;
	view_attr(f, "method", "post");
	view_attr(f, "action", action);
	in = view_el(f, "input", NULL);
	view_attr(in, "type", "hidden");
	view_attr(in, "name", "csrf");
	view_attr(in, "value", token);
	for (size_t i = 0; i < n; i++) {
		in = view_el(f, "input", NULL);
		view_attr(in, "type", "hidden");
		view_attr(in, "name", names[i]);
		view_attr(in, "value", values[i]);
	}
	return f;
}

static void button(view_node *f, const view *v, const char *key)
{
	view_attr(view_t(f, "button", v, key), "type", "submit");
}

/* The tokens of the page's two forms: every row posts to the same two
 * paths, so each is made once. */
typedef struct actions {
	long long campaign;
	int open; /* the campaign takes invitations */
	char invite[48], approve[48];
	char invite_token[CSRF_TOKEN_SIZE], approve_token[CSRF_TOKEN_SIZE];
	json_t *weakest; /* org id -> true: the weakest link of a path shown */
} actions;

static int actions_init(actions *a, const http_req *req, long long campaign, int open)
{
	char form[64];
	memset(a, 0, sizeof(*a));
	a->campaign = campaign;
	a->open = open;
	snprintf(a->invite, sizeof(a->invite), "/admin/campaigns/%lld/invitations", campaign);
	snprintf(a->approve, sizeof(a->approve), "/admin/campaigns/%lld/approvals", campaign);
	snprintf(form, sizeof(form), "POST %s", a->invite);
	if (csrf_token(req->db, req->who->fingerprint, form, a->invite_token) != 0)
		return -1;
	snprintf(form, sizeof(form), "POST %s", a->approve);
	if (csrf_token(req->db, req->who->fingerprint, form, a->approve_token) != 0)
		return -1;
	return (a->weakest = json_object()) != NULL ? 0 : -1;
}

/* ---- the graph ---- */

static void flag(view_node *parent, const view *v, const char *cls, const char *key,
                 const char *extra)
{
	view_node *s = view_t(parent, "span", v, key);
	view_attr(s, "class", cls);
	if (extra != NULL && s != NULL)
		view_el(s, "span", extra);
}

static void org_cell(view_node *tr, const view *v, const actions *a, json_t *n)
{
	view_node *th = view_el(tr, "th", NULL);
	char cycle[96];
	view_attr(th, "scope", "row");
	view_el(th, "span", web_jstr(n, "name"));
	view_el(th, "br", NULL);
	view_el(th, "code", web_jstr(n, "id"));
	if (json_object_get(a->weakest, web_jstr(n, "id")) != NULL)
		view_attr(view_t(view_el(th, "p", NULL), "mark", v, "chains.weakest_link"), "class",
		          "weakest");
	if (json_is_string(json_object_get(n, "cycle"))) {
		snprintf(cycle, sizeof(cycle), " (%s)", web_jstr(n, "cycle"));
		flag(view_el(th, "p", NULL), v, "flag cycle", "chains.cycle", cycle);
	}
	if (json_is_true(json_object_get(n, "too_deep")))
		flag(view_el(th, "p", NULL), v, "flag deep", "chains.too_deep", NULL);
	if (!json_is_true(json_object_get(n, "registered")))
		flag(view_el(th, "p", NULL), v, "flag", "chains.unregistered", NULL);
}

static void status_cell(view_node *tr, const view *v, json_t *n)
{
	char key[48], cls[48];
	snprintf(key, sizeof(key), "chain.%s", web_jstr(n, "status"));
	snprintf(cls, sizeof(cls), "st-%s", web_jstr(n, "status"));
	view_attr(view_t(view_el(tr, "td", NULL), "span", v, key), "class", cls);
}

static void score_cell(view_node *tr, json_t *n)
{
	json_t *score = json_object_get(n, "score");
	char buf[64] = "—";
	if (json_is_object(score))
		snprintf(buf, sizeof(buf), "%lld (%.2f)", num(score, "total"),
		         json_real_value(json_object_get(score, "mean")));
	view_el(tr, "td", buf);
}

/* " (平均 3.00、合計 81)": the mean the paths are compared by, the total */
static void path_weakest(i18n_lang lang, json_t *w, char *buf, size_t len)
{
	char tot[32];
	i18n_format(lang, "chains.path_weakest", num(w, "total"), tot, sizeof(tot));
	snprintf(buf, len, "%s %.2f%s", i18n_text(lang, "chains.path_mean"), web_jnum(w, "mean"),
	         tot);
}

static void weakest_cell(view_node *tr, json_t *n)
{
	json_t *w = json_object_get(n, "weakest");
	view_node *td = view_el(tr, "td", NULL);
	char total[48];
	if (!json_is_object(w)) {
		view_el(td, "span", "—");
		return;
	}
	/* the mean decides the weakest link; the total beside it */
	snprintf(total, sizeof(total), " (%.2f / %lld)", web_jnum(w, "mean"), num(w, "total"));
	view_el(td, "code", web_jstr(w, "organisation"));
	view_el(td, "span", total);
}

static void data_flags(view_node *parent, const view *v, json_t *e)
{
	int personal = json_is_true(json_object_get(e, "personal")),
	    confidential = json_is_true(json_object_get(e, "confidential"));
	if (personal)
		view_attr(view_t(parent, "span", v, "chains.personal"), "class", "data");
	if (confidential)
		view_attr(view_t(parent, "span", v, "chains.confidential"), "class", "data");
	if (!personal && !confidential)
		view_t(parent, "span", v, "chains.no_data");
}

static void parent_item(view_node *ul, const view *v, const actions *a, json_t *n, json_t *e)
{
	view_node *li = view_el(ul, "li", NULL), *p;
	json_t *ap = json_object_get(e, "approval");
	const char *state = json_is_object(ap) ? web_jstr(ap, "state") : json_string_value(ap);
	char key[48], cls[48];

	if (strcmp(web_jstr(e, "parent"), "entrusting_company") == 0) {
		view_t(li, "span", v, "chains.direct");
		return;
	}
	p = view_el(li, "p", NULL);
	view_el(p, "code", web_jstr(e, "parent"));
	view_el(p, "span", " → ");
	view_el(p, "span", web_jstr(e, "scope"));
	p = view_el(li, "p", NULL);
	data_flags(p, v, e);
	snprintf(key, sizeof(key), "approval.%s", state != NULL ? state : "not_required");
	snprintf(cls, sizeof(cls), "ap-%s", state != NULL ? state : "not_required");
	view_attr(view_t(p, "span", v, key), "class", cls);
	if (state != NULL && strcmp(state, "unapproved") == 0) {
		static const char *const names[] = {"parent", "child"};
		const char *values[] = {web_jstr(e, "parent"), web_jstr(n, "id")};
		button(post_form(li, a->approve, a->approve_token, names, values, 2), v,
		       "chains.approve");
	}
}

static void parents_cell(view_node *tr, const view *v, const actions *a, json_t *n)
{
	view_node *ul = view_el(view_el(tr, "td", NULL), "ul", NULL);
	json_t *e;
	size_t i;
	view_attr(ul, "class", "parents");
	json_array_foreach(json_object_get(n, "parents"), i, e)
	{
		parent_item(ul, v, a, n, e);
	}
}

static void actions_cell(view_node *tr, const view *v, const actions *a, json_t *n)
{
	view_node *td = view_el(tr, "td", NULL);
	const char *status = web_jstr(n, "status");
	json_t *as = json_object_get(n, "assignment");
	char href[80];

	/* not joined yet and unknown to the registry: an invitation (a
	 * registered organisation is assigned, never enrolled) */
	if (a->open && !json_is_true(json_object_get(n, "registered")) &&
	    (strcmp(status, "pending") == 0 || strcmp(status, "invited") == 0)) {
		static const char *const names[] = {"organisation"};
		const char *values[] = {web_jstr(n, "id")};
		button(post_form(td, a->invite, a->invite_token, names, values, 1), v,
		       strcmp(status, "invited") == 0 ? "chains.reinvite" : "chains.invite");
	}
	if (json_is_integer(as)) {
		snprintf(href, sizeof(href), "/admin/assignments/%lld/reminders",
		         (long long)json_integer_value(as));
		view_link(view_el(td, "p", NULL), href, text(v, "chains.reminders"));
	}
}

static view_node *tier_table(view_node *m, const view *v, json_t *n)
{
	static const char *const cols[] = {"chains.col_org",     "chains.col_status",
	                                   "chains.col_score",   "chains.col_weakest",
	                                   "chains.col_parents", "col.actions"};
	view_node *sec = view_el(m, "section", NULL), *t, *tr;
	char h[64];
	if (json_is_integer(json_object_get(n, "tier")))
		i18n_format(view_lang(v), "chains.tier", num(n, "tier"), h, sizeof(h));
	else
		snprintf(h, sizeof(h), "%s", text(v, "chains.unreachable"));
	view_attr(sec, "class", "tier");
	view_el(sec, "h3", h);
	t = view_el(sec, "table", NULL);
	view_attr(t, "class", "chains");
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	return view_el(t, "tbody", NULL);
}

static void node_rows(view_node *m, const view *v, const actions *a, json_t *nodes)
{
	view_node *tbody = NULL;
	json_t *n, *tier = NULL;
	size_t i;
	json_array_foreach(nodes, i, n)
	{
		view_node *tr;
		/* a table per tier: the tree read from the top, tier by tier */
		if (tbody == NULL || !json_equal(tier, json_object_get(n, "tier"))) {
			tier = json_object_get(n, "tier");
			tbody = tier_table(m, v, n);
		}
		tr = view_el(tbody, "tr", NULL);
		if (json_object_get(a->weakest, web_jstr(n, "id")) != NULL)
			view_attr(tr, "class", "weakest");
		org_cell(tr, v, a, n);
		status_cell(tr, v, n);
		score_cell(tr, n);
		weakest_cell(tr, n);
		parents_cell(tr, v, a, n);
		actions_cell(tr, v, a, n);
	}
}

/* ---- summary, lists, paths ---- */

static const char *const lists[] = {"pending", "invited", "unapproved", "overdue"};

static void list_nav(view_node *m, const view *v, long long campaign, const char *status,
                     json_t *summary)
{
	view_node *nav = view_el(m, "nav", NULL), *ul, *a;
	char href[96], label[128], key[48];

	view_attr(nav, "aria-label", text(v, "chains.lists"));
	view_attr(nav, "class", "lists");
	ul = view_el(nav, "ul", NULL);
	snprintf(href, sizeof(href), "/admin/campaigns/%lld/chains", campaign);
	a = view_link(view_el(ul, "li", NULL), href, text(v, "chains.all"));
	if (status == NULL)
		view_attr(a, "aria-current", "page");
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		snprintf(key, sizeof(key), "chains.list_%s", lists[i]);
		snprintf(label, sizeof(label), "%s (%lld)", text(v, key), num(summary, lists[i]));
		snprintf(href, sizeof(href), "/admin/campaigns/%lld/chains?status=%s", campaign,
		         lists[i]);
		a = view_link(view_el(ul, "li", NULL), href, label);
		if (status != NULL && strcmp(status, lists[i]) == 0)
			view_attr(a, "aria-current", "page");
	}
}

static void figure(view_node *dl, const char *label, const char *value)
{
	view_node *d = view_el(dl, "div", NULL);
	view_el(d, "dt", label);
	view_el(d, "dd", value);
}

static void summary_block(view_node *m, const view *v, json_t *g)
{
	static const char *const counts[] = {"nodes",   "unanswered", "overdue",
	                                     "pending", "invited",    "unapproved",
	                                     "cycles",  "too_deep",   "unreachable"};
	json_t *s = json_object_get(g, "summary"), *c, *val;
	view_node *sec = view_el(m, "section", NULL), *dl, *ul;
	const char *key;
	char k[48], buf[64];
	size_t i;

	view_attr(sec, "class", "summary");
	view_t(sec, "h2", v, "chains.summary");
	dl = view_el(sec, "dl", NULL);
	view_attr(dl, "class", "figures");
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		snprintf(k, sizeof(k), "chains.n_%s", counts[i]);
		snprintf(buf, sizeof(buf), "%lld", num(s, counts[i]));
		figure(dl, text(v, k), buf);
	}
	view_t(sec, "h3", v, "chains.per_tier");
	dl = view_el(sec, "dl", NULL);
	view_attr(dl, "class", "figures");
	json_object_foreach(json_object_get(s, "tiers"), key, val)
	{
		long long t = 0;
		char label[64];
		if (num_parse(key, 1, 1000, &t) != 0)
			continue;
		i18n_format(view_lang(v), "chains.tier", t, label, sizeof(label));
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(val));
		figure(dl, label, buf);
	}
	if (json_array_size(json_object_get(s, "cycle_list")) == 0)
		return;
	view_t(sec, "h3", v, "chains.cycles");
	ul = view_el(sec, "ul", NULL);
	json_array_foreach(json_object_get(s, "cycle_list"), i, c)
	{
		json_t *o;
		size_t j;
		view_node *li = view_el(ul, "li", NULL);
		json_array_foreach(json_object_get(c, "organisations"), j, o)
		{
			if (j > 0)
				view_el(li, "span", " ↔ ");
			view_el(li, "code", json_string_value(o));
		}
	}
}

static void paths_block(view_node *m, const view *v, actions *a, json_t *g)
{
	json_t *paths = json_object_get(g, "paths"), *p, *o;
	view_node *sec, *ol;
	size_t i, j;

	sec = view_el(m, "section", NULL);
	view_attr(sec, "class", "paths");
	view_t(sec, "h2", v, "chains.paths");
	view_t(sec, "p", v, "chains.paths_intro");
	if (json_array_size(paths) == 0) {
		view_t(sec, "p", v, "chains.none");
		return;
	}
	ol = view_el(sec, "ol", NULL);
	json_array_foreach(paths, i, p)
	{
		const char *w = web_jstr(json_object_get(p, "weakest"), "organisation");
		view_node *li;
		char total[64];
		if (i >= PATHS_SHOWN)
			break;
		li = view_el(ol, "li", NULL);
		if (w[0] != '\0')
			json_object_set_new(a->weakest, w, json_true());
		view_t(li, "span", v, "chains.root");
		json_array_foreach(json_object_get(p, "organisations"), j, o)
		{
			const char *id = json_string_value(o);
			view_el(li, "span", " → ");
			if (strcmp(id, w) == 0) {
				view_node *mk = view_el(li, "mark", NULL);
				view_attr(mk, "class", "weakest");
				view_el(mk, "code", id);
			} else {
				view_el(li, "code", id);
			}
		}
		if (w[0] != '\0') {
			path_weakest(view_lang(v), json_object_get(p, "weakest"), total,
			             sizeof(total));
			view_el(li, "span", " — ");
			view_el(li, "code", w);
			view_el(li, "span", total);
		}
	}
}

static void pager(view_node *m, const view *v, long long campaign, const char *status,
                  long long offset, long long limit, size_t shown)
{
	view_node *nav, *p;
	char href[160], range[64];
	if (shown == 0 && offset == 0)
		return;
	nav = view_el(m, "nav", NULL);
	view_attr(nav, "aria-label", text(v, "chains.pages"));
	view_attr(nav, "class", "pager");
	p = view_el(nav, "p", NULL);
	snprintf(range, sizeof(range), "%lld–%lld", offset + 1, offset + (long long)shown);
	if (shown > 0)
		view_el(p, "span", range);
	if (offset > 0) {
		snprintf(href, sizeof(href),
		         "/admin/campaigns/%lld/chains?%s%s%soffset=%lld&limit=%lld", campaign,
		         status ? "status=" : "", status ? status : "", status ? "&" : "",
		         offset > limit ? offset - limit : 0, limit);
		view_link(p, href, text(v, "chains.prev"));
	}
	if ((long long)shown == limit) {
		snprintf(href, sizeof(href),
		         "/admin/campaigns/%lld/chains?%s%s%soffset=%lld&limit=%lld", campaign,
		         status ? "status=" : "", status ? status : "", status ? "&" : "",
		         offset + limit, limit);
		view_link(p, href, text(v, "chains.next"));
	}
}

/* ---- GET /admin/campaigns/{id}/chains ---- */

/* The query, strictly: only these keys, each once, each valid. */
static int chains_query(const http_req *req, http_res *res, chains_opts *o)
{
	static const char *const keys[] = {"lang", "offset", "limit", "status"};
	const char *offset = http_query(req, "offset"), *limit = http_query(req, "limit");
	char bad[64];
	long long n;

	if (!http_query_only(req, keys, 4, bad, sizeof(bad))) {
		http_res_fail(res, "query_invalid", "unknown or repeated query parameter \"%s\"",
		              bad);
		return 0;
	}
	o->limit = PAGE_DEFAULT;
	o->paths = PATHS_SHOWN;
	o->status = http_query(req, "status");
	if (offset != NULL && num_parse(offset, 0, 1000000000, &n) == 0)
		o->offset = n;
	else if (offset != NULL)
		goto bad;
	if (limit != NULL && num_parse(limit, 1, PAGE_MAX, &n) == 0)
		o->limit = n;
	else if (limit != NULL)
		goto bad;
	if (o->status != NULL &&
	    (!chains_status_valid(o->status) || strcmp(o->status, "assigned") == 0 ||
	     strcmp(o->status, "answered") == 0))
		goto bad;
	return 1;
bad:
	http_res_fail(res, "query_invalid",
	              "offset is 0 or more, limit 1-%d, status one of pending, invited, "
	              "unapproved, overdue",
	              PAGE_MAX);
	return 0;
}

void web_admin_chains(const http_req *req, http_res *res)
{
	long long id = http_path_id(req);
	i18n_lang lang = web_lang(req, res);
	json_t *g = NULL, *camp;
	chains_opts o;
	actions a = {0};
	chains_rc rc;
	view *v = NULL;
	view_node *m, *p;
	char line[300], href[80];

	chains_opts_default(&o);
	o.max_depth = req->srv->cfg.max_depth;
	if (!chains_query(req, res, &o))
		return;
	rc = id ? chains_campaign_json(req->db, id, &o, &g) : CHAINS_ERR_NOT_FOUND;
	if (rc == CHAINS_ERR_NOT_FOUND) {
		http_res_fail(res, "not_found", "no such campaign");
		return;
	}
	camp = json_object_get(g, "campaign");
	if (rc != CHAINS_OK ||
	    actions_init(&a, req, id, strcmp(web_jstr(camp, "status"), "open") == 0) != 0) {
		http_res_fail(res, ERR_INTERNAL, "the chains could not be read: %s",
		              chains_rc_str(rc));
		goto out;
	}
	v = web_view(req, lang, "chains.title");
	m = view_main(v);
	view_attr(m, "class", "dashboard chains");
	p = view_el(m, "p", NULL);
	view_attr(p, "class", "lead");
	view_el(p, "strong", web_jstr(camp, "name"));
	snprintf(line, sizeof(line), " (#%lld) — %s %s", id, text(v, "chains.as_of"),
	         web_jstr(g, "as_of"));
	view_el(p, "span", line);
	snprintf(href, sizeof(href), "/admin/campaigns/%lld", id);
	view_link(view_el(m, "p", NULL), href, text(v, "chains.back"));
	list_nav(m, v, id, o.status, json_object_get(g, "summary"));
	if (o.status == NULL) {
		summary_block(m, v, g);
		paths_block(m, v, &a, g);
		view_t(m, "h2", v, "chains.tree");
	} else {
		char key[48];
		snprintf(key, sizeof(key), "chains.list_%s", o.status);
		view_t(m, "h2", v, key);
		snprintf(key, sizeof(key), "chains.about_%s", o.status);
		view_t(m, "p", v, key);
	}
	if (json_array_size(json_object_get(g, "nodes")) == 0)
		view_t(m, "p", v, "chains.none");
	node_rows(m, v, &a, json_object_get(g, "nodes"));
	pager(m, v, id, o.status, o.offset, o.limit, json_array_size(json_object_get(g, "nodes")));
	web_send(res, 200, v);
out:
	json_decref(a.weakest);
	json_decref(g);
}

/* ---- the actions ---- */

/* The fields of a form, strictly: exactly n of them, all of names. */
static int fields_are(const http_req *req, const char *const *names, size_t n)
{
	if (http_form_count(req->form) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (http_form_get(req->form, names[i]) == NULL)
			return 0;
	return 1;
}

/* confirm=yes: the second post, which acts; else the first, which shows */
static int confirmed(const http_req *req)
{
	const char *c = http_form_get(req->form, "confirm");
	return c != NULL && strcmp(c, "yes") == 0;
}

static void back_link(view_node *m, const view *v, long long campaign)
{
	char href[80];
	snprintf(href, sizeof(href), "/admin/campaigns/%lld/chains", campaign);
	view_link(view_el(m, "p", NULL), href, text(v, "chains.cancel"));
}

/* The variants of campaign's questionnaire as <option>s (the base first). */
static void variant_options(view_node *sel, const view *v, db_conn *db, long long campaign)
{
	campdb_pin pin;
	questionnaire *q = NULL;
	view_attr(view_t(sel, "option", v, "chains.variant_base"), "value", "");
	if (campdb_pin_get(db, campaign, &pin) != DB_OK ||
	    qstore_get(db, pin.questionnaire, pin.version, &q) != QSTORE_OK)
		return;
	for (size_t i = 0; i < q->nvariants; i++) {
		const qn_text *t = &q->variants[i].title;
		char label[300];
		snprintf(label, sizeof(label), "%s — %s", q->variants[i].id,
		         view_lang(v) == LANG_EN ? t->en : t->ja);
		view_attr(view_el(sel, "option", label), "value", q->variants[i].id);
	}
	qn_free(q);
}

/* The invitations path of campaign and the CSRF token of a form posting
 * to it; 0 when the token could not be made. */
static int invite_action(const http_req *req, long long campaign, char action[64],
                         char token[CSRF_TOKEN_SIZE])
{
	char form[80];
	snprintf(action, 64, "/admin/campaigns/%lld/invitations", campaign);
	snprintf(form, sizeof(form), "POST %s", action);
	return csrf_token(req->db, req->who->fingerprint, form, token) == 0;
}

/* A confirmation page titled title, saying intro: its <main>. */
static view_node *confirm_page(const http_req *req, http_res *res, view **v, const char *title,
                               const char *intro)
{
	view_node *m;
	*v = web_view(req, web_lang(req, res), title);
	m = view_main(*v);
	view_attr(m, "class", "dashboard confirm");
	view_t(m, "p", *v, intro);
	return m;
}

static void invite_confirm(const http_req *req, http_res *res, long long campaign, const char *org)
{
	static const char *const names[] = {"organisation", "confirm"};
	const char *values[] = {org, "yes"};
	char token[CSRF_TOKEN_SIZE], action[64], days[8];
	json_t *n = NULL, *e;
	chains_rc rc = chains_node_json(req->db, campaign, org, req->srv->cfg.max_depth, &n);
	view_node *m, *dl, *dd, *ul, *f, *p, *in;
	size_t i;
	view *v;

	if (rc == CHAINS_ERR_NOT_FOUND) {
		http_res_fail(res, "not_declared", "nobody in campaign %lld declares %s", campaign,
		              org);
		return;
	}
	if (rc != CHAINS_OK || !invite_action(req, campaign, action, token)) {
		json_decref(n);
		http_res_fail(res, ERR_INTERNAL, "the subcontractor could not be read");
		return;
	}
	m = confirm_page(req, res, &v, "chains.invite_title", "chains.invite_intro");
	dl = view_el(m, "dl", NULL);
	pair(dl, v, "chains.col_org", web_jstr(n, "name"));
	view_el(pair(dl, v, "subs.id", NULL), "code", web_jstr(n, "id"));
	dd = pair(dl, v, "chains.declared_by", NULL);
	ul = view_el(dd, "ul", NULL);
	json_array_foreach(json_object_get(n, "parents"), i, e)
	{
		view_node *li = view_el(ul, "li", NULL);
		view_el(li, "code", web_jstr(e, "parent"));
		view_el(li, "span", " — ");
		view_el(li, "span", web_jstr(e, "scope"));
		view_el(li, "span", " — ");
		data_flags(li, v, e);
	}
	f = post_form(m, action, token, names, values, 2);
	p = view_el(f, "p", NULL);
	view_attr(view_t(p, "label", v, "chains.variant"), "for", "variant");
	in = view_el(p, "select", NULL);
	view_attr(in, "id", "variant");
	view_attr(in, "name", "variant");
	variant_options(in, v, req->db, campaign);
	p = view_el(f, "p", NULL);
	view_attr(view_t(p, "label", v, "chains.days"), "for", "days");
	in = view_el(p, "input", NULL);
	snprintf(days, sizeof(days), "%d", req->srv->cfg.invitation_days);
	view_attr(in, "id", "days");
	view_attr(in, "name", "days");
	view_attr(in, "type", "number");
	view_attr(in, "min", "1");
	view_attr(in, "max", "90");
	view_attr(in, "required", "required");
	view_attr(in, "value", days);
	button(f, v, "chains.invite_do");
	back_link(m, v, campaign);
	json_decref(n);
	web_send(res, 200, v);
}

static void invite_do(const http_req *req, http_res *res, long long campaign, const char *org,
                      const char *org_name)
{
	const char *variant = http_form_get(req->form, "variant");
	int days = enrol_days_parse(http_form_get(req->form, "days"));
	char detail[256] = "", link[400];
	enrol_invitation inv;
	enrol_rc rc;
	view_node *m, *dl;
	view *v;

	if (days == 0) {
		http_res_fail(res, "invalid_field", "days must be a number of days, 1-90");
		return;
	}
	enrol_ask ask = {campaign,
	                 org,
	                 org_name,
	                 variant[0] ? variant : NULL,
	                 req->who->org_id,
	                 req->who->role == ROLE_ADMIN,
	                 days};
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
	m = view_main(v);
	view_attr(m, "class", "dashboard confirm");
	view_t(m, "p", v, org_name != NULL ? "chains.direct_invited" : "chains.invited_intro");
	view_attr(view_el(view_el(m, "p", NULL), "code", link), "id", "enrol-link");
	dl = view_el(m, "dl", NULL);
	if (org_name != NULL)
		pair(dl, v, "chains.col_org", org_name);
	view_el(pair(dl, v, "subs.id", NULL), "code", org);
	pair(dl, v, "subs.invited_expires", inv.expires_at);
	back_link(m, v, campaign);
	web_send(res, 201, v);
}

/* A direct vendor's invitation as the assign page's form filled it in:
 * shown, checked by enrol_invite() only when confirmed. */
static void direct_confirm(const http_req *req, http_res *res, long long campaign)
{
	static const char *const names[] = {"organisation", "organisation_name", "variant", "days",
	                                    "confirm"};
	const char *values[] = {http_form_get(req->form, "organisation"),
	                        http_form_get(req->form, "organisation_name"),
	                        http_form_get(req->form, "variant"),
	                        http_form_get(req->form, "days"), "yes"};
	char token[CSRF_TOKEN_SIZE], action[64];
	view_node *m, *dl, *f;
	view *v;

	if (!invite_action(req, campaign, action, token)) {
		http_res_fail(res, ERR_INTERNAL, "the form could not be made");
		return;
	}
	m = confirm_page(req, res, &v, "chains.direct_title", "chains.direct_confirm");
	dl = view_el(m, "dl", NULL);
	pair(dl, v, "chains.direct_name", values[1]);
	view_el(pair(dl, v, "subs.id", NULL), "code", values[0]);
	pair(dl, v, "chains.variant", values[2][0] ? values[2] : text(v, "chains.variant_base"));
	pair(dl, v, "chains.days", values[3]);
	f = post_form(m, action, token, names, values, 5);
	button(f, v, "chains.invite_do");
	back_link(m, v, campaign);
	web_send(res, 200, v);
}

void web_admin_invite(const http_req *req, http_res *res)
{
	static const char *const first[] = {"csrf", "organisation"};
	static const char *const second[] = {"csrf", "organisation", "variant", "days", "confirm"};
	/* a direct vendor (the assign page's form), then its confirmation */
	static const char *const direct[] = {"csrf", "organisation", "organisation_name", "variant",
	                                     "days"};
	static const char *const direct_yes[] = {"csrf",    "organisation", "organisation_name",
	                                         "variant", "days",         "confirm"};
	long long campaign = http_path_id(req);
	const char *org = http_form_get(req->form, "organisation");

	if (campaign == 0) {
		http_res_fail(res, "not_found", "no such campaign");
		return;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", campaign);
	if (confirmed(req) && fields_are(req, second, 5))
		invite_do(req, res, campaign, org, NULL);
	else if (confirmed(req) && fields_are(req, direct_yes, 6))
		invite_do(req, res, campaign, org, http_form_get(req->form, "organisation_name"));
	else if (!confirmed(req) && fields_are(req, first, 2))
		invite_confirm(req, res, campaign, org);
	else if (!confirmed(req) && fields_are(req, direct, 5))
		direct_confirm(req, res, campaign);
	else
		http_res_fail(res, "form_invalid",
		              "the form is organisation, then organisation, variant, days and "
		              "confirm=yes (a vendor not registered yet: with organisation_name)");
}

static void approve_confirm(const http_req *req, http_res *res, long long campaign,
                            const char *parent, const char *child)
{
	static const char *const names[] = {"parent", "child", "personal", "confidential",
	                                    "confirm"};
	char token[CSRF_TOKEN_SIZE], form[80], action[64];
	json_t *e = NULL, *ap, *pn = NULL;
	chains_rc rc = chains_edge_json(req->db, campaign, parent, child, &e);
	const char *values[5];
	view_node *m, *dl, *dd, *f;
	view *v;
	char key[48];

	if (rc == CHAINS_ERR_NOT_FOUND) {
		http_res_fail(res, "edge_not_found",
		              "no such re-entrustment: %s -> %s in campaign %lld", parent, child,
		              campaign);
		return;
	}
	snprintf(action, sizeof(action), "/admin/campaigns/%lld/approvals", campaign);
	snprintf(form, sizeof(form), "POST %s", action);
	if (rc != CHAINS_OK || csrf_token(req->db, req->who->fingerprint, form, token) != 0) {
		json_decref(e);
		http_res_fail(res, ERR_INTERNAL, "the re-entrustment could not be read");
		return;
	}
	ap = json_object_get(e, "approval");
	if (strcmp(web_jstr(ap, "state"), "not_required") == 0) {
		json_decref(e);
		http_res_fail(res, "approval_not_required", "%s -> %s passes on no protected data",
		              parent, child);
		return;
	}
	v = web_view(req, web_lang(req, res), "chains.approve_title");
	m = view_main(v);
	view_attr(m, "class", "dashboard confirm");
	view_t(m, "p", v, "chains.approve_intro");
	dl = view_el(m, "dl", NULL);
	dd = pair(dl, v, "chains.parent", NULL);
	view_el(dd, "code", parent);
	if (chains_node_json(req->db, campaign, parent, req->srv->cfg.max_depth, &pn) ==
	    CHAINS_OK) {
		view_el(dd, "span", " ");
		view_el(dd, "span", web_jstr(pn, "name"));
	}
	json_decref(pn);
	dd = pair(dl, v, "chains.child", NULL);
	view_el(dd, "code", child);
	view_el(dd, "span", " ");
	view_el(dd, "span", web_jstr(e, "name"));
	pair(dl, v, "subs.scope", web_jstr(e, "scope"));
	data_flags(pair(dl, v, "chains.passes_on", NULL), v, e);
	snprintf(key, sizeof(key), "approval.%s", web_jstr(ap, "state"));
	dd = pair(dl, v, "chains.state", text(v, key));
	if (json_is_string(json_object_get(ap, "by"))) {
		view_el(dd, "span", " — ");
		view_el(dd, "code", web_jstr(ap, "by"));
		view_el(dd, "span", " ");
		view_el(dd, "span", web_jstr(ap, "at"));
	}
	values[0] = parent;
	values[1] = child;
	values[2] = json_is_true(json_object_get(e, "personal")) ? "1" : "0";
	values[3] = json_is_true(json_object_get(e, "confidential")) ? "1" : "0";
	values[4] = "yes";
	f = post_form(m, action, token, names, values, 5);
	button(f, v, "chains.approve_do");
	back_link(m, v, campaign);
	json_decref(e);
	web_send(res, 200, v);
}

static int flag_field(const http_req *req, const char *name, int *out)
{
	const char *s = http_form_get(req->form, name);
	if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
		return 0;
	*out = s[0] == '1';
	return 1;
}

static void approve_do(const http_req *req, http_res *res, long long campaign, const char *parent,
                       const char *child)
{
	chains_flags seen;
	char detail[256] = "";
	chains_rc rc;
	view_node *m, *dl;
	view *v;

	if (!flag_field(req, "personal", &seen.personal) ||
	    !flag_field(req, "confidential", &seen.confidential)) {
		http_res_fail(res, "form_invalid", "personal and confidential are 0 or 1");
		return;
	}
	rc = chains_approve(req->db, campaign, parent, child, &seen, req->who->org_id, detail,
	                    sizeof(detail));
	if (rc == CHAINS_ERR_NOT_FOUND)
		http_res_fail(res, "edge_not_found", "no such re-entrustment: %s", detail);
	else if (rc == CHAINS_ERR_NOT_REQUIRED)
		http_res_fail(res, "approval_not_required", "%s: %s", chains_rc_str(rc), detail);
	else if (rc == CHAINS_ERR_CHANGED)
		http_res_fail(res, "approval_changed", "%s: %s", chains_rc_str(rc), detail);
	else if (rc != CHAINS_OK)
		http_res_fail(res, ERR_INTERNAL, "the approval could not be recorded");
	if (rc != CHAINS_OK)
		return;
	v = web_view(req, web_lang(req, res), "chains.approved_title");
	m = view_main(v);
	view_attr(m, "class", "dashboard confirm");
	view_t(m, "p", v, "chains.approved_intro");
	dl = view_el(m, "dl", NULL);
	view_el(pair(dl, v, "chains.parent", NULL), "code", parent);
	view_el(pair(dl, v, "chains.child", NULL), "code", child);
	view_el(pair(dl, v, "chains.approved_by", NULL), "code", req->who->org_id);
	back_link(m, v, campaign);
	web_send(res, 201, v);
}

void web_admin_approve(const http_req *req, http_res *res)
{
	static const char *const first[] = {"csrf", "parent", "child"};
	static const char *const second[] = {"csrf",     "parent",       "child",
	                                     "personal", "confidential", "confirm"};
	long long campaign = http_path_id(req);
	const char *parent = http_form_get(req->form, "parent"),
	           *child = http_form_get(req->form, "child");

	if (campaign == 0) {
		http_res_fail(res, "not_found", "no such campaign");
		return;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", campaign);
	if (confirmed(req) && fields_are(req, second, 6))
		approve_do(req, res, campaign, parent, child);
	else if (!confirmed(req) && fields_are(req, first, 3))
		approve_confirm(req, res, campaign, parent, child);
	else
		http_res_fail(res, "form_invalid",
		              "the form is parent and child, then parent, child, personal, "
		              "confidential and confirm=yes");
}
