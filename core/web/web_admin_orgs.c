/* web_admin_orgs.c — the dashboard's organisations: GET
 * /admin/organisations (every organisation, searched by name or id, paged),
 * GET /admin/organisations/{id} (profile, contacts, certificates with their
 * expiry, every campaign it is in, every version it submitted) and GET
 * /admin/submissions/{id} (one version: what was verified, the answers as
 * signed with comments and evidence downloads, the scores, the gaps and
 * what changed since the version before). Admin pages: the route table
 * lets only admins in, and a submission is read through core/readback.h,
 * the API's own rule. Shows stored data; decides nothing. */
#include "core/aggregate.h"
#include "core/campaigns.h"
#include "core/contacts.h"
#include "core/db/questionnaires.h"
#include "core/db/registry.h"
#include "core/errors.h"
#include "core/readback.h"
#include "core/registry.h"
#include "core/scores.h"
#include "core/util/clock.h"
#include "core/web/chart.h"
#include "core/web/web.h"
#include "forms/number.h"
#include "forms/orgid.h"
#include "forms/utf8.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- what both pages use ---- */

static rb_ctx rb_of(const http_req *req)
{
	rb_ctx c = {req->db, req->srv->cfg.store, (size_t)req->srv->cfg.limits.max_entry};
	return c;
}

static rb_viewer viewer_of(const http_req *req)
{
	rb_viewer w = {req->who->org_id, req->who->role == ROLE_ADMIN};
	return w;
}

/* A table (of class cls, NULL: none) with the catalogue's column
 * headings; its <tbody>. */
static view_node *table(view_node *parent, const view *v, const char *cls, const char *const *cols,
                        size_t n)
{
	view_node *t = view_el(parent, "table", NULL);
	view_node *tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	view_attr(t, "class", cls);
	for (size_t i = 0; i < n; i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	return view_el(t, "tbody", NULL);
}

#define TABLE(parent, v, cols)        table(parent, v, NULL, cols, sizeof(cols) / sizeof((cols)[0]))
#define TABLE_C(parent, v, cols, cls) table(parent, v, cls, cols, sizeof(cols) / sizeof((cols)[0]))

/* After text a vendor wrote: a warning when it holds characters that turn
 * the text around (a file "\u202efdp.exe" shows as "exe.pdf"). The text
 * itself is shown as it is, isolated by the stylesheet (.comment,
 * .filename) so it cannot turn its neighbours. */
static void bidi_note(view_node *parent, const view *v, const char *text)
{
	if (text != NULL && utf8_has_bidi_controls(text))
		view_attr(view_t(parent, "span", v, "asub.bidi"), "class", "bidi");
}

/* A <section> headed by the catalogue's key. */
static view_node *section(view *v, const char *key)
{
	view_node *s = view_el(view_main(v), "section", NULL);
	view_t(s, "h2", v, key);
	return s;
}

static void dl_row(view_node *dl, const view *v, const char *key, const char *value)
{
	view_t(dl, "dt", v, key);
	view_el(dl, "dd", value != NULL && value[0] != '\0' ? value : "-");
}

static void dl_code(view_node *dl, const view *v, const char *key, const char *value)
{
	view_t(dl, "dt", v, key);
	view_el(view_el(dl, "dd", NULL), "code", value != NULL ? value : "-");
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s != NULL ? s : "";
}

/* Days from today to the date that day begins (YYYY-MM-DD…, UTC). */
static long long days_until(const char *day, const char *today)
{
	struct tm a = {0}, b = {0};
	char d[11];
	snprintf(d, sizeof(d), "%.10s", day != NULL ? day : "");
	if (strptime(d, "%Y-%m-%d", &a) == NULL || strptime(today, "%Y-%m-%d", &b) == NULL)
		return 0;
	return (long long)((timegm(&a) - timegm(&b)) / 86400);
}

/* s appended to buf at at, each byte outside [A-Za-z0-9._~-] and keep
 * %XX-encoded; the new end, or len when it does not fit (buf then holds
 * no string). */
static size_t pct_append(char *buf, size_t len, size_t at, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *c = (const unsigned char *)s; *c != '\0' && at < len; c++) {
		if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || strchr("._~-", *c) != NULL ||
		    strchr(keep, *c) != NULL) {
			buf[at++] = (char)*c;
		} else if (at + 3 < len) {
			buf[at++] = '%';
			buf[at++] = hex[*c >> 4];
			buf[at++] = hex[*c & 15];
		} else {
			at = len;
		}
	}
	if (at >= len)
		return len;
	buf[at] = '\0';
	return at;
}

/* The API path of evidence name of submission id, the name's bytes
 * %XX-encoded but for its "/", so that any name the manifest signs reaches
 * the server as that name. 0 when it does not fit. */
static int evidence_href(long long id, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "/api/v1/submissions/%lld/evidence/", id);
	return n > 0 && (size_t)n < len && pct_append(buf, len, (size_t)n, name, "/") < len;
}

static void download(view_node *parent, const char *href, const char *text)
{
	view_attr(view_link(parent, href, text), "download", "");
}

/* ---- GET /admin/organisations ---- */

#define ORGS_PAGE 50

static void search_form(view *v, const char *text)
{
	view_node *f = view_el(view_main(v), "form", NULL), *label, *in;
	view_attr(f, "method", "get");
	view_attr(f, "action", "/admin/organisations");
	view_attr(f, "role", "search");
	view_attr(f, "class", "filters");
	label = view_t(f, "label", v, "orgs.search");
	in = view_el(label, "input", NULL);
	view_attr(in, "type", "search");
	view_attr(in, "name", "q");
	view_attr(in, "value", text != NULL ? text : "");
	view_attr(in, "maxlength", "200");
	view_attr(view_t(f, "button", v, "orgs.search_go"), "type", "submit");
}

/* "?offset=n&q=…" for the pager, the text %XX-encoded ("" when it does
 * not fit: the text is at most 200 characters, the buffer holds it) */
static void page_href(const char *text, long long offset, char *buf, size_t len)
{
	int n = snprintf(buf, len, "/admin/organisations?offset=%lld", offset);
	if (text == NULL || text[0] == '\0' || n <= 0 || (size_t)n + 3 >= len)
		return;
	memcpy(buf + n, "&q=", 4);
	if (pct_append(buf, len, (size_t)n + 3, text, "") >= len)
		buf[0] = '\0';
}

static void orgs_table(view *v, const reg_org *list, size_t n)
{
	static const char *const cols[] = {"org.id", "org.name", "org.role", "orgs.certificates",
	                                   "orgs.created"};
	view_node *tbody = TABLE(view_main(v), v, cols);
	char href[128], buf[32];
	for (size_t i = 0; i < n; i++) {
		view_node *tr = view_el(tbody, "tr", NULL), *th = view_el(tr, "th", NULL);
		view_attr(th, "scope", "row");
		snprintf(href, sizeof(href), "/admin/organisations/%s", list[i].id);
		view_el(view_link(th, href, NULL), "code", list[i].id);
		view_el(tr, "td", list[i].name);
		view_t(tr, "td", v,
		       list[i].role == ROLE_ADMIN ? "org.role_admin" : "org.role_respondent");
		snprintf(buf, sizeof(buf), "%d", list[i].certificates);
		view_el(tr, "td", buf);
		view_el(tr, "td", list[i].created_at);
	}
}

static void pager(view *v, const char *text, long long offset, size_t n, long long total)
{
	i18n_lang lang = view_lang(v);
	view_node *nav = view_el(view_main(v), "nav", NULL), *ul;
	char buf[160], href[2600];
	view_attr(nav, "aria-label", i18n_text(lang, "orgs.pages"));
	if (n > 0) {
		snprintf(buf, sizeof(buf), "%lld–%lld / ", offset + 1, offset + (long long)n);
		view_el(nav, "span", buf);
	}
	i18n_format(lang, "orgs.count", total, buf, sizeof(buf));
	view_el(nav, "span", buf);
	ul = view_el(nav, "ul", NULL);
	view_attr(ul, "class", "pager");
	if (offset > 0) {
		page_href(text, offset > ORGS_PAGE ? offset - ORGS_PAGE : 0, href, sizeof(href));
		view_attr(view_link(view_el(ul, "li", NULL), href, i18n_text(lang, "orgs.prev")),
		          "rel", "prev");
	}
	if (offset + (long long)n < total) {
		page_href(text, offset + (long long)n, href, sizeof(href));
		view_attr(view_link(view_el(ul, "li", NULL), href, i18n_text(lang, "orgs.next")),
		          "rel", "next");
	}
}

void web_admin_orgs(const http_req *req, http_res *res)
{
	static const char *const keys[] = {"q", "offset", "lang"};
	i18n_lang lang = web_lang(req, res);
	const char *text = http_query(req, "q");
	long long offset = http_query_int(req, "offset", 0, 1000000000), total = 0;
	reg_org *list = NULL;
	size_t n = 0;
	char bad[64], detail[200];
	registry_rc rc;
	view *v;

	if (!http_query_only(req, keys, sizeof(keys) / sizeof(keys[0]), bad, sizeof(bad)) ||
	    offset < 0) {
		http_res_fail(res, "query_invalid",
		              "this page takes q (a name or id to search for), offset and lang, "
		              "each once");
		return;
	}
	rc = registry_search(req->db, text, ROLE_NONE, offset, ORGS_PAGE, &list, &n, &total, detail,
	                     sizeof(detail));
	if (rc == REGISTRY_ERR_INVALID) {
		http_res_fail(res, "query_invalid", "%s", detail);
		return;
	}
	if (rc != REGISTRY_OK || (v = web_view(req, lang, "orgs.title")) == NULL) {
		free(list);
		http_res_fail(res, ERR_INTERNAL, "the organisations could not be read");
		return;
	}
	search_form(v, text);
	if (n == 0)
		view_t(view_main(v), "p", v,
		       text != NULL && text[0] ? "orgs.none_found" : "orgs.none");
	else
		orgs_table(v, list, n);
	pager(v, text, offset, n, total);
	free(list);
	web_send(res, 200, v);
}

/* ---- GET /admin/organisations/{id} ---- */

/* One table of the page, made when its first row comes (a section
 * without rows says so in words instead), and how many rows it has. */
typedef struct rows {
	const view *v;
	view_node *section;
	const char *const *cols;
	size_t ncols;
	view_node *tbody;
	int n;
	char today[11];
	long long focus; /* the campaign rows: the one the link came from (?campaign=) */
	view_node *lead; /* where the page says how the organisation stands in it */
	int focus_found;
} rows;

static view_node *row_of(rows *x)
{
	if (x->tbody == NULL)
		x->tbody = table(x->section, x->v, NULL, x->cols, x->ncols);
	x->n++;
	return view_el(x->tbody, "tr", NULL);
}

/* The section headed key, its table's rows to come; empty_key says there
 * are none when none came. */
#define ROWS(v, key, cols)                                                                        \
	{                                                                                         \
		v, section(v, key), cols, sizeof(cols) / sizeof((cols)[0]), NULL, 0, "", 0, NULL, \
		        0                                                                         \
	}

static void rows_end(rows *x, const char *empty_key)
{
	if (x->n == 0)
		view_t(x->section, "p", x->v, empty_key);
}

static int contact_row(void *ctx, const contactdb_row *c)
{
	view_node *tr = row_of(ctx);
	view_attr(view_el(tr, "th", c->name), "scope", "row");
	view_el(view_el(tr, "td", NULL), "code", c->email);
	view_el(tr, "td", c->lang);
	return 0;
}

static int cert_row(const reg_cert_row *c, void *arg)
{
	rows *x = arg;
	i18n_lang lang = view_lang(x->v);
	long long d = days_until(c->not_after, x->today);
	char buf[96];
	view_node *tr = row_of(x), *td;

	view_attr(view_el(tr, "th", c->subject), "scope", "row");
	view_el(tr, "td", c->issuer);
	view_el(view_el(tr, "td", NULL), "code", c->fingerprint);
	td = view_el(tr, "td", NULL);
	view_attr(view_el(td, "time", c->not_after), "datetime", c->not_after);
	view_el(td, "br", NULL);
	if (c->revoked_at != NULL)
		view_attr(view_t(td, "span", x->v, "org.cert_revoked"), "class", "refused");
	else if (d < 0)
		view_attr(view_t(td, "span", x->v, "org.cert_expired"), "class", "overdue");
	else {
		i18n_format(lang, "org.cert_days", d, buf, sizeof(buf));
		view_attr(view_el(td, "span", buf), "class", d <= 30 ? "overdue" : "accepted");
	}
	view_el(tr, "td", c->created_at);
	return 0;
}

/* The campaign the page was opened from: its row marked, and the lead
 * paragraph linking its latest version. */
static void focus_row(rows *x, view_node *tr, const asgdb_view *a)
{
	char href[96], buf[96];
	view_attr(tr, "class", "current");
	view_attr(tr, "aria-current", "true");
	x->focus_found = 1;
	view_el(x->lead, "strong", a->campaign_name);
	view_el(x->lead, "span", ": ");
	if (a->latest_submission > 0) {
		snprintf(href, sizeof(href), "/admin/submissions/%lld", a->latest_submission);
		i18n_format(view_lang(x->v), "org.focus_latest", a->latest_submission, buf,
		            sizeof(buf));
		view_link(x->lead, href, buf);
	} else {
		view_t(x->lead, "span", x->v, "latest.none");
	}
}

static int campaign_row(void *ctx, const asgdb_view *a)
{
	rows *x = ctx;
	char href[96], buf[200], key[64];
	view_node *tr = row_of(x), *th, *td;

	th = view_el(tr, "th", NULL);
	view_attr(th, "scope", "row");
	snprintf(href, sizeof(href), "/admin/campaigns/%lld", a->campaign_id);
	view_link(th, href, a->campaign_name);
	if (a->campaign_id == x->focus)
		focus_row(x, tr, a);
	snprintf(buf, sizeof(buf), "%s@%s%s%s%s", a->questionnaire, a->version,
	         a->variant[0] ? " (" : "", a->variant, a->variant[0] ? ")" : "");
	view_el(tr, "td", buf);
	view_attr(view_el(view_el(tr, "td", NULL), "time", a->due), "datetime", a->due);
	td = view_el(tr, "td", NULL);
	snprintf(key, sizeof(key), "status.%s", a->status);
	view_attr(view_t(td, "span", x->v, key), "class", a->status);
	if (a->refusal_code != NULL) {
		view_node *p = view_t(td, "p", x->v, "org.last_refusal");
		view_el(p, "span", " ");
		view_el(p, "code", a->refusal_code);
		view_el(p, "span", a->refusal_at != NULL ? " " : NULL);
		view_el(p, "span", a->refusal_at);
	}
	td = view_el(tr, "td", NULL);
	if (a->latest_submission > 0) {
		snprintf(href, sizeof(href), "/admin/submissions/%lld", a->latest_submission);
		i18n_format(view_lang(x->v), "latest.version", a->latest_submission, buf,
		            sizeof(buf));
		view_link(td, href, buf);
	} else {
		view_t(td, "span", x->v, "latest.none");
	}
	return 0;
}

static int submission_row(const sub_brief *b, void *arg)
{
	rows *x = arg;
	i18n_lang lang = view_lang(x->v);
	char href[96], buf[160];
	view_node *tr = row_of(x), *th, *td;

	th = view_el(tr, "th", NULL);
	view_attr(th, "scope", "row");
	snprintf(href, sizeof(href), "/admin/submissions/%lld", b->id);
	i18n_format(lang, "latest.version", b->id, buf, sizeof(buf));
	view_link(th, href, buf);
	view_el(tr, "td", b->received_at);
	view_el(tr, "td", b->campaign_name[0] ? b->campaign_name : "-");
	snprintf(buf, sizeof(buf), "%s@%s", b->questionnaire, b->questionnaire_version);
	view_el(tr, "td", buf);
	snprintf(buf, sizeof(buf), "%d", b->version);
	view_el(tr, "td", buf);
	view_el(view_el(tr, "td", NULL), "code", b->sha256);
	td = view_el(tr, "td", NULL);
	snprintf(href, sizeof(href), "/api/v1/submissions/%lld/package", b->id);
	download(view_el(td, "p", NULL), href, i18n_text(lang, "asub.package"));
	if (b->has_receipt) {
		snprintf(href, sizeof(href), "/api/v1/submissions/%lld/receipt", b->id);
		download(view_el(td, "p", NULL), href, i18n_text(lang, "action.receipt"));
	}
	return 0;
}

static int org_sections(const http_req *req, view *v, const char *org, long long focus,
                        view_node *lead)
{
	static const char *const contact_cols[] = {"org.contact_name", "org.contact_email",
	                                           "org.contact_lang"};
	static const char *const cert_cols[] = {"org.cert_subject", "org.cert_issuer",
	                                        "org.cert_fingerprint", "org.cert_not_after",
	                                        "org.cert_registered"};
	static const char *const camp_cols[] = {"col.campaign", "col.questionnaire", "col.due",
	                                        "col.status", "col.latest"};
	static const char *const sub_cols[] = {"col.submission",    "col.received", "col.campaign",
	                                       "col.questionnaire", "col.version",  "col.sha256",
	                                       "col.actions"};
	rows cr = ROWS(v, "org.contacts", contact_cols);
	rows cc = ROWS(v, "org.certificates", cert_cols);
	rows ac = ROWS(v, "org.campaigns", camp_cols);
	rows sc = ROWS(v, "org.submissions", sub_cols);

	clock_today(NULL, cc.today);
	ac.focus = focus;
	ac.lead = lead;
	if (contact_list(req->db, org, contact_row, &cr) != CONTACT_OK ||
	    reg_certs_of_org(req->db, org, cert_row, &cc) != DB_OK ||
	    camp_assignments_walk(req->db, org, campaign_row, &ac) != CAMP_OK ||
	    subs_of_org_each(req->db, org, submission_row, &sc) != DB_OK)
		return -1;
	rows_end(&cr, "org.no_contacts");
	rows_end(&cc, "org.no_certificates");
	rows_end(&ac, "org.no_campaigns");
	if (focus != 0 && !ac.focus_found)
		view_t(lead, "span", v, "org.focus_none");
	rows_end(&sc, "history.none");
	return 0;
}

void web_admin_org(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	static const char *const keys[] = {"campaign", "lang"};
	const char *org = req->params->v[0], *camp = http_query(req, "campaign");
	long long focus = camp != NULL ? http_id_parse(camp) : 0;
	char name[REG_NAME_SIZE], bad[64];
	view_node *lead = NULL;
	reg_role role = ROLE_NONE;
	view_node *dl;
	db_rc rc = orgid_check(org) == ORGID_OK
	                   ? reg_org_get(req->db, org, &role, name, sizeof(name))
	                   : DB_ERR_NOTFOUND;
	view *v;

	if (rc == DB_ERR_NOTFOUND) {
		http_res_fail(res, "not_found", "no such organisation");
		return;
	}
	if (!http_query_only(req, keys, sizeof(keys) / sizeof(keys[0]), bad, sizeof(bad)) ||
	    (camp != NULL && focus == 0)) {
		http_res_fail(res, "query_invalid",
		              "this page takes campaign (a campaign id) and lang, each once");
		return;
	}
	if (rc != DB_OK || (v = web_view(req, lang, "org.title")) == NULL) {
		http_res_fail(res, ERR_INTERNAL, "the organisation could not be read");
		return;
	}
	if (focus != 0) {
		lead = view_el(view_main(v), "p", NULL);
		view_attr(lead, "class", "lead");
	}
	dl = view_el(section(v, "org.profile"), "dl", NULL);
	dl_row(dl, v, "org.name", name);
	dl_code(dl, v, "org.id", org);
	dl_row(dl, v, "org.role",
	       i18n_text(lang, role == ROLE_ADMIN ? "org.role_admin" : "org.role_respondent"));
	if (org_sections(req, v, org, focus, lead) != 0) {
		view_free(v);
		http_res_fail(res, ERR_INTERNAL, "the organisation could not be read");
		return;
	}
	view_link(view_el(view_main(v), "p", NULL), "/admin/organisations",
	          i18n_text(lang, "org.back"));
	web_send(res, 200, v);
}

/* ---- GET /admin/submissions/{id} ---- */

/* What the submission page shows, read before a line of it is built. */
typedef struct sub_page {
	sub_row row;
	answers *a;       /* as signed */
	questionnaire *q; /* its definition: texts, desirable levels */
	json_t *details;  /* the verification details recorded on acceptance */
	json_t *score;    /* NULL: none (a free submission from before schema 6) */
	char org_name[REG_NAME_SIZE];
	char receipt_at[32]; /* "": no receipt */
	long long prev_id;   /* 0: the first version */
	sub_row prev;
	answers *prev_a;
	json_t *prev_details;
	long long campaign; /* 0: bound to none */
	json_t *agg;        /* the campaign's aggregate (population, sections) */
	json_t *standing;   /* the organisation's page of agg_orgs(): its latest numbers */
} sub_page;

static void sub_page_free(sub_page *p)
{
	subs_row_free(&p->row);
	subs_row_free(&p->prev);
	answers_free(p->a);
	answers_free(p->prev_a);
	qn_free(p->q);
	json_decref(p->details);
	json_decref(p->prev_details);
	json_decref(p->score);
	json_decref(p->agg);
	json_decref(p->standing);
}

/* The campaign's aggregate and the organisation's standing in it: the
 * numbers the overview shows, from the same computation. */
static rb_rc campaign_read(const http_req *req, sub_page *p)
{
	agg_opts o;
	agg_org_query q;
	char detail[160];

	if (p->a->campaign == NULL || num_parse(p->a->campaign, 1, LLONG_MAX, &p->campaign) != 0) {
		p->campaign = 0;
		return RB_OK;
	}
	agg_opts_default(&o);
	o.org_limit = 0;
	o.below_limit = 0;
	agg_org_query_default(&q);
	q.org = p->row.org_id;
	q.limit = 1;
	if (agg_campaign(req->db, p->campaign, &o, &p->agg) != AGG_OK ||
	    agg_orgs(req->db, p->campaign, &q, &p->standing, detail, sizeof(detail)) != AGG_OK)
		return RB_ERR_DB;
	return RB_OK;
}

/* rb_rc of everything the page reads; RB_ERR_NOT_FOUND only for the
 * submission itself */
static rb_rc sub_page_read(const http_req *req, long long id, sub_page *p)
{
	rb_ctx c = rb_of(req);
	rb_viewer w = viewer_of(req);
	reg_role role;
	rb_rc rc;
	db_rc drc;

	if ((rc = rb_submission(&c, &w, id, &p->row)) != RB_OK)
		return rc;
	if ((rc = rb_answers(&c, &w, id, &p->a)) != RB_OK)
		return rc == RB_ERR_NOT_FOUND ? RB_ERR_DB : rc;
	if (qstore_get(req->db, p->row.questionnaire, p->row.questionnaire_version, &p->q) !=
	            QSTORE_OK ||
	    (p->details = json_loads(p->row.details, 0, NULL)) == NULL ||
	    reg_org_get(req->db, p->row.org_id, &role, p->org_name, sizeof(p->org_name)) != DB_OK)
		return RB_ERR_DB;
	drc = scores_get(req->db, id, &p->score);
	if (drc != DB_OK && drc != DB_ERR_NOTFOUND)
		return RB_ERR_DB;
	drc = subs_receipt_time(req->db, id, p->receipt_at);
	if (drc != DB_OK && drc != DB_ERR_NOTFOUND)
		return RB_ERR_DB;
	if (subs_previous(req->db, id, &p->prev_id) != DB_OK || campaign_read(req, p) != RB_OK)
		return RB_ERR_DB;
	if (p->prev_id == 0)
		return RB_OK;
	if ((rc = rb_submission(&c, &w, p->prev_id, &p->prev)) != RB_OK ||
	    (rc = rb_answers(&c, &w, p->prev_id, &p->prev_a)) != RB_OK)
		return rc == RB_ERR_NOT_FOUND ? RB_ERR_DB : rc;
	return (p->prev_details = json_loads(p->prev.details, 0, NULL)) != NULL ? RB_OK : RB_ERR_DB;
}

static const qn_item *qn_item_of(const questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->nitems; i++)
		if (strcmp(q->items[i].id, id) == 0)
			return &q->items[i];
	return NULL;
}

static const char *qn_text_of(const qn_text *t, i18n_lang lang)
{
	return lang == LANG_EN ? t->en : t->ja;
}

static const answers_item *answer_of(const answers *a, const char *id)
{
	for (size_t i = 0; a != NULL && i < a->nitems; i++)
		if (strcmp(a->items[i].id, id) == 0)
			return &a->items[i];
	return NULL;
}

/* A level as people read it: "3 — label", or "not applicable". */
static void level_text(const sub_page *p, const view *v, int level, char *buf, size_t len)
{
	if (level == ANSWERS_NA)
		snprintf(buf, len, "%s", i18n_text(view_lang(v), "answer.na"));
	else if (level >= 1 && level <= 5)
		snprintf(buf, len, "%d — %s", level,
		         qn_text_of(&p->q->scale[level - 1], view_lang(v)));
	else
		snprintf(buf, len, "%d", level);
}

static void summary(view *v, const sub_page *p)
{
	i18n_lang lang = view_lang(v);
	view_node *s = section(v, "asub.summary"), *dl = view_el(s, "dl", NULL), *dd;
	char buf[REG_NAME_SIZE + 80], href[128];
	view_t(dl, "dt", v, "asub.organisation");
	dd = view_el(dl, "dd", NULL);
	snprintf(href, sizeof(href), "/admin/organisations/%s", p->row.org_id);
	snprintf(buf, sizeof(buf), "%s (%s)", p->org_name, p->row.org_id);
	view_link(dd, href, buf);
	view_t(dl, "dt", v, "col.campaign");
	dd = view_el(dl, "dd", p->campaign == 0 ? "-" : NULL);
	if (p->campaign != 0) {
		const char *cname = jstr(json_object_get(p->agg, "campaign"), "name");
		snprintf(href, sizeof(href), "/admin/campaigns/%lld", p->campaign);
		view_link(dd, href, cname[0] ? cname : p->a->campaign);
	}
	snprintf(buf, sizeof(buf), "%s@%s%s%s%s", p->row.questionnaire,
	         p->row.questionnaire_version, p->a->variant ? " (" : "",
	         p->a->variant ? p->a->variant : "", p->a->variant ? ")" : "");
	dl_row(dl, v, "col.questionnaire", buf);
	snprintf(buf, sizeof(buf), "%d", p->row.version);
	dl_row(dl, v, "col.version", buf);
	dl_row(dl, v, "col.received", p->row.received_at);
	dl_row(dl, v, "col.status",
	       strcmp(p->row.status, "accepted") == 0 ? i18n_text(lang, "status.accepted")
	                                              : p->row.status);
	dl_code(dl, v, "col.sha256", p->row.sha256);
	snprintf(buf, sizeof(buf), "%lld", p->row.size);
	dl_row(dl, v, "asub.size", buf);
	snprintf(buf, sizeof(buf), "%zu", p->a->nitems);
	dl_row(dl, v, "asub.items", buf);
	view_node *actions = view_el(s, "p", NULL);
	snprintf(href, sizeof(href), "/api/v1/submissions/%lld/package", p->row.id);
	download(actions, href, i18n_text(lang, "asub.package"));
	if (p->receipt_at[0] != '\0') {
		view_el(actions, "span", " · ");
		snprintf(href, sizeof(href), "/api/v1/submissions/%lld/receipt", p->row.id);
		download(actions, href, i18n_text(lang, "action.receipt"));
	}
	if (p->prev_id > 0) {
		view_el(actions, "span", " · ");
		snprintf(href, sizeof(href), "/admin/submissions/%lld", p->prev_id);
		view_link(actions, href, i18n_text(lang, "asub.previous"));
	}
}

static void verification(view *v, const sub_page *p)
{
	static const char *const cols[] = {"asub.file", "asub.size", "col.sha256", "col.actions"};
	view_node *s = section(v, "asub.verification"), *dl = view_el(s, "dl", NULL), *tbody;
	json_t *signer = json_object_get(p->details, "signer");
	json_t *files = json_object_get(p->details, "files"), *f;
	size_t i;
	char buf[64], href[1024];

	dl_row(dl, v, "asub.signer", jstr(signer, "subject"));
	dl_row(dl, v, "asub.issuer", jstr(signer, "issuer"));
	dl_code(dl, v, "asub.fingerprint", jstr(signer, "fingerprint"));
	dl_row(dl, v, "asub.signer_until", jstr(signer, "not_after"));
	dl_row(dl, v, "asub.signature", jstr(json_object_get(p->details, "signature"), "format"));
	dl_row(dl, v, "asub.receipt_at",
	       p->receipt_at[0] ? p->receipt_at : i18n_text(view_lang(v), "asub.no_receipt"));
	view_t(s, "h3", v, "asub.files");
	tbody = TABLE(s, v, cols);
	json_array_foreach(files, i, f)
	{
		const char *name = jstr(f, "name");
		view_node *tr = view_el(tbody, "tr", NULL), *th = view_el(tr, "th", NULL), *td;
		view_attr(th, "scope", "row");
		view_attr(view_el(th, "code", name), "class", "filename");
		bidi_note(th, v, name);
		snprintf(buf, sizeof(buf), "%lld",
		         (long long)json_integer_value(json_object_get(f, "size")));
		view_el(tr, "td", buf);
		view_el(view_el(tr, "td", NULL), "code", jstr(f, "sha256"));
		td = view_el(tr, "td", NULL);
		if (strncmp(name, "evidence/", 9) == 0 &&
		    evidence_href(p->row.id, name, href, sizeof(href)))
			download(td, href, i18n_text(view_lang(v), "asub.download"));
	}
}

static double num_or_nan(json_t *j)
{
	return json_is_number(j) ? json_number_value(j) : NAN;
}

static void mean_text(double m, char *buf, size_t len)
{
	if (isfinite(m))
		snprintf(buf, len, "%.2f", m);
	else
		snprintf(buf, len, "-");
}

/* This version's mean of section id, NaN when it has none. */
static double own_section_mean(const sub_page *p, const char *id)
{
	json_t *sec;
	size_t i;
	json_array_foreach(json_object_get(p->score, "sections"), i, sec)
	{
		if (strcmp(jstr(sec, "id"), id) == 0)
			return num_or_nan(json_object_get(sec, "mean"));
	}
	return NAN;
}

/* The mean desirable level of the items of section id this version
 * answered, as its score has them (the levels in force for its campaign
 * and group; the definition's for a submission bound to no campaign). */
static double own_section_desirable(const sub_page *p, const char *id)
{
	json_t *it;
	size_t i;
	double sum = 0;
	int n = 0;
	json_array_foreach(json_object_get(p->score, "items"), i, it)
	{
		if (strcmp(jstr(it, "section"), id) == 0) {
			sum += num_or_nan(json_object_get(it, "desirable"));
			n++;
		}
	}
	return n ? sum / n : NAN;
}

/* A figure of a <dl class="figures">: its term and value grouped. */
static void figure(view_node *dl, const view *v, const char *key, const char *value)
{
	view_node *d = view_el(dl, "div", NULL);
	view_t(d, "dt", v, key);
	view_el(d, "dd", value);
}

/* 偏差値 of this version: the aggregate's own number when it is the
 * organisation's latest (what the overview shows), else the same T-score
 * of its mean against the campaign's population as it is today. */
static void deviation(view *v, view_node *dl, const sub_page *p)
{
	json_t *org = json_array_get(json_object_get(p->standing, "organisations"), 0);
	json_t *pop = json_object_get(p->agg, "population");
	double mean = num_or_nan(json_object_get(p->score, "mean")), t = NAN;
	char buf[64];

	if (p->campaign == 0)
		return;
	if (json_integer_value(json_object_get(json_object_get(org, "submission"), "id")) ==
	    p->row.id) {
		t = num_or_nan(json_object_get(json_object_get(org, "score"), "deviation"));
		snprintf(buf, sizeof(buf), "%.1f", t);
		figure(dl, v, "asub.deviation", isfinite(t) ? buf : "-");
		return;
	}
	if (isfinite(mean) && json_integer_value(json_object_get(pop, "organisations")) > 0)
		t = agg_tscore(mean, num_or_nan(json_object_get(pop, "mean_level")),
		               num_or_nan(json_object_get(pop, "sd_level")));
	if (isfinite(t))
		snprintf(buf, sizeof(buf), "%.1f (%s)", t,
		         i18n_text(view_lang(v), "asub.deviation_now"));
	figure(dl, v, "asub.deviation", isfinite(t) ? buf : "-");
}

/* Axes, this version's means, the desirable levels and the campaign's
 * means per section: the campaign's sections when bound to one, else the
 * questionnaire's as this version's score has them. At most 32. */
#define RADAR_MAX 32
typedef struct radar_data {
	const char *axis[RADAR_MAX];
	double own[RADAR_MAX], want[RADAR_MAX], camp[RADAR_MAX];
	int answered[RADAR_MAX];
	size_t n;
} radar_data;

static void radar_collect(const view *v, const sub_page *p, radar_data *r)
{
	json_t *sec;
	size_t i;
	i18n_lang lang = view_lang(v);
	int bound = p->campaign != 0 && json_is_array(json_object_get(p->agg, "sections"));
	json_t *list =
	        bound ? json_object_get(p->agg, "sections") : json_object_get(p->score, "sections");

	r->n = 0;
	json_array_foreach(list, i, sec)
	{
		const char *id = jstr(sec, "id");
		json_t *mine = NULL, *x;
		size_t k;
		if (r->n == RADAR_MAX)
			break;
		r->axis[r->n] = id;
		for (size_t q = 0; q < p->q->nsections; q++)
			if (strcmp(p->q->sections[q].id, id) == 0)
				r->axis[r->n] = qn_text_of(&p->q->sections[q].title, lang);
		r->own[r->n] = own_section_mean(p, id);
		/* the levels this submission was scored against: its campaign's
		 * and its group's */
		r->want[r->n] = own_section_desirable(p, id);
		r->camp[r->n] = bound ? num_or_nan(json_object_get(sec, "mean")) : NAN;
		json_array_foreach(json_object_get(p->score, "sections"), k, x)
		{
			if (strcmp(jstr(x, "id"), id) == 0)
				mine = x;
		}
		r->answered[r->n] = (int)json_integer_value(json_object_get(mine, "answered"));
		r->n++;
	}
}

static void scores(view *v, const sub_page *p)
{
	static const char *const cols[] = {"asub.section", "asub.answered", "asub.mean",
	                                   "asub.campaign_mean", "asub.desirable"};
	i18n_lang lang = view_lang(v);
	view_node *s = section(v, "asub.scores"), *dl, *tbody;
	radar_data r;
	char buf[64];

	if (p->score == NULL) {
		view_t(s, "p", v, "asub.no_score");
		return;
	}
	dl = view_el(s, "dl", NULL);
	view_attr(dl, "class", "figures");
	snprintf(buf, sizeof(buf), "%lld",
	         (long long)json_integer_value(json_object_get(p->score, "total")));
	figure(dl, v, "asub.total", buf);
	mean_text(num_or_nan(json_object_get(p->score, "mean")), buf, sizeof(buf));
	figure(dl, v, "asub.mean", buf);
	deviation(v, dl, p);
	snprintf(buf, sizeof(buf), "%lld",
	         (long long)json_integer_value(json_object_get(p->score, "below_desirable")));
	figure(dl, v, "asub.below", buf);
	radar_collect(v, p, &r);
	{
		chart_series series[3] = {
		        {i18n_text(lang, "asub.series_own"), r.own, CHART_BLUE},
		        {i18n_text(lang, "asub.series_desirable"), r.want, CHART_GREEN},
		        {i18n_text(lang, "asub.series_campaign"), r.camp, CHART_ORANGE},
		};
		chart_radar(s, "radar-sections", i18n_text(lang, "asub.radar"), r.axis, r.n, series,
		            p->campaign != 0 ? 3 : 2, 0, 5);
	}
	tbody = TABLE(s, v, cols);
	for (size_t i = 0; i < r.n; i++) {
		view_node *tr = view_el(tbody, "tr", NULL);
		view_attr(view_el(tr, "th", r.axis[i]), "scope", "row");
		snprintf(buf, sizeof(buf), "%d", r.answered[i]);
		view_el(tr, "td", buf);
		mean_text(r.own[i], buf, sizeof(buf));
		view_el(tr, "td", buf);
		mean_text(r.camp[i], buf, sizeof(buf));
		view_el(tr, "td", buf);
		mean_text(r.want[i], buf, sizeof(buf));
		view_el(tr, "td", buf);
	}
}

/* Items below their desirable level, as the score computed them (gap =
 * level − desirable), the largest shortfall first, then in questionnaire
 * order. */
typedef struct gap_row {
	json_t *item;
	long long gap;
	size_t at;
} gap_row;

static int by_gap(const void *a, const void *b)
{
	const gap_row *x = a, *y = b;
	if (x->gap != y->gap)
		return x->gap < y->gap ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static void gaps(view *v, const sub_page *p)
{
	static const char *const cols[] = {"col.item", "asub.text", "col.level", "asub.desirable",
	                                   "asub.gap"};
	view_node *s = section(v, "asub.gaps"), *tbody = NULL;
	json_t *items = p->score != NULL ? json_object_get(p->score, "items") : NULL, *it;
	gap_row *g;
	size_t i, n = 0;
	char buf[160];

	if (p->score == NULL) {
		view_t(s, "p", v, "asub.no_score");
		return;
	}
	if ((g = calloc(json_array_size(items) + 1, sizeof(*g))) == NULL)
		return;
	json_array_foreach(items, i, it)
	{
		json_t *gap = json_object_get(it, "gap");
		if (json_is_integer(gap) && json_integer_value(gap) < 0)
			g[n++] = (gap_row){it, (long long)json_integer_value(gap), i};
	}
	qsort(g, n, sizeof(*g), by_gap);
	if (n == 0)
		view_t(s, "p", v, "asub.no_gaps");
	else
		tbody = TABLE(s, v, cols);
	for (i = 0; i < n; i++) {
		const qn_item *qi = qn_item_of(p->q, jstr(g[i].item, "id"));
		view_node *tr = view_el(tbody, "tr", NULL);
		view_attr(view_el(tr, "th", jstr(g[i].item, "id")), "scope", "row");
		view_el(tr, "td", qi != NULL ? qn_text_of(&qi->text, view_lang(v)) : "");
		level_text(p, v, (int)json_integer_value(json_object_get(g[i].item, "level")), buf,
		           sizeof(buf));
		view_el(tr, "td", buf);
		snprintf(buf, sizeof(buf), "%lld",
		         (long long)json_integer_value(json_object_get(g[i].item, "desirable")));
		view_el(tr, "td", buf);
		snprintf(buf, sizeof(buf), "%lld", -g[i].gap);
		view_el(tr, "td", buf);
	}
	free(g);
}

/* The desirable level of item id as the score has it (in force for the
 * submission's campaign and group); the definition's without a score. */
static long long score_desirable(const sub_page *p, const char *id, const qn_item *qi)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(p->score, "items"), i, it)
	{
		if (strcmp(jstr(it, "id"), id) == 0)
			return (long long)json_integer_value(json_object_get(it, "desirable"));
	}
	return qi != NULL ? qi->desirable : 0;
}

static void answers_section(view *v, const sub_page *p)
{
	static const char *const cols[] = {"col.item",       "asub.text",    "col.level",
	                                   "asub.desirable", "asub.comment", "asub.evidence"};
	view_node *s = section(v, "asub.answers"), *tbody = TABLE(s, v, cols);
	char buf[160], href[1024];

	for (size_t i = 0; i < p->a->nitems; i++) {
		const answers_item *it = &p->a->items[i];
		const qn_item *qi = qn_item_of(p->q, it->id);
		view_node *tr = view_el(tbody, "tr", NULL), *ul, *td;
		view_attr(view_el(tr, "th", it->id), "scope", "row");
		view_el(tr, "td", qi != NULL ? qn_text_of(&qi->text, view_lang(v)) : "");
		level_text(p, v, it->level, buf, sizeof(buf));
		view_el(tr, "td", buf);
		/* the level in force for the campaign and group, as scored */
		snprintf(buf, sizeof(buf), "%lld", score_desirable(p, it->id, qi));
		view_el(tr, "td", qi != NULL ? buf : "-");
		td = view_el(tr, "td", NULL);
		view_attr(view_el(td, "span", it->comment != NULL ? it->comment : ""), "class",
		          "comment");
		bidi_note(td, v, it->comment);
		ul = it->nevidence > 0 ? view_el(view_el(tr, "td", NULL), "ul", NULL)
		                       : view_el(tr, "td", NULL);
		for (size_t k = 0; k < it->nevidence; k++) {
			view_node *li = view_el(ul, "li", NULL);
			const char *base = strrchr(it->evidence[k], '/');
			view_node *a =
			        evidence_href(p->row.id, it->evidence[k], href, sizeof(href))
			                ? view_link(li, href,
			                            base != NULL ? base + 1 : it->evidence[k])
			                : NULL;
			view_attr(a, "download", "");
			view_attr(a, "class", "filename");
			bidi_note(li, v, it->evidence[k]);
		}
	}
}

static void subs_section(view *v, const sub_page *p)
{
	static const char *const cols[] = {"subs.id", "subs.name", "subs.scope", "subs.personal",
	                                   "subs.confidential"};
	view_node *s = section(v, "asub.subcontractors"), *tbody;

	if (p->a->nsubs == 0) {
		view_t(s, "p", v, "asub.no_subs");
		return;
	}
	tbody = TABLE(s, v, cols);
	for (size_t i = 0; i < p->a->nsubs; i++) {
		const answers_sub *sub = &p->a->subs[i];
		view_node *tr = view_el(tbody, "tr", NULL), *th = view_el(tr, "th", NULL);
		view_attr(th, "scope", "row");
		view_el(th, "code", sub->id);
		view_el(tr, "td", sub->name);
		view_el(tr, "td", sub->scope);
		view_t(tr, "td", v, sub->personal ? "subs.yes" : "subs.no");
		view_t(tr, "td", v, sub->confidential ? "subs.yes" : "subs.no");
	}
}

/* ---- what changed since the version before ---- */

typedef struct changes {
	view *v;
	view_node *tbody;
	int n;
} changes;

static void change(changes *c, const char *kind, const char *what, const char *before,
                   const char *after)
{
	view_node *tr = view_el(c->tbody, "tr", NULL), *th, *td;
	view_t(tr, "td", c->v, kind);
	th = view_el(tr, "th", NULL);
	view_attr(th, "scope", "row");
	view_attr(view_el(th, "span", what), "class", "filename");
	bidi_note(th, c->v, what);
	td = view_el(tr, "td", NULL);
	view_attr(view_el(td, "span", before != NULL ? before : "-"), "class", "comment");
	bidi_note(td, c->v, before);
	td = view_el(tr, "td", NULL);
	view_attr(view_el(td, "span", after != NULL ? after : "-"), "class", "comment");
	bidi_note(td, c->v, after);
	c->n++;
}

static void level_changes(changes *c, const sub_page *p)
{
	char before[160], after[160];
	for (size_t i = 0; i < p->a->nitems; i++) {
		const answers_item *now = &p->a->items[i];
		const answers_item *was = answer_of(p->prev_a, now->id);
		level_text(p, c->v, now->level, after, sizeof(after));
		if (was == NULL) {
			change(c, "diff.level", now->id, NULL, after);
			continue;
		}
		if (was->level != now->level) {
			level_text(p, c->v, was->level, before, sizeof(before));
			change(c, "diff.level", now->id, before, after);
		}
		if (strcmp(was->comment ? was->comment : "", now->comment ? now->comment : "") != 0)
			change(c, "diff.comment", now->id, was->comment, now->comment);
	}
	for (size_t i = 0; i < p->prev_a->nitems; i++)
		if (answer_of(p->a, p->prev_a->items[i].id) == NULL) {
			level_text(p, c->v, p->prev_a->items[i].level, before, sizeof(before));
			change(c, "diff.level", p->prev_a->items[i].id, before, NULL);
		}
}

/* the signed digest of evidence file name in details, NULL: not there */
static const char *evidence_sha(json_t *details, const char *name)
{
	json_t *f;
	size_t i;
	json_array_foreach(json_object_get(details, "files"), i, f)
	{
		if (strcmp(jstr(f, "name"), name) == 0)
			return jstr(f, "sha256");
	}
	return NULL;
}

static void evidence_changes(changes *c, const sub_page *p)
{
	json_t *f;
	size_t i;
	json_array_foreach(json_object_get(p->details, "files"), i, f)
	{
		const char *name = jstr(f, "name"), *was;
		if (strncmp(name, "evidence/", 9) != 0)
			continue;
		was = evidence_sha(p->prev_details, name);
		if (was == NULL)
			change(c, "diff.evidence_added", name, NULL, jstr(f, "sha256"));
		else if (strcmp(was, jstr(f, "sha256")) != 0)
			change(c, "diff.evidence_changed", name, was, jstr(f, "sha256"));
	}
	json_array_foreach(json_object_get(p->prev_details, "files"), i, f)
	{
		const char *name = jstr(f, "name");
		if (strncmp(name, "evidence/", 9) == 0 && evidence_sha(p->details, name) == NULL)
			change(c, "diff.evidence_removed", name, jstr(f, "sha256"), NULL);
	}
}

static const answers_sub *sub_of(const answers *a, const char *id)
{
	for (size_t i = 0; i < a->nsubs; i++)
		if (strcmp(a->subs[i].id, id) == 0)
			return &a->subs[i];
	return NULL;
}

/* "name — scope (personal data, confidential data)" */
static void sub_text(const view *v, const answers_sub *s, char *buf, size_t len)
{
	i18n_lang lang = view_lang(v);
	snprintf(buf, len, "%s — %s (%s: %s, %s: %s)", s->name, s->scope,
	         i18n_text(lang, "subs.personal"),
	         i18n_text(lang, s->personal ? "subs.yes" : "subs.no"),
	         i18n_text(lang, "subs.confidential"),
	         i18n_text(lang, s->confidential ? "subs.yes" : "subs.no"));
}

static void sub_changes(changes *c, const sub_page *p)
{
	char before[1200], after[1200];
	for (size_t i = 0; i < p->a->nsubs; i++) {
		const answers_sub *now = &p->a->subs[i], *was = sub_of(p->prev_a, now->id);
		sub_text(c->v, now, after, sizeof(after));
		if (was == NULL) {
			change(c, "diff.sub_added", now->id, NULL, after);
			continue;
		}
		sub_text(c->v, was, before, sizeof(before));
		if (strcmp(before, after) != 0)
			change(c, "diff.sub_changed", now->id, before, after);
	}
	for (size_t i = 0; i < p->prev_a->nsubs; i++)
		if (sub_of(p->a, p->prev_a->subs[i].id) == NULL) {
			sub_text(c->v, &p->prev_a->subs[i], before, sizeof(before));
			change(c, "diff.sub_removed", p->prev_a->subs[i].id, before, NULL);
		}
}

static void changes_section(view *v, const sub_page *p)
{
	static const char *const cols[] = {"diff.kind", "diff.what", "diff.before", "diff.after"};
	view_node *s = section(v, "diff.title");
	char buf[160];
	changes c = {v, NULL, 0};

	if (p->prev_id == 0) {
		view_t(s, "p", v, "diff.first");
		return;
	}
	i18n_format(view_lang(v), "diff.against", p->prev.version, buf, sizeof(buf));
	view_el(s, "p", buf);
	c.tbody = TABLE_C(s, v, cols, "changes");
	level_changes(&c, p);
	evidence_changes(&c, p);
	sub_changes(&c, p);
	if (c.n == 0)
		view_t(s, "p", v, "diff.none");
}

void web_admin_submission(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	sub_page p;
	rb_rc rc;
	view *v;

	memset(&p, 0, sizeof(p));
	rc = sub_page_read(req, http_path_id(req), &p);
	if (rc == RB_ERR_NOT_FOUND) {
		http_res_fail(res, "not_found", "no such submission");
		goto out;
	}
	if (rc == RB_ERR_STORE) {
		http_res_fail(res, rb_rc_code(rc),
		              "the stored package is missing or does not match its SHA-256");
		goto out;
	}
	if (rc != RB_OK || (v = web_view(req, lang, "asub.title")) == NULL) {
		http_res_fail(res, ERR_INTERNAL, "the submission could not be read");
		goto out;
	}
	summary(v, &p);
	scores(v, &p);
	gaps(v, &p);
	answers_section(v, &p);
	subs_section(v, &p);
	changes_section(v, &p);
	verification(v, &p);
	web_send(res, 200, v);
out:
	sub_page_free(&p);
}
