/* prefill.c — filling a template from stored answers (forms/fill.c does
 * the XML). Owns only the step from a draft to the fill's arrays; what a
 * draft may hold was checked when it was saved, and what a package holds
 * is checked again when it is uploaded. */
#include "core/prefill.h"

#include "core/campaigns.h"
#include "forms/fill.h"

#include <stdlib.h>

int prefill_template(db_conn *db, const camp_assignment *as, const draft *d, char **xml,
                     size_t *len)
{
	tmpl_answer *a = calloc(d->n + 1, sizeof(*a));
	tmpl_sub *subs = calloc(d->nsubs + 1, sizeof(*subs));
	char *blank = NULL;
	size_t blen = 0;
	int rc = -1;

	if (a == NULL || subs == NULL || camp_template(db, as, &blank, &blen) != CAMP_OK)
		goto out;
	for (size_t i = 0; i < d->n; i++)
		a[i] = (tmpl_answer){d->items[i].item_id, d->items[i].level, d->items[i].comment};
	for (size_t i = 0; i < d->nsubs; i++)
		subs[i] = (tmpl_sub){d->subs[i].id, d->subs[i].name, d->subs[i].scope,
		                     d->subs[i].personal, d->subs[i].confidential};
	rc = tmpl_fill(blank, blen, a, d->n, subs, d->nsubs, xml, len) == QN_OK ? 0 : -1;
out:
	free(blank);
	free(subs);
	free(a);
	return rc;
}

int prefill_accepted(db_conn *db, const camp_assignment *as, char **xml, size_t *len)
{
	draft d = {0};
	int rc;
	if (as->latest_submission > 0 &&
	    drafts_from_submission(db, as->latest_submission, &d) != DB_OK)
		return -1;
	rc = prefill_template(db, as, &d, xml, len);
	draft_free(&d);
	return rc;
}
