/* aggregate.c — the campaign aggregate as a document: the JSON the API
 * serves and `itaku report` prints, and the CSV. The figures come from
 * the aggregate store (core/db/aggregate.c), which reads what the
 * accepting transaction keeps current with SQL aggregation and index
 * ranges; here only a few dozen aggregated rows are merged, the deviation
 * values worked out, rounded and formatted. No answer set is loaded. */
#include "core/aggregate.h"

#include "core/campaigns.h"
#include "core/db/aggregate.h"
#include "core/util/clock.h"
#include "forms/number.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *agg_rc_str(agg_rc rc)
{
	switch (rc) {
	case AGG_OK: return "ok";
	case AGG_ERR_NOT_FOUND: return "no such campaign";
	case AGG_ERR_DB: return "database error";
	case AGG_ERR_NOMEM: return "out of memory";
	case AGG_ERR_IO: return "write error";
	case AGG_ERR_INVALID: return "invalid query";
	}
	return "unknown aggregate error";
}

void agg_opts_default(agg_opts *o)
{
	o->org_offset = 0;
	o->org_limit = 100;
	o->below_limit = 20;
	o->today = NULL;
}

typedef struct campaign_info {
	long long id;
	aggdb_campaign c;
	char today[11];
} campaign_info;

/* One item of the questionnaire with its distribution in the campaign:
 * n[0] answers "na", n[1..5] answers per level. */
typedef struct item_stat {
	char *id;
	char *section;
	char *ja;
	char *en;
	int desirable; /* in force for the campaign as a whole */
	int optional;
	int def;         /* the definition's */
	char origin[24]; /* "default", "campaign:item", "campaign:section" */
	json_t *groups;  /* group -> the level in force for its members */
	int grouped;     /* a group's level differs from desirable */
	long long n[6];
} item_stat;

typedef struct item_list {
	item_stat *v;
	size_t n, cap;
} item_list;

static agg_rc from_db(db_rc rc)
{
	switch (rc) {
	case DB_OK: return AGG_OK;
	case DB_ERR_NOTFOUND: return AGG_ERR_NOT_FOUND;
	case DB_ERR_NOMEM: return AGG_ERR_NOMEM;
	default: return AGG_ERR_DB;
	}
}

static void item_free(item_stat *it)
{
	free(it->id);
	free(it->section);
	free(it->ja);
	free(it->en);
	json_decref(it->groups);
}

static void items_free(item_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		item_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static agg_rc load_campaign(db_conn *db, long long id, const char *today, campaign_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->id = id;
	clock_today(today, ci->today);
	return from_db(aggdb_campaign_get(db, id, &ci->c));
}

static item_stat *find_item(const item_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}

static int item_add(void *ctx, const aggdb_item *row)
{
	item_list *l = ctx;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		item_stat *nv = realloc(l->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = ncap;
	}
	item_stat *it = &l->v[l->n++];
	memset(it, 0, sizeof(*it));
	it->id = strdup(row->id);
	it->section = strdup(row->section);
	it->desirable = row->desirable;
	it->optional = row->optional;
	it->def = row->def;
	snprintf(it->origin, sizeof(it->origin), "%s", row->origin);
	if ((it->groups = json_object()) == NULL)
		return -1;
	it->ja = strdup(row->text_ja);
	it->en = strdup(row->text_en);
	return !it->id || !it->section || !it->ja || !it->en ? -1 : 0;
}

static int group_level_add(void *ctx, const char *group, const char *item, int level)
{
	item_stat *it = find_item(ctx, item);
	if (it == NULL)
		return 0;
	if (level != it->desirable)
		it->grouped = 1;
	return json_object_set_new(it->groups, group, json_integer(level));
}

static int level_add(void *ctx, const char *item, int level, long long n)
{
	item_stat *it = find_item(ctx, item);
	if (it != NULL && level >= 0 && level <= 5)
		it->n[level] += n;
	return 0;
}

/* The questionnaire's items in order, with the campaign's level counts per
 * item (campaign_item_levels). Optional items nobody answered are left
 * out: no variant in use asks them. */
static agg_rc load_items(db_conn *db, const campaign_info *ci, item_list *l)
{
	size_t keep = 0;
	agg_rc rc;

	memset(l, 0, sizeof(*l));
	if ((rc = from_db(aggdb_items(db, ci->id, ci->c.qid, ci->c.version, item_add, l))) !=
	            AGG_OK ||
	    (rc = from_db(aggdb_group_levels(db, ci->id, group_level_add, l))) != AGG_OK ||
	    (rc = from_db(aggdb_levels(db, ci->id, level_add, l))) != AGG_OK) {
		items_free(l);
		return rc == AGG_ERR_NOT_FOUND ? AGG_ERR_DB : rc;
	}
	/* drop optional items nobody answered */
	for (size_t i = 0; i < l->n; i++) {
		item_stat *it = &l->v[i];
		long long answered = 0;
		for (int k = 0; k <= 5; k++)
			answered += it->n[k];
		if (it->optional && answered == 0) {
			item_free(it);
			continue;
		}
		l->v[keep++] = *it;
	}
	l->n = keep;
	return AGG_OK;
}

static json_t *rounded(double v, double scale)
{
	return json_real(round(v * scale) / scale);
}

static agg_rc progress(db_conn *db, const campaign_info *ci, json_t **out)
{
	aggdb_progress p;
	agg_rc rc = from_db(aggdb_progress_get(db, ci->id, ci->today, &p));
	if (rc != AGG_OK)
		return rc;
	*out = json_pack(
	        "{s:I, s:I, s:I, s:I, s:I, s:o}", "assigned", (json_int_t)p.assigned, "answered",
	        (json_int_t)p.answered, "overdue", (json_int_t)p.overdue, "submitted",
	        (json_int_t)p.submitted, "not_started", (json_int_t)p.not_started, "answered_ratio",
	        p.assigned ? rounded((double)p.answered / (double)p.assigned, 1000) : json_real(0));
	return *out != NULL ? AGG_OK : AGG_ERR_NOMEM;
}

/* Population of the organisations' mean levels: the deviation value of
 * each organisation is measured against it (means, not totals, so that
 * variants with fewer items compare fairly). */
typedef struct population {
	long long n;
	double mean, sd, total_mean;
	long long total_min, total_max;
} population;

static agg_rc load_population(db_conn *db, const campaign_info *ci, population *p)
{
	aggdb_population raw;
	agg_rc rc = from_db(aggdb_population_get(db, ci->id, &raw));
	memset(p, 0, sizeof(*p));
	if (rc != AGG_OK)
		return rc == AGG_ERR_NOT_FOUND ? AGG_ERR_DB : rc;
	p->n = raw.n;
	p->mean = raw.mean;
	double var = raw.mean_sq - p->mean * p->mean;
	p->sd = var > 1e-12 ? sqrt(var) : 0;
	p->total_mean = raw.total_mean;
	p->total_min = raw.total_min;
	p->total_max = raw.total_max;
	return AGG_OK;
}

static json_t *population_json(const population *p)
{
	if (p->n == 0)
		return json_pack("{s:i}", "organisations", 0);
	return json_pack("{s:I, s:o, s:o, s:o, s:I, s:I}", "organisations", (json_int_t)p->n,
	                 "mean_level", rounded(p->mean, 1000), "sd_level", rounded(p->sd, 1000),
	                 "total_mean", rounded(p->total_mean, 100), "total_min",
	                 (json_int_t)p->total_min, "total_max", (json_int_t)p->total_max);
}

/* The desirable level of a section: the mean of its items' (those the
 * campaign asks), the radar's reference line. */
static int section_desirable(const item_list *l, const char *section, double *out)
{
	long long sum = 0, n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].section, section) == 0) {
			sum += l->v[i].desirable;
			n++;
		}
	*out = n ? (double)sum / (double)n : 0;
	return n > 0;
}

typedef struct sections_acc {
	json_t *arr;
	const item_list *items;
} sections_acc;

static int section_json(void *ctx, const aggdb_section *s)
{
	sections_acc *acc = ctx;
	double want = 0;
	int has = section_desirable(acc->items, s->id, &want);
	return json_array_append_new(
	        acc->arr,
	        json_pack("{s:s, s:{s:s, s:s}, s:o, s:o, s:i}", "id", s->id, "title", "ja",
	                  s->title_ja, "en", s->title_en, "mean",
	                  s->has_mean ? rounded(s->mean, 1000) : json_null(), "desirable",
	                  has ? rounded(want, 1000) : json_null(), "organisations", s->orgs));
}

static agg_rc sections(db_conn *db, const campaign_info *ci, const item_list *items, json_t **out)
{
	sections_acc acc = {json_array(), items};
	agg_rc rc = acc.arr == NULL ? AGG_ERR_NOMEM
	                            : from_db(aggdb_sections(db, ci->id, ci->c.qid, ci->c.version,
	                                                     section_json, &acc));
	if (rc != AGG_OK) {
		json_decref(acc.arr);
		return rc == AGG_ERR_NOMEM ? AGG_ERR_DB : rc;
	}
	*out = acc.arr;
	return AGG_OK;
}

/* "campaign:item" -> "campaign" */
static json_t *origin_json(const char *origin)
{
	const char *colon = strchr(origin, ':');
	return json_stringn(origin, colon != NULL ? (size_t)(colon - origin) : strlen(origin));
}

/* nbelow: how many are below their level when groups have levels of
 * their own (-1: count them from the distribution, one level for all) */
static json_t *item_json(const item_stat *it, json_t *below, int limit, long long grouped_below)
{
	long long answered = 0, sum = 0, nbelow = 0;
	json_t *dist = json_object();
	char k[2] = "0";
	for (int l = 1; l <= 5; l++) {
		answered += it->n[l];
		sum += l * it->n[l];
		if (l < it->desirable)
			nbelow += it->n[l];
		k[0] = (char)('0' + l);
		json_object_set_new(dist, k, json_integer(it->n[l]));
	}
	if (grouped_below >= 0)
		nbelow = grouped_below;
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:i, s:i, s:o, s:O, s:I, s:I, s:o, s:o, "
	                 "s:{s:I, s:o, s:b}}",
	                 "id", it->id, "section", it->section, "text", "ja", it->ja, "en", it->en,
	                 "desirable", it->desirable, "desirable_default", it->def,
	                 "desirable_origin", origin_json(it->origin), "desirable_groups",
	                 it->groups, "answered", (json_int_t)answered, "na", (json_int_t)it->n[0],
	                 "distribution", dist, "mean",
	                 answered ? rounded((double)sum / (double)answered, 1000) : json_null(),
	                 "below_desirable", "count", (json_int_t)nbelow, "organisations", below,
	                 "truncated", nbelow > limit);
}

/* Organisations below the desirable level, per item: one JSON array each. */
static int below_add(void *ctx, size_t i, const char *org, int level)
{
	json_t **below = ctx;
	json_array_append_new(below[i],
	                      json_pack("{s:s, s:i}", "organisation", org, "level", level));
	return 0;
}

static agg_rc items_json(db_conn *db, const campaign_info *ci, const item_list *l, int limit,
                         json_t **out)
{
	size_t n = l->n ? l->n : 1;
	const char **ids = calloc(n, sizeof(*ids));
	int *max = calloc(n, sizeof(*max));
	json_t **below = calloc(n, sizeof(json_t *));
	long long *count = calloc(n, sizeof(*count));
	json_t *arr = json_array();
	agg_rc rc = AGG_ERR_NOMEM;
	int grouped = 0;
	size_t i;

	if (ids == NULL || max == NULL || below == NULL || count == NULL || arr == NULL)
		goto out;
	for (i = 0; i < l->n; i++)
		grouped |= l->v[i].grouped;
	for (i = 0; i < l->n; i++) {
		ids[i] = l->v[i].id;
		max[i] = l->v[i].desirable - 1;
		if ((below[i] = json_array()) == NULL)
			goto out;
	}
	/* one level for every organisation: index ranges up to it; groups
	 * with levels of their own: each organisation against its own */
	if ((grouped ? aggdb_below_grouped(db, ci->id, ids, l->n, limit, below_add, below, count)
	             : aggdb_below(db, ci->id, ids, max, l->n, limit, below_add, below)) != DB_OK) {
		rc = AGG_ERR_DB;
		goto out;
	}
	for (i = 0; i < l->n; i++) {
		json_t *b = below[i];
		below[i] = NULL;
		if (json_array_append_new(
		            arr, item_json(&l->v[i], b, limit, grouped ? count[i] : -1)) != 0)
			goto out;
	}
	*out = arr;
	arr = NULL;
	rc = AGG_OK;
out:
	for (i = 0; below != NULL && i < l->n; i++)
		json_decref(below[i]);
	free(below);
	free(count);
	free(ids);
	free(max);
	json_decref(arr);
	return rc;
}

double agg_tscore(double x, double mean, double sd)
{
	if (!isfinite(x) || !isfinite(mean) || !isfinite(sd) || !(sd > 0))
		return 50;
	return 50 + 10 * (x - mean) / sd;
}

static double deviation(const population *p, double mean)
{
	return agg_tscore(mean, p->mean, p->sd);
}

typedef struct orgs_acc {
	json_t *arr;
	const population *p;
} orgs_acc;

static json_t *org_json(const population *p, const aggdb_org *o)
{
	json_t *sub = json_null(), *score = json_null(), *refusal = json_null();
	if (o->submission != 0) {
		sub = json_pack("{s:I, s:i, s:s}", "id", (json_int_t)o->submission, "version",
		                o->version, "received_at", o->received_at);
		json_t *secs = o->section_means ? json_loads(o->section_means, 0, NULL) : NULL;
		score = json_pack("{s:i, s:i, s:i, s:o, s:i, s:o, s:o}", "total", o->total,
		                  "answered", o->answered, "na", o->na, "mean",
		                  o->has_mean ? rounded(o->mean, 1000) : json_null(),
		                  "below_desirable", o->below, "deviation",
		                  o->has_mean ? rounded(deviation(p, o->mean), 10) : json_null(),
		                  "sections", secs != NULL ? secs : json_object());
	}
	if (o->refused_at != NULL)
		refusal = json_pack("{s:s, s:s}", "at", o->refused_at, "code",
		                    o->refused_code ? o->refused_code : "");
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "id", o->id, "name",
	                 o->name, "variant", o->variant, "group",
	                 o->group != NULL && o->group[0] ? json_string(o->group) : json_null(),
	                 "status", o->status, "tier",
	                 o->tier > 0 ? json_integer(o->tier) : json_null(), "last_refusal", refusal,
	                 "submission", sub, "score", score);
}

static int org_add(void *ctx, const aggdb_org *o)
{
	orgs_acc *acc = ctx;
	return json_array_append_new(acc->arr, org_json(acc->p, o));
}

static agg_rc organisations_json(db_conn *db, const campaign_info *ci, const population *p,
                                 const agg_opts *o, json_t **out)
{
	orgs_acc acc = {json_array(), p};
	agg_rc rc = acc.arr == NULL ? AGG_ERR_DB
	                            : from_db(aggdb_orgs_page(db, ci->id, ci->today, o->org_limit,
	                                                      o->org_offset, org_add, &acc));
	if (rc != AGG_OK) {
		json_decref(acc.arr);
		return rc == AGG_ERR_NOT_FOUND ? AGG_ERR_DB : rc;
	}
	*out = acc.arr;
	return AGG_OK;
}

agg_rc agg_progress(db_conn *db, long long campaign, const char *today, json_t **out)
{
	campaign_info ci;
	agg_rc rc;
	*out = NULL;
	if ((rc = load_campaign(db, campaign, today, &ci)) != AGG_OK)
		return rc;
	return progress(db, &ci, out);
}

/* Accepted per day and so far: the progress over time. */
typedef struct timeline_acc {
	json_t *arr;
	long long sum;
} timeline_acc;

static int day_add(void *ctx, const char *day, long long n)
{
	timeline_acc *t = ctx;
	t->sum += n;
	return json_array_append_new(t->arr,
	                             json_pack("{s:s, s:I, s:I}", "day", day, "accepted",
	                                       (json_int_t)n, "cumulative", (json_int_t)t->sum));
}

static agg_rc timeline(db_conn *db, const campaign_info *ci, json_t **out)
{
	timeline_acc t = {json_array(), 0};
	agg_rc rc =
	        t.arr == NULL ? AGG_ERR_NOMEM : from_db(aggdb_timeline(db, ci->id, day_add, &t));
	if (rc != AGG_OK) {
		json_decref(t.arr);
		return rc == AGG_ERR_NOT_FOUND ? AGG_ERR_DB : rc;
	}
	*out = t.arr;
	return AGG_OK;
}

/* The organisations' totals by tier, one point per (tier, total) with
 * how many are there and their deviation: the scatter. */
typedef struct spots_acc {
	json_t *arr;
	const population *p;
} spots_acc;

static int spot_add(void *ctx, const aggdb_spot *s)
{
	spots_acc *a = ctx;
	json_t *who = s->org != NULL ? json_pack("{s:s, s:s}", "id", s->org, "name",
	                                         s->name != NULL ? s->name : "")
	                             : json_null();
	return json_array_append_new(
	        a->arr,
	        json_pack("{s:i, s:i, s:I, s:o, s:o, s:o}", "tier", s->tier, "total", s->total,
	                  "organisations", (json_int_t)s->n, "mean_level", rounded(s->mean, 1000),
	                  "deviation", rounded(deviation(a->p, s->mean), 10), "organisation", who));
}

static agg_rc scatter(db_conn *db, const campaign_info *ci, const population *p, json_t **out)
{
	spots_acc a = {json_array(), p};
	agg_rc rc = a.arr == NULL ? AGG_ERR_NOMEM : from_db(aggdb_spots(db, ci->id, spot_add, &a));
	if (rc != AGG_OK) {
		json_decref(a.arr);
		return rc == AGG_ERR_NOT_FOUND ? AGG_ERR_DB : rc;
	}
	*out = a.arr;
	return AGG_OK;
}

agg_rc agg_campaign(db_conn *db, long long campaign, const agg_opts *o, json_t **out)
{
	campaign_info ci;
	item_list items = {NULL, 0, 0};
	population pop;
	json_t *prog = NULL, *secs = NULL, *its = NULL, *orgs = NULL, *days = NULL, *spots = NULL;
	agg_rc rc;

	*out = NULL;
	/* one read transaction: every part sees the same acceptances */
	if (aggdb_read_begin(db) != DB_OK)
		return AGG_ERR_DB;
	if ((rc = load_campaign(db, campaign, o->today, &ci)) != AGG_OK ||
	    (rc = progress(db, &ci, &prog)) != AGG_OK ||
	    (rc = timeline(db, &ci, &days)) != AGG_OK ||
	    (rc = load_population(db, &ci, &pop)) != AGG_OK ||
	    (rc = load_items(db, &ci, &items)) != AGG_OK ||
	    (rc = sections(db, &ci, &items, &secs)) != AGG_OK ||
	    (rc = items_json(db, &ci, &items, o->below_limit, &its)) != AGG_OK ||
	    (rc = scatter(db, &ci, &pop, &spots)) != AGG_OK ||
	    (rc = organisations_json(db, &ci, &pop, o, &orgs)) != AGG_OK)
		goto out;
	*out = json_pack("{s:{s:I, s:s, s:{s:s, s:s}, s:s, s:s}, s:s, s:o, s:o, s:o, s:o, s:o, "
	                 "s:o, s:{s:I, s:I}, s:o}",
	                 "campaign", "id", (json_int_t)ci.id, "name", ci.c.name, "questionnaire",
	                 "id", ci.c.qid, "version", ci.c.version, "due", ci.c.due, "status",
	                 ci.c.status, "as_of", ci.today, "progress", prog, "timeline", days,
	                 "population", population_json(&pop), "sections", secs, "items", its,
	                 "scatter", spots, "organisations_page", "offset",
	                 (json_int_t)o->org_offset, "limit", (json_int_t)o->org_limit,
	                 "organisations", orgs);
	prog = secs = its = orgs = days = spots = NULL;
	rc = *out != NULL ? AGG_OK : AGG_ERR_NOMEM;
out:
	aggdb_read_end(db);
	json_decref(prog);
	json_decref(days);
	json_decref(secs);
	json_decref(its);
	json_decref(spots);
	json_decref(orgs);
	items_free(&items);
	return rc;
}

/* ---- a page of organisations (the lists and the heatmap) ---- */

void agg_org_query_default(agg_org_query *q)
{
	memset(q, 0, sizeof(*q));
	q->limit = 100;
}

/* [A-Za-z0-9_.-], 1–64: the ids of questionnaires' variants, sections
 * and items */
static int id_ok(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n <= 64 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static int one_of(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return (int)i;
	return -1;
}

static const char *arg(const char *(*get)(const void *, const char *), const void *ctx,
                       const char *key)
{
	const char *v = get(ctx, key);
	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int flag_arg(const char *v, int *out)
{
	if (v == NULL)
		return 0;
	if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		return -1;
	*out = v[0] == '1';
	return 0;
}

agg_rc agg_org_query_parse(agg_org_query *q, const char *(*get)(const void *ctx, const char *key),
                           const void *ctx, char *detail, size_t detail_len)
{
	static const char *const statuses[] = {"not_started", "submitted", "accepted", "overdue"};
	static const char *const sorts[] = {"weakest", "id", "item"};
	static const char *const cols[] = {"questionnaire", "weakest"};
	const char *v;
	long long n;
	int k;

	agg_org_query_default(q);
	if ((v = arg(get, ctx, "variant")) != NULL) {
		if (strcmp(v, "-") != 0 && !id_ok(v))
			goto bad_variant;
		q->variant = strcmp(v, "-") == 0 ? "" : v;
	}
	if ((v = arg(get, ctx, "status")) != NULL) {
		if (one_of(v, statuses, 4) < 0) {
			snprintf(detail, detail_len,
			         "status must be not_started, submitted, accepted or overdue");
			return AGG_ERR_INVALID;
		}
		q->status = v;
	}
	if ((v = arg(get, ctx, "tier")) != NULL) {
		if (num_parse(v, 1, 99, &n) != 0) {
			snprintf(detail, detail_len, "tier must be a whole number from 1 to 99");
			return AGG_ERR_INVALID;
		}
		q->tier = (int)n;
	}
	if ((v = arg(get, ctx, "section")) != NULL) {
		if (!id_ok(v)) {
			snprintf(detail, detail_len, "section must be a section id");
			return AGG_ERR_INVALID;
		}
		q->section = v;
	}
	if ((v = arg(get, ctx, "item")) != NULL) {
		if (!id_ok(v)) {
			snprintf(detail, detail_len, "item must be an item id");
			return AGG_ERR_INVALID;
		}
		q->item = v;
	}
	if ((v = arg(get, ctx, "organisation")) != NULL) {
		if (!id_ok(v)) {
			snprintf(detail, detail_len, "organisation must be an organisation id");
			return AGG_ERR_INVALID;
		}
		q->org = v;
	}
	if ((v = arg(get, ctx, "sort")) != NULL) {
		if ((k = one_of(v, sorts, 3)) < 0) {
			snprintf(detail, detail_len, "sort must be weakest, id or item");
			return AGG_ERR_INVALID;
		}
		q->sort = (agg_sort)k;
	}
	if ((q->sort == AGG_SORT_ITEM) != (q->item != NULL)) {
		snprintf(detail, detail_len, "item= goes with sort=item, and only with it");
		return AGG_ERR_INVALID;
	}
	if ((v = arg(get, ctx, "cols")) != NULL) {
		if ((k = one_of(v, cols, 2)) < 0) {
			snprintf(detail, detail_len, "cols must be questionnaire or weakest");
			return AGG_ERR_INVALID;
		}
		q->items_weakest = k == 1;
	}
	if (flag_arg(arg(get, ctx, "below"), &q->below) != 0 ||
	    flag_arg(arg(get, ctx, "levels"), &q->levels) != 0) {
		snprintf(detail, detail_len, "below and levels must be 0 or 1");
		return AGG_ERR_INVALID;
	}
	if ((v = arg(get, ctx, "offset")) != NULL && num_parse(v, 0, 1000000000, &q->offset) != 0) {
		snprintf(detail, detail_len, "offset must be a whole number from 0");
		return AGG_ERR_INVALID;
	}
	if ((v = arg(get, ctx, "limit")) != NULL && num_parse(v, 1, AGG_MAX_PAGE, &q->limit) != 0) {
		snprintf(detail, detail_len, "limit must be a whole number from 1 to %d",
		         AGG_MAX_PAGE);
		return AGG_ERR_INVALID;
	}
	return AGG_OK;
bad_variant:
	snprintf(detail, detail_len,
	         "variant must be a variant id, or - for the base questionnaire");
	return AGG_ERR_INVALID;
}

typedef struct levels_acc {
	json_t *obj;
	const item_list *items;
	const char *section;
} levels_acc;

static int level_put(void *ctx, const char *item, int level)
{
	levels_acc *a = ctx;
	item_stat *it = find_item(a->items, item);
	if (it == NULL || (a->section != NULL && strcmp(it->section, a->section) != 0))
		return 0;
	return json_object_set_new(a->obj, item,
	                           level > 0 ? json_integer(level) : json_string("na"));
}

static double item_mean(const item_stat *it, int *has)
{
	long long n = 0, sum = 0;
	for (int l = 1; l <= 5; l++) {
		n += it->n[l];
		sum += l * it->n[l];
	}
	*has = n > 0;
	return n ? (double)sum / (double)n : 0;
}

/* The items a page shows: the section's (or all) in questionnaire order,
 * or weakest (lowest campaign mean) first, those nobody answered last. */
static json_t *shown_items(const item_list *l, const agg_org_query *q)
{
	json_t *arr = json_array();
	size_t *order = calloc(l->n + 1, sizeof(*order)), n = 0;
	if (arr == NULL || order == NULL) {
		free(order);
		json_decref(arr);
		return NULL;
	}
	for (size_t i = 0; i < l->n; i++)
		if (q->section == NULL || strcmp(l->v[i].section, q->section) == 0)
			order[n++] = i;
	/* insertion sort: stable, and a questionnaire has dozens of items */
	for (size_t i = 1; q->items_weakest && i < n; i++)
		for (size_t j = i; j > 0; j--) {
			int ha, hb;
			double a = item_mean(&l->v[order[j - 1]], &ha),
			       b = item_mean(&l->v[order[j]], &hb);
			if (!((!ha && hb) || (ha && hb && b < a)))
				break;
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		const item_stat *it = &l->v[order[i]];
		int has;
		double m = item_mean(it, &has);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:{s:s, s:s}, s:i, s:O, s:o}",
		                                     "id", it->id, "section", it->section, "text",
		                                     "ja", it->ja, "en", it->en, "desirable",
		                                     it->desirable, "desirable_groups", it->groups,
		                                     "mean", has ? rounded(m, 1000) : json_null()));
	}
	free(order);
	return arr;
}

static int section_known(void *ctx, const aggdb_section *s)
{
	const char **want = ctx;
	if (*want != NULL && strcmp(*want, s->id) == 0)
		*want = NULL;
	return 0;
}

static agg_rc query_check(db_conn *db, const campaign_info *ci, const item_list *items,
                          const agg_org_query *q, char *detail, size_t detail_len)
{
	const char *sec = q->section;
	if (q->item != NULL && find_item(items, q->item) == NULL) {
		snprintf(detail, detail_len, "the questionnaire has no item %s", q->item);
		return AGG_ERR_INVALID;
	}
	if (sec != NULL &&
	    aggdb_sections(db, ci->id, ci->c.qid, ci->c.version, section_known, &sec) != DB_OK)
		return AGG_ERR_DB;
	if (sec != NULL) {
		snprintf(detail, detail_len, "the questionnaire has no section %s", q->section);
		return AGG_ERR_INVALID;
	}
	return AGG_OK;
}

agg_rc agg_orgs(db_conn *db, long long campaign, const agg_org_query *q, json_t **out, char *detail,
                size_t detail_len)
{
	campaign_info ci;
	item_list items = {NULL, 0, 0};
	population pop;
	orgs_acc acc = {NULL, &pop};
	json_t *shown = NULL;
	long long total = 0;
	aggdb_filter f = {q->variant,          q->status, q->tier, q->below,
	                  (aggdb_sort)q->sort, q->item,   q->org};
	agg_rc rc;

	*out = NULL;
	if (aggdb_read_begin(db) != DB_OK)
		return AGG_ERR_DB;
	if ((rc = load_campaign(db, campaign, q->today, &ci)) != AGG_OK ||
	    (rc = load_population(db, &ci, &pop)) != AGG_OK ||
	    (rc = load_items(db, &ci, &items)) != AGG_OK ||
	    (rc = query_check(db, &ci, &items, q, detail, detail_len)) != AGG_OK)
		goto out;
	if (q->variant != NULL && q->variant[0] != '\0') {
		camp_rc crc = camp_variant_check(db, campaign, q->variant, detail, detail_len);
		if (crc != CAMP_OK) {
			rc = crc == CAMP_ERR_VARIANT ? AGG_ERR_INVALID : AGG_ERR_DB;
			snprintf(detail, detail_len, "the questionnaire has no variant %s",
			         q->variant);
			goto out;
		}
	}
	rc = AGG_ERR_NOMEM;
	if ((acc.arr = json_array()) == NULL ||
	    (q->levels && (shown = shown_items(&items, q)) == NULL))
		goto out;
	if ((rc = from_db(aggdb_orgs_count(db, campaign, ci.today, &f, &total))) != AGG_OK ||
	    (rc = from_db(aggdb_orgs_filtered(db, campaign, ci.today, &f, q->limit, q->offset,
	                                      org_add, &acc))) != AGG_OK)
		goto out;
	for (size_t i = 0; q->levels && i < json_array_size(acc.arr); i++) {
		json_t *o = json_array_get(acc.arr, i);
		levels_acc la = {json_object(), &items, q->section};
		json_object_set_new(o, "levels", la.obj);
		if ((rc = from_db(aggdb_org_levels(db, campaign,
		                                   json_string_value(json_object_get(o, "id")),
		                                   level_put, &la))) != AGG_OK)
			goto out;
	}
	*out = json_pack("{s:{s:I, s:s, s:s, s:s}, s:s, s:I, s:I, s:I, s:o, s:o}", "campaign", "id",
	                 (json_int_t)ci.id, "name", ci.c.name, "due", ci.c.due, "status",
	                 ci.c.status, "as_of", ci.today, "total", (json_int_t)total, "offset",
	                 (json_int_t)q->offset, "limit", (json_int_t)q->limit, "items",
	                 shown != NULL ? shown : json_null(), "organisations", acc.arr);
	shown = acc.arr = NULL;
	rc = *out != NULL ? AGG_OK : AGG_ERR_NOMEM;
out:
	aggdb_read_end(db);
	if (rc == AGG_ERR_NOT_FOUND && detail_len > 0)
		detail[0] = '\0';
	json_decref(shown);
	json_decref(acc.arr);
	items_free(&items);
	return rc;
}

/* RFC 4180 field; a leading = + - @ TAB or CR would make a spreadsheet
 * evaluate the cell, so such text gets a leading ' (organisation names
 * come from outside). */
static void csv_field(FILE *out, const char *s, int text)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (text && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL) {
		quote = 1;
		fputs("\"'", out);
	} else if (quote) {
		fputc('"', out);
	}
	for (const char *p = s; *p; p++) {
		if (*p == '"' && quote)
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
}

static void csv_sep(FILE *out, int *first)
{
	if (!*first)
		fputc(',', out);
	*first = 0;
}

static void csv_header(FILE *out, const item_list *items, json_t *section_ids)
{
	static const char *const fixed[] = {
	        "organisation", "name",  "variant",  "status", "submission", "version",
	        "received_at",  "total", "answered", "na",     "mean",       "below_desirable",
	        "deviation"};
	int first = 1;
	size_t i;
	json_t *v;

	fputs("\xEF\xBB\xBF", out); /* BOM: Excel reads UTF-8 only with it */
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		csv_sep(out, &first);
		fputs(fixed[i], out);
	}
	json_array_foreach(section_ids, i, v)
	{
		csv_sep(out, &first);
		fprintf(out, "section %s mean", json_string_value(v));
	}
	for (i = 0; i < items->n; i++) {
		csv_sep(out, &first);
		csv_field(out, items->v[i].id, 1);
	}
	fputs("\r\n", out);
}

/* The CSV being written: the header's columns and the levels of the
 * organisation whose answers are being collected. */
typedef struct csv_ctx {
	FILE *out;
	const item_list *items;
	json_t *section_ids;
	const population *p;
	char (*level)[12]; /* per item: its level, "na" or "" */
} csv_ctx;

static int csv_answer(void *ctx, const char *item, int level)
{
	csv_ctx *c = ctx;
	for (size_t i = 0; i < c->items->n; i++)
		if (strcmp(c->items->v[i].id, item) == 0) {
			if (level > 0)
				snprintf(c->level[i], sizeof(c->level[i]), "%d", level);
			else
				snprintf(c->level[i], sizeof(c->level[i]), "na");
		}
	return 0;
}

static void csv_text(FILE *out, const char *s, int *first)
{
	csv_sep(out, first);
	if (s != NULL)
		csv_field(out, s, 1);
}

static void csv_int(FILE *out, int present, long long v, int *first)
{
	csv_sep(out, first);
	if (present)
		fprintf(out, "%lld", v);
}

/* One organisation's row, with the levels csv_answer() collected. */
static int csv_row(void *ctx, const aggdb_org *o)
{
	csv_ctx *c = ctx;
	FILE *out = c->out;
	json_t *secs = NULL, *v;
	int first = 1, sub = o->submission != 0;
	size_t i;

	csv_text(out, o->id, &first);
	csv_text(out, o->name, &first);
	csv_text(out, o->variant, &first);
	csv_text(out, o->status, &first);
	csv_int(out, sub, o->submission, &first);
	csv_int(out, sub, o->version, &first);
	csv_text(out, sub ? o->received_at : NULL, &first);
	csv_int(out, o->scored, o->total, &first);
	csv_int(out, o->scored, o->answered, &first);
	csv_int(out, o->scored, o->na, &first);
	csv_sep(out, &first);
	if (o->has_mean)
		fprintf(out, "%.3f", o->mean);
	csv_int(out, o->scored, o->below, &first);
	csv_sep(out, &first);
	if (o->has_mean)
		fprintf(out, "%.1f", deviation(c->p, o->mean));
	if (o->section_means != NULL)
		secs = json_loads(o->section_means, 0, NULL);
	json_array_foreach(c->section_ids, i, v)
	{
		json_t *m = json_object_get(secs, json_string_value(v));
		csv_sep(out, &first);
		if (json_is_number(m))
			fprintf(out, "%.3f", json_number_value(m));
	}
	json_decref(secs);
	for (i = 0; i < c->items->n; i++) {
		csv_sep(out, &first);
		fputs(c->level[i], out);
		c->level[i][0] = '\0';
	}
	fputs("\r\n", out);
	return 0;
}

static int section_id_add(void *ctx, const aggdb_section *s)
{
	return json_array_append_new(ctx, json_string(s->id));
}

static agg_rc section_ids(db_conn *db, const campaign_info *ci, json_t **out)
{
	json_t *a = json_array();
	if (a == NULL ||
	    aggdb_sections(db, ci->id, ci->c.qid, ci->c.version, section_id_add, a) != DB_OK) {
		json_decref(a);
		return AGG_ERR_DB;
	}
	*out = a;
	return AGG_OK;
}

agg_rc agg_csv(db_conn *db, long long campaign, const char *today, FILE *out)
{
	campaign_info ci;
	item_list items = {NULL, 0, 0};
	population pop;
	json_t *secs = NULL;
	csv_ctx c = {out, &items, NULL, &pop, NULL};
	agg_rc rc;
	db_rc drc;

	if (aggdb_read_begin(db) != DB_OK)
		return AGG_ERR_DB;
	if ((rc = load_campaign(db, campaign, today, &ci)) != AGG_OK ||
	    (rc = load_population(db, &ci, &pop)) != AGG_OK ||
	    (rc = load_items(db, &ci, &items)) != AGG_OK ||
	    (rc = section_ids(db, &ci, &secs)) != AGG_OK)
		goto out;
	rc = AGG_ERR_NOMEM;
	if ((c.level = calloc(items.n + 1, sizeof(*c.level))) == NULL)
		goto out;
	c.section_ids = secs;
	csv_header(out, &items, secs);
	drc = aggdb_orgs_with_answers(db, ci.id, ci.today, csv_answer, csv_row, &c);
	if (drc == DB_OK)
		rc = ferror(out) ? AGG_ERR_IO : AGG_OK;
	else
		rc = drc == DB_ERR_NOMEM ? AGG_ERR_NOMEM : AGG_ERR_DB;
out:
	aggdb_read_end(db);
	free(c.level);
	json_decref(secs);
	items_free(&items);
	return rc;
}
