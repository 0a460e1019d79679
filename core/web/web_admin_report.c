/* web_admin_report.c — the printable report of a campaign for a
 * management meeting, GET /admin/campaigns/{id}/report (and one
 * organisation in it with ?organisation=): A4 sheets — the summary with
 * progress, the section means against the desirable level, the weakest
 * organisations (or the organisation's gaps), the re-entrustment chains,
 * the distribution of every item — laid out by the print styles of
 * portal.css (@page A4, no navigation, a page break between sheets). GET
 * …/report.pdf is the same page printed by headless Chromium (pdf.h) from
 * a file beside its stylesheet; where there is no Chromium the answer is
 * 503 pdf_unavailable: the browser's print of the page makes the same PDF.
 * Every number is the aggregate's and the chains' (agg_campaign(),
 * agg_orgs(), chains_campaign_json(): the API's documents); this file lays
 * them out and decides nothing. */
#include "core/aggregate.h"
#include "core/chains.h"
#include "core/errors.h"
#include "core/util/clock.h"
#include "core/web/chart.h"
#include "core/web/pdf.h"
#include "core/web/static.h"
#include "core/web/web.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX  15 /* organisations per list on a sheet */
#define PATHS_MAX 5

static const char *text(const view *v, const char *key)
{
	return i18n_text(view_lang(v), key);
}

static const char *text_of(json_t *o, i18n_lang lang)
{
	json_t *t = json_object_get(o, "text");
	if (t == NULL)
		t = json_object_get(o, "title");
	return web_jstr(t, lang == LANG_EN ? "en" : "ja");
}

static void num_text(double v, int decimals, char *b, size_t len)
{
	if (!isfinite(v))
		snprintf(b, len, "—");
	else
		snprintf(b, len, "%.*f", decimals, v);
}

static void pair(view_node *dl, const view *v, const char *key, const char *value)
{
	view_node *d = view_el(dl, "div", NULL);
	view_t(d, "dt", v, key);
	view_el(d, "dd", value);
}

static void pair_num(view_node *dl, const view *v, const char *key, double n, int decimals)
{
	char b[48];
	num_text(n, decimals, b, sizeof(b));
	pair(dl, v, key, b);
}

static view_node *sheet(view_node *m, const view *v, const char *id, const char *title_key)
{
	view_node *s = view_el(m, "section", NULL);
	view_attr(s, "class", "sheet");
	view_attr(s, "id", id);
	view_t(s, "h2", v, title_key);
	return s;
}

static view_node *table(view_node *parent, const view *v, const char *const *cols, size_t n)
{
	view_node *t = view_el(parent, "table", NULL);
	view_node *tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < n; i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	return view_el(t, "tbody", NULL);
}

/* ---- the data ---- */

typedef struct report {
	long long id;
	const char *org; /* NULL: the whole campaign */
	json_t *agg;     /* agg_campaign() */
	json_t *below, *overdue, *refused;
	json_t *chains; /* summary and paths */
	json_t *one;    /* the organisation, with levels; NULL without org */
	json_t *items;  /* of the organisation's page: text, desirable, mean */
} report;

static void report_free(report *r)
{
	json_decref(r->agg);
	json_decref(r->below);
	json_decref(r->overdue);
	json_decref(r->refused);
	json_decref(r->chains);
	json_decref(r->one);
	json_decref(r->items);
}

static json_t *orgs(db_conn *db, const report *r, const char *status, int below, int *ok)
{
	agg_org_query q;
	json_t *out = NULL;
	char detail[256];
	agg_org_query_default(&q);
	q.status = status;
	q.below = below;
	q.limit = LIST_MAX;
	q.sort = below ? AGG_SORT_WEAKEST : AGG_SORT_ID;
	if (agg_orgs(db, r->id, &q, &out, detail, sizeof(detail)) != AGG_OK)
		*ok = 0;
	return out;
}

/* Fills r, or sets res (404 for an unknown campaign or an organisation
 * not in it) and returns 0. */
static int report_load(const http_req *req, http_res *res, report *r)
{
	agg_opts o;
	chains_opts co;
	agg_rc rc;
	int ok = 1;

	agg_opts_default(&o);
	o.org_limit = 0;
	o.below_limit = 0;
	rc = r->id ? agg_campaign(req->db, r->id, &o, &r->agg) : AGG_ERR_NOT_FOUND;
	if (rc == AGG_ERR_NOT_FOUND) {
		http_res_fail(res, "not_found", "no such campaign");
		return 0;
	}
	if (rc != AGG_OK)
		goto fail;
	if (r->org != NULL) {
		agg_org_query q;
		json_t *page = NULL;
		char detail[256];
		agg_org_query_default(&q);
		q.org = r->org;
		q.levels = 1;
		if (agg_orgs(req->db, r->id, &q, &page, detail, sizeof(detail)) != AGG_OK)
			goto fail;
		r->one = json_incref(json_array_get(json_object_get(page, "organisations"), 0));
		r->items = json_incref(json_object_get(page, "items"));
		json_decref(page);
		if (r->one == NULL) {
			http_res_fail(res, "not_found", "no organisation %s in campaign %lld",
			              r->org, r->id);
			return 0;
		}
	} else {
		r->below = orgs(req->db, r, NULL, 1, &ok);
		r->overdue = orgs(req->db, r, "overdue", 0, &ok);
		r->refused = orgs(req->db, r, "submitted", 0, &ok);
	}
	chains_opts_default(&co);
	co.limit = 0;
	co.paths = PATHS_MAX;
	co.max_depth = req->srv->cfg.max_depth;
	if (!ok || chains_campaign_json(req->db, r->id, &co, &r->chains) != CHAINS_OK)
		goto fail;
	return 1;
fail:
	http_res_fail(res, ERR_INTERNAL, "the report could not be computed");
	return 0;
}

/* ---- the sheets ---- */

static void summary_sheet(view_node *m, const view *v, const report *r)
{
	i18n_lang lang = view_lang(v);
	json_t *c = json_object_get(r->agg, "campaign"), *p = json_object_get(r->agg, "progress"),
	       *pop = json_object_get(r->agg, "population"),
	       *tl = json_object_get(r->agg, "timeline");
	view_node *s = sheet(m, v, "summary", "report.summary"), *dl;
	size_t n = json_array_size(tl);
	const char **days = calloc(n + 1, sizeof(*days));
	long long *cum = calloc(n + 1, sizeof(*cum));
	char b[300];

	dl = view_el(s, "dl", NULL);
	view_attr(dl, "class", "figures");
	snprintf(b, sizeof(b), "%s@%s", web_jstr(json_object_get(c, "questionnaire"), "id"),
	         web_jstr(json_object_get(c, "questionnaire"), "version"));
	pair(dl, v, "col.questionnaire", b);
	pair(dl, v, "col.due", web_jstr(c, "due"));
	pair(dl, v, "report.as_of", web_jstr(r->agg, "as_of"));
	static const struct {
		const char *key, *member;
	} counts[] = {{"dash.assigned", "assigned"},
	              {"status.accepted", "answered"},
	              {"dash.refused", "submitted"},
	              {"status.overdue", "overdue"},
	              {"status.not_started", "not_started"}};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		snprintf(b, sizeof(b), "%lld", web_jint(p, counts[i].member));
		pair(dl, v, counts[i].key, b);
	}
	snprintf(b, sizeof(b), "%.1f%%", 100 * web_jnum(p, "answered_ratio"));
	pair(dl, v, "dash.ratio", b);
	pair_num(dl, v, "dash.mean_level", web_jnum(pop, "mean_level"), 2);
	pair_num(dl, v, "dash.total_mean", web_jnum(pop, "total_mean"), 1);
	web_progress_bar(s, v, "report-progress", p);
	if (days != NULL && cum != NULL) {
		for (size_t i = 0; i < n; i++) {
			days[i] = web_jstr(json_array_get(tl, i), "day");
			cum[i] = web_jint(json_array_get(tl, i), "cumulative");
		}
		chart_steps(s, "report-timeline", i18n_text(lang, "dash.timeline"), days, cum, n,
		            web_jint(p, "assigned"), i18n_text(lang, "dash.assigned"),
		            web_jstr(c, "due"), i18n_text(lang, "col.due"));
	}
	free(days);
	free(cum);
	if (r->one != NULL) {
		json_t *sc = json_object_get(r->one, "score");
		view_node *box = view_el(s, "div", NULL);
		char key[48];
		view_attr(box, "class", "org-box");
		view_el(box, "h3", web_jstr(r->one, "name"));
		dl = view_el(box, "dl", NULL);
		view_attr(dl, "class", "figures");
		pair(dl, v, "subs.id", web_jstr(r->one, "id"));
		snprintf(key, sizeof(key), "status.%s", web_jstr(r->one, "status"));
		pair(dl, v, "col.status", text(v, key));
		pair_num(dl, v, "dash.tier", (double)web_jint(r->one, "tier"), 0);
		pair_num(dl, v, "dash.total", web_jnum(sc, "total"), 0);
		pair_num(dl, v, "dash.mean", web_jnum(sc, "mean"), 2);
		pair_num(dl, v, "dash.deviation", web_jnum(sc, "deviation"), 1);
		pair_num(dl, v, "dash.below_count", web_jnum(sc, "below_desirable"), 0);
	}
}

/* The mean desirable level of section sec for org: the levels in force
 * for it (its group's where it is in one) over the section's items of its
 * page, as its gap list counts them; NAN when the section has none. */
static double org_section_desirable(json_t *items, const char *sec, json_t *org)
{
	double sum = 0;
	long long n = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		if (sec == NULL || strcmp(web_jstr(it, "section"), sec) != 0)
			continue;
		sum += (double)web_desirable_for(it, org);
		n++;
	}
	return n > 0 ? sum / (double)n : NAN;
}

static void sections_sheet(view_node *m, const view *v, const report *r)
{
	i18n_lang lang = view_lang(v);
	json_t *secs = json_object_get(r->agg, "sections"),
	       *own = json_object_get(json_object_get(r->one, "score"), "sections");
	size_t n = json_array_size(secs);
	const char **axes = calloc(n + 1, sizeof(*axes));
	double *mean = calloc(n + 1, sizeof(*mean)), *want = calloc(n + 1, sizeof(*want)),
	       *mine = calloc(n + 1, sizeof(*mine));
	view_node *s = sheet(m, v, "sections", "report.sections"), *tbody;
	const char *cols[] = {"dash.section", "dash.campaign_mean", "dash.desirable",
	                      "report.org_mean"};

	if (axes == NULL || mean == NULL || want == NULL || mine == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *sec = json_array_get(secs, i);
		axes[i] = text_of(sec, lang);
		mean[i] = web_jnum(sec, "mean");
		want[i] = r->one != NULL
		                  ? org_section_desirable(r->items, web_jstr(sec, "id"), r->one)
		                  : NAN;
		if (isnan(want[i]))
			want[i] = web_jnum(sec, "desirable");
		mine[i] = web_jnum(own, web_jstr(sec, "id"));
	}
	{
		chart_series series[] = {
		        {i18n_text(lang, "dash.campaign_mean"), mean, CHART_BLUE},
		        {i18n_text(lang, "dash.desirable"), want, CHART_GREEN},
		        {r->one != NULL ? web_jstr(r->one, "name") : "", mine, CHART_VERMILLION}};
		chart_radar(s, "report-radar", i18n_text(lang, "dash.radar"), axes, n, series,
		            r->one != NULL ? 3 : 2, 0, 5);
	}
	tbody = table(s, v, cols, r->one != NULL ? 4 : 3);
	for (size_t i = 0; i < n; i++) {
		view_node *tr = view_el(tbody, "tr", NULL);
		char b[32];
		view_attr(view_el(tr, "th", axes[i]), "scope", "row");
		num_text(mean[i], 2, b, sizeof(b));
		view_el(tr, "td", b);
		num_text(want[i], 2, b, sizeof(b));
		view_el(tr, "td", b);
		if (r->one != NULL) {
			num_text(mine[i], 2, b, sizeof(b));
			view_el(tr, "td", b);
		}
	}
out:
	free(axes);
	free(mean);
	free(want);
	free(mine);
}

/* the organisation's items below the desirable level, lowest first */
static void gaps_sheet(view_node *m, const view *v, const report *r)
{
	static const char *const cols[] = {"report.item", "report.level", "dash.desirable",
	                                   "dash.campaign_mean"};
	json_t *levels = json_object_get(r->one, "levels"), *it;
	view_node *s = sheet(m, v, "gaps", "report.gaps"), *tbody = NULL;
	size_t i;
	int shown = 0;

	view_t(s, "p", v, "report.gaps_intro");
	for (long long lv = 1; lv <= 5; lv++)
		json_array_foreach(r->items, i, it)
		{
			json_t *l = json_object_get(levels, web_jstr(it, "id"));
			view_node *tr, *th;
			char b[32];
			if (!json_is_integer(l) || json_integer_value(l) != lv ||
			    lv >= web_desirable_for(it, r->one))
				continue;
			if (tbody == NULL)
				tbody = table(s, v, cols, 4);
			tr = view_el(tbody, "tr", NULL);
			th = view_el(tr, "th", NULL);
			view_attr(th, "scope", "row");
			view_el(th, "code", web_jstr(it, "id"));
			view_el(th, "span", " ");
			view_el(th, "span", text_of(it, view_lang(v)));
			snprintf(b, sizeof(b), "%lld", lv);
			view_el(tr, "td", b);
			snprintf(b, sizeof(b), "%lld", web_desirable_for(it, r->one));
			view_el(tr, "td", b);
			num_text(web_jnum(it, "mean"), 2, b, sizeof(b));
			view_el(tr, "td", b);
			shown++;
		}
	if (shown == 0)
		view_t(s, "p", v, "report.no_gaps");
}

static void scatter(view_node *s, const view *v, const report *r)
{
	i18n_lang lang = view_lang(v);
	json_t *sc = json_object_get(r->agg, "scatter");
	size_t n = json_array_size(sc);
	chart_point *p = calloc(n + 1, sizeof(*p));
	char(*labels)[300] = calloc(n + 1, sizeof(*labels));
	chart_axes ax = {i18n_text(lang, "dash.tier"), i18n_text(lang, "dash.total"), 1, 1, 0, 1,
	                 i18n_text(lang, "dash.mean")};
	if (p == NULL || labels == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *pt = json_array_get(sc, i), *who = json_object_get(pt, "organisation");
		if (json_is_object(who))
			snprintf(labels[i], sizeof(labels[i]), "%s (%s %.1f)",
			         web_jstr(who, "name"), i18n_text(lang, "dash.deviation"),
			         web_jnum(pt, "deviation"));
		else
			snprintf(labels[i], sizeof(labels[i]), "%lld (%s %.1f)",
			         web_jint(pt, "organisations"), i18n_text(lang, "dash.deviation"),
			         web_jnum(pt, "deviation"));
		p[i] = (chart_point){(double)web_jint(pt, "tier"), (double)web_jint(pt, "total"),
		                     labels[i], web_jint(pt, "organisations")};
		if (p[i].x > ax.xhi)
			ax.xhi = p[i].x;
		if (p[i].y > ax.yhi)
			ax.yhi = p[i].y;
	}
	chart_scatter(s, "report-scatter", i18n_text(lang, "dash.scatter"), &ax, p, n);
out:
	free(p);
	free(labels);
}

static void count_line(view_node *s, const view *v, json_t *page)
{
	char b[160];
	size_t shown = json_array_size(json_object_get(page, "organisations"));
	i18n_format(view_lang(v), "dash.count", web_jint(page, "total"), b, sizeof(b));
	if ((long long)shown < web_jint(page, "total")) {
		char more[120];
		i18n_format(view_lang(v), "dash.shown_first", (long long)shown, more, sizeof(more));
		snprintf(b + strlen(b), sizeof(b) - strlen(b), " %s", more);
	}
	view_el(s, "p", b);
}

static void weakest_sheet(view_node *m, const view *v, const report *r)
{
	static const char *const cols[] = {"subs.name",      "dash.total",       "dash.mean",
	                                   "dash.deviation", "dash.below_count", "dash.tier"};
	static const char *const late[] = {"subs.id", "subs.name", "dash.reason"};
	json_t *o;
	view_node *s = sheet(m, v, "organisations", "report.organisations"), *tbody;
	size_t i;

	scatter(s, v, r);
	view_t(s, "h3", v, "dash.below");
	count_line(s, v, r->below);
	tbody = table(s, v, cols, 6);
	json_array_foreach(json_object_get(r->below, "organisations"), i, o)
	{
		json_t *sc = json_object_get(o, "score");
		view_node *tr = view_el(tbody, "tr", NULL), *th = view_el(tr, "th", NULL);
		char b[48];
		view_attr(th, "scope", "row");
		view_el(th, "span", web_jstr(o, "name"));
		view_el(th, "br", NULL);
		view_el(th, "code", web_jstr(o, "id"));
		snprintf(b, sizeof(b), "%lld", web_jint(sc, "total"));
		view_el(tr, "td", b);
		num_text(web_jnum(sc, "mean"), 2, b, sizeof(b));
		view_el(tr, "td", b);
		num_text(web_jnum(sc, "deviation"), 1, b, sizeof(b));
		view_el(tr, "td", b);
		snprintf(b, sizeof(b), "%lld", web_jint(sc, "below_desirable"));
		view_el(tr, "td", b);
		num_text((double)web_jint(o, "tier"), 0, b, sizeof(b));
		view_el(tr, "td", b);
	}
	for (int k = 0; k < 2; k++) {
		json_t *page = k == 0 ? r->overdue : r->refused;
		view_t(s, "h3", v, k == 0 ? "dash.overdue_list" : "dash.refused_list");
		count_line(s, v, page);
		if (json_array_size(json_object_get(page, "organisations")) == 0)
			continue;
		tbody = table(s, v, late, k == 0 ? 2 : 3);
		json_array_foreach(json_object_get(page, "organisations"), i, o)
		{
			view_node *tr = view_el(tbody, "tr", NULL);
			json_t *ref = json_object_get(o, "last_refusal");
			view_attr(view_el(view_el(tr, "th", NULL), "code", web_jstr(o, "id")),
			          "class", "id");
			view_el(tr, "td", web_jstr(o, "name"));
			if (k == 1)
				view_el(view_el(tr, "td", NULL), "code", web_jstr(ref, "code"));
		}
	}
}

static void chains_sheet(view_node *m, const view *v, const report *r)
{
	static const char *const counts[] = {"nodes",   "unanswered", "overdue",
	                                     "pending", "invited",    "unapproved",
	                                     "cycles",  "too_deep",   "unreachable"};
	json_t *sm = json_object_get(r->chains, "summary"), *p, *o, *val;
	view_node *s = sheet(m, v, "chains", "report.chains"), *dl, *ol;
	const char *key;
	char k[48], b[64];
	size_t i, j;

	dl = view_el(s, "dl", NULL);
	view_attr(dl, "class", "figures");
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		snprintf(k, sizeof(k), "chains.n_%s", counts[i]);
		snprintf(b, sizeof(b), "%lld", web_jint(sm, counts[i]));
		pair(dl, v, k, b);
	}
	json_object_foreach(json_object_get(sm, "tiers"), key, val)
	{
		char label[64];
		long long t = 0;
		for (const char *c = key; *c >= '0' && *c <= '9'; c++)
			t = t * 10 + (*c - '0');
		i18n_format(view_lang(v), "chains.tier", t, label, sizeof(label));
		snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(val));
		view_node *d = view_el(dl, "div", NULL);
		view_el(d, "dt", label);
		view_el(d, "dd", b);
	}
	view_t(s, "h3", v, "chains.paths");
	if (json_array_size(json_object_get(r->chains, "paths")) == 0) {
		view_t(s, "p", v, "chains.none");
		return;
	}
	ol = view_el(s, "ol", NULL);
	json_array_foreach(json_object_get(r->chains, "paths"), i, p)
	{
		const char *w = web_jstr(json_object_get(p, "weakest"), "organisation");
		view_node *li = view_el(ol, "li", NULL);
		view_t(li, "span", v, "chains.root");
		json_array_foreach(json_object_get(p, "organisations"), j, o)
		{
			view_el(li, "span", " → ");
			if (strcmp(json_string_value(o), w) == 0)
				view_el(view_el(li, "mark", NULL), "code", json_string_value(o));
			else
				view_el(li, "code", json_string_value(o));
		}
		if (w[0] != '\0') {
			i18n_format(view_lang(v), "chains.path_weakest",
			            web_jint(json_object_get(p, "weakest"), "total"), b, sizeof(b));
			view_el(li, "span", b);
		}
	}
}

static void distribution_sheet(view_node *m, const view *v, const report *r)
{
	static const chart_colour colour[] = {CHART_VERMILLION, CHART_ORANGE, CHART_YELLOW,
	                                      CHART_SKY,        CHART_BLUE,   CHART_GREY};
	i18n_lang lang = view_lang(v);
	json_t *items = json_object_get(r->agg, "items"), *it;
	view_node *s = sheet(m, v, "distribution", "report.distribution"), *grid;
	size_t i;

	grid = view_el(s, "div", NULL);
	view_attr(grid, "class", "dist-grid");
	json_array_foreach(items, i, it)
	{
		json_t *d = json_object_get(it, "distribution");
		chart_part bars[6];
		char lv[5][2] = {"1", "2", "3", "4", "5"}, id[48], cap[600];
		view_node *fig = view_el(grid, "figure", NULL);
		for (int l = 0; l < 5; l++)
			bars[l] = (chart_part){lv[l], web_jint(d, lv[l]), colour[l]};
		bars[5] = (chart_part){i18n_text(lang, "answer.na"), web_jint(it, "na"), colour[5]};
		snprintf(id, sizeof(id), "report-dist-%zu", i);
		snprintf(cap, sizeof(cap), "%s %s", web_jstr(it, "id"), text_of(it, lang));
		view_el(view_el(fig, "figcaption", NULL), "span", cap);
		chart_bars(fig, id, cap, bars, 6, (int)web_jint(it, "desirable") - 1,
		           i18n_text(lang, "dash.desirable"));
	}
}

/* ---- the page ---- */

static int report_query(const http_req *req, http_res *res, const char **org)
{
	static const char *const keys[] = {"lang", "organisation"};
	char bad[64];
	if (!http_query_only(req, keys, 2, bad, sizeof(bad))) {
		http_res_fail(res, "query_invalid", "unknown or repeated query parameter \"%s\"",
		              bad);
		return 0;
	}
	*org = http_query(req, "organisation");
	if (*org != NULL && (*org)[0] == '\0')
		*org = NULL;
	return 1;
}

/* The report as a page; for_pdf leaves out what only a screen needs. */
static view *report_view(const http_req *req, http_res *res, const report *r, int for_pdf)
{
	i18n_lang lang = web_lang(req, res);
	json_t *c = json_object_get(r->agg, "campaign");
	view *v = web_view(req, lang, r->one != NULL ? "report.title_org" : "report.title");
	view_node *m = view_main(v), *p;
	char now[32], b[400], href[200];

	view_attr(m, "class", "dashboard report");
	p = view_el(m, "p", NULL);
	view_attr(p, "class", "lead");
	view_el(p, "strong", web_jstr(c, "name"));
	if (r->one != NULL) {
		view_el(p, "span", " — ");
		view_el(p, "strong", web_jstr(r->one, "name"));
	}
	if (!for_pdf) {
		view_node *tools = view_el(m, "div", NULL);
		view_attr(tools, "class", "screen-only tools");
		snprintf(href, sizeof(href), "/admin/campaigns/%lld/report.pdf%s%s", r->id,
		         r->org != NULL ? "?organisation=" : "", r->org != NULL ? r->org : "");
		view_attr(view_link(view_el(tools, "p", NULL), href, text(v, "report.pdf")),
		          "download", "");
		view_t(tools, "p", v, "report.print_hint");
		snprintf(href, sizeof(href), "/admin/campaigns/%lld", r->id);
		view_link(view_el(tools, "p", NULL), href, text(v, "chains.back"));
	}
	summary_sheet(m, v, r);
	sections_sheet(m, v, r);
	if (r->one != NULL)
		gaps_sheet(m, v, r);
	else
		weakest_sheet(m, v, r);
	chains_sheet(m, v, r);
	distribution_sheet(m, v, r);
	clock_now(now);
	snprintf(b, sizeof(b), "%s %s UTC — itaku", text(v, "report.made"), now);
	view_attr(view_el(m, "p", b), "class", "made");
	return v;
}

void web_admin_report(const http_req *req, http_res *res)
{
	report r = {http_path_id(req), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
	if (report_query(req, res, &r.org) && report_load(req, res, &r))
		web_send(res, 200, report_view(req, res, &r, 0));
	report_free(&r);
}

void web_admin_report_pdf(const http_req *req, http_res *res)
{
	report r = {http_path_id(req), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
	const static_file *css = NULL;
	const char *css_url = static_url("portal.css");
	unsigned char *html = NULL, *pdf = NULL;
	size_t html_len = 0, pdf_len = 0;
	char detail[300];
	view *v;
	pdf_rc rc;

	if (!report_query(req, res, &r.org) || !report_load(req, res, &r))
		goto out;
	/* said before the work: no Chromium here, the browser prints */
	if (!pdf_available(req->srv->cfg.chromium)) {
		http_res_fail(
		        res, "pdf_unavailable",
		        "no Chromium at \"%s\" ([report] chromium): open /admin/campaigns/%lld/"
		        "report and print it from the browser",
		        req->srv->cfg.chromium, r.id);
		goto out;
	}
	if (css_url != NULL)
		css = static_find(css_url + strlen("/static/"));
	v = report_view(req, res, &r, 1);
	view_stylesheet_file(v, "report.css");
	if (v == NULL || css == NULL || view_render(v, &html, &html_len) != 0) {
		view_free(v);
		http_res_fail(res, ERR_INTERNAL, "the report could not be built");
		goto out;
	}
	view_free(v);
	pdf_job job = {req->srv->cfg.chromium,
	               req->srv->cfg.pdf_timeout_seconds,
	               html,
	               html_len,
	               "report.css",
	               css->data,
	               css->len};
	rc = pdf_print(&job, &pdf, &pdf_len, detail, sizeof(detail));
	if (rc != PDF_OK) {
		if (rc == PDF_ERR_BUSY)
			res->retry_after = 10;
		http_res_fail(res, pdf_rc_code(rc), "%s", detail);
		goto out;
	}
	http_res_raw(res, 200, "application/pdf", pdf, pdf_len);
	if (r.org != NULL)
		snprintf(res->filename, sizeof(res->filename), "itaku-report-%lld-%s.pdf", r.id,
		         r.org);
	else
		snprintf(res->filename, sizeof(res->filename), "itaku-report-%lld.pdf", r.id);
out:
	free(html);
	report_free(&r);
}
