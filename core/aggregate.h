/* aggregate.h — what the entrusting company reads about a campaign:
 * progress, per item the distribution of levels, mean and who is below the
 * desirable level, per section means, per organisation its scores; as JSON
 * and as CSV. Everything is SQL aggregation over latest_answers, scores and
 * section_scores (kept current when a submission is accepted); no answer
 * set is loaded into C except row by row for the CSV. */
#ifndef ITAKU_CORE_AGGREGATE_H
#define ITAKU_CORE_AGGREGATE_H

#include "core/db/db.h"

#include <jansson.h>
#include <stdio.h>

#define AGG_MAX_ORGS 100000

typedef enum {
	AGG_OK = 0,
	AGG_ERR_NOT_FOUND, /* no such campaign */
	AGG_ERR_DB,
	AGG_ERR_NOMEM,
	AGG_ERR_IO,      /* agg_csv(): writing failed */
	AGG_ERR_INVALID, /* agg_orgs(): a query argument is not one; detail says */
} agg_rc;

typedef struct agg_opts {
	long long org_offset; /* organisations list: weakest (lowest mean) first */
	long long org_limit;  /* 0..AGG_MAX_ORGS */
	int below_limit;      /* organisations named per item below desirable */
	const char *today;    /* YYYY-MM-DD deciding "overdue"; NULL: today, UTC */
} agg_opts;

/* Defaults: first 100 organisations, 20 names per item. */
void agg_opts_default(agg_opts *o);

/* The aggregate of campaign as JSON (caller json_decref()s); the layout is
 * documented in README.md ("The aggregate"): progress and its timeline,
 * population, sections (mean, desirable), items (distribution), the
 * scatter of totals by tier, a page of organisations. */
agg_rc agg_campaign(db_conn *db, long long campaign, const agg_opts *o, json_t **out);

/* The "progress" member of the aggregate alone (the campaigns list shows
 * it for each campaign): assigned, answered, overdue, submitted,
 * not_started, answered_ratio as of today (NULL: today, UTC). */
agg_rc agg_progress(db_conn *db, long long campaign, const char *today, json_t **out);

/* The aggregate as CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting, cells that
 * a spreadsheet would run as formulas prefixed with '): one row per
 * assigned organisation with its scores, section means and item levels. */
agg_rc agg_csv(db_conn *db, long long campaign, const char *today, FILE *out);

const char *agg_rc_str(agg_rc rc);

/* 偏差値, a T-score: 50 + 10 (x − mean) / sd; 50 when sd is not positive
 * or anything is not finite. The deviation of every organisation (pages,
 * API, CSV) is this of its mean level against the population's. */
double agg_tscore(double x, double mean, double sd);

/* A page of a campaign's organisations, filtered and ordered, optionally
 * with each one's latest level per item: GET
 * /api/v1/campaigns/{id}/organisations and the dashboard's lists and
 * heatmap read the same. NULL / 0 fields do not filter. */
#define AGG_MAX_PAGE 1000
typedef enum { AGG_SORT_WEAKEST = 0, AGG_SORT_ID, AGG_SORT_ITEM } agg_sort;
typedef struct agg_org_query {
	const char *variant; /* "" the base questionnaire */
	const char *status;  /* not_started, submitted, accepted, overdue */
	const char *section; /* the items shown (levels, items[]) */
	const char *item;    /* AGG_SORT_ITEM: by this item's level, lowest first */
	const char *org;     /* only this organisation (its id) */
	int tier;            /* in the campaign's chain, 1–99 */
	int below;           /* only organisations with an item below its desirable level */
	agg_sort sort;
	int items_weakest; /* items[] by campaign mean, lowest first (else questionnaire order) */
	int levels;        /* each organisation's "levels" {item: 1–5 or "na"} and items[] */
	long long offset, limit;
	const char *today; /* NULL: today, UTC */
} agg_org_query;

/* Everything absent; offset 0, limit 100. */
void agg_org_query_default(agg_org_query *q);

/* The query arguments (get(ctx, key): the value or NULL) into q, strictly:
 * variant ("-" the base questionnaire), status, tier, section, item,
 * organisation, below
 * (0/1), sort (weakest, id, item — item needs item=), cols (questionnaire,
 * weakest), levels (0/1), offset, limit (1..AGG_MAX_PAGE). An empty value
 * is absent. Strings in q are borrowed from get. AGG_ERR_INVALID with
 * detail, or AGG_OK. */
agg_rc agg_org_query_parse(agg_org_query *q, const char *(*get)(const void *ctx, const char *key),
                           const void *ctx, char *detail, size_t detail_len);

/* The page as JSON (caller json_decref()s): campaign, as_of, total (how
 * many match), offset, limit, items[] (with levels), organisations[] (as
 * in agg_campaign(), with "levels" when asked). AGG_ERR_INVALID (detail
 * says) for a variant, section or item the questionnaire does not have. */
agg_rc agg_orgs(db_conn *db, long long campaign, const agg_org_query *q, json_t **out, char *detail,
                size_t detail_len);

#endif
