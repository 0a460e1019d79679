/* web_home.c — GET /: what is asked of the signed-in organisation. One row
 * per assignment: campaign, questionnaire and variant, due date and days
 * left, status (with the reason of a refusal), the latest accepted
 * submission and its receipt, and the answers file to fill. An admin is
 * sent on to the dashboard (303 /admin/campaigns). Reads the same
 * list as GET /api/v1/assignments; shows it, decides nothing. */
#include "core/campaigns.h"
#include "core/errors.h"
#include "core/util/clock.h"
#include "core/web/web.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Days from today to due (both YYYY-MM-DD, UTC); 0 when either is not a
 * date. */
static long long days_until(const char *due, const char *today)
{
	struct tm a = {0}, b = {0};
	if (due == NULL || strptime(due, "%Y-%m-%d", &a) == NULL ||
	    strptime(today, "%Y-%m-%d", &b) == NULL)
		return 0;
	return (long long)((timegm(&a) - timegm(&b)) / 86400);
}

static void due_cell(view_node *tr, const view *v, json_t *a, const char *today)
{
	json_t *c = json_object_get(a, "campaign");
	const char *due = web_jstr(c, "due");
	long long d = days_until(due, today);
	char buf[64];
	view_node *td = view_el(tr, "td", NULL);
	view_attr(view_el(td, "time", due), "datetime", due);
	if (strcmp(web_jstr(c, "status"), "open") != 0)
		snprintf(buf, sizeof(buf), "%s", i18n_text(view_lang(v), "due.closed"));
	else if (d > 0)
		i18n_format(view_lang(v), "due.days_left", d, buf, sizeof(buf));
	else if (d == 0)
		snprintf(buf, sizeof(buf), "%s", i18n_text(view_lang(v), "due.today"));
	else
		i18n_format(view_lang(v), "due.days_over", -d, buf, sizeof(buf));
	view_el(td, "br", NULL);
	view_el(td, "span", buf);
}

static void status_cell(view_node *tr, const view *v, json_t *a)
{
	char key[64];
	const char *status = web_jstr(a, "status");
	json_t *refusal = json_object_get(a, "last_refusal");
	view_node *td = view_el(tr, "td", NULL);

	snprintf(key, sizeof(key), "status.%s", status);
	view_attr(view_t(td, "span", v, key), "class", status);
	if (strcmp(status, "submitted") == 0 && json_is_object(refusal)) {
		const err_def *e = err_find(web_jstr(refusal, "code"));
		view_node *p = view_t(td, "p", v, "status.refused_reason");
		if (e != NULL)
			view_el(p, "span", err_text(e, i18n_code(view_lang(v))));
		view_el(p, "span", " (");
		view_el(p, "code", web_jstr(refusal, "code"));
		view_el(p, "span", ")");
	}
}

static void latest_cell(view_node *tr, const view *v, json_t *a)
{
	json_t *latest = json_object_get(a, "latest_submission");
	view_node *td = view_el(tr, "td", NULL);
	char buf[64], href[96];
	if (!json_is_integer(latest)) {
		view_t(td, "span", v, "latest.none");
		return;
	}
	i18n_format(view_lang(v), "latest.version", (long long)json_integer_value(latest), buf,
	            sizeof(buf));
	view_el(td, "span", buf);
	snprintf(href, sizeof(href), "/api/v1/submissions/%lld/receipt",
	         (long long)json_integer_value(latest));
	view_attr(
	        view_link(view_el(td, "p", NULL), href, i18n_text(view_lang(v), "action.receipt")),
	        "download", "");
}

static void actions_cell(view_node *tr, const view *v, json_t *a)
{
	char href[96];
	view_node *td = view_el(tr, "td", NULL);
	long long id = (long long)json_integer_value(json_object_get(a, "id"));
	snprintf(href, sizeof(href), "/assignments/%lld", id);
	view_link(view_el(td, "p", NULL), href, i18n_text(view_lang(v), "action.answer"));
	snprintf(href, sizeof(href), "/api/v1/assignments/%lld/template", id);
	view_attr(
	        view_link(view_el(td, "p", NULL), href, i18n_text(view_lang(v), "action.template")),
	        "download", "answers.xml");
}

static void row(view_node *tbody, const view *v, json_t *a, const char *today)
{
	json_t *c = json_object_get(a, "campaign"), *q = json_object_get(a, "questionnaire");
	char qname[200];
	view_node *tr = view_el(tbody, "tr", NULL);

	view_attr(view_el(tr, "th", web_jstr(c, "name")), "scope", "row");
	snprintf(qname, sizeof(qname), "%s@%s%s%s%s", web_jstr(q, "id"), web_jstr(q, "version"),
	         web_jstr(q, "variant")[0] ? " (" : "", web_jstr(q, "variant"),
	         web_jstr(q, "variant")[0] ? ")" : "");
	view_el(tr, "td", qname);
	due_cell(tr, v, a, today);
	status_cell(tr, v, a);
	latest_cell(tr, v, a);
	actions_cell(tr, v, a);
}

static void table(view_node *m, const view *v, json_t *list, const char *today)
{
	static const char *const cols[] = {"col.campaign", "col.questionnaire", "col.due",
	                                   "col.status",   "col.latest",        "col.actions"};
	view_node *t = view_el(m, "table", NULL);
	view_node *tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	view_node *tbody = view_el(t, "tbody", NULL);
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	for (i = 0; i < json_array_size(list); i++)
		row(tbody, v, json_array_get(list, i), today);
}

void web_home(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	json_t *list = NULL;
	char today[11];
	view *v;

	/* the portal's home is a respondent's; the entrusting company's is
	 * its dashboard */
	if (req->who->role == ROLE_ADMIN) {
		http_res_see_other(res, "/admin/campaigns");
		return;
	}
	if (camp_assignments_of(req->db, req->who->org_id, &list) != CAMP_OK) {
		http_res_fail(res, ERR_INTERNAL, "the assignments could not be read");
		return;
	}
	clock_today(NULL, today);
	v = web_view(req, lang, "home.title");
	if (v != NULL) {
		view_t(view_main(v), "p", v, "home.intro");
		if (json_array_size(list) == 0)
			view_t(view_main(v), "p", v, "home.none");
		else
			table(view_main(v), v, list, today);
	}
	json_decref(list);
	web_send(res, 200, v);
}
