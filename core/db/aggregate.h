/* aggregate.h — the aggregate store: the figures of a campaign as the
 * accepting transaction keeps them current (campaign_item_levels and
 * campaign_section_sums, the latest score columns of assignments,
 * latest_answers), read with SQL aggregation and index ranges so that no
 * answer set is loaded. Returns rows and numbers; the statistics on top
 * (deviation, rounding) and the JSON and CSV documents are
 * core/aggregate.c's. */
#ifndef ITAKU_CORE_DB_AGGREGATE_H
#define ITAKU_CORE_DB_AGGREGATE_H

#include "core/db/db.h"

#include <stddef.h>

typedef struct aggdb_campaign {
	char name[256];
	char qid[65];
	char version[65];
	char due[11];
	char status[8];
} aggdb_campaign;

/* Assignments of a campaign by status; answered are the accepted ones. */
typedef struct aggdb_progress {
	long long assigned, answered, overdue, submitted, not_started;
} aggdb_progress;

/* The organisations' latest mean levels and totals (those with an
 * accepted answer): count, mean, mean of squares, totals. */
typedef struct aggdb_population {
	long long n;
	double mean, mean_sq, total_mean;
	long long total_min, total_max;
} aggdb_population;

/* In every row below the strings are borrowed, valid during the callback
 * only. A callback returning non-zero stops the walk, which then returns
 * DB_ERR_NOMEM (the caller could not hold the row). */

/* A section of the pinned questionnaire with the campaign's sums. */
typedef struct aggdb_section {
	const char *id, *title_ja, *title_en;
	int has_mean; /* anyone answered it other than "na" */
	double mean;  /* over every latest answer in it */
	int orgs;     /* organisations that answered it */
} aggdb_section;
typedef int (*aggdb_section_fn)(void *ctx, const aggdb_section *s);

/* An item of the pinned questionnaire. desirable is the level in force
 * for the campaign as a whole (core/db/desirable.h), def the definition's. */
typedef struct aggdb_item {
	const char *id, *section, *text_ja, *text_en;
	int desirable, optional;
	int def;
	const char *origin; /* "default", "campaign:item", "campaign:section" */
} aggdb_item;
typedef int (*aggdb_item_fn)(void *ctx, const aggdb_item *it);

/* n latest answers of item at level (0: "na"). */
typedef int (*aggdb_level_fn)(void *ctx, const char *item, int level, long long n);

/* One latest answer of an organisation: item at level (0: "na"). */
typedef int (*aggdb_answer_fn)(void *ctx, const char *item, int level);

/* Organisation org answered item i of an aggdb_below() query at level. */
typedef int (*aggdb_below_fn)(void *ctx, size_t i, const char *org, int level);

/* An assigned organisation with its latest accepted submission. */
typedef struct aggdb_org {
	const char *id, *name, *variant;
	const char *status;   /* as of the day asked for (core/db/assignment_status.h) */
	long long submission; /* 0: none accepted; the fields below are then unset */
	int version;          /* of the submission */
	const char *received_at;
	int scored; /* the submission has its scores row */
	int total, answered, na, below;
	int has_mean; /* not every item "na" */
	double mean;
	const char *section_means; /* JSON object text {section id: mean, 3 decimals}; NULL: none */
	int tier;                  /* in the campaign's chain; 0: not in it */
	const char *refused_at;    /* the last refused upload; NULL: none */
	const char *refused_code;
	const char *group; /* its group in the campaign, "" for none */
} aggdb_org;
typedef int (*aggdb_org_fn)(void *ctx, const aggdb_org *o);

/* One read transaction, so that every part of a document sees the same
 * acceptances: aggdb_read_begin() … aggdb_read_end(). */
db_rc aggdb_read_begin(db_conn *db);
void aggdb_read_end(db_conn *db);

/* DB_ERR_NOTFOUND when there is no such campaign. */
db_rc aggdb_campaign_get(db_conn *db, long long campaign, aggdb_campaign *out);

/* today (YYYY-MM-DD) decides "overdue". */
db_rc aggdb_progress_get(db_conn *db, long long campaign, const char *today, aggdb_progress *out);

db_rc aggdb_population_get(db_conn *db, long long campaign, aggdb_population *out);

/* The sections of qid@version in order, with the campaign's sums. */
db_rc aggdb_sections(db_conn *db, long long campaign, const char *qid, const char *version,
                     aggdb_section_fn fn, void *ctx);

/* The items of qid@version in order, with campaign's levels in force. */
db_rc aggdb_items(db_conn *db, long long campaign, const char *qid, const char *version,
                  aggdb_item_fn fn, void *ctx);

/* The level in force of item for group G (group_fn, for every group with
 * a setting or a member but ""), for a campaign with group settings. */
typedef int (*aggdb_group_level_fn)(void *ctx, const char *group, const char *item, int level);
db_rc aggdb_group_levels(db_conn *db, long long campaign, aggdb_group_level_fn fn, void *ctx);

/* The campaign's counts of latest answers per item and level (n > 0). */
db_rc aggdb_levels(db_conn *db, long long campaign, aggdb_level_fn fn, void *ctx);

/* For each i < n: the organisations whose latest answer to items[i] is a
 * level from 1 to max_level[i], lowest first, then by organisation, at
 * most limit per item (index ranges of latest_answers). */
db_rc aggdb_below(db_conn *db, long long campaign, const char *const *items, const int *max_level,
                  size_t n, int limit, aggdb_below_fn fn, void *ctx);

/* The same for a campaign whose groups have levels of their own: each
 * organisation against the level in force for its group; count[i] gets
 * how many there are in all for items[i]. */
db_rc aggdb_below_grouped(db_conn *db, long long campaign, const char *const *items, size_t n,
                          int limit, aggdb_below_fn fn, void *ctx, long long *count);

/* A page of the assigned organisations, weakest (lowest latest mean) first
 * and those without an accepted answer last, then by id. */
db_rc aggdb_orgs_page(db_conn *db, long long campaign, const char *today, long long limit,
                      long long offset, aggdb_org_fn fn, void *ctx);

/* Which organisations a page lists, and in which order. NULL or 0 fields
 * do not filter. status is one of assignment_status.h's; item names the
 * item AGGDB_SORT_ITEM orders by (its level lowest first, "na" and no
 * answer last). */
typedef enum { AGGDB_SORT_WEAKEST = 0, AGGDB_SORT_ID, AGGDB_SORT_ITEM } aggdb_sort;
typedef struct aggdb_filter {
	const char *variant; /* "" is the base questionnaire */
	const char *status;
	int tier;
	int below; /* only those with an item below its desirable level */
	aggdb_sort sort;
	const char *item;
	const char *org; /* only this organisation */
} aggdb_filter;

/* How many assigned organisations f lets through. */
db_rc aggdb_orgs_count(db_conn *db, long long campaign, const char *today, const aggdb_filter *f,
                       long long *n);

/* A page of them in f's order (then by id). */
db_rc aggdb_orgs_filtered(db_conn *db, long long campaign, const char *today, const aggdb_filter *f,
                          long long limit, long long offset, aggdb_org_fn fn, void *ctx);

/* The latest answers of org in campaign (an index range). */
db_rc aggdb_org_levels(db_conn *db, long long campaign, const char *org, aggdb_answer_fn fn,
                       void *ctx);

/* n assignments of campaign whose first accepted version arrived on day
 * (YYYY-MM-DD, UTC), by day. */
typedef int (*aggdb_day_fn)(void *ctx, const char *day, long long n);
db_rc aggdb_timeline(db_conn *db, long long campaign, aggdb_day_fn fn, void *ctx);

/* The organisations with a scored latest answer grouped by their tier in
 * the chain (1 when not in it) and total: how many, their mean level's
 * average, and when there is one, which. */
typedef struct aggdb_spot {
	int tier, total;
	long long n;
	double mean;
	const char *org, *name; /* NULL unless n == 1 */
} aggdb_spot;
typedef int (*aggdb_spot_fn)(void *ctx, const aggdb_spot *s);
db_rc aggdb_spots(db_conn *db, long long campaign, aggdb_spot_fn fn, void *ctx);

/* Every assigned organisation by id; before fn() gets one, answer() gets
 * each of its latest answers (two cursors merged by organisation). */
db_rc aggdb_orgs_with_answers(db_conn *db, long long campaign, const char *today,
                              aggdb_answer_fn answer, aggdb_org_fn fn, void *ctx);

/* How many rows of the running counters of migration 21 (progress,
 * timeline, scores) differ from a recount of the assignments, refusals and
 * submissions, in campaign (0: every campaign); *differ is 0 when they
 * agree. A full scan: for `itaku fsck` and tests, never a request. */
db_rc aggdb_counts_check(db_conn *db, long long campaign, long long *differ);

/* Refreshes the query planner's statistics, so that a generated bench
 * database (tests/bench) is read with the plans a grown instance gets. */
db_rc aggdb_analyze(db_conn *db);

#endif
