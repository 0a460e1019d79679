/* scores.c — the score of a submission as the API shows it: the rows
 * core/db/scores.c computes in SQL, and each item's gap to its desirable
 * level. A level of 0 is "not applicable": no level, no gap. */
#include "core/scores.h"
#include "core/db/scores.h"

db_rc scores_compute(db_conn *db, long long id)
{
	return score_rows_write(db, id);
}

static json_t *mean_or_null(int has_mean, double mean)
{
	return has_mean ? json_real(mean) : json_null();
}

/* appends to a JSON array; stops the walk (non-zero) when out of memory */
static int section_row(const score_section_row *r, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:s, s:i, s:i, s:o}", "id", r->id, "answered",
	                                            r->answered, "total", r->total, "mean",
	                                            mean_or_null(r->has_mean, r->mean)));
}

static int item_row(const score_item_row *r, void *arg)
{
	int level = r->level, desirable = r->desirable;
	return json_array_append_new(
	        arg,
	        json_pack("{s:s, s:s, s:o, s:i, s:o}", "id", r->id, "section", r->section, "level",
	                  level > 0 ? json_integer(level) : json_null(), "desirable", desirable,
	                  "gap", level > 0 ? json_integer(level - desirable) : json_null()));
}

db_rc scores_get(db_conn *db, long long id, json_t **out)
{
	score_total t;
	json_t *sections = json_array(), *items = json_array();
	db_rc rc;

	*out = NULL;
	if ((rc = score_total_get(db, id, &t)) != DB_OK)
		goto out;
	rc = DB_ERR_NOMEM;
	if (sections == NULL || items == NULL)
		goto out;
	if ((rc = score_sections_each(db, id, section_row, sections)) != DB_OK ||
	    (rc = score_items_each(db, id, item_row, items)) != DB_OK)
		goto out;
	*out = json_pack("{s:i, s:i, s:i, s:o, s:i, s:o, s:o}", "total", t.total, "answered",
	                 t.answered, "na", t.na, "mean", mean_or_null(t.has_mean, t.mean),
	                 "below_desirable", t.below, "sections", sections, "items", items);
	sections = items = NULL;
	rc = *out != NULL ? DB_OK : DB_ERR_NOMEM;
out:
	json_decref(sections);
	json_decref(items);
	return rc;
}
