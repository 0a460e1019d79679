/* web_admin_audit.c — the record of what happened, for the entrusting
 * company: GET /admin/audit searches the audit log (actor, action, object
 * and what is under it, a range of days; newest first, a page at a time
 * by entry number), GET /admin/audit/verify checks the hash chain with
 * audit_verify() — what `itaku audit verify` runs — and GET
 * /admin/assignments/{id}/reminders shows an assignment's reminders
 * (remind_history(), as GET /api/v1/assignments/{id}/reminders). The query
 * is read strictly (an unknown, repeated or malformed parameter is 400
 * query_invalid); what a filter matches and what makes the chain intact
 * are core/audit.c's. */
#include "core/audit.h"
#include "core/campaigns.h"
#include "core/errors.h"
#include "core/remind.h"
#include "core/web/web.h"
#include "forms/number.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#define AUDIT_PAGE 50

static const char *text(const view *v, const char *key)
{
	return i18n_text(view_lang(v), key);
}

/* The query, strictly: only keys, each once. */
static int query_only(const http_req *req, http_res *res, const char *const *keys, size_t n)
{
	char bad[64];
	if (http_query_only(req, keys, n, bad, sizeof(bad)))
		return 1;
	http_res_fail(res, "query_invalid", "unknown or repeated query parameter \"%s\"", bad);
	return 0;
}

/* ---- GET /admin/audit ---- */

/* A filter value of the query: an empty field of the search form is no
 * filter. */
static const char *filter_value(const http_req *req, const char *key)
{
	const char *s = http_query(req, key);
	return s != NULL && s[0] != '\0' ? s : NULL;
}

static int audit_query(const http_req *req, http_res *res, audit_filter *f)
{
	static const char *const keys[] = {"lang", "actor", "action", "object",
	                                   "from", "to",    "before", "limit"};
	const char *before = filter_value(req, "before"), *limit = filter_value(req, "limit");
	char detail[160];
	long long n;

	if (!query_only(req, res, keys, sizeof(keys) / sizeof(keys[0])))
		return 0;
	*f = (audit_filter){filter_value(req, "actor"),
	                    filter_value(req, "action"),
	                    filter_value(req, "object"),
	                    filter_value(req, "from"),
	                    filter_value(req, "to"),
	                    0,
	                    AUDIT_PAGE};
	if (before != NULL) {
		if (num_parse(before, 1, 999999999999999999LL, &n) != 0) {
			http_res_fail(res, "query_invalid", "before is an entry's number");
			return 0;
		}
		f->before = n;
	}
	if (limit != NULL) {
		if (num_parse(limit, 1, AUDIT_SEARCH_MAX, &n) != 0) {
			http_res_fail(res, "query_invalid", "limit is 1-%d", AUDIT_SEARCH_MAX);
			return 0;
		}
		f->limit = (int)n;
	}
	if (!audit_filter_valid(f, detail, sizeof(detail))) {
		http_res_fail(res, "query_invalid", "%s", detail);
		return 0;
	}
	return 1;
}

/* s percent-encoded (everything but RFC 3986's unreserved characters)
 * after "&key=" into out at *at; a value too long for out is left off. */
static void query_arg(char *out, size_t len, size_t *at, const char *key, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = *at;
	int w;
	if (s == NULL)
		return;
	w = snprintf(out + n, len - n, "&%s=", key);
	if (w < 0 || (size_t)w >= len - n)
		return;
	n += (size_t)w;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (n + 4 >= len)
			return;
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	out[n] = '\0';
	*at = n;
}

static void text_field(view_node *f, const view *v, const char *name, const char *key,
                       const char *type, const char *value)
{
	char id[32];
	view_node *p = view_el(f, "p", NULL), *in;
	snprintf(id, sizeof(id), "q-%s", name);
	view_attr(view_t(p, "label", v, key), "for", id);
	in = view_el(p, "input", NULL);
	view_attr(in, "id", id);
	view_attr(in, "name", name);
	view_attr(in, "type", type);
	view_attr(in, "value", value);
}

static void search_form(view_node *m, const view *v, const audit_filter *f)
{
	view_node *form = view_el(m, "form", NULL);
	view_attr(form, "method", "get");
	view_attr(form, "action", "/admin/audit");
	view_attr(form, "class", "search");
	view_attr(form, "role", "search");
	text_field(form, v, "actor", "audit.actor", "text", f->actor);
	text_field(form, v, "action", "audit.action", "text", f->action);
	text_field(form, v, "object", "audit.object", "text", f->object);
	text_field(form, v, "from", "audit.from", "date", f->from);
	text_field(form, v, "to", "audit.to", "date", f->to);
	view_attr(view_t(view_el(form, "p", NULL), "button", v, "audit.search"), "type", "submit");
}

typedef struct rows {
	view_node *tbody;
	long long last; /* the oldest entry shown */
	int n;
} rows;

static int entry_row(const audit_row *r, void *arg)
{
	rows *w = arg;
	char seq[24];
	view_node *tr = view_el(w->tbody, "tr", NULL);
	snprintf(seq, sizeof(seq), "%lld", r->seq);
	view_attr(view_el(tr, "th", seq), "scope", "row");
	view_attr(view_el(view_el(tr, "td", NULL), "time", r->at), "datetime", r->at);
	view_el(view_el(tr, "td", NULL), "code", r->actor);
	view_el(view_el(tr, "td", NULL), "code", r->action);
	view_el(view_el(tr, "td", NULL), "code", r->object);
	view_attr(view_el(view_el(tr, "td", NULL), "span", r->outcome), "class", r->outcome);
	view_el(view_el(tr, "td", NULL), "code", r->code);
	view_el(tr, "td", r->detail);
	w->last = r->seq;
	w->n++;
	return tr == NULL; /* out of memory: stop */
}

static view_node *entries_table(view_node *m, const view *v)
{
	static const char *const cols[] = {"audit.seq",    "audit.at",     "audit.actor",
	                                   "audit.action", "audit.object", "audit.outcome",
	                                   "audit.code",   "audit.detail"};
	view_node *t = view_el(m, "table", NULL), *tr;
	view_attr(t, "class", "audit");
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	return view_el(t, "tbody", NULL);
}

static void older_link(view_node *m, const view *v, const audit_filter *f, long long last)
{
	char href[1400];
	size_t at;
	int n = snprintf(href, sizeof(href), "/admin/audit?before=%lld", last);
	if (n < 0 || (size_t)n >= sizeof(href))
		return;
	at = (size_t)n;
	query_arg(href, sizeof(href), &at, "actor", f->actor);
	query_arg(href, sizeof(href), &at, "action", f->action);
	query_arg(href, sizeof(href), &at, "object", f->object);
	query_arg(href, sizeof(href), &at, "from", f->from);
	query_arg(href, sizeof(href), &at, "to", f->to);
	if (f->limit != AUDIT_PAGE) {
		char lim[16];
		snprintf(lim, sizeof(lim), "%d", f->limit);
		query_arg(href, sizeof(href), &at, "limit", lim);
	}
	view_link(view_el(m, "p", NULL), href, text(v, "audit.older"));
}

void web_admin_audit(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	audit_filter f;
	rows w = {NULL, 0, 0};
	view_node *m, *p;
	view *v;

	if (!audit_query(req, res, &f))
		return;
	v = web_view(req, lang, "audit.title");
	m = view_main(v);
	view_attr(m, "class", "dashboard audit");
	view_t(m, "p", v, "audit.intro");
	search_form(m, v, &f);
	p = view_t(m, "p", v, "audit.verify_intro");
	view_el(p, "span", " ");
	view_link(p, "/admin/audit/verify", text(v, "audit.verify_now"));
	view_t(m, "h2", v, "audit.entries");
	w.tbody = entries_table(m, v);
	if (audit_search(req->db, &f, entry_row, &w) != DB_OK) {
		view_free(v);
		http_res_fail(res, ERR_INTERNAL, "the audit log could not be read");
		return;
	}
	if (w.n == 0)
		view_t(m, "p", v, "audit.none");
	else if (w.n == f.limit && w.last > 1)
		older_link(m, v, &f, w.last);
	web_send(res, 200, v);
}

/* ---- GET /admin/audit/verify ---- */

void web_admin_audit_verify(const http_req *req, http_res *res)
{
	static const char *const keys[] = {"lang"};
	i18n_lang lang = web_lang(req, res);
	long long bad = 0, count = 0;
	struct timeval t0, t1;
	char buf[160], href[64];
	view_node *m, *p, *dl;
	db_rc rc;
	view *v;

	if (!query_only(req, res, keys, 1))
		return;
	gettimeofday(&t0, NULL);
	rc = audit_verify(req->db, &bad, &count);
	gettimeofday(&t1, NULL);
	if (rc != DB_OK) {
		http_res_fail(res, ERR_INTERNAL, "the audit log could not be read");
		return;
	}
	v = web_view(req, lang, "audit.verify_title");
	m = view_main(v);
	view_attr(m, "class", "dashboard audit");
	view_t(m, "p", v, "audit.verify_what");
	p = view_el(m, "p", NULL);
	view_attr(p, "role", "status");
	view_attr(p, "id", "verify-result");
	if (bad == 0) {
		view_attr(p, "class", "verdict ok");
		i18n_format(lang, "audit.intact", count, buf, sizeof(buf));
		view_el(p, "span", buf);
	} else {
		view_attr(p, "class", "verdict bad");
		i18n_format(lang, "audit.broken", bad, buf, sizeof(buf));
		view_el(p, "span", buf);
		snprintf(href, sizeof(href), "/admin/audit?before=%lld", bad + 1);
		view_link(view_el(m, "p", NULL), href, text(v, "audit.broken_show"));
	}
	dl = view_el(m, "dl", NULL);
	view_t(dl, "dt", v, "audit.verified");
	snprintf(buf, sizeof(buf), "%lld", count);
	view_el(dl, "dd", buf);
	view_t(dl, "dt", v, "audit.took");
	snprintf(buf, sizeof(buf), "%ld ms",
	         (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000));
	view_el(dl, "dd", buf);
	view_t(m, "p", v, "audit.verify_cli");
	view_el(view_el(m, "pre", NULL), "code", "itaku audit verify --config itaku.conf");
	view_link(view_el(m, "p", NULL), "/admin/audit", text(v, "audit.back"));
	web_send(res, 200, v);
}

/* ---- GET /admin/assignments/{id}/reminders ---- */

typedef struct reminder_rows {
	view_node *tbody;
	i18n_lang lang;
	int n;
} reminder_rows;

static int reminder_row(void *ctx, const remdb_row *r)
{
	reminder_rows *w = ctx;
	view_node *tr = view_el(w->tbody, "tr", NULL);
	char attempts[16];
	snprintf(attempts, sizeof(attempts), "%d", r->attempts);
	view_node *th = view_el(tr, "th", NULL);
	view_attr(th, "scope", "row");
	view_el(th, "code", r->stage);
	view_attr(view_el(view_el(tr, "td", NULL), "time", r->due), "datetime", r->due);
	view_el(tr, "td", r->recipient);
	char key[48];
	const char *label;
	snprintf(key, sizeof(key), "remind.st_%s", r->status);
	/* a status this page has no words for is shown as it is stored */
	label = i18n_text(w->lang, key);
	view_attr(view_el(view_el(tr, "td", NULL), "span", label == key ? r->status : label),
	          "class", r->status);
	view_el(tr, "td", attempts);
	view_attr(view_el(view_el(tr, "td", NULL), "time", r->claimed_at), "datetime",
	          r->claimed_at);
	view_el(tr, "td", r->sent_at != NULL ? r->sent_at : "—");
	view_el(tr, "td", r->error != NULL ? r->error : "");
	w->n++;
	return tr == NULL;
}

void web_admin_reminders(const http_req *req, http_res *res)
{
	static const char *const keys[] = {"lang"};
	static const char *const cols[] = {"remind.stage",  "remind.due",      "remind.recipient",
	                                   "remind.status", "remind.attempts", "remind.claimed",
	                                   "remind.sent",   "remind.error"};
	i18n_lang lang = web_lang(req, res);
	long long id = http_path_id(req);
	camp_assignment as;
	view_node *m, *dl, *t, *tr;
	reminder_rows w = {NULL, LANG_JA, 0};
	char buf[64], href[80];
	view *v;

	if (!query_only(req, res, keys, 1))
		return;
	if (id <= 0 || camp_assignment_by_id(req->db, id, &as) != CAMP_OK) {
		http_res_fail(res, "not_found", "no such assignment");
		return;
	}
	v = web_view(req, lang, "remind.title");
	m = view_main(v);
	view_attr(m, "class", "dashboard reminders");
	dl = view_el(m, "dl", NULL);
	view_t(dl, "dt", v, "subs.id");
	view_el(view_el(dl, "dd", NULL), "code", as.org_id);
	view_t(dl, "dt", v, "col.campaign");
	snprintf(buf, sizeof(buf), "#%lld", as.campaign_id);
	view_el(dl, "dd", buf);
	view_t(dl, "dt", v, "col.due");
	view_attr(view_el(view_el(dl, "dd", NULL), "time", as.due), "datetime", as.due);
	view_t(dl, "dt", v, "col.latest");
	if (as.latest_submission > 0)
		i18n_format(lang, "latest.version", as.latest_submission, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s", text(v, "latest.none"));
	view_el(dl, "dd", buf);
	view_t(m, "p", v, "remind.intro");
	t = view_el(m, "table", NULL);
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	w.tbody = view_el(t, "tbody", NULL);
	w.lang = lang;
	if (remind_history(req->db, id, reminder_row, &w) != REMIND_OK) {
		view_free(v);
		http_res_fail(res, ERR_INTERNAL, "the reminders could not be read");
		return;
	}
	if (w.n == 0)
		view_t(m, "p", v, "remind.none");
	snprintf(href, sizeof(href), "/admin/campaigns/%lld/chains", as.campaign_id);
	view_link(view_el(m, "p", NULL), href, text(v, "remind.back"));
	web_send(res, 200, v);
}
