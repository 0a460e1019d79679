/* db/scores.h — the score rows of a submission: writing them from its
 * answers and the questionnaire's item rows (SQL aggregates, so that the
 * aggregate only has to sum them), and reading them back. What a level
 * means (0 is "not applicable") is decided in the SQL of core/db/scores.c
 * as documented in core/scores.h; this file builds no JSON. */
#ifndef ITAKU_CORE_DB_SCORES_H
#define ITAKU_CORE_DB_SCORES_H

#include "core/db/db.h"

/* A mean is absent (has_mean 0) when every counted level is "na". */
typedef struct score_total {
	int total, answered, na, below;
	int has_mean;
	double mean;
} score_total;

/* Rows handed to a callback point into the statement: valid only during
 * the call. */
typedef struct score_section_row {
	const char *id;
	int answered, total;
	int has_mean;
	double mean;
} score_section_row;

typedef struct score_item_row {
	const char *id;
	const char *section;
	int level; /* 0: not applicable */
	int desirable;
} score_item_row;

/* Writes the scores and section scores of submission id; inside the
 * submission's transaction. */
db_rc score_rows_write(db_conn *db, long long id);

/* The totals of submission id; DB_ERR_NOTFOUND when it has no score. */
db_rc score_total_get(db_conn *db, long long id, score_total *out);

/* Calls fn for each section score (questionnaire order) / each scored item
 * (questionnaire order) until fn returns non-zero; DB_OK then too. */
db_rc score_sections_each(db_conn *db, long long id,
                          int (*fn)(const score_section_row *r, void *arg), void *arg);
db_rc score_items_each(db_conn *db, long long id, int (*fn)(const score_item_row *r, void *arg),
                       void *arg);

#endif
