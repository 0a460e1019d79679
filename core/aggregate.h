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
	AGG_ERR_IO, /* agg_csv(): writing failed */
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
 * documented in README.md ("Aggregate API"). */
agg_rc agg_campaign(db_conn *db, long long campaign, const agg_opts *o, json_t **out);

/* The aggregate as CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting, cells that
 * a spreadsheet would run as formulas prefixed with '): one row per
 * assigned organisation with its scores, section means and item levels. */
agg_rc agg_csv(db_conn *db, long long campaign, const char *today, FILE *out);

const char *agg_rc_str(agg_rc rc);

#endif
