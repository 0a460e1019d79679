/* web_admin_heatmap.c — GET /admin/campaigns/{id}/heatmap: items ×
 * organisations, each cell the organisation's latest level for the item,
 * coloured on a colour-blind-safe scale and written as text (below the
 * desirable level marked ▾ as well), so it reads on screen, in a screen
 * reader and printed in grey. Filtered by variant, status, tier and
 * section, sorted by the weakest organisation or by an item, the items
 * weakest first if asked; paged (100 organisations a page) so that 10,000
 * stay usable. The query is GET /api/v1/campaigns/{id}/organisations's,
 * parsed by the same function (agg_org_query_parse(): a bad value is 400
 * query_invalid) and answered by the same agg_orgs(): the page shows what
 * the API returns. */
#include "core/aggregate.h"
#include "core/db/aggregate.h"
#include "core/db/questionnaires.h"
#include "core/errors.h"
#include "core/web/web.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_MAX 200 /* organisations a page may be asked to show */

static const char *query_get(const void *req, const char *key)
{
	return http_query(req, key);
}

/* ---- the query string of a link: the page's arguments, one changed ---- */

static void qs_add(char *buf, size_t len, const char *k, const char *v)
{
	char *e;
	size_t at = strlen(buf);
	if (v == NULL || v[0] == '\0' || (e = web_query_escape(v)) == NULL)
		return;
	snprintf(buf + at, len - at, "%s%s=%s", at ? "&" : "", k, e);
	free(e);
}

static void qs_num(char *buf, size_t len, const char *k, long long v)
{
	char n[32];
	snprintf(n, sizeof(n), "%lld", v);
	qs_add(buf, len, k, n);
}

static void query_string(const agg_org_query *q, long long offset, char *buf, size_t len)
{
	static const char *const sorts[] = {"weakest", "id", "item"};
	buf[0] = '\0';
	if (q->variant != NULL)
		qs_add(buf, len, "variant", q->variant[0] ? q->variant : "-");
	qs_add(buf, len, "status", q->status);
	if (q->tier > 0)
		qs_num(buf, len, "tier", q->tier);
	qs_add(buf, len, "section", q->section);
	if (q->sort != AGG_SORT_WEAKEST)
		qs_add(buf, len, "sort", sorts[q->sort]);
	qs_add(buf, len, "item", q->item);
	if (q->items_weakest)
		qs_add(buf, len, "cols", "weakest");
	if (q->below)
		qs_add(buf, len, "below", "1");
	if (offset > 0)
		qs_num(buf, len, "offset", offset);
	if (q->limit != 100)
		qs_num(buf, len, "limit", q->limit);
}

/* ---- the filter form (GET) ---- */

static view_node *labelled(view_node *form, const view *v, const char *key, const char *tag,
                           const char *name)
{
	view_node *l = view_el(form, "label", NULL), *in;
	view_t(l, "span", v, key);
	in = view_el(l, tag, NULL);
	view_attr(in, "name", name);
	return in;
}

static void option(view_node *sel, const char *value, const char *label, const char *current)
{
	view_node *o = view_el(sel, "option", label);
	view_attr(o, "value", value);
	if (current != NULL && strcmp(current, value) == 0)
		view_attr(o, "selected", "selected");
}

static void filters(view_node *m, const view *v, const char *action, const agg_org_query *q,
                    const questionnaire *qn)
{
	static const char *const statuses[] = {"not_started", "submitted", "accepted", "overdue"};
	i18n_lang lang = view_lang(v);
	view_node *f = view_el(m, "form", NULL), *sel, *in;
	char key[64], tier[16] = "";

	view_attr(f, "method", "get");
	view_attr(f, "action", action);
	view_attr(f, "class", "filters");
	sel = labelled(f, v, "dash.variant", "select", "variant");
	option(sel, "", i18n_text(lang, "heat.all"), NULL);
	option(sel, "-", i18n_text(lang, "dash.variant_base"),
	       q->variant != NULL && q->variant[0] == '\0' ? "-" : NULL);
	for (size_t i = 0; qn != NULL && i < qn->nvariants; i++)
		option(sel, qn->variants[i].id, qn->variants[i].id, q->variant);
	sel = labelled(f, v, "col.status", "select", "status");
	option(sel, "", i18n_text(lang, "heat.all"), NULL);
	for (size_t i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "status.%s", statuses[i]);
		option(sel, statuses[i], i18n_text(lang, key), q->status);
	}
	in = labelled(f, v, "dash.tier", "input", "tier");
	view_attr(in, "type", "number");
	view_attr(in, "min", "1");
	view_attr(in, "max", "99");
	if (q->tier > 0)
		snprintf(tier, sizeof(tier), "%d", q->tier);
	view_attr(in, "value", tier);
	sel = labelled(f, v, "dash.section", "select", "section");
	option(sel, "", i18n_text(lang, "heat.all"), NULL);
	for (size_t i = 0; qn != NULL && i < qn->nsections; i++) {
		char label[300];
		snprintf(label, sizeof(label), "%s %s", qn->sections[i].id,
		         lang == LANG_EN ? qn->sections[i].title.en : qn->sections[i].title.ja);
		option(sel, qn->sections[i].id, label, q->section);
	}
	sel = labelled(f, v, "heat.sort", "select", "sort");
	option(sel, "weakest", i18n_text(lang, "heat.sort_weakest"),
	       q->sort == AGG_SORT_WEAKEST ? "weakest" : NULL);
	option(sel, "id", i18n_text(lang, "heat.sort_id"), q->sort == AGG_SORT_ID ? "id" : NULL);
	option(sel, "item", i18n_text(lang, "heat.sort_item"),
	       q->sort == AGG_SORT_ITEM ? "item" : NULL);
	sel = labelled(f, v, "heat.item", "select", "item");
	option(sel, "", "—", NULL);
	for (size_t i = 0; qn != NULL && i < qn->nitems; i++)
		option(sel, qn->items[i].id, qn->items[i].id, q->item);
	sel = labelled(f, v, "heat.cols", "select", "cols");
	option(sel, "questionnaire", i18n_text(lang, "heat.cols_questionnaire"), NULL);
	option(sel, "weakest", i18n_text(lang, "heat.cols_weakest"),
	       q->items_weakest ? "weakest" : NULL);
	in = labelled(f, v, "heat.below", "input", "below");
	view_attr(in, "type", "checkbox");
	view_attr(in, "value", "1");
	if (q->below)
		view_attr(in, "checked", "checked");
	view_attr(view_t(f, "button", v, "heat.apply"), "type", "submit");
}

static void legend(view_node *m, const view *v)
{
	static const char *const cls[] = {"lv1", "lv2", "lv3", "lv4", "lv5", "lv0", "lvx"};
	static const char *const mark[] = {"1", "2", "3", "4", "5", NULL, "—"};
	i18n_lang lang = view_lang(v);
	view_node *ul = view_el(m, "ul", NULL), *li, *s;
	view_attr(ul, "class", "legend");
	view_attr(ul, "aria-label", i18n_text(lang, "heat.legend"));
	for (size_t i = 0; i < sizeof(cls) / sizeof(cls[0]); i++) {
		char key[32];
		li = view_el(ul, "li", NULL);
		s = view_el(li, "span", mark[i] != NULL ? mark[i] : i18n_text(lang, "heat.na"));
		view_attr(s, "class", cls[i]);
		snprintf(key, sizeof(key), "heat.legend_%s", cls[i]);
		view_el(li, "span", i18n_text(lang, key));
	}
	li = view_el(ul, "li", NULL);
	view_attr(view_el(li, "span", "2▾"), "class", "lv2");
	view_el(li, "span", i18n_text(lang, "heat.legend_below"));
}

/* One organisation's row: name, mean, deviation, then a cell per item. */
static void org_row(view_node *tbody, const view *v, json_t *o, json_t *items, long long cid)
{
	i18n_lang lang = view_lang(v);
	json_t *sc = json_object_get(o, "score"), *lv = json_object_get(o, "levels");
	view_node *tr = view_el(tbody, "tr", NULL), *th = view_el(tr, "th", NULL), *a;
	char href[160], b[32];

	view_attr(th, "scope", "row");
	snprintf(href, sizeof(href), "/admin/organisations/%s?campaign=%lld", web_jstr(o, "id"),
	         cid);
	a = view_link(th, href, web_jstr(o, "name"));
	view_attr(a, "title", web_jstr(o, "id"));
	if (json_is_number(json_object_get(sc, "mean")))
		snprintf(b, sizeof(b), "%.2f", json_number_value(json_object_get(sc, "mean")));
	else
		snprintf(b, sizeof(b), "—");
	view_el(tr, "td", b);
	if (json_is_number(json_object_get(sc, "deviation")))
		snprintf(b, sizeof(b), "%.1f", json_number_value(json_object_get(sc, "deviation")));
	else
		snprintf(b, sizeof(b), "—");
	view_el(tr, "td", b);
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i), *l = json_object_get(lv, web_jstr(it, "id"));
		view_node *td;
		if (json_is_integer(l)) {
			long long n = json_integer_value(l);
			int below = n < web_desirable_for(it, o);
			char cls[16];
			snprintf(b, sizeof(b), "%lld%s", n, below ? "▾" : "");
			td = view_el(tr, "td", b);
			snprintf(cls, sizeof(cls), "lv%lld%s", n >= 1 && n <= 5 ? n : 0,
			         below ? " below" : "");
			view_attr(td, "class", cls);
		} else if (json_is_string(l)) {
			view_attr(view_el(tr, "td", i18n_text(lang, "heat.na")), "class", "lv0");
		} else {
			view_attr(view_el(tr, "td", "—"), "class", "lvx");
		}
	}
}

static void grid(view_node *m, const view *v, json_t *page, long long cid)
{
	i18n_lang lang = view_lang(v);
	json_t *items = json_object_get(page, "items"),
	       *orgs = json_object_get(page, "organisations");
	view_node *wrap = view_el(m, "div", NULL), *t, *tr, *tbody;

	view_attr(wrap, "class", "heat-wrap");
	/* a scrolling region a keyboard can reach */
	view_attr(wrap, "tabindex", "0");
	view_attr(wrap, "role", "region");
	view_attr(wrap, "aria-label", i18n_text(lang, "dash.heatmap"));
	t = view_el(wrap, "table", NULL);
	view_attr(t, "class", "heat");
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	view_attr(view_t(tr, "th", v, "dash.organisation"), "scope", "col");
	view_attr(view_t(tr, "th", v, "dash.mean"), "scope", "col");
	view_attr(view_t(tr, "th", v, "dash.deviation"), "scope", "col");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		view_node *th = view_el(tr, "th", NULL);
		view_attr(th, "scope", "col");
		view_attr(view_el(th, "abbr", web_jstr(it, "id")), "title",
		          web_jstr(json_object_get(it, "text"), lang == LANG_EN ? "en" : "ja"));
	}
	tbody = view_el(t, "tbody", NULL);
	for (size_t i = 0; i < json_array_size(orgs); i++)
		org_row(tbody, v, json_array_get(orgs, i), items, cid);
}

static void pager(view_node *m, const view *v, const agg_org_query *q, long long total,
                  const char *base)
{
	i18n_lang lang = view_lang(v);
	view_node *nav = view_el(m, "nav", NULL), *ul;
	char qs[1200], href[1400];
	view_attr(nav, "aria-label", i18n_text(lang, "heat.pages"));
	ul = view_el(nav, "ul", NULL);
	view_attr(ul, "class", "pager");
	if (q->offset > 0) {
		query_string(q, q->offset > q->limit ? q->offset - q->limit : 0, qs, sizeof(qs));
		snprintf(href, sizeof(href), "%s%s%s", base, qs[0] ? "?" : "", qs);
		view_link(view_el(ul, "li", NULL), href, i18n_text(lang, "dash.prev"));
	}
	if (q->offset + q->limit < total) {
		query_string(q, q->offset + q->limit, qs, sizeof(qs));
		snprintf(href, sizeof(href), "%s?%s", base, qs);
		view_link(view_el(ul, "li", NULL), href, i18n_text(lang, "dash.next"));
	}
}

void web_admin_heatmap(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	long long id = http_path_id(req), total, shown;
	char detail[256] = "", base[64], b[200];
	agg_org_query q;
	json_t *page = NULL;
	aggdb_campaign cv;
	questionnaire *qn = NULL;
	agg_rc rc;
	view *v;
	view_node *m, *p;

	if (agg_org_query_parse(&q, query_get, req, detail, sizeof(detail)) != AGG_OK) {
		http_res_fail(res, "query_invalid", "%s", detail);
		return;
	}
	if (q.limit > PAGE_MAX) {
		http_res_fail(res, "query_invalid",
		              "the heatmap shows at most %d organisations a page", PAGE_MAX);
		return;
	}
	if (http_query(req, "levels") != NULL) {
		http_res_fail(res, "query_invalid", "the heatmap always shows the levels");
		return;
	}
	q.levels = 1;
	rc = id ? agg_orgs(req->db, id, &q, &page, detail, sizeof(detail)) : AGG_ERR_NOT_FOUND;
	if (rc == AGG_ERR_NOT_FOUND) {
		http_res_fail(res, "not_found", "no such campaign");
		return;
	}
	if (rc == AGG_ERR_INVALID) {
		http_res_fail(res, "query_invalid", "%s", detail);
		return;
	}
	if (rc != AGG_OK || aggdb_campaign_get(req->db, id, &cv) != DB_OK) {
		json_decref(page);
		http_res_fail(res, ERR_INTERNAL, "the heatmap could not be computed");
		return;
	}
	qstore_get(req->db, cv.qid, cv.version, &qn);
	if ((v = web_view(req, lang, "dash.heatmap")) == NULL) {
		qn_free(qn);
		json_decref(page);
		web_send(res, 500, NULL);
		return;
	}
	m = view_main(v);
	snprintf(base, sizeof(base), "/admin/campaigns/%lld", id);
	p = view_el(m, "p", NULL);
	view_attr(p, "class", "lead");
	view_link(p, base, cv.name);
	snprintf(base, sizeof(base), "/admin/campaigns/%lld/heatmap", id);
	filters(m, v, base, &q, qn);
	total = web_jint(page, "total");
	shown = (long long)json_array_size(json_object_get(page, "organisations"));
	if (shown > 0) {
		char range[120];
		i18n_format(lang, "dash.count", total, b, sizeof(b));
		snprintf(range, sizeof(range), " (%lld–%lld)", q.offset + 1, q.offset + shown);
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s", range);
	} else {
		i18n_format(lang, "dash.count", total, b, sizeof(b));
	}
	view_attr(view_el(m, "p", b), "role", "status");
	legend(m, v);
	grid(m, v, page, id);
	pager(m, v, &q, total, base);
	qn_free(qn);
	json_decref(page);
	web_send(res, 200, v);
}
