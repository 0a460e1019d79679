/* web_history.c — GET /submissions: every version the signed-in
 * organisation submitted, newest first, with its receipt; GET
 * /submissions/{id}: one of them with the answers as the server read
 * them from the signed package. Another organisation's submission is
 * absent. Shows stored data; decides nothing. */
#include "core/db/drafts.h"
#include "core/db/submissions.h"
#include "core/errors.h"
#include "core/web/web.h"

#include <stdio.h>
#include <string.h>

typedef struct hist {
	view *v;
	view_node *tbody;
	int n;
} hist;

static int history_row(const sub_brief *b, void *arg)
{
	hist *h = arg;
	i18n_lang lang = view_lang(h->v);
	char buf[160], href[96];
	view_node *tr = view_el(h->tbody, "tr", NULL), *td, *th;

	snprintf(href, sizeof(href), "/submissions/%lld", b->id);
	i18n_format(lang, "latest.version", b->id, buf, sizeof(buf));
	th = view_el(tr, "th", NULL);
	view_attr(th, "scope", "row");
	view_link(th, href, buf);
	view_el(tr, "td", b->received_at);
	view_el(tr, "td", b->campaign_name[0] ? b->campaign_name : "-");
	snprintf(buf, sizeof(buf), "%s@%s", b->questionnaire, b->questionnaire_version);
	view_el(tr, "td", buf);
	snprintf(buf, sizeof(buf), "%d", b->version);
	view_el(tr, "td", buf);
	view_el(view_el(tr, "td", NULL), "code", b->sha256);
	td = view_el(tr, "td", NULL);
	if (b->has_receipt) {
		snprintf(href, sizeof(href), "/api/v1/submissions/%lld/receipt", b->id);
		view_attr(view_link(td, href, i18n_text(lang, "action.receipt")), "download", "");
	}
	h->n++;
	return 0;
}

void web_history(const http_req *req, http_res *res)
{
	static const char *const cols[] = {"col.submission",    "col.received", "col.campaign",
	                                   "col.questionnaire", "col.version",  "col.sha256",
	                                   "col.receipt"};
	i18n_lang lang = web_lang(req, res);
	view *v = web_view(req, lang, "history.title");
	view_node *t, *tr;
	hist h = {v, NULL, 0};

	if (v == NULL) {
		web_send(res, 500, NULL);
		return;
	}
	view_t(view_main(v), "p", v, "history.intro");
	t = view_el(view_main(v), "table", NULL);
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	h.tbody = view_el(t, "tbody", NULL);
	if (subs_of_org_each(req->db, req->who->org_id, history_row, &h) != DB_OK) {
		view_free(v);
		http_res_fail(res, ERR_INTERNAL, "the submissions could not be read");
		return;
	}
	if (h.n == 0)
		view_t(view_main(v), "p", v, "history.none");
	web_send(res, 200, v);
}

static void answers_table(view_node *m, const view *v, const draft *d)
{
	view_node *t = view_el(m, "table", NULL);
	view_node *tr = view_el(view_el(t, "thead", NULL), "tr", NULL), *tbody;
	view_attr(view_t(tr, "th", v, "col.item"), "scope", "col");
	view_attr(view_t(tr, "th", v, "col.level"), "scope", "col");
	view_attr(view_t(tr, "th", v, "answer.comment"), "scope", "col");
	tbody = view_el(t, "tbody", NULL);
	for (size_t i = 0; i < d->n; i++) {
		tr = view_el(tbody, "tr", NULL);
		view_attr(view_el(tr, "th", d->items[i].item_id), "scope", "row");
		view_el(tr, "td",
		        strcmp(d->items[i].level, "na") == 0 ? i18n_text(view_lang(v), "answer.na")
		                                             : d->items[i].level);
		view_el(tr, "td", d->items[i].comment);
	}
}

void web_submission(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	long long id = http_path_id(req);
	sub_row row = {0};
	draft d = {0};
	view *v;
	view_node *dl;
	char buf[96];

	if (id <= 0 || subs_get(req->db, id, &row) != DB_OK ||
	    strcmp(row.org_id, req->who->org_id) != 0) {
		if (id > 0)
			subs_row_free(&row);
		http_res_fail(res, "not_found", "no such submission");
		return;
	}
	if (drafts_from_submission(req->db, id, &d) != DB_OK) {
		subs_row_free(&row);
		http_res_fail(res, ERR_INTERNAL, "the answers could not be read");
		return;
	}
	v = web_view(req, lang, "submission.title");
	dl = view_el(view_main(v), "dl", NULL);
	view_t(dl, "dt", v, "col.submission");
	i18n_format(lang, "latest.version", row.id, buf, sizeof(buf));
	view_el(dl, "dd", buf);
	view_t(dl, "dt", v, "col.questionnaire");
	snprintf(buf, sizeof(buf), "%s@%s", row.questionnaire, row.questionnaire_version);
	view_el(dl, "dd", buf);
	view_t(dl, "dt", v, "col.received");
	view_el(dl, "dd", row.received_at);
	view_t(dl, "dt", v, "col.sha256");
	view_el(view_el(dl, "dd", NULL), "code", row.sha256);
	answers_table(view_main(v), v, &d);
	view_link(view_el(view_main(v), "p", NULL), "/submissions",
	          i18n_text(lang, "history.back"));
	draft_free(&d);
	subs_row_free(&row);
	web_send(res, 200, v);
}
