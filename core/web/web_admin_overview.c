/* web_admin_overview.c — GET /admin/campaigns/{id}: one campaign as the
 * entrusting company reads it. Progress (the bar and accepted over time),
 * the section means against the desirable level (radar), the distribution
 * of levels per item, each organisation's total against its tier with its
 * 偏差値 (scatter), the organisations below the desirable level (weakest
 * first), the overdue and the refused with their reasons, and the links to
 * the CSV, the printable report, the chains and the organisations. Every
 * number is the aggregate's (agg_campaign(), agg_orgs(): the documents GET
 * /api/v1/campaigns/{id}/aggregate and …/organisations serve); this file
 * only lays them out. */
#include "core/aggregate.h"
#include "core/errors.h"
#include "core/web/chart.h"
#include "core/web/web.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX 50 /* organisations per list on the page */

static const char *text_of(json_t *o, i18n_lang lang)
{
	json_t *t = json_object_get(o, "text");
	if (t == NULL)
		t = json_object_get(o, "title");
	return web_jstr(t, lang == LANG_EN ? "en" : "ja");
}

/* A number as the tables write it: "—" when there is none. */
static void num_cell(view_node *tr, double v, int decimals)
{
	char b[32];
	if (!isfinite(v))
		snprintf(b, sizeof(b), "—");
	else
		snprintf(b, sizeof(b), "%.*f", decimals, v);
	view_el(tr, "td", b);
}

static void org_link(view_node *parent, json_t *o, long long campaign)
{
	char href[160];
	snprintf(href, sizeof(href), "/admin/organisations/%s?campaign=%lld", web_jstr(o, "id"),
	         campaign);
	view_link(parent, href, web_jstr(o, "name"));
}

static void links(view_node *m, const view *v, long long id)
{
	static const struct {
		const char *prefix, *suffix, *key;
		int download;
	} l[] = {
	        {"/admin/campaigns/", "/heatmap", "dash.heatmap", 0},
	        {"/admin/campaigns/", "/chains", "dash.chains", 0},
	        {"/admin/campaigns/", "/report", "dash.report", 0},
	        {"/admin/campaigns/", "/desirable", "des.title", 0},
	        {"/api/v1/campaigns/", "/aggregate.csv", "dash.csv", 1},
	        {"/admin/campaigns/", "/assign", "dash.assign", 0},
	};
	view_node *nav = view_el(m, "nav", NULL), *ul;
	view_attr(nav, "aria-label", i18n_text(view_lang(v), "dash.campaign_links"));
	ul = view_el(nav, "ul", NULL);
	view_attr(ul, "class", "actions");
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++) {
		char href[96];
		snprintf(href, sizeof(href), "%s%lld%s", l[i].prefix, id, l[i].suffix);
		view_node *a =
		        view_link(view_el(ul, "li", NULL), href, i18n_text(view_lang(v), l[i].key));
		if (l[i].download)
			view_attr(a, "download", "");
	}
}

static void figure(view_node *dl, const char *label, const char *value)
{
	view_node *d = view_el(dl, "div", NULL);
	view_el(d, "dt", label);
	view_el(d, "dd", value);
}

static void figures(view_node *m, const view *v, json_t *a)
{
	i18n_lang lang = view_lang(v);
	json_t *p = json_object_get(a, "progress"), *pop = json_object_get(a, "population");
	view_node *dl = view_el(m, "dl", NULL);
	char b[64];
	view_attr(dl, "class", "figures");
	static const struct {
		const char *key, *member;
	} counts[] = {{"dash.assigned", "assigned"},
	              {"status.accepted", "answered"},
	              {"dash.refused", "submitted"},
	              {"status.overdue", "overdue"},
	              {"status.not_started", "not_started"}};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		snprintf(b, sizeof(b), "%lld", web_jint(p, counts[i].member));
		figure(dl, i18n_text(lang, counts[i].key), b);
	}
	snprintf(b, sizeof(b), "%.1f%%", 100 * web_jnum(p, "answered_ratio"));
	figure(dl, i18n_text(lang, "dash.ratio"), b);
	if (isfinite(web_jnum(pop, "mean_level"))) {
		snprintf(b, sizeof(b), "%.2f", web_jnum(pop, "mean_level"));
		figure(dl, i18n_text(lang, "dash.mean_level"), b);
		snprintf(b, sizeof(b), "%.2f", web_jnum(pop, "sd_level"));
		figure(dl, i18n_text(lang, "dash.sd_level"), b);
		snprintf(b, sizeof(b), "%.1f", web_jnum(pop, "total_mean"));
		figure(dl, i18n_text(lang, "dash.total_mean"), b);
	}
}

static void progress(view_node *m, const view *v, json_t *a, long long id)
{
	i18n_lang lang = view_lang(v);
	json_t *p = json_object_get(a, "progress"), *tl = json_object_get(a, "timeline");
	size_t n = json_array_size(tl);
	const char **days = calloc(n + 1, sizeof(*days));
	long long *cum = calloc(n + 1, sizeof(*cum));
	char cid[32];

	view_t(m, "h2", v, "dash.progress");
	snprintf(cid, sizeof(cid), "prog-%lld", id);
	web_progress_bar(m, v, cid, p);
	if (days == NULL || cum == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		days[i] = web_jstr(json_array_get(tl, i), "day");
		cum[i] = web_jint(json_array_get(tl, i), "cumulative");
	}
	chart_steps(m, "timeline", i18n_text(lang, "dash.timeline"), days, cum, n,
	            web_jint(p, "assigned"), i18n_text(lang, "dash.assigned"),
	            web_jstr(json_object_get(a, "campaign"), "due"), i18n_text(lang, "col.due"));
out:
	free(days);
	free(cum);
}

static void radar(view_node *m, const view *v, json_t *a)
{
	i18n_lang lang = view_lang(v);
	json_t *secs = json_object_get(a, "sections");
	size_t n = json_array_size(secs);
	const char **axes = calloc(n + 1, sizeof(*axes));
	double *mean = calloc(n + 1, sizeof(*mean)), *want = calloc(n + 1, sizeof(*want));
	view_node *t, *tr, *tbody;

	view_t(m, "h2", v, "dash.sections");
	if (axes == NULL || mean == NULL || want == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(secs, i);
		axes[i] = text_of(s, lang);
		mean[i] = web_jnum(s, "mean");
		want[i] = web_jnum(s, "desirable");
	}
	{
		chart_series series[] = {{i18n_text(lang, "dash.campaign_mean"), mean, CHART_BLUE},
		                         {i18n_text(lang, "dash.desirable"), want, CHART_GREEN}};
		chart_radar(m, "radar", i18n_text(lang, "dash.radar"), axes, n, series, 2, 0, 5);
	}
	t = view_el(m, "table", NULL);
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	view_attr(view_t(tr, "th", v, "dash.section"), "scope", "col");
	view_attr(view_t(tr, "th", v, "dash.campaign_mean"), "scope", "col");
	view_attr(view_t(tr, "th", v, "dash.desirable"), "scope", "col");
	view_attr(view_t(tr, "th", v, "dash.answered_by"), "scope", "col");
	tbody = view_el(t, "tbody", NULL);
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(secs, i);
		char b[32];
		tr = view_el(tbody, "tr", NULL);
		view_attr(view_el(tr, "th", axes[i]), "scope", "row");
		num_cell(tr, mean[i], 2);
		num_cell(tr, want[i], 2);
		snprintf(b, sizeof(b), "%lld", web_jint(s, "organisations"));
		view_el(tr, "td", b);
	}
out:
	free(axes);
	free(mean);
	free(want);
}

static void scatter(view_node *m, const view *v, json_t *a)
{
	i18n_lang lang = view_lang(v);
	json_t *sc = json_object_get(a, "scatter");
	size_t n = json_array_size(sc);
	chart_point *p = calloc(n + 1, sizeof(*p));
	char(*labels)[300] = calloc(n + 1, sizeof(*labels));
	chart_axes ax = {
	        i18n_text(lang, "dash.tier"), i18n_text(lang, "dash.total"), 0.5, 1.5, 0, 1,
	        i18n_text(lang, "dash.mean")};

	view_t(m, "h2", v, "dash.scatter");
	view_t(m, "p", v, "dash.scatter_intro");
	if (p == NULL || labels == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(sc, i), *who = json_object_get(s, "organisation");
		char dev[64];
		snprintf(dev, sizeof(dev), "%s %.1f", i18n_text(lang, "dash.deviation"),
		         web_jnum(s, "deviation"));
		if (json_is_object(who))
			snprintf(labels[i], sizeof(labels[i]), "%s (%s, %s)", web_jstr(who, "name"),
			         web_jstr(who, "id"), dev);
		else {
			char many[100];
			i18n_format(lang, "dash.n_orgs", web_jint(s, "organisations"), many,
			            sizeof(many));
			snprintf(labels[i], sizeof(labels[i]), "%s (%s)", many, dev);
		}
		p[i] = (chart_point){(double)web_jint(s, "tier"), (double)web_jint(s, "total"),
		                     labels[i], web_jint(s, "organisations")};
		if (p[i].x + 0.5 > ax.xhi)
			ax.xhi = p[i].x + 0.5;
		if (p[i].y > ax.yhi)
			ax.yhi = p[i].y;
	}
	/* tiers half a step in from the edges; totals up to the next 20 above */
	ax.yhi = 20 * ceil((ax.yhi + 1) / 20);
	chart_scatter(m, "scatter", i18n_text(lang, "dash.scatter"), &ax, p, n);
out:
	free(p);
	free(labels);
}

/* Levels 1–5 from weak to strong, then "n/a": a colour and hatch each. */
static void distributions(view_node *m, const view *v, json_t *a)
{
	static const chart_colour colour[] = {CHART_VERMILLION, CHART_ORANGE, CHART_YELLOW,
	                                      CHART_SKY,        CHART_BLUE,   CHART_GREY};
	i18n_lang lang = view_lang(v);
	json_t *items = json_object_get(a, "items");
	view_node *grid;

	view_t(m, "h2", v, "dash.distribution");
	grid = view_el(m, "div", NULL);
	view_attr(grid, "class", "dist-grid");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i), *d = json_object_get(it, "distribution");
		chart_part bars[6];
		char lv[5][2] = {"1", "2", "3", "4", "5"}, id[48], cap[600], mean[32];
		view_node *fig = view_el(grid, "figure", NULL);
		for (int l = 0; l < 5; l++)
			bars[l] = (chart_part){lv[l], web_jint(d, lv[l]), colour[l]};
		bars[5] = (chart_part){i18n_text(lang, "answer.na"), web_jint(it, "na"), colour[5]};
		snprintf(id, sizeof(id), "dist-%zu", i);
		if (isfinite(web_jnum(it, "mean")))
			snprintf(mean, sizeof(mean), "%.2f", web_jnum(it, "mean"));
		else
			snprintf(mean, sizeof(mean), "—");
		snprintf(cap, sizeof(cap), "%s %s", web_jstr(it, "id"), text_of(it, lang));
		view_el(view_el(fig, "figcaption", NULL), "span", cap);
		chart_bars(fig, id, cap, bars, 6, (int)web_jint(it, "desirable") - 1,
		           i18n_text(lang, "dash.desirable"));
		{
			char line[200];
			snprintf(line, sizeof(line), "%s %s / %s %lld / %s %lld",
			         i18n_text(lang, "dash.mean"), mean,
			         i18n_text(lang, "dash.desirable"), web_jint(it, "desirable"),
			         i18n_text(lang, "dash.below_count"),
			         web_jint(json_object_get(it, "below_desirable"), "count"));
			view_el(fig, "p", line);
		}
	}
}

/* A list of the page; none asked for when the progress says it is empty. */
static json_t *orgs(const http_req *req, long long id, const char *status, int below,
                    long long known, int *ok)
{
	agg_org_query q;
	json_t *out = NULL;
	char detail[256];
	if (known == 0)
		return json_pack("{s:i, s:[]}", "total", 0, "organisations");
	agg_org_query_default(&q);
	q.status = status;
	q.below = below;
	q.limit = LIST_MAX;
	q.sort = below ? AGG_SORT_WEAKEST : AGG_SORT_ID;
	if (agg_orgs(req->db, id, &q, &out, detail, sizeof(detail)) != AGG_OK)
		*ok = 0;
	return out;
}

static view_node *list_table(view_node *m, const view *v, const char *const *cols, size_t n)
{
	view_node *t = view_el(m, "table", NULL);
	view_node *tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < n; i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	return view_el(t, "tbody", NULL);
}

static void shown_of(view_node *m, const view *v, json_t *page)
{
	char b[160];
	size_t shown = json_array_size(json_object_get(page, "organisations"));
	i18n_format(view_lang(v), "dash.count", web_jint(page, "total"), b, sizeof(b));
	if ((long long)shown < web_jint(page, "total")) {
		char more[120];
		i18n_format(view_lang(v), "dash.shown_first", (long long)shown, more, sizeof(more));
		snprintf(b + strlen(b), sizeof(b) - strlen(b), " %s", more);
	}
	view_el(m, "p", b);
}

static void below_list(view_node *m, const view *v, json_t *page, long long id)
{
	static const char *const cols[] = {"subs.name", "dash.variant",   "dash.total",
	                                   "dash.mean", "dash.deviation", "dash.below_count",
	                                   "dash.tier"};
	json_t *list = json_object_get(page, "organisations");
	view_node *tbody;
	char href[96];

	view_t(m, "h2", v, "dash.below");
	view_t(m, "p", v, "dash.below_intro");
	shown_of(m, v, page);
	tbody = list_table(m, v, cols, 7);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *o = json_array_get(list, i), *sc = json_object_get(o, "score");
		view_node *tr = view_el(tbody, "tr", NULL), *th = view_el(tr, "th", NULL);
		char b[32];
		view_attr(th, "scope", "row");
		org_link(th, o, id);
		view_el(tr, "td", web_jstr(o, "variant")[0] ? web_jstr(o, "variant") : "—");
		snprintf(b, sizeof(b), "%lld", web_jint(sc, "total"));
		view_el(tr, "td", b);
		num_cell(tr, web_jnum(sc, "mean"), 2);
		num_cell(tr, web_jnum(sc, "deviation"), 1);
		snprintf(b, sizeof(b), "%lld", web_jint(sc, "below_desirable"));
		view_el(tr, "td", b);
		num_cell(tr, (double)web_jint(o, "tier"), 0);
	}
	snprintf(href, sizeof(href), "/admin/campaigns/%lld/heatmap?below=1", id);
	view_link(view_el(m, "p", NULL), href, i18n_text(view_lang(v), "dash.below_heatmap"));
}

static void status_list(view_node *m, const view *v, json_t *page, long long id, int refused)
{
	static const char *const cols[] = {"subs.id", "subs.name", "dash.variant", "dash.reason"};
	i18n_lang lang = view_lang(v);
	json_t *list = json_object_get(page, "organisations");
	view_node *tbody;

	view_t(m, "h2", v, refused ? "dash.refused_list" : "dash.overdue_list");
	shown_of(m, v, page);
	tbody = list_table(m, v, cols, refused ? 4 : 3);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *o = json_array_get(list, i), *r = json_object_get(o, "last_refusal");
		view_node *tr = view_el(tbody, "tr", NULL), *td;
		view_attr(view_el(tr, "th", web_jstr(o, "id")), "scope", "row");
		org_link(view_el(tr, "td", NULL), o, id);
		view_el(tr, "td", web_jstr(o, "variant")[0] ? web_jstr(o, "variant") : "—");
		if (!refused)
			continue;
		td = view_el(tr, "td", NULL);
		if (json_is_object(r)) {
			const err_def *e = err_find(web_jstr(r, "code"));
			view_el(td, "code", web_jstr(r, "code"));
			if (e != NULL)
				view_el(td, "p", err_text(e, i18n_code(lang)));
			view_attr(view_el(td, "time", web_jstr(r, "at")), "datetime",
			          web_jstr(r, "at"));
		}
	}
}

void web_admin_overview(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	long long id = http_path_id(req);
	json_t *a = NULL, *below = NULL, *overdue = NULL, *refused = NULL;
	json_t *c;
	agg_opts o;
	agg_rc rc;
	int ok = 1;
	view *v = NULL;
	view_node *m;
	char lead[600];

	agg_opts_default(&o);
	o.org_limit = 0; /* the lists below are pages of their own */
	o.below_limit = 0;
	rc = id ? agg_campaign(req->db, id, &o, &a) : AGG_ERR_NOT_FOUND;
	if (rc == AGG_ERR_NOT_FOUND) {
		http_res_fail(res, "not_found", "no such campaign");
		return;
	}
	if (rc == AGG_OK) {
		json_t *p = json_object_get(a, "progress");
		below = orgs(req, id, NULL, 1, web_jint(p, "answered"), &ok);
		overdue = orgs(req, id, "overdue", 0, web_jint(p, "overdue"), &ok);
		refused = orgs(req, id, "submitted", 0, web_jint(p, "submitted"), &ok);
	}
	if (rc != AGG_OK || !ok || below == NULL || overdue == NULL || refused == NULL) {
		http_res_fail(res, ERR_INTERNAL, "the aggregate could not be computed");
		goto out;
	}
	c = json_object_get(a, "campaign");
	if ((v = web_view(req, lang, "dash.overview")) == NULL) {
		web_send(res, 500, NULL);
		goto out;
	}
	m = view_main(v);
	snprintf(lead, sizeof(lead), "%s — %s@%s — %s %s (%s)", web_jstr(c, "name"),
	         web_jstr(json_object_get(c, "questionnaire"), "id"),
	         web_jstr(json_object_get(c, "questionnaire"), "version"),
	         i18n_text(lang, "col.due"), web_jstr(c, "due"),
	         i18n_text(lang, strcmp(web_jstr(c, "status"), "open") == 0 ? "dash.open"
	                                                                    : "dash.closed"));
	view_attr(view_el(m, "p", lead), "class", "lead");
	links(m, v, id);
	figures(m, v, a);
	progress(m, v, a, id);
	radar(m, v, a);
	scatter(m, v, a);
	below_list(m, v, below, id);
	status_list(m, v, overdue, id, 0);
	status_list(m, v, refused, id, 1);
	distributions(m, v, a);
	web_send(res, 200, v);
out:
	json_decref(a);
	json_decref(below);
	json_decref(overdue);
	json_decref(refused);
}
