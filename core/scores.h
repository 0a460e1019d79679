/* scores.h — the score of one accepted submission: item levels, the gap
 * of each to its desirable level, section means and the total. Computed in
 * SQL from the answers and the questionnaire's item rows when the
 * submission is stored, so that the aggregate only has to sum them. */
#ifndef ITAKU_CORE_SCORES_H
#define ITAKU_CORE_SCORES_H

#include "core/db/db.h"

#include <jansson.h>

/* Writes the scores and section scores of submission id; inside the
 * submission's transaction. */
db_rc scores_compute(db_conn *db, long long id);

/* The score of submission id as JSON (caller json_decref()s):
 * {total, answered, na, mean, below_desirable, sections: [{id, answered,
 * total, mean}], items: [{id, section, level (null: not applicable),
 * desirable, gap}]}. DB_ERR_NOTFOUND when it has none (free submissions
 * from before schema 6). */
db_rc scores_get(db_conn *db, long long id, json_t **out);

#endif
