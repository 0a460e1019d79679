/* chains.c — re-entrustment graphs: an accepted package replaces its
 * organisation's edges; only the nodes reachable from it can change tier,
 * weakest link or cycle, so only they are loaded (with their parents just
 * outside as fixed inputs), computed by exchange/reentrust.c and written
 * back: an incremental update, never a rebuild of the whole graph. The SQL
 * is core/db/chains.c's; the views are chains_json.c's. */
#include "core/chains.h"

#include "core/audit.h"
#include "core/db/chains.h"
#include "core/util/clock.h"
#include "exchange/reentrust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *chains_rc_str(chains_rc rc)
{
	switch (rc) {
	case CHAINS_OK: return "ok";
	case CHAINS_ERR_NOT_FOUND: return "no such campaign or re-entrustment";
	case CHAINS_ERR_NOT_REQUIRED:
		return "the re-entrustment passes on no personal or confidential data";
	case CHAINS_ERR_CHANGED:
		return "the re-entrustment passes on other data than the approval was made for";
	case CHAINS_ERR_DB: return "database error";
	case CHAINS_ERR_NOMEM: return "out of memory";
	}
	return "unknown chains error";
}

void chains_opts_default(chains_opts *o)
{
	o->offset = 0;
	o->limit = 200;
	o->status = NULL;
	o->paths = 20;
	o->max_depth = 5;
	o->today = NULL;
}

int chains_status_valid(const char *s)
{
	static const char *const statuses[] = {"pending",  "invited", "assigned",
	                                       "answered", "overdue", "unapproved"};
	for (size_t i = 0; s != NULL && i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(s, statuses[i]) == 0)
			return 1;
	return 0;
}

chains_rc chains_of_db(db_rc rc)
{
	switch (rc) {
	case DB_OK: return CHAINS_OK;
	case DB_ERR_NOTFOUND: return CHAINS_ERR_NOT_FOUND;
	case DB_ERR_NOMEM: return CHAINS_ERR_NOMEM;
	default: return CHAINS_ERR_DB;
	}
}

/* ---- the incremental recompute ---- */

chains_rc chains_recompute(db_conn *db, long long campaign, const char *const *seeds, size_t n,
                           size_t *nodes)
{
	chain_graph *g = chain_new();
	chains_rc rc = CHAINS_ERR_NOMEM;
	size_t region;

	if (g == NULL)
		return CHAINS_ERR_NOMEM;
	if ((rc = chains_of_db(chainsdb_region_load(db, campaign, g, seeds, n))) != CHAINS_OK)
		goto out;
	region = chain_count(g);
	if ((rc = chains_of_db(chainsdb_inputs_load(db, campaign, g, region))) != CHAINS_OK)
		goto out;
	if (chain_compute(g) != CHAIN_OK) {
		rc = CHAINS_ERR_NOMEM;
		goto out;
	}
	rc = chains_of_db(chainsdb_region_store(db, campaign, g, region));
	if (nodes != NULL)
		*nodes = region - 1;
out:
	chain_free(g);
	return rc;
}

chains_rc chains_direct(db_conn *db, long long campaign, const char *org)
{
	const char *seeds[] = {org};
	chains_rc rc = chains_of_db(chainsdb_node_add(db, campaign, org, 1));
	return rc == CHAINS_OK ? chains_recompute(db, campaign, seeds, 1, NULL) : rc;
}

chains_rc chains_accepted(db_conn *db, long long campaign, const char *org, long long submission,
                          const answers *a)
{
	char **old = NULL;
	const char **seeds = NULL;
	size_t nold = 0, n = 0;
	chains_rc rc;

	if ((rc = chains_of_db(chainsdb_children(db, campaign, org, &old, &nold))) != CHAINS_OK ||
	    (rc = chains_of_db(chainsdb_node_add(db, campaign, org, 0))) != CHAINS_OK ||
	    (rc = chains_of_db(chainsdb_edges_replace(db, campaign, org, submission, a))) !=
	            CHAINS_OK)
		goto out;
	rc = CHAINS_ERR_NOMEM;
	if ((seeds = calloc(1 + nold + a->nsubs, sizeof(char *))) == NULL)
		goto out;
	seeds[n++] = org;
	for (size_t i = 0; i < nold; i++)
		seeds[n++] = old[i];
	for (size_t i = 0; i < a->nsubs; i++)
		seeds[n++] = a->subs[i].id;
	if ((rc = chains_recompute(db, campaign, seeds, n, NULL)) != CHAINS_OK)
		goto out;
	/* children no longer declared by anyone, never assigned or invited,
	 * leave the graph */
	for (size_t i = 0; i < nold && rc == CHAINS_OK; i++)
		rc = chains_of_db(chainsdb_node_prune(db, campaign, old[i]));
out:
	free(seeds);
	chainsdb_list_free(old, nold);
	return rc;
}

/* ---- approvals ---- */

chains_rc chains_approve(db_conn *db, long long campaign, const char *parent, const char *child,
                         const chains_flags *seen, const char *actor, char *detail,
                         size_t detail_len)
{
	char now[32], object[200], flags[64];
	int personal = 0, confidential = 0;
	chains_rc rc;

	if (db_begin(db) != DB_OK)
		return CHAINS_ERR_DB;
	rc = chains_of_db(
	        chainsdb_edge_flags(db, campaign, parent, child, &personal, &confidential));
	if (rc != CHAINS_OK) {
		snprintf(detail, detail_len, "%s does not declare %s in campaign %lld", parent,
		         child, campaign);
		goto out;
	}
	if (!personal && !confidential) {
		rc = CHAINS_ERR_NOT_REQUIRED;
		snprintf(detail, detail_len, "%s -> %s", parent, child);
		goto out;
	}
	/* in the transaction: what is approved is what was shown */
	if (seen != NULL && (seen->personal != personal || seen->confidential != confidential)) {
		rc = CHAINS_ERR_CHANGED;
		snprintf(detail, detail_len,
		         "%s -> %s passes on personal=%d confidential=%d now, not personal=%d "
		         "confidential=%d",
		         parent, child, personal, confidential, seen->personal, seen->confidential);
		goto out;
	}
	clock_now(now);
	rc = CHAINS_ERR_DB;
	if (chainsdb_approval_put(db, campaign, parent, child, personal, confidential, actor,
	                          now) != DB_OK)
		goto out;
	snprintf(object, sizeof(object), "campaign/%lld/chain/%s/%s", campaign, parent, child);
	snprintf(flags, sizeof(flags), "personal=%d confidential=%d", personal, confidential);
	audit_event ev = {actor, "chain.approve", object, "ok", "ok", flags};
	if (audit_append(db, &ev) != DB_OK || db_commit(db) != DB_OK)
		goto out;
	rc = CHAINS_OK;
out:
	db_rollback(db);
	return rc;
}
